"""Route timing and bookkeeping of the fixed-travel-time LNS: time a route with Wait/MaxShift, evaluate and make insertions, remove visits, load solutions.

Part of the search :class:`maas.tours.lns.Search` runs (compiled with numba when it is installed).
"""

from __future__ import annotations

import numpy as np

from maas._jit import njit

INF = np.int64(1) << np.int64(60)


# ---------------------------------------------------------------------------------------------
# The large-neighbourhood search kernel.
#
# A solution is held as ``routes[k, 0:rlen[k]]`` (start node, visits, end node) with, per
# position, the arrival time ``arr``, the start of service ``st`` (arrival or opening, the later)
# and ``ms``, the largest delay of the start of service there that keeps the rest of the
# route feasible (the MaxShift of Vansteenwegen et al. 2009).  ``where[j]`` is the tour that
# visits node j, or -1.
# ---------------------------------------------------------------------------------------------


@njit(cache=True)
def _sched(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver):
    """Time route k as early as possible; fill arr/st/ms; return the first late position or -1.

    Every call gives route k a new version number ``ver[k]`` (``ver[-1]`` counts them), which
    keys the caches of insertion positions and of local optima.
    """
    g = ver.shape[0] - 1
    ver[g] += 1
    ver[k] = ver[g]
    L = rlen[k]
    a = routes[k, 0]
    arr[k, 0] = t0[k]
    st[k, 0] = t0[k]
    bad = -1
    for p in range(1, L):
        b = routes[k, p]
        t = st[k, p - 1] + service[a] + travel[a, b]
        arr[k, p] = t
        if t < open_[b]:
            t = open_[b]
        st[k, p] = t
        if bad < 0:
            lim = endlim[k] if p == L - 1 else close[b]
            if t > lim:
                bad = p
        a = b
    ms[k, L - 1] = endlim[k] - st[k, L - 1]
    for p in range(L - 2, -1, -1):
        b = routes[k, p]
        x = close[b] - st[k, p]
        y = st[k, p + 1] - arr[k, p + 1] + ms[k, p + 1]
        ms[k, p] = x if x < y else y
    return bad


@njit(cache=True)
def _eval_ins(j, k, routes, rlen, arr, st, ms, service, travel, open_, close):
    """Cheapest feasible insertion of node j into route k: (shift, position after which to insert) or (INF, -1)."""
    best = INF
    bpos = -1
    L = rlen[k]
    cj = close[j]
    oj = open_[j]
    sj_ = service[j]
    for p in range(L - 1):
        if st[k, p] > cj:
            break
        a = routes[k, p]
        t = st[k, p] + service[a] + travel[a, j]
        if t > cj:
            continue
        if t < oj:
            t = oj
        b = routes[k, p + 1]
        shift = t + sj_ + travel[j, b] - arr[k, p + 1]
        if shift > st[k, p + 1] - arr[k, p + 1] + ms[k, p + 1]:
            continue
        if shift < best:
            best = shift
            bpos = p
    return best, bpos


@njit(cache=True)
def _insert_at(j, k, pos, routes, rlen, where):
    L = rlen[k]
    for p in range(L, pos + 1, -1):
        routes[k, p] = routes[k, p - 1]
    routes[k, pos + 1] = j
    rlen[k] = L + 1
    where[j] = k


@njit(cache=True)
def _remove_at(k, pos, routes, rlen, where):
    L = rlen[k]
    where[routes[k, pos]] = -1
    for p in range(pos, L - 1):
        routes[k, p] = routes[k, p + 1]
    rlen[k] = L - 1


@njit(cache=True)
def _fix_route(k, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver):
    """Re-time route k; while some visit is late (possible without the triangle inequality), drop it."""
    bad = _sched(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)
    while bad >= 0:
        if bad == rlen[k] - 1:
            bad -= 1
        if bad <= 0:
            break
        _remove_at(k, bad, routes, rlen, where)
        bad = _sched(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)


@njit(cache=True)
def _value(routes, rlen, where, value, travel):
    m = rlen.shape[0]
    sc = np.int64(0)
    tr = np.int64(0)
    for k in range(m):
        for p in range(rlen[k] - 1):
            tr += travel[routes[k, p], routes[k, p + 1]]
            if p > 0:
                sc += value[routes[k, p]]
    return sc, tr


@njit(cache=True)
def _load(src_routes, src_rlen, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver):
    m = rlen.shape[0]
    where[:] = -1
    for k in range(m):
        rlen[k] = src_rlen[k]
        for p in range(src_rlen[k]):
            routes[k, p] = src_routes[k, p]
        for p in range(1, rlen[k] - 1):
            where[routes[k, p]] = k
        _sched(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)
