"""``maas tour solve-optw`` on real benchmark instances, checked independently of the solver."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.tours.model import check
from maas.tours.optw import find_bks, read_instance
from tests.conftest import shared_path

runner = CliRunner()


@pytest.mark.shared_data
@pytest.mark.slow
@pytest.mark.parametrize(
    ("set_", "name", "m", "fraction"), [("solomon_100", "c101", 1, 0.95), ("cordeau", "pr01", 2, 0.9), ("solomon_c2r2rc2_100", "c204", 4, 0.95)]
)
def test_solve_optw_json_is_feasible_and_close_to_bks(set_, name, m, fraction):
    path = shared_path("optw", "instances", set_, f"{name}.txt")
    r = runner.invoke(app, ["tour", "solve-optw", str(path), "--tours", str(m), "--time-limit", "2", "--seed", "1", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert {"score", "tours"} <= set(doc)
    assert len(doc["tours"]) == m
    # independent check: re-read the file, rebuild the problem, check and re-score
    inst = read_instance(path)
    problem = inst.problem(m)
    assert check(problem, doc["tours"]) == []
    assert doc["score"] == sum(inst.vertices[j].score for t in doc["tours"] for j in t)
    assert all(0 not in t for t in doc["tours"])
    bks = find_bks(path, m)
    assert bks is not None and doc["bks"] == bks.score
    assert doc["score"] >= fraction * bks.score
    assert doc["feasible"] is True and doc["gap_percent"] == pytest.approx(100 * (bks.score - doc["score"]) / bks.score, abs=0.01)


@pytest.mark.shared_data
def test_solve_optw_text():
    path = shared_path("optw", "instances", "solomon_100", "r101.txt")
    r = runner.invoke(app, ["tour", "solve-optw", str(path), "--time-limit", "0.5"])
    assert r.exit_code == 0, r.output
    assert "r101" in r.output and "score" in r.output and "tour 1:" in r.output and "best known 198" in r.output


def test_solve_optw_outside_the_data_folder(tmp_path):
    f = tmp_path / "tiny.txt"
    f.write_text("1 1 2 1\n0 0\n0 0 0 0 0 0 0 0 100\n1 10 0 1 5 1 1 1 0 100\n2 0 30 1 7 1 1 1 0 100\n")
    r = runner.invoke(app, ["tour", "solve-optw", str(f), "--time-limit", "0.2", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    # 0 -> 1 -> 2 -> 0 is 10 + 1 + 31.6 + 1 + 30 = 73.6 <= 100: both fit
    assert doc["score"] == 12 and sorted(doc["tours"][0]) == [1, 2] and "bks" not in doc


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["/no/such/file.txt"], "no such file"),
        (["{bad}"], "file ends early"),
        (["{dir}"], "is a directory"),
        (["{ok}", "--tours", "0"], "--tours"),
        (["{ok}", "--time-limit", "0"], "--time-limit"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, args, needle):
    bad = tmp_path / "bad.txt"
    bad.write_text("4 10 100\n")
    ok = tmp_path / "ok.txt"
    ok.write_text("1 1 1 1\n0 0\n0 0 0 0 0 0 0 0 100\n1 10 0 1 5 1 1 1 0 100\n")
    args = [a.format(bad=bad, dir=tmp_path, ok=ok) for a in args]
    r = runner.invoke(app, ["tour", "solve-optw", *args])
    assert r.exit_code == 2
    assert needle in r.output
    assert "Traceback" not in r.output
