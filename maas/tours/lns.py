"""The fixed-travel-time large-neighbourhood search (no OR-Tools here): :class:`Search` holds one run's arrays.

The compiled kernels live by role: route timing and bookkeeping (:mod:`maas.tours.lns_routes`),
destroy and repair (:mod:`maas.tours.lns_moves`), local search (:mod:`maas.tours.lns_local`),
exact re-planning (:mod:`maas.tours.lns_exact`) and the annealing loop with its acceptance
(:mod:`maas.tours.lns_accept`); numba compiles them when it is installed (plain Python
otherwise: same answers, much slower).  They take the arrays grouped by role in named tuples
(:mod:`maas.tours.lns_arrays`).  :mod:`maas.tours.solver` schedules the search, recombines
its routes with CP-SAT and is the entry point.
"""

from __future__ import annotations

import numpy as np

from maas.tours.lns_accept import StepParams, _lns, seed_rng
from maas.tours.lns_arrays import DpTables, Kept, Problem, Record, State, Work
from maas.tours.lns_exact import _dp_sweep
from maas.tours.lns_local import _improve_route
from maas.tours.lns_moves import _destroy, _repair
from maas.tours.lns_routes import _fix_route, _load, _value
from maas.tours.model import Orienteering, unusable_tours

__all__ = ["Search", "StepParams", "seed_rng"]

#: Most candidate visits of one exact re-planning (its tables have 2**DP_KMAX rows).
DP_KMAX = 12


def problem_arrays(p: Orienteering) -> Problem:
    """The problem as the kernels read it: int64 times, tour windows narrowed by their depots' windows,
    ``allowed`` without depots and unusable tours, required nodes worth more than all scores together."""
    n, m = p.n, p.n_tours
    allowed = np.ones((n, m), dtype=np.bool_) if p.allowed is None else np.array(p.allowed, dtype=np.bool_)
    depots = sorted(p.depots)
    allowed[depots, :] = False
    for k in unusable_tours(p):
        allowed[:, k] = False
    big = int(p.score.sum()) + 1
    value = p.score.astype(np.int64).copy()
    for r in p.required:
        value[r] += big
    value[depots] = 0
    return Problem(
        service=np.ascontiguousarray(p.service, dtype=np.int64),
        travel=np.ascontiguousarray(p.travel, dtype=np.int64),
        open_=np.ascontiguousarray(p.open, dtype=np.int64),
        close=np.ascontiguousarray(p.close, dtype=np.int64),
        t0=np.array([max(p.tour_open[k], int(p.open[p.starts[k]])) for k in range(m)], dtype=np.int64),
        endlim=np.array([min(p.tour_close[k], int(p.close[p.ends[k]])) for k in range(m)], dtype=np.int64),
        allowed=allowed,
        cand=np.array([j for j in range(n) if j not in p.depots and value[j] > 0 and allowed[j].any()], dtype=np.int64),
        value=value,
        weight=value.astype(np.float64),
    )


def empty_state(p: Orienteering) -> State:
    """Every tour going straight from its start to its end (not yet timed: :meth:`Search.load` times it)."""
    n, m = p.n, p.n_tours
    routes = np.zeros((m, n + 2), dtype=np.int64)
    routes[:, 0] = p.starts
    routes[:, 1] = p.ends
    return State(
        routes=routes,
        rlen=np.full(m, 2, dtype=np.int64),
        arr=np.zeros((m, n + 2), dtype=np.int64),
        st=np.zeros((m, n + 2), dtype=np.int64),
        ms=np.zeros((m, n + 2), dtype=np.int64),
        where=np.full(n, -1, dtype=np.int64),
        ver=np.zeros(m + 1, dtype=np.int64),
    )


def work_arrays(pb: Problem, s: State) -> Work:
    """Empty buffers and caches for the moves (the insertion cache holds nothing yet: ``cver`` -1)."""
    n, m = s.where.shape[0], s.rlen.shape[0]
    nc = max(pb.cand.shape[0], 1)
    return Work(
        w=np.zeros(nc),
        bshift=np.zeros((nc, m), dtype=np.int64),
        bpos=np.full((nc, m), -1, dtype=np.int64),
        cver=np.full((nc, m), -1, dtype=np.int64),
        buf=np.zeros(n + 1, dtype=np.int64),
        key=np.zeros(n + 1),
        touched=np.zeros(m, dtype=np.bool_),
        force=np.full(1, -1, dtype=np.int64),
        tmp=np.zeros(s.routes.shape[1], dtype=np.int64),
        ls_ver=np.full(m, -1, dtype=np.int64),
        wtmp=pb.weight.copy(),
    )


def dp_tables(n: int, kmax: int) -> DpTables:
    """Tables for exact re-planning of up to ``kmax`` candidates among ``n`` nodes."""
    return DpTables(
        tbl=np.zeros((1 << kmax, kmax), dtype=np.int64),
        par=np.zeros((1 << kmax, kmax), dtype=np.int64),
        msc=np.zeros(1 << kmax, dtype=np.int64),
        nodes=np.zeros(kmax + n + 1, dtype=np.int64),
        key=np.zeros(kmax + n + 1),
    )


class Search:
    """The arrays of one LNS run over a problem, grouped as the kernels take them, and the steps on them.

    ``pb`` the problem (:class:`~maas.tours.lns_arrays.Problem`), ``state`` the current solution,
    ``work`` the moves' buffers and caches, ``kept`` the backup that undoes a rejected step,
    ``rec`` the current and best (value, travel), the best routes and the counters, ``dp`` the
    exact re-planning's tables.
    """

    def __init__(self, problem: Orienteering) -> None:
        p = problem
        self.p = p
        self.n, self.m = p.n, p.n_tours
        self.pb = problem_arrays(p)
        self.state = empty_state(p)
        s = self.state
        self.work = work_arrays(self.pb, s)
        self.kept = Kept(routes=s.routes.copy(), rlen=s.rlen.copy(), where=s.where.copy(), ver=np.zeros(self.m, dtype=np.int64))
        self.rec = Record(
            cur=np.zeros(2, dtype=np.int64),
            best=np.zeros(2, dtype=np.int64),
            best_routes=s.routes.copy(),
            best_rlen=s.rlen.copy(),
            counters=np.zeros(3, dtype=np.int64),
        )
        self.kmax = DP_KMAX
        self.dp = dp_tables(self.n, self.kmax)
        self.load([[] for _ in range(self.m)])

    def load(self, tours: list[list[int]]) -> None:
        """Load tours that :func:`clean_tours` has made valid."""
        src = np.zeros_like(self.state.routes)
        src_len = np.zeros(self.m, dtype=np.int64)
        for k, t in enumerate(tours):
            path = [self.p.starts[k], *t, self.p.ends[k]]
            src[k, : len(path)] = path
            src_len[k] = len(path)
        _load(self.pb, self.state, src, src_len)
        for k in range(self.m):
            _fix_route(self.pb, self.state, k)

    def repair(self, noise: float = 0.0, power: float = 2.0) -> None:
        """Insert unvisited nodes greedily (score^power / time taken, scores with relative ``noise``) until none fits."""
        _repair(self.pb, self.state, self.work, self.pb.weight, noise, power)

    def improve(self) -> None:
        """Shorten every tour with 2-opt and or-opt while it stays on time."""
        for k in range(self.m):
            _improve_route(self.pb, self.state, k, self.work.tmp)

    def settle(self) -> None:
        """Refill greedily, shorten the tours (2-opt, or-opt), and refill the time that frees."""
        self.repair(0.0, 2.0)
        self.improve()
        self.repair(0.0, 2.0)

    def kick(self, frac: float, noise: float, power: float) -> None:
        """Remove a random ``frac`` of the visits (all when frac >= 1), then refill with a noisy greedy insertion."""
        nv = int(np.sum(self.state.rlen - 2))
        q = nv if frac >= 1 else max(1, int(round(frac * nv)))
        if q > 0:
            _destroy(self.pb, self.state, self.work, 0, q)
        self.repair(max(noise, 0.3), power)
        self.improve()
        self.repair(0.0, 2.0)

    def polish(self, kmax: int, seg_max: int) -> None:
        """Re-plan stretches exactly, refill, tighten; the result becomes the current and the best solution."""
        if self.dp_sweep(kmax, seg_max) > 0:
            self.settle()
        self.mark_best()

    def dp_sweep(self, kmax: int | None = None, seg_max: int = 4) -> int:
        """Re-plan stretches of up to ``seg_max`` visits exactly (at most ``kmax`` candidates each); return the value gained."""
        kmax = min(kmax or self.kmax, self.kmax)
        return int(_dp_sweep(self.pb, self.state, self.dp, kmax, seg_max))

    def evaluate(self) -> tuple[int, int]:
        """(value, travel) of the current solution."""
        return _value(self.pb, self.state)

    def best_signature(self) -> tuple[int, int]:
        """(score, travel) of the best solution: tells whether it changed."""
        return int(self.rec.best[0]), int(self.rec.best[1])

    def mark_best(self) -> None:
        """Make the current solution the best one too."""
        sc, tr = self.evaluate()
        self.rec.cur[:] = (sc, tr)
        self.rec.best[:] = (sc, tr)
        self.rec.best_routes[:] = self.state.routes
        self.rec.best_rlen[:] = self.state.rlen

    def run(self, n_iter: int, prm: StepParams, ops: np.ndarray, op_w: np.ndarray) -> None:
        """Run ``n_iter`` annealing steps with the settings ``prm``, drawing removal rules ``ops`` by weights ``op_w``."""
        _lns(self.pb, self.state, self.work, self.rec, self.kept, n_iter, prm, ops, op_w)

    def restore_best(self) -> None:
        """Make the best solution the current one."""
        _load(self.pb, self.state, self.rec.best_routes, self.rec.best_rlen)
        self.rec.cur[:] = self.rec.best

    def best_tours(self) -> list[list[int]]:
        """The best solution's visits, one list per tour."""
        return [[int(x) for x in self.rec.best_routes[k, 1 : self.rec.best_rlen[k] - 1]] for k in range(self.m)]
