"""Route timing and bookkeeping of the fixed-travel-time LNS: time a route with Wait/MaxShift, evaluate and make insertions, remove visits, load solutions.

Part of the search :class:`maas.tours.lns.Search` runs (compiled with numba when it is installed).
The kernels take the grouped arrays of :mod:`maas.tours.lns_arrays`: ``pb`` the
:class:`~maas.tours.lns_arrays.Problem`, ``s`` the :class:`~maas.tours.lns_arrays.State`.

The small helpers the inner loops call (:func:`_sched`, :func:`_eval_ins`, :func:`_insert_at`,
:func:`_remove_at`, and :func:`maas.tours.lns_local._seq_ok`) are inlined by numba
(``inline="always"``): a compiled call passes every field of every array of each named tuple
(pointers, shapes, strides), and those calls made the search about 8 % slower than with the
few arrays each helper needs; inlined, it is 5-10 % faster than that, for some
seconds more of compiling once (the compiled code is cached).
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


@njit(cache=True, inline="always")
def _sched(pb, s, k):
    """Time route k as early as possible; fill arr/st/ms; return the first late position or -1.

    Every call gives route k a new version number ``ver[k]`` (``ver[-1]`` counts them), which
    keys the caches of insertion positions and of local optima.
    """
    routes, arr, st, ms, ver = s.routes, s.arr, s.st, s.ms, s.ver
    service, travel, open_, close, endlim = pb.service, pb.travel, pb.open_, pb.close, pb.endlim
    g = ver.shape[0] - 1
    ver[g] += 1
    ver[k] = ver[g]
    L = s.rlen[k]
    a = routes[k, 0]
    arr[k, 0] = pb.t0[k]
    st[k, 0] = pb.t0[k]
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


@njit(cache=True, inline="always")
def _eval_ins(pb, s, j, k):
    """Cheapest feasible insertion of node j into route k: (shift, position after which to insert) or (INF, -1)."""
    routes, arr, st, ms = s.routes, s.arr, s.st, s.ms
    service, travel = pb.service, pb.travel
    best = INF
    bpos = -1
    L = s.rlen[k]
    cj = pb.close[j]
    oj = pb.open_[j]
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


@njit(cache=True, inline="always")
def _insert_at(s, j, k, pos):
    """Put node j into route k after position pos (the route is re-timed by the caller)."""
    routes = s.routes
    L = s.rlen[k]
    for p in range(L, pos + 1, -1):
        routes[k, p] = routes[k, p - 1]
    routes[k, pos + 1] = j
    s.rlen[k] = L + 1
    s.where[j] = k


@njit(cache=True, inline="always")
def _remove_at(s, k, pos):
    """Take the visit at position pos out of route k (the route is re-timed by the caller)."""
    routes = s.routes
    L = s.rlen[k]
    s.where[routes[k, pos]] = -1
    for p in range(pos, L - 1):
        routes[k, p] = routes[k, p + 1]
    s.rlen[k] = L - 1


@njit(cache=True)
def _fix_route(pb, s, k):
    """Re-time route k; while some visit is late (possible without the triangle inequality), drop it."""
    bad = _sched(pb, s, k)
    while bad >= 0:
        if bad == s.rlen[k] - 1:
            bad -= 1
        if bad <= 0:
            break
        _remove_at(s, k, bad)
        bad = _sched(pb, s, k)


@njit(cache=True)
def _value(pb, s):
    """(value collected, travel time) of the solution in ``s``."""
    routes, rlen, value, travel = s.routes, s.rlen, pb.value, pb.travel
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
def _load(pb, s, src_routes, src_rlen):
    """Make ``s`` the routes ``src_routes[k, 0:src_rlen[k]]``, timed (late visits are not dropped here)."""
    routes, rlen, where = s.routes, s.rlen, s.where
    m = rlen.shape[0]
    where[:] = -1
    for k in range(m):
        rlen[k] = src_rlen[k]
        for p in range(src_rlen[k]):
            routes[k, p] = src_routes[k, p]
        for p in range(1, rlen[k] - 1):
            where[routes[k, p]] = k
        _sched(pb, s, k)
