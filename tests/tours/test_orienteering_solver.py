"""The solver against brute force on small problems, and its guarantees (feasible, deterministic)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from maas.tours.model import Orienteering, check, evaluate
from maas.tours.solver import solve


def brute_force(p: Orienteering) -> tuple[int, int]:
    """(required visited, score) of the best solution, by enumerating every order of every subset per tour."""
    cust = p.customers()
    m = p.n_tours
    # feasible[k]: subsets (bitmask over cust) that tour k can visit in some order
    feasible = []
    for k in range(m):
        ok = set()
        for r in range(len(cust) + 1):
            for combo in itertools.combinations(range(len(cust)), r):
                mask = sum(1 << i for i in combo)
                for perm in itertools.permutations(combo):
                    tours = [[] for _ in range(m)]
                    tours[k] = [cust[i] for i in perm]
                    if not check(p, tours):
                        ok.add(mask)
                        break
        feasible.append(ok)
    req_bits = sum(1 << i for i, c in enumerate(cust) if c in p.required)

    def value(mask: int) -> tuple[int, int]:
        return (bin(mask & req_bits).count("1"), sum(int(p.score[cust[i]]) for i in range(len(cust)) if mask >> i & 1))

    best = (0, 0)

    def rec(k: int, used: int) -> None:
        nonlocal best
        if k == m:
            best = max(best, value(used))
            return
        for mask in feasible[k]:
            if mask & used == 0:
                rec(k + 1, used | mask)

    rec(0, 0)
    return best


def random_problem(rng: np.random.Generator, n_cust: int, m: int, *, asymmetric=False, required=0, allowed=False, tight=0.5) -> Orienteering:
    n = n_cust + 1
    xy = rng.uniform(0, 100, size=(n, 2))
    travel = np.floor(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))).astype(np.int64)
    if asymmetric:
        travel = travel + rng.integers(0, 30, size=(n, n))
        np.fill_diagonal(travel, 0)
    horizon = 400
    open_ = rng.integers(0, horizon // 2, size=n)
    close = open_ + rng.integers(20, horizon // 2, size=n)
    open_[0], close[0] = 0, horizon
    score = rng.integers(1, 20, size=n)
    score[0] = 0
    service = rng.integers(0, 30, size=n)
    service[0] = 0
    budget = int(horizon * tight)
    allow = None
    if allowed:
        allow = rng.random((n, m)) < 0.6
        allow[0, :] = True
    req = frozenset(int(x) for x in rng.choice(np.arange(1, n), size=required, replace=False)) if required else frozenset()
    return Orienteering(
        score=score,
        service=service,
        open=open_,
        close=close,
        travel=travel,
        starts=(0,) * m,
        ends=(0,) * m,
        tour_open=(0,) * m,
        tour_close=(budget,) * m,
        required=req,
        allowed=allow,
    )


CASES = [
    # (seed, customers, tours, options)
    (1, 7, 1, {}),
    (2, 7, 1, {"asymmetric": True}),
    (3, 6, 2, {}),
    (4, 6, 2, {"asymmetric": True, "tight": 0.3}),
    (5, 6, 2, {"allowed": True}),
    (6, 6, 3, {"tight": 0.25}),
    (7, 7, 1, {"required": 2}),
    (8, 6, 2, {"required": 2, "allowed": True, "tight": 0.3}),
    (9, 7, 1, {"tight": 1.0}),
    (10, 6, 3, {"asymmetric": True, "allowed": True}),
]


@pytest.mark.parametrize(("seed", "n_cust", "m", "opts"), CASES)
def test_solver_finds_the_brute_force_optimum(seed, n_cust, m, opts):
    p = random_problem(np.random.default_rng(seed), n_cust, m, **opts)
    want_req, want_score = brute_force(p)
    sol = solve(p, time_limit_s=30, seed=seed, iterations=2000)
    assert sol.feasible and check(p, sol.tours) == []
    assert evaluate(p, sol.tours)[0] == sol.score
    assert len(sol.tours) == m and len(sol.starts) == m
    got_req = sum(1 for t in sol.tours for j in t if j in p.required)
    assert (got_req, sol.score) == (want_req, want_score)
    assert sorted(sol.missing_required) == sorted(set(p.required) - {j for t in sol.tours for j in t})


def test_required_nodes_win_over_score():
    """A required low-score node that excludes two high-score ones is still visited."""
    # depot 0; node 1 far left (score 1), nodes 2 and 3 far right (score 50 each); time for one side only
    travel = np.array([[0, 40, 40, 41], [40, 0, 80, 81], [40, 80, 0, 1], [41, 81, 1, 0]])
    base = dict(
        score=np.array([0, 1, 50, 50]),
        service=np.zeros(4, np.int64),
        open=np.zeros(4, np.int64),
        close=np.full(4, 100),
        travel=travel,
        starts=(0,),
        ends=(0,),
        tour_open=(0,),
        tour_close=(90,),
    )
    free = solve(Orienteering(**base), 30, iterations=200)
    assert free.score == 100 and sorted(free.tours[0]) == [2, 3]
    forced = solve(Orienteering(**base, required=frozenset({1})), 30, iterations=200)
    assert forced.tours == [[1]] and forced.score == 1 and forced.missing_required == []


def test_impossible_required_node_is_reported():
    travel = np.array([[0, 60], [60, 0]])
    p = Orienteering(
        score=np.array([0, 5]),
        service=np.zeros(2, np.int64),
        open=np.zeros(2, np.int64),
        close=np.full(2, 200),
        travel=travel,
        starts=(0,),
        ends=(0,),
        tour_open=(0,),
        tour_close=(100,),
        required=frozenset({1}),
    )
    sol = solve(p, 0.1)
    assert sol.tours == [[]] and sol.feasible and sol.missing_required == [1]


def test_separate_start_and_end_nodes_and_day_windows():
    """Two days, each from its own start to its own end node; a node allowed on day 2 only."""
    rng = np.random.default_rng(3)
    n = 9  # 0,1: day 1 start/end; 2,3: day 2 start/end; 4..8 customers
    xy = rng.uniform(0, 50, size=(n, 2))
    travel = np.ceil(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))).astype(np.int64)
    allowed = np.ones((n, 2), bool)
    allowed[4, 0] = False
    p = Orienteering(
        score=np.array([0, 0, 0, 0, 9, 8, 7, 6, 5]),
        service=np.full(n, 10),
        open=np.zeros(n, np.int64),
        close=np.array([100, 100, 300, 300, 300, 90, 300, 300, 300]),
        travel=travel,
        starts=(0, 2),
        ends=(1, 3),
        tour_open=(0, 150),
        tour_close=(100, 300),
        allowed=allowed,
    )
    sol = solve(p, 30, iterations=2000)
    assert check(p, sol.tours) == []
    assert 4 not in sol.tours[0]
    assert (0, sol.score) == (0, brute_force(p)[1])


def test_no_triangle_inequality_keeps_solutions_feasible():
    """Travel that breaks the triangle inequality (removing a visit can make a tour later)."""
    rng = np.random.default_rng(11)
    n = 12
    travel = rng.integers(1, 60, size=(n, n))
    travel[rng.random((n, n)) < 0.3] = 500
    np.fill_diagonal(travel, 0)
    p = Orienteering(
        score=rng.integers(1, 10, size=n) * (np.arange(n) > 0),
        service=np.full(n, 5),
        open=rng.integers(0, 100, size=n) * (np.arange(n) > 0),
        close=np.full(n, 400),
        travel=travel,
        starts=(0, 0),
        ends=(0, 0),
        tour_open=(0, 0),
        tour_close=(300, 300),
    )
    sol = solve(p, 30, seed=2, iterations=2000)
    assert sol.feasible and check(p, sol.tours) == []
    assert sol.score > 0


def test_deterministic_for_a_seed_and_iteration_count():
    p = random_problem(np.random.default_rng(21), 30, 2)
    a = solve(p, 60, seed=5, iterations=300)
    b = solve(p, 60, seed=5, iterations=300)
    assert a.tours == b.tours and a.score == b.score


def test_initial_solution_is_used_and_repaired():
    p = random_problem(np.random.default_rng(1), 7, 1)
    best = solve(p, 30, iterations=2000)
    # start from the optimum: nothing is lost even with no search time
    again = solve(p, 0.0, initial=best.tours)
    assert again.score >= best.score and check(p, again.tours) == []
    # an infeasible start (a node twice, a depot, a late order) is repaired, never returned as is
    bad = [[*best.tours[0], *best.tours[0], 0]]
    fixed = solve(p, 0.0, initial=bad)
    assert check(p, fixed.tours) == [] and fixed.feasible


def test_tour_that_cannot_reach_its_end_is_left_empty():
    travel = np.array([[0, 5, 50], [5, 0, 50], [50, 50, 0]])
    p = Orienteering(
        score=np.array([0, 4, 0]),
        service=np.zeros(3, np.int64),
        open=np.zeros(3, np.int64),
        close=np.full(3, 100),
        travel=travel,
        starts=(0, 0),
        ends=(2, 0),
        tour_open=(0, 0),
        tour_close=(20, 20),
    )
    sol = solve(p, 0.1)
    assert sol.tours[0] == [] and sol.tours[1] == [1]
    assert not sol.feasible and "tour 0" in sol.status


@pytest.mark.parametrize(("seed", "n_cust", "m", "opts"), [CASES[0], CASES[4], CASES[7]])
def test_ortools_routing_model_is_feasible_and_near_optimal(seed, n_cust, m, opts):
    """The plain OR-Tools routing model (method="routing") obeys the same rules."""
    p = random_problem(np.random.default_rng(seed), n_cust, m, **opts)
    want_req, want_score = brute_force(p)
    sol = solve(p, 0.5, method="routing")
    assert sol.feasible and check(p, sol.tours) == []
    got_req = sum(1 for t in sol.tours for j in t if j in p.required)
    assert got_req == want_req
    assert sol.score <= want_score and sol.score >= 0.7 * want_score


def test_route_pool_packing_picks_disjoint_routes():
    from maas.tours.solver import _RoutePool

    p = random_problem(np.random.default_rng(4), 6, 2)
    pool = _RoutePool(p)
    # identical tours form one class of size 2
    assert pool.tour_class == [0, 0] and pool.class_size == [2]
    routes = np.zeros((2, 10), dtype=np.int64)
    rlen = np.array([4, 3])
    routes[0, :4] = [0, 1, 2, 0]
    routes[1, :3] = [0, 3, 0]
    pool.add(routes, rlen, p.score, p.travel)
    routes[0, :4] = [0, 2, 4, 0]
    routes[1, :3] = [0, 5, 0]
    pool.add(routes, rlen, p.score, p.travel)
    packed = pool.pack(5.0)
    used = [j for t in packed for j in t]
    assert len(used) == len(set(used)) and len(packed) == 2
    sc = {r: sum(int(p.score[j]) for j in r) for r in [(1, 2), (3,), (2, 4), (5,)]}
    best = max(sc[a] + sc[b] for a in sc for b in sc if a != b and not set(a) & set(b))
    assert sum(int(p.score[j]) for j in used) == best


def test_same_answer_without_numba():
    """Without numba the search runs as plain Python and, step for step, gives the same tours."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys, json\n"
        "if sys.argv[1] == 'off':\n"
        "    sys.modules['numba'] = None\n"
        "import numpy as np\n"
        "from tests.tours.test_orienteering_solver import random_problem\n"
        "from maas.tours.solver import solve\n"
        "p = random_problem(np.random.default_rng(11), 25, 2, tight=0.6)\n"
        "s = solve(p, 60, iterations=150, seed=4)\n"
        "print(json.dumps([s.score, s.tours]))\n"
    )
    answers = []
    for mode in ("on", "off"):
        root = Path(__file__).resolve().parents[2]
        run = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True, timeout=600, cwd=root)
        assert run.returncode == 0, run.stderr[-2000:]
        answers.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert answers[0] == answers[1]
    assert answers[0][0] > 0
