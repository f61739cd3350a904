"""Vehicle chaining: the fewest vehicles equal a brute-force minimum path cover; deadheads and layovers count."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from maas.shuttle.fleet import can_follow, chain_runs
from maas.shuttle.model import Call, RoadModel, Run
from tests.shuttle.timetables import runs as text_runs

IDS = ("x", "y", "z")


def road(minutes: list[list[int]]) -> RoadModel:
    secs = np.array(minutes, dtype=np.int64) * 60
    return RoadModel(IDS, secs, secs / 60.0)  # 1 km a minute, to keep the km easy


def run(rid: str, a: str, t0: int, b: str, t1: int) -> Run:
    return Run(rid, (Call(a, t0 * 60, t0 * 60), Call(b, t1 * 60, t1 * 60)))


def _chain(runs, r, layover=0):
    return chain_runs(runs, r, min_layover_s=layover * 60, paid_layover_max_s=3600, cost_per_hour=1000, cost_per_km=10)


def test_deadhead_can_forbid_a_chain():
    """Two runs that never overlap still need two vehicles when the drive between them (x → y, 10 min) is too long."""
    r = road([[0, 10, 0], [10, 0, 0], [0, 0, 0]])
    runs = text_runs("""
        a   x 06:00 · x 06:10
        b   y 06:15 · x 06:30
    """)
    assert _chain(runs, r).vehicles_needed == 2
    runs = text_runs("""
        a   x 06:00 · x 06:10
        b   y 06:20 · x 06:30
    """)
    f = _chain(runs, r)
    assert f.vehicles_needed == 1 and f.duties[0].runs == ("a", "b")
    assert f.deadhead_km == pytest.approx(10.0)
    assert f.vehicle_hours == pytest.approx(30 / 60)  # 10 run + 10 deadhead + 0 idle + 10 run


def test_layover_counts():
    """Two minutes between the runs: enough for a 2-minute layover, not for 3."""
    r = road([[0, 0, 0], [0, 0, 0], [0, 0, 0]])
    runs = text_runs("""
        a   x 06:00 · x 06:10
        b   x 06:12 · x 06:20
    """)
    assert _chain(runs, r, layover=2).vehicles_needed == 1
    assert _chain(runs, r, layover=3).vehicles_needed == 2


def test_long_gaps_are_unpaid():
    """A gap longer than paid_layover_max (60 min) is off duty: 20 minutes paid of the 3.5 hours."""
    r = road([[0, 0, 0], [0, 0, 0], [0, 0, 0]])
    runs = text_runs("""
        a   x 06:00 · x 06:10
        b   x 09:20 · x 09:30
    """)
    f = chain_runs(runs, r, min_layover_s=0, paid_layover_max_s=3600, cost_per_hour=6000, cost_per_km=0)
    assert f.vehicles_needed == 1 and f.vehicle_hours == pytest.approx(20 / 60) and f.cost_yen == pytest.approx(2000)


def _brute_force(runs, r, layover=0) -> int:
    """Fewest paths covering the runs: try every injective choice of successors."""
    n = len(runs)
    best = n
    succ_options = [[None] + [j for j in range(n) if j != i and can_follow(runs[i], runs[j], r, layover * 60)] for i in range(n)]
    for choice in itertools.product(*succ_options):
        used = [c for c in choice if c is not None]
        if len(used) == len(set(used)):
            best = min(best, n - len(used))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_matches_brute_force(seed):
    rnd = random.Random(seed)
    m = [[0 if i == j else rnd.randint(3, 25) for j in range(3)] for i in range(3)]
    r = road(m)
    runs = []
    for k in range(rnd.randint(2, 5)):
        t0 = rnd.randint(0, 120)
        runs.append(run(f"r{k}", rnd.choice(IDS), t0, rnd.choice(IDS), t0 + rnd.randint(5, 40)))
    layover = rnd.randint(0, 5)
    f = _chain(runs, r, layover=layover)
    assert f.vehicles_needed == _brute_force(runs, r, layover)
    # every duty is drivable and every run is in exactly one duty
    by_id = {x.id: x for x in runs}
    assert sorted(rid for d in f.duties for rid in d.runs) == sorted(by_id)
    for d in f.duties:
        for a, b in zip(d.runs, d.runs[1:]):
            assert can_follow(by_id[a], by_id[b], r, layover * 60)
