"""The annealing loop of the fixed-travel-time LNS: destroy, repair, local search, and simulated-annealing acceptance.

Part of the search :class:`maas.tours.lns.Search` runs (compiled with numba when it is installed).
The loop takes the grouped arrays of :mod:`maas.tours.lns_arrays`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from maas._jit import njit
from maas.tours.lns_local import _improve_route
from maas.tours.lns_moves import _destroy, _repair
from maas.tours.lns_routes import INF, _eval_ins, _insert_at, _sched, _value


class StepParams(NamedTuple):
    """The settings one batch of LNS steps runs with (the compiled loop reads them by name)."""

    temp: float  # annealing temperature
    qmax: int  # most visits removed per step
    noise: float
    force: int
    ls: int
    eq_accept: float
    alns: float
    qpow: float
    tabu: float


@njit(cache=True)
def seed_rng(s):
    """Seed the random numbers the compiled search draws (numba keeps its own generator)."""
    np.random.seed(s)


@njit(cache=True)
def _lns(pb, s, wk, rec, kept, n_iter, prm, ops, op_w):
    """Run n_iter destroy-and-repair steps with simulated-annealing acceptance at temperature ``prm.temp``.

    ``pb`` the :class:`~maas.tours.lns_arrays.Problem`, ``s`` the current solution
    (:class:`~maas.tours.lns_arrays.State`), ``wk`` the moves' buffers and caches
    (:class:`~maas.tours.lns_arrays.Work`), ``rec`` the current and best (value, travel),
    the best routes and the counters (:class:`~maas.tours.lns_arrays.Record`), ``kept`` the
    backup that undoes a rejected step (:class:`~maas.tours.lns_arrays.Kept`).  ``ops`` are
    the removal rules drawn from, ``op_w`` their adaptive weights (updated when ``prm.alns`` > 0).
    """
    routes, rlen, where, ver = s.routes, s.rlen, s.where, s.ver
    allowed, weight = pb.allowed, pb.weight
    buf, wtmp, force, ls_ver = wk.buf, wk.wtmp, wk.force, wk.ls_ver
    cur, best, counters = rec.cur, rec.best, rec.counters
    k_routes, k_rlen, k_ver = kept.routes, kept.rlen, kept.ver
    m = rlen.shape[0]
    n_ops = ops.shape[0]
    temp = prm.temp
    qmax = prm.qmax
    noise = prm.noise
    force_on = prm.force > 0
    ls_mode = prm.ls
    eq_accept = prm.eq_accept
    alns = prm.alns
    qpow = prm.qpow
    tabu = prm.tabu
    for _ in range(n_iter):
        for k in range(m):
            k_rlen[k] = rlen[k]
            for p in range(rlen[k]):
                k_routes[k, p] = routes[k, p]
        kept.where[:] = where
        for k in range(m):
            k_ver[k] = ver[k]
        if alns > 0:
            tot = 0.0
            for i in range(n_ops):
                tot += op_w[i]
            r = np.random.random() * tot
            oi = n_ops - 1
            for i in range(n_ops):
                r -= op_w[i]
                if r < 0:
                    oi = i
                    break
        else:
            oi = np.random.randint(n_ops)
        kind = ops[oi]
        q = 1 + int(qmax * np.random.random() ** qpow)
        if q > qmax:
            q = qmax
        cnt = _destroy(pb, s, wk, kind, q)
        if tabu < 1.0:  # the visits just removed come back only if nothing else fits as well
            for i in range(cnt):
                wtmp[buf[i]] = weight[buf[i]] * tabu
        u = force[0]
        if u >= 0 and force_on:
            bs = INF
            bk = -1
            bp = -1
            for k in range(m):
                if allowed[u, k]:
                    sh, q2 = _eval_ins(pb, s, u, k)
                    if q2 >= 0 and sh < bs:
                        bs = sh
                        bk = k
                        bp = q2
            if bk >= 0:
                _insert_at(s, u, bk, bp)
                _sched(pb, s, bk)
        power = 1.0 if np.random.random() < 0.5 else 2.0
        _repair(pb, s, wk, wtmp, noise, power)
        if tabu < 1.0:
            for i in range(cnt):
                wtmp[buf[i]] = weight[buf[i]]
        sc, tr = _value(pb, s)
        if ls_mode == 2 or (ls_mode == 1 and sc >= cur[0]):
            any_ls = False
            for k in range(m):
                if ls_ver[k] == ver[k]:
                    continue
                if _improve_route(pb, s, k, wk.tmp):
                    any_ls = True
                ls_ver[k] = ver[k]
            if any_ls:
                _repair(pb, s, wk, weight, noise, power)
                sc, tr = _value(pb, s)
        reward = 0.0
        if sc > cur[0] or (sc == cur[0] and tr <= cur[1]):
            accept = True
            if sc > cur[0]:
                reward = 2.0
        elif sc == cur[0]:
            accept = np.random.random() < eq_accept
        else:
            accept = temp > 0 and np.random.random() < np.exp((sc - cur[0]) / temp)
        counters[0] += 1
        counters[1] += 1
        if accept:
            counters[2] += 1
            if reward == 0.0:
                reward = 0.5
            cur[0] = sc
            cur[1] = tr
            if sc > best[0] or (sc == best[0] and tr < best[1]):
                if sc > best[0]:
                    counters[1] = 0
                    reward = 5.0
                best[0] = sc
                best[1] = tr
                for k in range(m):
                    rec.best_rlen[k] = rlen[k]
                    for p in range(rlen[k]):
                        rec.best_routes[k, p] = routes[k, p]
        else:
            for k in range(m):
                if ver[k] == k_ver[k]:
                    continue  # untouched by the step
                rlen[k] = k_rlen[k]
                for p in range(k_rlen[k]):
                    routes[k, p] = k_routes[k, p]
                _sched(pb, s, k)
                ver[k] = k_ver[k]  # the same content as before: its cached positions hold again
            where[:] = kept.where
        if alns > 0:
            op_w[oi] = (1.0 - alns) * op_w[oi] + alns * reward
            if op_w[oi] < 0.05:
                op_w[oi] = 0.05
