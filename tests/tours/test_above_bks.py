"""Solutions that beat a best-known OPTW/TOPTW score (kept by bench/optw.py in bench/results/above-bks/) pass the checker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maas.tours.model import check
from maas.tours.optw import find_bks, read_instance
from tests.conftest import shared_path

KEPT = sorted((Path(__file__).resolve().parents[2] / "bench" / "results" / "above-bks").glob("*.json"))


@pytest.mark.shared_data
def test_every_kept_solution_beats_its_best_known_score_and_is_feasible():
    if not KEPT:
        pytest.skip("no benchmark run has beaten a best-known score yet (bench/results/above-bks/ is empty)")
    for kept in KEPT:
        doc = json.loads(kept.read_text(encoding="utf-8"))
        path = shared_path("optw", "instances", doc["set"], f"{doc['instance']}.txt")
        inst = read_instance(path)
        problem = inst.problem(doc["m"])
        assert check(problem, doc["tours"]) == [], kept.name  # on time, within the budget, each vertex at most once
        score = sum(inst.vertices[j].score for t in doc["tours"] for j in t)
        assert score == doc["score"] > find_bks(path, doc["m"]).score, kept.name


def test_the_benchmark_keeps_what_beats_a_best_known_score(tmp_path, monkeypatch):
    """bench/optw.py writes such a run, with how it was found, where the test above reads."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("optw_bench", Path(__file__).resolve().parents[2] / "bench" / "optw.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setattr(bench, "ABOVE_BKS", tmp_path)
    run = {"instance": "pr07", "set": "cordeau", "m": 4, "bks": 876, "score": 880, "tours": [[1, 2], [3], [], [4]], "time_s": 10.0, "status": "LNS"}
    out = bench.keep_above_bks(run, 2, {"qcap": 20})
    doc = json.loads(out.read_text())
    assert out.name == "pr07-m4-880.json" and doc["tours"] == run["tours"] and doc["seed"] == 2 and doc["options"] == {"qcap": 20}
