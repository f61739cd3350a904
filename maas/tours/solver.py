"""Solve an :class:`~maas.tours.model.Orienteering` problem (the only module that imports OR-Tools).

:func:`solve` is the entry point.  Two methods:

``"lns"`` (default): a large-neighbourhood search with simulated-annealing acceptance,
its moves in :mod:`maas.tours.lns`, compiled with numba when it is installed (plain
Python otherwise: same answers, much slower); this module schedules it.  Each step removes some visits (at random, a stretch of one or of every tour,
the visits nearest a visited or an unvisited node, or the least profitable ones), then
refills the tours greedily with time-window-aware insertion: the unvisited node with the
best score^p / shift goes where it takes the least time, checked in O(1) per position
with the Wait/MaxShift bookkeeping of Vansteenwegen et al. (2009, Comput. Oper. Res.
36(12)).  2-opt and or-opt then shorten the tours that changed, and the refill runs again.
The best solution is re-planned stretch by stretch with an exact dynamic program over
subsets (its visits plus unvisited nodes that fit there), and with several tours the
routes met during the search are recombined by set packing with OR-Tools CP-SAT.

``"routing"``: the OR-Tools routing library alone (:func:`solve_routing`), the textbook
model (time dimension with waiting as slack, optional visits as disjunctions).  It is
kept as a reference: on the OPTW/TOPTW benchmarks it is far behind the LNS (see
bench/RESULTS-optw.md).

Every answer is re-checked with :func:`maas.tours.model.check` before it is returned.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, fields, replace

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from maas.errors import InputError
from maas.tours.lns import Search, StepParams, seed_rng
from maas.tours.model import Orienteering, TourSolution, check, clean_tours, evaluate, unusable_tours


def _status_name(routing) -> str:
    return routing_enums_pb2.RoutingSearchStatus.Value.Name(routing.status())


def solve_routing(
    problem: Orienteering,
    time_limit_s: float,
    initial: list[list[int]] | None = None,
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION",
    metaheuristic: str = "GUIDED_LOCAL_SEARCH",
) -> tuple[list[list[int]], str]:
    """Solve with the OR-Tools routing library alone: returns (tours, OR-Tools status name).

    The model: one vehicle per tour with its own start and end node; a time dimension
    whose transit is service(i) + travel(i, j) and whose slack is waiting; cumul ranges
    from each node's window and each tour's window; every visit optional through a
    disjunction whose penalty is its score times a factor larger than any total travel
    (so one unit of score outweighs any saving in travel; required nodes cost more than
    all scores together); ``allowed`` by removing vehicles from each node's vehicle
    variable; arc cost = travel, so that shorter tours win ties.  Both matrices are
    registered whole (``RegisterTransitMatrix``), which keeps arc evaluation in C++.

    ``first_solution`` / ``metaheuristic`` name members of OR-Tools'
    ``FirstSolutionStrategy`` / ``LocalSearchMetaheuristic``.  On the OPTW benchmarks
    this is well behind :func:`solve` (see bench/RESULTS-optw.md), which is why
    :func:`solve` uses its own search by default.
    """
    p = problem
    n, m = p.n, p.n_tours
    manager = pywrapcp.RoutingIndexManager(n, m, list(p.starts), list(p.ends))
    routing = pywrapcp.RoutingModel(manager)
    horizon = int(max(max(p.tour_close), int(p.close.max()), 1))
    # Travel beyond the horizon can never be used: clip it so that sums stay far from overflow.
    travel = np.minimum(p.travel, horizon + 1)
    transit = np.minimum(travel + p.service[:, None], horizon + 1)
    time_cb = routing.RegisterTransitMatrix(transit.tolist())
    cost_cb = routing.RegisterTransitMatrix(travel.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    routing.AddDimension(time_cb, horizon, horizon, False, "Time")
    dim = routing.GetDimensionOrDie("Time")
    depots = p.depots
    unusable = set(unusable_tours(p))
    big = int(sum(max(p.tour_close[k] - p.tour_open[k], 0) for k in range(m))) * 2 + 1
    required_penalty = (int(p.score.sum()) + 1) * big
    for i in range(n):
        if i in depots:
            continue
        idx = manager.NodeToIndex(i)
        dim.CumulVar(idx).SetRange(int(p.open[i]), int(min(p.close[i], horizon)))
        penalty = required_penalty if i in p.required else int(p.score[i]) * big
        routing.AddDisjunction([idx], penalty)
        banned = [k for k in range(m) if k in unusable or not p.may_visit(i, k)]
        if banned:
            routing.VehicleVar(idx).RemoveValues(banned)
    for k in range(m):
        s, e = p.starts[k], p.ends[k]
        lo, hi = max(p.tour_open[k], int(p.open[s])), min(p.tour_close[k], int(p.close[s]), horizon)
        if k not in unusable:
            dim.CumulVar(routing.Start(k)).SetRange(lo, hi)
            dim.CumulVar(routing.End(k)).SetRange(max(p.tour_open[k], int(p.open[e])), min(p.tour_close[k], int(p.close[e]), horizon))
        routing.AddVariableMinimizedByFinalizer(dim.CumulVar(routing.End(k)))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, first_solution)
    params.local_search_metaheuristic = getattr(routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic)
    params.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    sol = None
    if initial is not None:
        routing.CloseModelWithParameters(params)
        start = routing.ReadAssignmentFromRoutes([[manager.NodeToIndex(j) for j in t] for t in clean_tours(p, initial)], True)
        if start is not None:
            sol = routing.SolveFromAssignmentWithParameters(start, params)
    if sol is None:
        sol = routing.SolveWithParameters(params)
    tours: list[list[int]] = [[] for _ in range(m)]
    if sol is not None:
        for k in range(m):
            idx = sol.Value(routing.NextVar(routing.Start(k)))
            while not routing.IsEnd(idx):
                tours[k].append(manager.IndexToNode(idx))
                idx = sol.Value(routing.NextVar(idx))
    return tours, _status_name(routing)


class _RoutePool:
    """Distinct feasible routes met during the search, for recombination by set packing.

    Tours with the same start, end, window and ``allowed`` column form one class: a
    route of one fits any tour of its class.
    """

    def __init__(self, problem: Orienteering, limit: int = 20000) -> None:
        p = problem
        self.p = p
        keys: dict[tuple, int] = {}
        self.tour_class = []
        for k in range(p.n_tours):
            col = None if p.allowed is None else p.allowed[:, k].tobytes()
            key = (p.starts[k], p.ends[k], p.tour_open[k], p.tour_close[k], col)
            self.tour_class.append(keys.setdefault(key, len(keys)))
        self.class_size = [self.tour_class.count(c) for c in range(len(keys))]
        self.routes: dict[tuple[int, tuple[int, ...]], tuple[int, int]] = {}
        self.limit = limit

    def add(self, routes: np.ndarray, rlen: np.ndarray, value: np.ndarray, travel: np.ndarray) -> None:
        if len(self.routes) >= self.limit:
            return
        for k in range(routes.shape[0]):
            nodes = tuple(int(x) for x in routes[k, 1 : rlen[k] - 1])
            if not nodes:
                continue
            key = (self.tour_class[k], nodes)
            if key not in self.routes:
                path = routes[k, : rlen[k]]
                self.routes[key] = (int(value[list(nodes)].sum()), int(travel[path[:-1], path[1:]].sum()))

    def pack(self, time_limit_s: float, hint: list[list[int]] | None = None, deterministic: bool = False) -> list[list[int]] | None:
        """The best set of pairwise disjoint pooled routes, at most one per tour (CP-SAT), or None."""
        from ortools.sat.python import cp_model

        if not self.routes or time_limit_s <= 0:
            return None
        items = list(self.routes.items())
        model = cp_model.CpModel()
        x = [model.new_bool_var(f"r{i}") for i in range(len(items))]
        by_class: dict[int, list] = {}
        by_node: dict[int, list] = {}
        for var, ((cls, nodes), _) in zip(x, items):
            by_class.setdefault(cls, []).append(var)
            for j in nodes:
                by_node.setdefault(j, []).append(var)
        for cls, vars_ in by_class.items():
            model.add(sum(vars_) <= self.class_size[cls])
        for vars_ in by_node.values():
            if len(vars_) > 1:
                model.add_at_most_one(vars_)
        big = sum(t for _, (_, t) in items) + 1
        model.maximize(sum(var * (sc * big - tr) for var, (_, (sc, tr)) in zip(x, items)))
        if hint:
            index = {key: i for i, (key, _) in enumerate(items)}
            chosen = {index.get((self.tour_class[k], tuple(t))) for k, t in enumerate(hint) if t}
            for i, var in enumerate(x):
                model.add_hint(var, i in chosen)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = float(time_limit_s)
        solver.parameters.num_workers = 1
        if deterministic:  # stop on CP-SAT's own work count, not on the clock
            solver.parameters.max_deterministic_time = 1.0
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        tours: list[list[int]] = [[] for _ in range(self.p.n_tours)]
        free = {c: [k for k in range(self.p.n_tours) if self.tour_class[k] == c] for c in range(len(self.class_size))}
        for var, ((cls, nodes), _) in zip(x, items):
            if solver.Value(var):
                tours[free[cls].pop(0)] = list(nodes)
        return tours


@dataclass(frozen=True)
class LnsSettings:
    """Settings of the fixed-travel-time LNS (tuned on the OPTW/TOPTW benchmark, see bench/RESULTS-optw.md); every field is checked.

    :meth:`from_config` builds them from a dict of overrides (the benchmark's and the CLI's ``config``),
    naming an unknown or out-of-range option in an :class:`~maas.errors.InputError`.
    """

    #: start temperature, as a fraction of the mean score of a candidate node
    t0_frac: float = 1.0
    #: at most this fraction of the visits is removed per step
    qfrac: float = 0.4
    #: q = 1 + qmax * u**qpow with u uniform in [0, 1): above 1, small removals are more frequent
    qpow: float = 1.0
    #: at most this many visits removed per step, whatever qfrac gives (0: no cap); on the largest
    #: instances small removals win (more steps, each closer to a good solution), as in Ropke and
    #: Pisinger's (2006) min(100, 0.4 n) but tighter for 10 s searches (bench/RESULTS.md, issue 13)
    qcap: int = 20
    #: relative noise on the scores during a repair
    noise: float = 0.2
    #: removal rules used (see maas.tours.lns_moves._destroy)
    ops: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    #: go back to the best solution after this many steps without improving it (0: never)
    restart: int = 0
    #: rule 4 inserts the node it made room for first
    force: int = 1
    #: 2-opt / or-opt after a repair: 0 never, 1 when the step did not lose score, 2 always
    ls: int = 1
    #: probability of accepting a step that keeps the score but lengthens travel
    eq_accept: float = 0.5
    #: reaction factor of adaptive removal-rule weights (0: uniform choice)
    alns: float = 0.0
    #: temperature schedule: 0 linear to 0, 1 geometric to 1 %
    cool: int = 0
    #: weight factor, during the repair, of the visits the step removed (1: none)
    tabu: float = 1.0
    #: re-plan stretches of the best solution exactly (dynamic programming) when it improves
    dp: int = 1
    #: at most this many candidate visits per stretch (2**dp_k subsets)
    dp_k: int = 10
    #: stretches of up to this many visits
    dp_seg: int = 4
    #: at least this share of a run between two re-plannings
    dp_gap: float = 0.05
    #: independent annealing runs the budget is split into
    segments: int = 1
    #: fraction of the best solution's visits removed to start a new run (1: start afresh)
    kick: float = 1.0
    #: for several tours: recombine pooled routes by set packing (CP-SAT) after each run
    pack: int = 1
    #: share of the budget for each packing
    pack_time: float = 0.04
    #: measure the time limit in CPU time of this process (fair comparisons on a busy machine)
    cpu_clock: int = 0

    def __post_init__(self) -> None:
        shares = ("t0_frac", "qfrac", "noise", "eq_accept", "alns", "tabu", "dp_gap", "kick", "pack_time")
        for name in shares:
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0 or (name != "t0_frac" and v > 1):
                raise InputError(f"config: {name} = {v!r} is outside its limits", "config")
        for name in ("qcap", "restart", "force", "ls", "cool", "dp", "dp_k", "dp_seg", "segments", "pack", "cpu_clock"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 0:
                raise InputError(f"config: {name} = {v!r} must be a non-negative integer", "config")
        if not isinstance(self.qpow, (int, float)) or not self.qpow > 0:
            raise InputError(f"config: qpow = {self.qpow!r} must be positive", "config")
        if not self.ops or any(int(o) not in range(7) for o in self.ops):
            raise InputError(f"config: ops = {self.ops!r} must name removal rules 0..6", "config")
        object.__setattr__(self, "ops", tuple(int(o) for o in self.ops))

    @classmethod
    def from_config(cls, config: dict | None) -> LnsSettings:
        """Return the defaults with ``config``'s overrides (an unknown key is an InputError naming it)."""
        if not config:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = set(config) - known
        if unknown:
            raise InputError(f"config: unknown search option(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}", "config")
        return replace(cls(), **config)


def solve_lns(problem: Orienteering, time_limit_s: float, seed: int = 0, initial=None, iterations: int | None = None, config: dict | LnsSettings | None = None):
    """The LNS proper: returns (best tours, counters [steps, steps since the best improved, accepted]).

    The budget (time, or ``iterations``) is split into ``segments`` runs of simulated
    annealing; each later run starts from the best solution so far after removing a
    ``kick`` fraction of its visits at random (or from a new noisy greedy solution when
    ``kick`` is 1).
    """
    cfg = config if isinstance(config, LnsSettings) else LnsSettings.from_config(config)
    clock = time.process_time if cfg.cpu_clock else time.perf_counter
    t_start = clock()
    s = Search(problem)
    seed_rng(seed)
    s.load(clean_tours(problem, initial) if initial is not None else [[] for _ in range(s.m)])
    s.settle()
    s.mark_best()
    if len(s.pb.cand) == 0:
        return s.best_tours(), s.rec.counters.copy()
    mean_w = float(np.mean(s.pb.weight[s.pb.cand]))
    temp0 = cfg.t0_frac * mean_w
    ops_arr = np.array(cfg.ops, dtype=np.int64)
    op_w = np.ones(len(ops_arr))
    restart = int(cfg.restart)
    segments = max(1, int(cfg.segments))
    dp_on = bool(cfg.dp)
    dp_k, dp_seg = int(cfg.dp_k), int(cfg.dp_seg)
    pool = _RoutePool(problem) if cfg.pack and s.m > 1 else None
    budget = float(time_limit_s) if iterations is None else None
    total_steps = 0
    packs_won = 0
    best_key = (int(s.rec.best[0]), -int(s.rec.best[1]))
    best_tours = s.best_tours()
    for seg in range(segments):
        seg_start = clock()
        if iterations is not None:
            seg_iters = iterations // segments + (1 if seg < iterations % segments else 0)
        else:
            reserve = float(cfg.pack_time) * time_limit_s * (segments - seg) if pool is not None else 0.0
            seg_len = (t_start + time_limit_s - seg_start - reserve) / (segments - seg)
            if seg_len <= 0:
                break
        if seg > 0:
            s.load(best_tours)
            s.kick(float(cfg.kick), float(cfg.noise), 1.0 + seg % 2)
            s.mark_best()
        s.rec.counters[:] = 0
        chunk = 20
        done = 0
        polished = s.best_signature()
        next_polish = 0.0
        while True:
            now = clock()
            if iterations is not None:
                if done >= seg_iters:
                    break
                frac = done / seg_iters
                n_it = min(chunk, seg_iters - done)
            else:
                if now >= seg_start + seg_len:
                    break
                frac = (now - seg_start) / seg_len
                n_it = chunk
            nv = int(np.sum(s.state.rlen - 2))
            qmax = max(2, int(cfg.qfrac * nv))
            if cfg.qcap:
                qmax = max(2, min(qmax, int(cfg.qcap)))
            if cfg.cool == 1:
                temp = temp0 * (0.01**frac)
            else:
                temp = temp0 * (1.0 - frac)
            prm = StepParams(
                float(temp), int(qmax), float(cfg.noise), int(cfg.force), int(cfg.ls), float(cfg.eq_accept), float(cfg.alns), float(cfg.qpow), float(cfg.tabu)
            )
            c0 = clock()
            s.run(n_it, prm, ops_arr, op_w)
            dt = clock() - c0
            done += n_it
            if pool is not None:
                pool.add(s.state.routes, s.state.rlen, s.pb.value, s.pb.travel)
            if dp_on and s.best_signature() != polished:
                progress = done if iterations is not None else clock() - seg_start
                if progress >= next_polish:
                    s.restore_best()
                    s.polish(dp_k, dp_seg)
                    polished = s.best_signature()
                    next_polish = progress + float(cfg.dp_gap) * (seg_iters if iterations is not None else seg_len)
            if restart and s.rec.counters[1] > restart:
                s.restore_best()
                s.rec.counters[1] = 0
            if iterations is None and dt > 0:  # a fixed chunk keeps iteration-limited runs deterministic
                chunk = int(max(1, min(chunk * 2, n_it * 0.02 / dt)))
        total_steps += int(s.rec.counters[0])
        if dp_on and s.best_signature() != polished:
            s.restore_best()
            s.polish(dp_k, dp_seg)
        key = (int(s.rec.best[0]), -int(s.rec.best[1]))
        if key > best_key:
            best_key = key
            best_tours = s.best_tours()
        if pool is not None:
            pool.add(s.rec.best_routes, s.rec.best_rlen, s.pb.value, s.pb.travel)
            if budget is not None:
                packed = pool.pack(float(cfg.pack_time) * budget, best_tours)
            else:
                packed = pool.pack(10.0, best_tours, deterministic=True)
            if packed is not None:
                s.load(packed)
                s.settle()
                s.mark_best()
                key = (int(s.rec.best[0]), -int(s.rec.best[1]))
                if key > best_key:
                    best_key = key
                    best_tours = s.best_tours()
                    packs_won += 1
    counters = s.rec.counters.copy()
    counters[0] = total_steps
    counters[2] = packs_won
    return best_tours, counters


def solve(
    problem: Orienteering,
    time_limit_s: float,
    seed: int = 0,
    initial: list[list[int]] | None = None,
    *,
    method: str = "lns",
    iterations: int | None = None,
    config: dict | LnsSettings | None = None,
) -> TourSolution:
    """Collect the most score: the best tours found within ``time_limit_s`` seconds.

    ``method`` "lns" (the default) is this module's search; "routing" is the OR-Tools
    routing library alone (:func:`solve_routing`).  ``initial`` (one list of nodes per
    tour) seeds the search; invalid or late visits in it are dropped first.
    ``iterations`` (LNS only) stops after that many search steps instead of at the time
    limit, which makes the answer depend on ``seed`` only.  ``config`` overrides search
    settings (a dict of overrides or :class:`LnsSettings`).

    The answer always passes :func:`~maas.tours.model.check`, except for tours that cannot
    even go from their start to their end in time (left empty, ``feasible`` False, named
    in ``status``).
    """
    t0 = time.perf_counter()
    limit = max(0.0, float(time_limit_s))
    if method == "lns":
        tours, counters = solve_lns(problem, limit, seed, initial, iterations=iterations, config=config)
        status = f"LNS: {int(counters[0])} steps"
        if counters[2]:
            status += f", {int(counters[2])} improved by route packing"
    elif method == "routing":
        tours, status = solve_routing(problem, limit, initial)
    else:
        raise InputError(f"method: unknown method {method!r}; expected 'lns' or 'routing'", "method")
    tours = clean_tours(problem, tours)  # a no-op unless something went wrong: never return a broken answer
    errs = check(problem, tours)
    score, starts = evaluate(problem, tours)
    visited = {j for t in tours for j in t}
    bad = unusable_tours(problem)
    if bad:
        status += "; tour " + ", ".join(map(str, bad)) + " cannot reach its end in time"
    return TourSolution(
        tours=tours,
        starts=starts,
        score=score,
        status=status,
        feasible=not errs,
        missing_required=sorted(problem.required - visited),
        time_s=time.perf_counter() - t0,
    )
