"""Exact re-planning of the fixed-travel-time LNS: dynamic programming over subsets on stretches of a route.

Part of the search :class:`maas.tours.lns.Search` runs (compiled with numba when it is installed).
The kernels take the grouped arrays of :mod:`maas.tours.lns_arrays` (``pb`` the problem, ``s`` the
state, ``dp`` the tables).
"""

from __future__ import annotations

import numpy as np

from maas._jit import njit
from maas.tours.lns_moves import _keep_smallest
from maas.tours.lns_routes import INF, _sched


@njit(cache=True)
def dp_path(par, mask, last, nodes, out):
    """Write the places of a subset DP's best path into ``out``, last place first; return how many.

    ``par[mask, x]`` is the place before x on the best path visiting ``mask`` and ending at x
    (-1 for the first); ``nodes`` maps DP indices to places.  The timed search re-plans days with
    the same tables.
    """
    count = 0
    while last >= 0:
        out[count] = nodes[last]
        count += 1
        before = par[mask, last]
        mask ^= 1 << last
        last = before
    return count


@njit(cache=True)
def _dp_segment(pb, s, dp, k, i, j, kmax):
    """Re-plan the stretch of route k between positions i and j exactly (dynamic programming over subsets).

    The candidates are the visits strictly between i and j plus the unvisited nodes that fit
    there on their own, best value per unit of detour first, kmax in all.  The best order of
    the best subset that leaves on time from position i and reaches position j within its
    MaxShift replaces the stretch when it collects more value (or as much, arriving earlier).
    Returns the value gained (-1 when nothing changed).
    """
    routes, rlen, arr, st, ms, where = s.routes, s.rlen, s.arr, s.st, s.ms, s.where
    service, travel, open_, close, allowed, cand, value = pb.service, pb.travel, pb.open_, pb.close, pb.allowed, pb.cand, pb.value
    tbl, par, msc, cnodes, ckey = dp.tbl, dp.par, dp.msc, dp.nodes, dp.key
    a = routes[k, i]
    b = routes[k, j]
    dep = st[k, i] + service[a]
    limit = st[k, j] + ms[k, j]  # latest arrival at b that keeps the rest of the route on time
    nc = 0
    cur_val = 0
    for p in range(i + 1, j):
        cnodes[nc] = routes[k, p]
        cur_val += value[routes[k, p]]
        nc += 1
    if nc > kmax:
        return -1
    # unvisited candidates that fit alone, ranked by value per unit of detour
    nu = 0
    for c in range(cand.shape[0]):
        u = cand[c]
        if where[u] >= 0 or not allowed[u, k]:
            continue
        t = dep + travel[a, u]
        if t > close[u]:
            continue
        if t < open_[u]:
            t = open_[u]
        if t + service[u] + travel[u, b] > limit:
            continue
        ckey[nu] = -value[u] / (travel[a, u] + travel[u, b] + service[u] + 1.0)
        cnodes[kmax + nu] = u
        nu += 1
    if nu > 0:
        take = kmax - nc
        if take > nu:
            take = nu
        _keep_smallest(cnodes[kmax:], ckey, nu, take)
        for r in range(take):
            cnodes[nc + r] = cnodes[kmax + r]
        nc += take
    if nc == 0:
        return -1
    full = 1 << nc
    for mask in range(full):
        for x in range(nc):
            tbl[mask, x] = INF
    msc[0] = 0
    for mask in range(1, full):
        low = mask & (-mask)
        x = 0
        while (1 << x) != low:
            x += 1
        msc[mask] = msc[mask ^ low] + value[cnodes[x]]
    for x in range(nc):
        u = cnodes[x]
        t = dep + travel[a, u]
        if t <= close[u]:
            if t < open_[u]:
                t = open_[u]
            tbl[1 << x, x] = t
            par[1 << x, x] = -1
    best_val = -1
    best_arr = INF
    best_mask = 0
    best_last = -1
    t = dep + travel[a, b]
    if t <= limit:
        best_val = 0
        best_arr = t
    for mask in range(1, full):
        for x in range(nc):
            tx = tbl[mask, x]
            if tx >= INF:
                continue
            u = cnodes[x]
            out = tx + service[u]
            tb = out + travel[u, b]
            if tb <= limit:
                if msc[mask] > best_val or (msc[mask] == best_val and tb < best_arr):
                    best_val = msc[mask]
                    best_arr = tb
                    best_mask = mask
                    best_last = x
            for y in range(nc):
                bit = 1 << y
                if mask & bit:
                    continue
                v = cnodes[y]
                ty = out + travel[u, v]
                if ty > close[v]:
                    continue
                if ty < open_[v]:
                    ty = open_[v]
                m2 = mask | bit
                if ty < tbl[m2, y]:
                    tbl[m2, y] = ty
                    par[m2, y] = x
    if best_val < cur_val or (best_val == cur_val and best_arr >= arr[k, j]):
        return -1
    # rebuild: prefix, the DP path, suffix
    path_len = dp_path(par, best_mask, best_last, cnodes, ckey)
    L = rlen[k]
    old_mid = j - i - 1
    for p in range(i + 1, j):
        where[routes[k, p]] = -1
    shift = path_len - old_mid
    if shift > 0:
        for p in range(L - 1, j - 1, -1):
            routes[k, p + shift] = routes[k, p]
    elif shift < 0:
        for p in range(j, L):
            routes[k, p + shift] = routes[k, p]
    for r in range(path_len):
        u = np.int64(ckey[path_len - 1 - r])
        routes[k, i + 1 + r] = u
        where[u] = k
    rlen[k] = L + shift
    _sched(pb, s, k)
    return best_val - cur_val


@njit(cache=True)
def _dp_sweep(pb, s, dp, kmax, seg_max):
    """Apply :func:`_dp_segment` along every route (windows of up to seg_max visits) until nothing improves; return the value gained."""
    rlen = s.rlen
    m = rlen.shape[0]
    gained = 0
    improved = True
    while improved:
        improved = False
        for k in range(m):
            i = 0
            while i < rlen[k] - 1:
                for span in range(seg_max + 1, 0, -1):
                    j = i + span
                    if j > rlen[k] - 1:
                        continue
                    g = _dp_segment(pb, s, dp, k, i, j, kmax)
                    if g >= 0:
                        gained += g
                        improved = True
                        break
                i += 1
    return gained
