"""The notebooks run from top to bottom on the default data (executed copies go to test-artifacts/)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, cache_dir, monkeypatch):
    """Every cell executes without error."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    ARTIFACTS.mkdir(exist_ok=True)
    nbformat.write(nb, ARTIFACTS / path.name)
