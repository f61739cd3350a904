"""The code's own checks, each run as its command-line tool from the project's virtual environment.

- ``lint-imports``: the layers and boundaries of ``[tool.importlinter]`` (feeds →
  timetable → network → routing → tours | shuttle → batch → cli | api; the
  library never imports ``api``; OR-Tools, Dask, Typer, FastAPI and numba each
  in their own modules);
- ``ruff check`` and ``ruff format --check``: ``[tool.ruff]``;
- ``mypy``: ``[tool.mypy]`` (strict for ``maas.feeds``, ``maas.timetable`` and
  ``maas.routing``).

The tools come with the ``test`` extra (``python3 dev.py test`` installs it).
Each test fails with the tool's own report, so the failure says what to fix.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _run(tool: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run one of the venv's tools in the project root and return what it did."""
    exe = BIN / tool
    if not exe.exists():
        pytest.fail(f"{tool} is not installed beside {sys.executable}: install the test extra (`python3 dev.py test` does)")
    return subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def _assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    """Fail with the tool's report unless it exited 0."""
    command = " ".join(Path(result.args[0]).name if i == 0 else a for i, a in enumerate(result.args))
    assert result.returncode == 0, f"`{command}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}"


def test_import_contracts() -> None:
    result = _run("lint-imports", "--no-cache")
    _assert_clean(result)
    contracts = PYPROJECT["tool"]["importlinter"]["contracts"]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_every_maas_module_has_a_layer() -> None:
    """A new top-level module or package of ``maas`` must be placed in the layers contract (or the contract checks nothing about it)."""
    layers = next(c for c in PYPROJECT["tool"]["importlinter"]["contracts"] if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}
    children = {f"maas.{p.stem}" for p in (ROOT / "maas").glob("*.py")} | {f"maas.{p.parent.name}" for p in (ROOT / "maas").glob("*/__init__.py")}
    unplaced = children - placed - {"maas.__init__", "maas.__main__"}
    assert not unplaced, f"not in the layers contract of pyproject.toml: {sorted(unplaced)}"
    assert not placed - children - {"api"}, f"layers name modules that do not exist: {sorted(placed - children - {'api'})}"


def test_ruff_check() -> None:
    _assert_clean(_run("ruff", "check", "--output-format", "concise", "."))


def test_ruff_format() -> None:
    _assert_clean(_run("ruff", "format", "--check", "."))


@pytest.mark.slow
def test_mypy() -> None:
    _assert_clean(_run("mypy", timeout=900))  # what and how strictly: [tool.mypy] in pyproject.toml
