"""The fixed-travel-time large-neighbourhood search (no OR-Tools here): :class:`Search` holds one run's arrays.

The compiled kernels live by role: route timing and bookkeeping (:mod:`maas.tours.lns_routes`),
destroy and repair (:mod:`maas.tours.lns_moves`), local search (:mod:`maas.tours.lns_local`),
exact re-planning (:mod:`maas.tours.lns_exact`) and the annealing loop with its acceptance
(:mod:`maas.tours.lns_accept`); numba compiles them when it is installed (plain Python
otherwise: same answers, much slower).  :mod:`maas.tours.solver` schedules the search,
recombines its routes with CP-SAT and is the entry point.
"""

from __future__ import annotations

import numpy as np

from maas.tours.lns_accept import StepParams, _lns, seed_rng
from maas.tours.lns_exact import _dp_sweep
from maas.tours.lns_local import _improve_route
from maas.tours.lns_moves import _destroy, _repair
from maas.tours.lns_routes import _fix_route, _load, _value
from maas.tours.model import Orienteering, unusable_tours

__all__ = ["Search", "StepParams", "seed_rng"]


class Search:
    """The arrays of one LNS run over a problem."""

    def __init__(self, problem: Orienteering) -> None:
        p = problem
        n, m = p.n, p.n_tours
        self.p = p
        self.n, self.m = n, m
        self.service = np.ascontiguousarray(p.service, dtype=np.int64)
        self.travel = np.ascontiguousarray(p.travel, dtype=np.int64)
        self.open = np.ascontiguousarray(p.open, dtype=np.int64)
        self.close = np.ascontiguousarray(p.close, dtype=np.int64)
        self.t0 = np.array([max(p.tour_open[k], int(p.open[p.starts[k]])) for k in range(m)], dtype=np.int64)
        self.endlim = np.array([min(p.tour_close[k], int(p.close[p.ends[k]])) for k in range(m)], dtype=np.int64)
        allowed = np.ones((n, m), dtype=np.bool_) if p.allowed is None else np.array(p.allowed, dtype=np.bool_)
        depots = sorted(p.depots)
        allowed[depots, :] = False
        for k in unusable_tours(p):
            allowed[:, k] = False
        self.allowed = allowed
        big = int(p.score.sum()) + 1
        value = p.score.astype(np.int64).copy()
        for r in p.required:
            value[r] += big
        value[depots] = 0
        self.value = value
        self.weight = value.astype(np.float64)
        self.wtmp = self.weight.copy()
        self.cand = np.array([j for j in range(n) if j not in p.depots and value[j] > 0 and allowed[j].any()], dtype=np.int64)
        L = n + 2
        self.routes = np.zeros((m, L), dtype=np.int64)
        self.rlen = np.full(m, 2, dtype=np.int64)
        self.routes[:, 0] = p.starts
        self.routes[:, 1] = p.ends
        self.arr = np.zeros((m, L), dtype=np.int64)
        self.st = np.zeros((m, L), dtype=np.int64)
        self.ms = np.zeros((m, L), dtype=np.int64)
        self.where = np.full(n, -1, dtype=np.int64)
        nc = len(self.cand)
        self.bshift = np.zeros((max(nc, 1), m), dtype=np.int64)
        self.bpos = np.full((max(nc, 1), m), -1, dtype=np.int64)
        self.w = np.zeros(max(nc, 1))
        self.buf = np.zeros(n + 1, dtype=np.int64)
        self.key = np.zeros(n + 1)
        self.touched = np.zeros(m, dtype=np.bool_)
        self.cur = np.zeros(2, dtype=np.int64)
        self.best = np.zeros(2, dtype=np.int64)
        self.b_routes = self.routes.copy()
        self.b_rlen = self.rlen.copy()
        self.k_routes = self.routes.copy()
        self.k_rlen = self.rlen.copy()
        self.k_where = self.where.copy()
        self.counters = np.zeros(3, dtype=np.int64)
        self.force = np.full(1, -1, dtype=np.int64)
        self.tmp = np.zeros(L, dtype=np.int64)
        self.kmax = 12
        self.dp_tbl = np.zeros((1 << self.kmax, self.kmax), dtype=np.int64)
        self.dp_par = np.zeros((1 << self.kmax, self.kmax), dtype=np.int64)
        self.dp_msc = np.zeros(1 << self.kmax, dtype=np.int64)
        self.dp_nodes = np.zeros(self.kmax + n + 1, dtype=np.int64)
        self.dp_key = np.zeros(self.kmax + n + 1)
        self.ver = np.zeros(m + 1, dtype=np.int64)
        self.k_ver = np.zeros(m, dtype=np.int64)
        self.ls_ver = np.full(m, -1, dtype=np.int64)
        self.cver = np.full((max(nc, 1), m), -1, dtype=np.int64)
        self.load([[] for _ in range(m)])

    def prob(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The problem's arrays, in the order the compiled moves take them."""
        return (self.service, self.travel, self.open, self.close, self.t0, self.endlim, self.ver)

    def state(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The search's state arrays (routes and their timing), in the order the compiled moves take them."""
        return (self.routes, self.rlen, self.arr, self.st, self.ms, self.where)

    def load(self, tours: list[list[int]]) -> None:
        """Load tours that :func:`clean_tours` has made valid."""
        src = np.zeros_like(self.routes)
        src_len = np.zeros(self.m, dtype=np.int64)
        for k, t in enumerate(tours):
            path = [self.p.starts[k], *t, self.p.ends[k]]
            src[k, : len(path)] = path
            src_len[k] = len(path)
        _load(src, src_len, *self.state(), *self.prob())
        for k in range(self.m):
            _fix_route(k, *self.state(), *self.prob())

    def repair(self, noise: float = 0.0, power: float = 2.0) -> None:
        _repair(*self.state(), *self.prob(), self.allowed, self.cand, self.weight, noise, power, self.bshift, self.bpos, self.cver, self.w)

    def improve(self) -> None:
        for k in range(self.m):
            _improve_route(k, *self.state()[:5], *self.prob(), self.tmp)

    def settle(self) -> None:
        """Refill greedily, shorten the tours (2-opt, or-opt), and refill the time that frees."""
        self.repair(0.0, 2.0)
        self.improve()
        self.repair(0.0, 2.0)

    def kick(self, frac: float, noise: float, power: float) -> None:
        """Remove a random ``frac`` of the visits (all when frac >= 1), then refill with a noisy greedy insertion."""
        nv = int(np.sum(self.rlen - 2))
        q = nv if frac >= 1 else max(1, int(round(frac * nv)))
        if q > 0:
            _destroy(0, q, *self.state(), *self.prob(), self.weight, self.cand, self.buf, self.key, self.touched, self.force)
        self.repair(max(noise, 0.3), power)
        self.improve()
        self.repair(0.0, 2.0)

    def polish(self, kmax: int, seg_max: int) -> None:
        """Re-plan stretches exactly, refill, tighten; the result becomes the current and the best solution."""
        if self.dp_sweep(kmax, seg_max) > 0:
            self.settle()
        self.mark_best()

    def dp_sweep(self, kmax: int | None = None, seg_max: int = 4) -> int:
        kmax = min(kmax or self.kmax, self.kmax)
        return int(
            _dp_sweep(
                kmax,
                seg_max,
                *self.state(),
                *self.prob(),
                self.allowed,
                self.cand,
                self.value,
                self.dp_tbl,
                self.dp_par,
                self.dp_msc,
                self.dp_nodes,
                self.dp_key,
            )
        )

    def evaluate(self):
        return _value(self.routes, self.rlen, self.where, self.value, self.travel)

    def best_signature(self) -> tuple[int, int]:
        """(score, travel) of the best solution: tells whether it changed."""
        return int(self.best[0]), int(self.best[1])

    def mark_best(self) -> None:
        sc, tr = self.evaluate()
        self.cur[:] = (sc, tr)
        self.best[:] = (sc, tr)
        self.b_routes[:] = self.routes
        self.b_rlen[:] = self.rlen

    def run(self, n_iter: int, prm: StepParams, ops: np.ndarray, op_w: np.ndarray) -> None:
        _lns(
            n_iter,
            prm,
            ops,
            op_w,
            self.tmp,
            self.wtmp,
            *self.state(),
            *self.prob(),
            self.allowed,
            self.cand,
            self.weight,
            self.value,
            self.bshift,
            self.bpos,
            self.cver,
            self.w,
            self.buf,
            self.key,
            self.touched,
            self.cur,
            self.best,
            self.b_routes,
            self.b_rlen,
            self.k_routes,
            self.k_rlen,
            self.k_where,
            self.k_ver,
            self.ls_ver,
            self.counters,
            self.force,
        )

    def restore_best(self) -> None:
        _load(self.b_routes, self.b_rlen, *self.state(), *self.prob())
        self.cur[:] = self.best

    def best_tours(self) -> list[list[int]]:
        return [[int(x) for x in self.b_routes[k, 1 : self.b_rlen[k] - 1]] for k in range(self.m)]
