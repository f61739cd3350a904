"""The Orienteering model: validation, and the independent checker catching each kind of violation."""

from __future__ import annotations

import numpy as np
import pytest

from maas.errors import InputError
from maas.tours.model import Orienteering, check, evaluate, travel_cost


def tiny(**over) -> Orienteering:
    """Depot 0, customers 1..3 on a line at 10, 20, 30 (travel = distance), 2 tours, day 0..100."""
    pos = np.array([0, 10, 20, 30])
    args = dict(
        score=np.array([0, 5, 6, 7]),
        service=np.array([0, 2, 2, 2]),
        open=np.array([0, 0, 30, 0]),
        close=np.array([100, 50, 60, 40]),
        travel=np.abs(pos[:, None] - pos[None, :]),
        starts=(0, 0),
        ends=(0, 0),
        tour_open=(0, 0),
        tour_close=(100, 100),
    )
    args.update(over)
    return Orienteering(**args)


def test_feasible_with_waiting_and_service():
    p = tiny()
    assert check(p, [[1, 2], [3]]) == []
    score, starts = evaluate(p, [[1, 2], [3]])
    # 1 at 10; leave 12, reach 2 at 22, wait to 30; 3 at 30
    assert score == 18 and starts == [[10, 30], [30]]
    assert travel_cost(p, [[1, 2], [3]]) == 40 + 60
    assert check(p, [[], []]) == []


@pytest.mark.parametrize(
    ("tours", "over", "needle"),
    [
        ([[1]], {}, "expected 2 tours"),
        ([[1], [1]], {}, "more than once"),
        ([[1, 1], []], {}, "more than once"),
        ([[0], []], {}, "depot"),
        ([[4], []], {}, "outside"),
        ([[-1], []], {}, "outside"),
        ([["a"], []], {}, "not a node"),
        ([[3, 1], []], {}, "node 1 is reached at"),  # 3 at 30, leave 32, 1 at 52 > 50
        ([[2, 3], []], {}, "node 3 is reached at"),  # 2 at 30, leave 32, 3 at 42 > 40
        ([[1, 2, 3], []], {"tour_close": (60, 100)}, "reaches its end node 0"),
        ([[3], []], {"tour_close": (65, 100)}, "reaches its end node 0"),  # back at 62 is fine; see below
        ([[], [1]], {"allowed": np.array([[True, True], [True, False], [True, True], [True, True]])}, "not allowed"),
        ([[], []], {"open": np.array([50, 0, 30, 0]), "close": np.array([40, 50, 60, 40])}, None),
    ],
)
def test_check_catches_each_violation(tours, over, needle):
    if needle is None:  # invalid model: open after close at the depot
        with pytest.raises(InputError, match="open"):
            tiny(**over)
        return
    p = tiny(**over)
    errors = check(p, tours)
    if tours == [[3], []]:
        assert errors == []  # 3 at 30, leave 32, back at 62 <= 65
        errors = check(tiny(tour_close=(61, 100)), tours)
    assert errors, f"expected a violation containing {needle!r}"
    assert any(needle in e for e in errors), errors


def test_tour_open_and_start_window():
    # the tour may not leave before 25: 1 at 35, 2 at 47 (open 30), 3 at 59 > 40
    p = tiny(tour_open=(25, 0))
    assert any("node 3" in e for e in check(p, [[1, 2, 3], []]))
    assert evaluate(p, [[1], []])[1] == [[35], []]
    # start node closing before the tour opens
    p = tiny(starts=(1, 0), tour_open=(60, 0), score=np.array([0, 0, 6, 7]))
    assert any("start node 1 closes" in e for e in check(p, [[], []]))
    assert any("depot" in e for e in check(p, [[1], []]))


def test_asymmetric_end_window():
    """A separate end node with its own opening: arriving early waits, arriving after close is late."""
    travel = np.array([[0, 5, 9], [5, 0, 4], [9, 4, 0]])
    p = Orienteering(
        score=np.array([0, 3, 0]),
        service=np.array([0, 1, 0]),
        open=np.array([0, 0, 20]),
        close=np.array([0, 10, 30]),
        travel=travel,
        starts=(0,),
        ends=(2,),
        tour_open=(0,),
        tour_close=(100,),
    )
    assert check(p, [[1]]) == []
    p2 = Orienteering(
        score=np.array([0, 3, 0]),
        service=np.array([0, 1, 0]),
        open=np.array([0, 0, 0]),
        close=np.array([0, 10, 9]),
        travel=travel,
        starts=(0,),
        ends=(2,),
        tour_open=(0,),
        tour_close=(100,),
    )
    assert check(p2, [[]]) == []
    assert any("end node 2" in e for e in check(p2, [[1]]))  # 5 + 1 + 4 = 10 > 9


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"service": np.array([0, 1, 2])}, "service"),
        ({"travel": np.zeros((3, 3))}, "travel"),
        ({"score": np.array([0, -1, 2, 3])}, "score"),
        ({"travel": -np.ones((4, 4))}, "travel"),
        ({"score": np.array([0, 1.5, 2, 3])}, "score"),
        ({"open": np.array([0, 0, 70, 0])}, "open"),
        ({"starts": (0, 9)}, "starts"),
        ({"ends": (0,)}, "ends"),
        ({"tour_open": (0, 200)}, "tour_open"),
        ({"required": frozenset({0})}, "required"),
        ({"required": frozenset({7})}, "required"),
        ({"allowed": np.ones((4, 3), bool)}, "allowed"),
        ({"starts": ()}, "starts"),
    ],
)
def test_validation_names_the_field(over, field):
    if field == "starts" and over.get("starts") == ():
        over = {"starts": (), "ends": (), "tour_open": (), "tour_close": ()}
    with pytest.raises(InputError, match=field) as info:
        tiny(**over)
    assert info.value.field == field


def test_arrays_are_frozen_int64():
    p = tiny(score=[0, 5, 6, 7], travel=np.abs(np.arange(4.0)[:, None] - np.arange(4.0)[None, :]) * 10)
    assert p.score.dtype == np.int64 and p.travel.dtype == np.int64
    with pytest.raises(ValueError):
        p.score[1] = 3
    assert p.customers() == [1, 2, 3] and p.depots == frozenset({0})
