"""The OPTW/TOPTW instance reader: token stream, vertex ids, distance convention, bks.csv."""

from __future__ import annotations

import numpy as np
import pytest

from maas.errors import InputError
from maas.tours.model import check, evaluate
from maas.tours.optw import find_bks, instance_path, read_bks, read_instance
from tests.conftest import shared_path

pytestmark = pytest.mark.shared_data

# Righini & Salani's DSSR logs (../shared/data/optw/righini_salani_exact_runs): the optimal
# OPTW route (m = 1) and its printed start-of-service times.
RS_C101 = ([57, 63, 62, 74, 93, 97, 12, 2, 21, 75], [35.00, 171.00, 266.00, 359.00, 500.40, 595.40, 720.40, 835.40, 948.80, 1058.60], 320)
RS_R101 = ([59, 5, 83, 16, 85, 26, 13, 89, 58], [18.00, 36.40, 53.40, 80.80, 97.10, 137.10, 162.90, 183.60, 207.00], 198)


def test_c101_header_and_records():
    inst = read_instance(shared_path("optw", "instances", "solomon_100", "c101.txt"))
    assert inst.name == "c101" and inst.v == 10 and inst.n_customers == 100 and inst.scale == 10
    assert inst.budget == 1236
    v1 = inst.vertices[1]
    assert (v1.i, v1.x, v1.y, v1.duration, v1.score, v1.open, v1.close) == (1, 45, 68, 90, 10, 912, 967)
    assert inst.total_score == 1810
    p = inst.problem(3)
    assert p.n_tours == 3 and p.starts == (0, 0, 0) and p.ends == (0, 0, 0)
    assert p.tour_open == (0, 0, 0) and p.tour_close == (12360, 12360, 12360)
    assert p.score[0] == 0 and p.score[1] == 10 and p.service[1] == 900 and (p.open[1], p.close[1]) == (9120, 9670)


def test_pr01_crlf_and_visit_combination_lists():
    """Cordeau files: CRLF line ends, a list of a visit combinations to skip, distances floored to 0.01."""
    path = shared_path("optw", "instances", "cordeau", "pr01.txt")
    assert b"\r\n" in path.read_bytes()
    inst = read_instance(path)
    assert inst.v == 3 and inst.n_customers == 48 and inst.scale == 100 and inst.budget == 1000
    v1 = inst.vertices[1]
    assert (v1.x, v1.y, v1.duration, v1.score, v1.open, v1.close) == (-29.730, 64.136, 2, 12, 354, 509)
    assert inst.vertices[-1].i == 48
    d = np.hypot(inst.vertices[0].x - v1.x, inst.vertices[0].y - v1.y)
    assert inst.problem(1).travel[0, 1] == int(np.floor(d * 100))


def test_pr11_longer_lists():
    inst = read_instance(shared_path("optw", "instances", "cordeau", "pr11.txt"))
    v1 = inst.vertices[1]
    # "1 -29.730 64.136 2 12 1 4 1 2 4 8 276 548": f = 1, a = 4, list 1 2 4 8
    assert (v1.duration, v1.score, v1.open, v1.close) == (2, 12, 276, 548)


def test_c204_odd_line_break():
    """c204.txt breaks its header as '2' / '4 100 1 0 700': read as tokens, it is like the others."""
    path = shared_path("optw", "instances", "solomon_c2r2rc2_100", "c204.txt")
    assert path.read_text().splitlines()[0].split() == ["2"]
    inst = read_instance(path)
    assert inst.v == 4 and inst.n_customers == 100 and inst.budget == 3390
    assert [v.i for v in inst.vertices] == list(range(101))
    assert (inst.vertices[1].open, inst.vertices[1].close) == (0, 3272)


@pytest.mark.parametrize(("name", "expected"), [("c101", RS_C101), ("r101", RS_R101)])
def test_distance_convention_reproduces_righini_salani_optimum(name, expected):
    """Floor to 0.1: the published optimal route is feasible, scores the optimum, with the printed times."""
    route, times, score = expected
    inst = read_instance(shared_path("optw", "instances", "solomon_100", f"{name}.txt"))
    p = inst.problem(1)
    assert check(p, [route]) == []
    got_score, starts = evaluate(p, [route])
    assert got_score == score
    assert starts[0] == [round(t * 10) for t in times]


def test_every_bks_row_has_its_file_and_reads():
    data = shared_path("optw")
    rows = read_bks(data / "bks.csv")
    assert len(rows) == 188
    seen = {}
    for r in rows:
        path = instance_path(data, r)
        if path not in seen:
            seen[path] = read_instance(path)
        inst = seen[path]
        assert inst.n_customers == r.n_customers and inst.total_score == r.total_score and inst.v == r.v_header
        assert 0 < r.score <= r.total_score
    row = find_bks(data / "instances" / "cordeau" / "pr01.txt", 1)
    assert row is not None and row.score == 308 and row.status == "optimal"
    assert find_bks(data / "instances" / "solomon_50" / "50_c101.txt", 1) is None


def test_bad_files_raise_input_error(tmp_path):
    cases = {
        "empty.txt": "",
        "short.txt": "4 10 100 1\n0 200\n 0 40 50 0 0 0 0 0 1236\n",
        "text.txt": "4 10 x 1\n",
        "numbering.txt": "1 1 1 1\n0 0\n0 0 0 0 0 0 0 0 100\n2 1 1 1 1 1 1 1 0 50\n",
        "window.txt": "1 1 1 1\n0 0\n0 0 0 0 0 0 0 0 100\n1 1 1 1 1 1 1 1 60 50\n",
        "trailing.txt": "1 1 1 1\n0 0\n0 0 0 0 0 0 0 0 100\n1 1 1 1 1 1 1 1 0 50\n7\n",
    }
    for name, text in cases.items():
        f = tmp_path / name
        f.write_text(text)
        with pytest.raises(InputError, match=name):
            read_instance(f)
    with pytest.raises(InputError, match="no such file"):
        read_instance(tmp_path / "missing.txt")
    ok = tmp_path / "ok.txt"
    ok.write_text("1 1 1 1\n0 0\n0 0 0 0 0 0 0 0 100\n1 3 4 1 7 1 1 1 0 50\n")
    inst = read_instance(ok)
    assert inst.problem(1).travel[0, 1] == 50 and inst.total_score == 7
