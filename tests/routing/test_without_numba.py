"""Without numba the RAPTOR kernel runs as plain Python and gives the same journeys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from maas.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
PLACES = ["Shin-Yamaguchi", "Ajisu", "Yamaguchi", "Ube-Shinkawa", "Higashi-Hagi", "Akiyoshido", "st_yudaonsen", "Motoyura", "Hofu", "Yamaguchi Techno Park"]


def batch_file(folder: Path) -> Path:
    rows = ["from,to,date,depart"]
    for k, origin in enumerate(PLACES):
        for j in (3, 5):
            destination = PLACES[(k + j) % len(PLACES)]
            rows.append(f"{origin},{destination},2026-12-01,{6 + (k * 7 + j) % 14:02d}:{(k * 13) % 60:02d}")
    path = folder / "queries.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def journeys(doc_lines: str) -> list[list[tuple]]:
    out = []
    for line in doc_lines.strip().splitlines():
        doc = json.loads(line)
        out.append([(j["departure"], j["arrival"], j["transfers"], [leg.get("trip_id") for leg in j["legs"]]) for j in doc["journeys"]])
    return out


def test_same_journeys_without_numba(tmp_path, cache_dir, monkeypatch):
    """The batch of queries answered with numba and, in a child process, without it: the same journeys."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))
    queries = batch_file(tmp_path)
    with_numba = CliRunner().invoke(app, ["plan", "--batch", str(queries), "--json"])
    assert with_numba.exit_code == 0, with_numba.output
    script = "import sys; sys.modules['numba'] = None; from maas.cli.main import app; app()"
    run = subprocess.run(
        [sys.executable, "-c", script, "plan", "--batch", str(queries), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={**os.environ, "MAAS_CACHE_DIR": str(cache_dir)},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    a, b = journeys(with_numba.stdout), journeys(run.stdout)
    assert len(a) == len(b) == 20
    assert sum(1 for x in a if x) >= 10, "most queries should have journeys"
    assert a == b
