"""The timed search on synthetic arrival functions: on time by an independent check, and the same without numba."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from maas.tours.profiles import INF, Profiles, arrival
from maas.tours.timed_search import SearchSettings, TimedProblem, search


def random_timed_problem(seed: int, n_cand: int = 14, days: int = 2) -> tuple[TimedProblem, Profiles]:
    """Depots 0..2*days-1, then candidates; sparse step-function arrivals (a few 'buses' per pair) and some walks."""
    rng = np.random.default_rng(seed)
    n = 2 * days + n_cand
    off = [0]
    dep, arr = [], []
    walk = np.full((days, n, n), -1, np.int64)
    for k in range(days):
        for i in range(n):
            for j in range(n):
                pts = []
                if i != j:
                    t = 8 * 3600 + int(rng.integers(0, 3600))
                    ride = int(rng.integers(600, 3600))
                    while t < 19 * 3600:
                        pts.append((t, t + ride))
                        t += int(rng.integers(1800, 3 * 3600))
                    if rng.random() < 0.3:
                        walk[k, i, j] = int(rng.integers(300, 2400))
                else:
                    walk[k, i, j] = 0
                dep += [p[0] for p in pts]
                arr += [p[1] for p in pts]
                off.append(len(dep))
    prof = Profiles(n, np.array(off, np.int64), np.array(dep, np.int64), np.array(arr, np.int64), walk)
    opens = np.zeros((days, n), np.int64)
    closes = np.full((days, n), -1, np.int64)
    opens[:, 2 * days :] = 9 * 3600
    closes[:, 2 * days :] = 16 * 3600
    closes[0, 2 * days] = -1  # closed on the first day
    pb = TimedProblem(
        value=np.r_[np.zeros(2 * days, np.int64), rng.integers(10, 100, n_cand)],
        service=np.r_[np.zeros(2 * days, np.int64), rng.integers(20, 90, n_cand) * 60],
        open_=opens,
        close=closes,
        t0=np.full(days, 9 * 3600, np.int64),
        t1=np.full(days, 18 * 3600, np.int64),
        starts=np.arange(0, 2 * days, 2, dtype=np.int64),
        ends=np.arange(1, 2 * days, 2, dtype=np.int64),
        cand=np.arange(2 * days, n, dtype=np.int64),
        xy=rng.random((n, 2)) * 10_000,
    )
    return pb, prof


def on_time(pb: TimedProblem, prof: Profiles, tours: list[list[int]]) -> bool:
    """Time each day independently, leaving the start at t0, waiting for openings."""
    for k, tour in enumerate(tours):
        t, a = int(pb.t0[k]), int(pb.starts[k])
        for j in tour:
            t = int(arrival(prof, k, a, j, t + int(pb.service[a])))
            if t >= INF or t > pb.close[k, j]:
                return False
            t, a = max(t, int(pb.open_[k, j])), j
        if int(arrival(prof, k, a, int(pb.ends[k]), t + int(pb.service[a]))) > pb.t1[k]:
            return False
    return True


def test_tours_are_on_time_and_scored_right():
    for seed in range(4):
        pb, prof = random_timed_problem(seed)
        r = search(pb, prof, SearchSettings(time_limit_s=60, patience=60, restart_after=20, seed=seed))
        assert r.stopped == "patience" and r.since_best >= 60
        assert on_time(pb, prof, r.tours)
        visited = [j for t in r.tours for j in t]
        assert len(visited) == len(set(visited)) and pb.cand[0] not in r.tours[0]
        assert r.score == int(pb.value[visited].sum()) > 0


def test_same_tours_without_numba():
    script = (
        "import sys, json\n"
        "if sys.argv[1] == 'off':\n"
        "    sys.modules['numba'] = None\n"
        "from tests.tours.test_timed_search import random_timed_problem\n"
        "from maas.tours.timed_search import SearchSettings, search\n"
        "pb, prof = random_timed_problem(5, n_cand=10)\n"
        "r = search(pb, prof, SearchSettings(time_limit_s=600, patience=40, restart_after=15, seed=3))\n"
        "print(json.dumps([r.score, r.tours, r.steps]))\n"
    )
    answers = []
    root = Path(__file__).resolve().parents[2]
    for mode in ("on", "off"):
        run = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True, timeout=600, cwd=root)
        assert run.returncode == 0, run.stderr[-2000:]
        answers.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert answers[0] == answers[1]
    assert answers[0][0] > 0


def walk_only_problem(values: list[int], walk_s: int, service_s: int, day: tuple[int, int]) -> tuple[TimedProblem, Profiles]:
    """One day, start 0 and end 1, candidates 2.. all ``walk_s`` apart on foot (no buses), open all day."""
    n = 2 + len(values)
    walk = np.full((1, n, n), walk_s, np.int64)
    walk[0, np.arange(n), np.arange(n)] = 0
    prof = Profiles(n, np.zeros(n * n + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), walk)
    pb = TimedProblem(
        value=np.array([0, 0, *values], np.int64),
        service=np.array([0, 0, *[service_s] * len(values)], np.int64),
        open_=np.zeros((1, n), np.int64),
        close=np.full((1, n), 24 * 3600, np.int64),
        t0=np.array([day[0]], np.int64),
        t1=np.array([day[1]], np.int64),
        starts=np.array([0], np.int64),
        ends=np.array([1], np.int64),
        cand=np.arange(2, n, dtype=np.int64),
        xy=np.array([[0.0, 0.0], [0.0, 0.0], *[[i * 10_000.0, 0.0] for i in range(len(values))]]),
    )
    return pb, prof


def test_swap_in_replaces_a_visit_by_a_better_one_that_fits_only_alone():
    from maas.tours.timed_search import _evaluate, _insert, _solution, _swap_in, _time_route

    # Room for one visit of an hour (two 10-minute walks): 30 is visited, 50 and 20 are not.
    pb, prof = walk_only_problem([30, 50, 20], 600, 3600, (9 * 3600, 10 * 3600 + 20 * 60))
    sol, saved = _solution(pb, prof.n), _solution(pb, prof.n)
    _time_route(pb, prof, sol, 0)
    _insert(pb, prof, sol, 0, 2, 0)
    _evaluate(pb, sol)
    assert sol.key[0] == 30
    assert _swap_in(pb, prof, sol, saved) == 1
    assert sol.key[0] == 50 and list(sol.routes[0, : sol.rlen[0]]) == [0, 3, 1]
    assert on_time(pb, prof, [[3]])


def test_anchors_are_high_scores_far_apart():
    from maas.tours.timed_search import anchors

    pb, _ = walk_only_problem([10, 90, 80, 70], 600, 600, (9 * 3600, 18 * 3600))
    pb = pb._replace(xy=np.array([[0, 0], [0, 0], [0, 0], [0, 0], [1000, 0], [9000, 0]], float))
    assert anchors(pb, 3, 5000) == [3, 5]  # 80 is 1 km from 90: not a second anchor
    assert anchors(pb, 1, 5000) == [3] and anchors(pb, 0, 5000) == []


def test_anchored_starts_are_reported_and_on_time():
    from maas.tours.timed_search import anchors

    for seed in range(3):
        pb, prof = random_timed_problem(seed)
        r = search(pb, prof, SearchSettings(time_limit_s=60, patience=40, anchors=3, anchor_patience=10, anchor_gap_m=1000, seed=seed))
        assert r.starts == 1 + len(anchors(pb, 3 * len(pb.starts), 1000)) > 1 + 3  # three anchors per day, days > 1
        assert r.stopped == "patience"
        assert on_time(pb, prof, r.tours)
        plain = search(pb, prof, SearchSettings(time_limit_s=60, patience=40, anchors=0, seed=seed))
        assert plain.starts == 1 and on_time(pb, prof, plain.tours)


def test_the_time_limit_counts_the_search_not_the_compiler(tmp_path):
    """With numba's cache empty, a search of a fraction of a second still searches (the kernels compile first)."""
    script = (
        "import json\n"
        "from tests.tours.test_timed_search import random_timed_problem\n"
        "from maas.tours.timed_search import SearchSettings, search\n"
        "pb, prof = random_timed_problem(2)\n"
        "r = search(pb, prof, SearchSettings(time_limit_s=0.3, seed=1))\n"
        "print(json.dumps([r.steps, r.time_s]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=root, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    steps, seconds = json.loads(run.stdout.strip().splitlines()[-1])
    assert steps > 0 and seconds < 5


def test_replan_day_finds_the_best_subset_and_order_exactly():
    from maas.tours.timed_search import _evaluate, _insert, _replan_day, _solution, _time_route

    # A (10) can only start 09:10-09:30 and B (20) only 10:00-11:00: both fit, A first.
    pb, prof = walk_only_problem([10, 20, 5], 600, 1800, (9 * 3600, 12 * 3600))
    pb.open_[0, 2:] = [9 * 3600 + 600, 10 * 3600, 9 * 3600]
    pb.close[0, 2:] = [9 * 3600 + 1800, 11 * 3600, 9 * 3600]  # the third (5) must start at 09:00 sharp: unreachable
    sol = _solution(pb, prof.n)
    _time_route(pb, prof, sol, 0)
    _insert(pb, prof, sol, 0, 3, 0)
    n = 3
    nodes = np.array([3, 2, 4], np.int64)
    tbl, par = np.zeros((1 << n, n), np.int64), np.zeros((1 << n, n), np.int64)
    assert _replan_day(pb, prof, sol, 0, nodes, n, tbl, par)
    _evaluate(pb, sol)
    assert list(sol.routes[0, : sol.rlen[0]]) == [0, 2, 3, 1] and sol.key[0] == 30
    assert on_time(pb, prof, [[2, 3]])
    assert not _replan_day(pb, prof, sol, 0, nodes, n, tbl, par)  # nothing better: unchanged


def test_a_days_replanning_takes_the_best_places_near_it_and_the_next_ones_after():
    from maas.tours.timed_search import REPLAN_NEAR_M, _insert, _Search, _solution, _time_route

    pb, prof = walk_only_problem([10, 50, 40, 30, 90], 600, 1800, (9 * 3600, 18 * 3600))
    far = REPLAN_NEAR_M + 1000
    pb = pb._replace(xy=np.array([[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [far, 0]], float))  # 90 is far
    run = _Search(pb, prof, SearchSettings())
    sol = _solution(pb, prof.n)
    _time_route(pb, prof, sol, 0)
    _insert(pb, prof, sol, 0, 2, 0)
    n = run.day_nodes(sol, 0, set())
    assert list(run.nodes[:n]) == [2, 3, 4, 5]  # the visit, then 50, 40, 30 (90 is too far)
    n = run.day_nodes(sol, 0, {3, 4})
    assert list(run.nodes[:n]) == [2, 5]


def test_the_answers_last_replanning_takes_a_thirteenth_place_next_door():
    """A full day of 12 visits: the usual re-planning adds nothing; the last one adds the nearest place within 500 m."""
    from maas.tours.timed_search import FINAL_NEAR_M, FINAL_NODES, REPLAN_NODES, _insert, _replan_day, _Search, _solution, _time_route

    pb, prof = walk_only_problem([10] * 12 + [90, 20, 60], 60, 60, (9 * 3600, 18 * 3600))
    xy = np.zeros((prof.n, 2))
    xy[2 + 12] = [FINAL_NEAR_M + 100, 0]  # 90, 600 m away: too far for the last re-planning
    xy[2 + 13] = [50, 0]  # 20, next door
    xy[2 + 14] = [300, 0]  # 60, within 500 m but farther than 20
    pb = pb._replace(xy=xy)
    run = _Search(pb, prof, SearchSettings())
    sol = _solution(pb, prof.n)
    _time_route(pb, prof, sol, 0)
    for j in range(2, 14):
        _insert(pb, prof, sol, 0, j, sol.rlen[0] - 2)
    assert REPLAN_NODES == 12 and run.day_nodes(sol, 0, set()) == 12  # no room for an extra place
    n = run.day_nodes(sol, 0, set(), FINAL_NODES, FINAL_NEAR_M, nearest=True)
    assert n == 13 and run.nodes[12] == 15  # the nearest, not the best-scoring
    assert _replan_day(pb, prof, sol, 0, run.nodes, n, run.dp_tbl, run.dp_par)  # the search's tables hold 2**13 subsets
    assert sol.where[15] == 0 and sol.rlen[0] - 2 == 13 and on_time(pb, prof, [list(sol.routes[0, 1 : sol.rlen[0] - 1])])


def test_taking_places_from_other_days_never_loses_and_stays_on_time():
    """On random two-day problems (all places next door), the exchange between days keeps a greedy tour on time,
    never scores less, and sometimes more."""
    from maas.tours.timed_search import _better, _evaluate, _Search

    gained = 0
    for seed in range(20):
        pb, prof = random_timed_problem(seed, n_cand=12)
        pb = pb._replace(xy=np.zeros_like(pb.xy))  # every place within reach of every day
        run = _Search(pb, prof, SearchSettings(seed=seed))
        run.start(-1)  # the greedy fill, not yet searched
        sol = run.cur
        _evaluate(pb, sol)
        before = int(sol.key[0])
        for k in range(2):
            key = sol.key.copy()
            changed = run.take_from_other_days(sol, k)
            _evaluate(pb, sol)
            assert changed == _better(sol.key, key)  # says whether it kept a change (the polish then re-plans the days)

        assert on_time(pb, prof, [[int(x) for x in sol.routes[k, 1 : sol.rlen[k] - 1]] for k in range(2)])
        assert sol.key[0] >= before
        gained += sol.key[0] > before
    assert gained >= 1


def test_a_highlight_takes_the_place_of_a_stretch_of_small_visits():
    """A day full of seven small sights (10 each); a highlight (100) needs four hours: it replaces six of them."""
    from maas.tours.timed_search import _evaluate, _insert, _Search, _solution, _time_route

    pb, prof = walk_only_problem([10] * 8 + [100], 600, 1800, (9 * 3600, 14 * 3600))
    highlight = prof.n - 1
    pb.service[highlight] = 4 * 3600
    run = _Search(pb, prof, SearchSettings())
    sol = _solution(pb, prof.n)
    _time_route(pb, prof, sol, 0)
    for j in range(2, 9):
        _insert(pb, prof, sol, 0, j, sol.rlen[0] - 2)
    _evaluate(pb, sol)
    assert sol.key[0] == 70 and on_time(pb, prof, [list(sol.routes[0, 1 : sol.rlen[0] - 1])])
    assert run.clear_for_highlight(sol)
    tour = [int(x) for x in sol.routes[0, 1 : sol.rlen[0] - 1]]
    assert highlight in tour and sol.key[0] == 110 and on_time(pb, prof, [tour])
    assert not run.clear_for_highlight(sol)  # nothing left worth twice a visit
