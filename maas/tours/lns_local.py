"""Local search of the fixed-travel-time LNS: 2-opt and or-opt within a route while it stays on time.

Part of the search :class:`maas.tours.lns.Search` runs (compiled with numba when it is installed).
The kernels take the grouped arrays of :mod:`maas.tours.lns_arrays` (``pb`` the problem, ``s`` the state).
"""

from __future__ import annotations

import numpy as np

from maas._jit import njit
from maas.tours.lns_routes import _sched


@njit(cache=True, inline="always")
def _seq_ok(pb, seq, L, k):
    """Whether visiting seq[0:L] (start ... end) is on time for tour k."""
    service, travel, open_, close, endlim = pb.service, pb.travel, pb.open_, pb.close, pb.endlim
    t = pb.t0[k]
    a = seq[0]
    for p in range(1, L):
        b = seq[p]
        t += service[a] + travel[a, b]
        if t < open_[b]:
            t = open_[b]
        if p == L - 1:
            if t > endlim[k]:
                return False
        elif t > close[b]:
            return False
        a = b
    return True


@njit(cache=True)
def _adopt(pb, s, tmp, L, k):
    """Make the order tmp[0:L] route k when it keeps the route on time; return whether it did (the caller re-times it)."""
    if not _seq_ok(pb, tmp, L, k):
        return False
    for p in range(L):
        s.routes[k, p] = tmp[p]
    return True


@njit(cache=True)
def _improve_route(pb, s, k, tmp):
    """2-opt and or-opt (segments of 1-3 visits) on route k while the travel time drops and the route stays on time.

    ``tmp`` holds the orders tried.  Returns whether the route changed (it is then re-timed).
    """
    routes, rlen, travel = s.routes, s.rlen, pb.travel
    improved_any = False
    improved = True
    while improved:
        improved = False
        L = rlen[k]
        # 2-opt: reverse routes[k, i..j]
        for i in range(1, L - 2):
            if improved:
                break
            a = routes[k, i - 1]
            b = routes[k, i]
            inner = np.int64(0)
            inner_rev = np.int64(0)
            for j in range(i + 1, L - 1):
                c = routes[k, j]
                d = routes[k, j + 1]
                x = routes[k, j - 1]
                inner += travel[x, c]
                inner_rev += travel[c, x]
                delta = travel[a, c] + travel[b, d] - travel[a, b] - travel[c, d] + inner_rev - inner
                if delta < 0:
                    for p in range(L):
                        tmp[p] = routes[k, p]
                    for p in range(i, j + 1):
                        tmp[p] = routes[k, i + j - p]
                    if _adopt(pb, s, tmp, L, k):
                        improved = True
                        break
        if improved:
            improved_any = True
            continue
        # or-opt: move routes[k, i..i+sl-1] to between positions p and p+1 (elsewhere)
        for sl in range(1, 4):
            if improved:
                break
            for i in range(1, L - sl):
                if improved:
                    break
                a = routes[k, i - 1]
                f = routes[k, i]
                g = routes[k, i + sl - 1]
                b = routes[k, i + sl]
                rem = travel[a, b] - travel[a, f] - travel[g, b]
                for p in range(L - 1):
                    if p >= i - 1 and p <= i + sl - 1:
                        continue
                    c = routes[k, p]
                    d = routes[k, p + 1]
                    delta = rem + travel[c, f] + travel[g, d] - travel[c, d]
                    if delta < 0:
                        q = 0
                        for r in range(L):
                            if r >= i and r < i + sl:
                                continue
                            tmp[q] = routes[k, r]
                            q += 1
                            if r == p:
                                for z in range(sl):
                                    tmp[q] = routes[k, i + z]
                                    q += 1
                        if _adopt(pb, s, tmp, L, k):
                            improved = True
                            break
        if improved:
            improved_any = True
    if improved_any:
        _sched(pb, s, k)
    return improved_any
