"""Destroy and repair moves of the fixed-travel-time LNS: greedy time-window-aware insertion, and the removal rules.

Part of the search :class:`maas.tours.lns.Search` runs (compiled with numba when it is installed).
The kernels take the grouped arrays of :mod:`maas.tours.lns_arrays` (``pb`` the problem, ``s``
the state, ``wk`` the buffers and caches).
"""

from __future__ import annotations

import numpy as np

from maas._jit import njit
from maas.tours.lns_routes import _eval_ins, _fix_route, _insert_at, _remove_at, _sched


@njit(cache=True)
def _repair(pb, s, wk, weight, noise, power):
    """Greedy time-window-aware insertion: insert the unvisited node with the best weight^power / (shift + 1) until none fits.

    ``shift`` is the time the insertion takes out of the route (travel detour, waiting and
    service), evaluated in O(1) per position with the MaxShift values; each node's best
    position per route is cached and only the changed route is re-evaluated.  ``weight`` is
    ``pb.weight`` or a step's own (``wk.wtmp``).  Returns how many nodes were inserted.
    """
    cand, allowed, where, ver = pb.cand, pb.allowed, s.where, s.ver
    w, bshift, bpos, cver = wk.w, wk.bshift, wk.bpos, wk.cver
    m = s.rlen.shape[0]
    nc = cand.shape[0]
    for c in range(nc):
        x = weight[cand[c]]
        if noise > 0.0:
            x *= 1.0 + noise * (2.0 * np.random.random() - 1.0)
        w[c] = x**power
    for c in range(nc):
        j = cand[c]
        if where[j] >= 0:
            continue
        for k in range(m):
            if cver[c, k] == ver[k]:
                continue  # route k unchanged since this node's best position there was found
            cver[c, k] = ver[k]
            if allowed[j, k]:
                sh, q = _eval_ins(pb, s, j, k)
                bshift[c, k] = sh
                bpos[c, k] = q
            else:
                bpos[c, k] = -1
    n_ins = 0
    while True:
        best = -1.0
        bc = -1
        bk = -1
        for c in range(nc):
            if where[cand[c]] >= 0:
                continue
            for k in range(m):
                if bpos[c, k] >= 0:
                    sh = bshift[c, k]
                    if sh < 0:
                        sh = 0
                    r = w[c] / (sh + 1.0)
                    if r > best:
                        best = r
                        bc = c
                        bk = k
        if bc < 0:
            break
        j = cand[bc]
        vk_old = ver[bk]
        _insert_at(s, j, bk, bpos[bc, bk])
        _sched(pb, s, bk)
        n_ins += 1
        for c in range(nc):
            if where[cand[c]] >= 0:
                continue
            if cver[c, bk] == vk_old:
                cver[c, bk] = ver[bk]
                if bpos[c, bk] < 0:
                    continue  # no room before the insertion, none after it either
                sh, q = _eval_ins(pb, s, cand[c], bk)
                bshift[c, bk] = sh
                bpos[c, bk] = q
    return n_ins


@njit(cache=True)
def _remove_nodes(pb, s, nodes, cnt, touched):
    """Remove nodes[0:cnt] from their routes and re-time the routes touched (``touched[k]`` says which)."""
    routes, rlen, where = s.routes, s.rlen, s.where
    m = rlen.shape[0]
    for k in range(m):
        touched[k] = False
    for i in range(cnt):
        j = nodes[i]
        k = where[j]
        if k < 0:
            continue
        for p in range(1, rlen[k] - 1):
            if routes[k, p] == j:
                _remove_at(s, k, p)
                touched[k] = True
                break
    for k in range(m):
        if touched[k]:
            _fix_route(pb, s, k)


@njit(cache=True)
def _keep_smallest(items, key, n, q):
    """Move the q items of items[0:n] with the smallest key to the front, in order (partial selection sort)."""
    for i in range(q):
        b = i
        for r in range(i + 1, n):
            if key[r] < key[b]:
                b = r
        if b != i:
            x = items[i]
            items[i] = items[b]
            items[b] = x
            y = key[i]
            key[i] = key[b]
            key[b] = y


@njit(cache=True)
def _destroy(pb, s, wk, kind, q):
    """Remove about q visits chosen by one of several rules; returns how many were removed.

    Rule 4 (make room for an unvisited node) leaves that node in ``force[0]`` (else -1) so that
    the repair inserts it first.  The removed nodes are ``wk.buf[0:count]``.
    """
    routes, rlen, arr, st, where = s.routes, s.rlen, s.arr, s.st, s.where
    service, travel, cand, weight = pb.service, pb.travel, pb.cand, pb.weight
    buf, key, force = wk.buf, wk.key, wk.force
    m = rlen.shape[0]
    force[0] = -1
    nv = 0
    for k in range(m):
        for p in range(1, rlen[k] - 1):
            buf[nv] = routes[k, p]
            nv += 1
    if nv == 0:
        return 0
    if q > nv:
        q = nv
    if kind == 0:  # random visits
        for i in range(q):
            r = i + np.random.randint(nv - i)
            x = buf[i]
            buf[i] = buf[r]
            buf[r] = x
        cnt = q
    elif kind == 1 or kind == 2:  # a consecutive stretch of one route (1) or of every route (2)
        cnt = 0
        k0 = routes.shape[0]
        if kind == 1:
            # a random non-empty route
            ks = np.random.randint(nv)
            j = buf[ks]
            k0 = where[j]
        for k in range(m):
            if kind == 1 and k != k0:
                continue
            nk = rlen[k] - 2
            if nk <= 0:
                continue
            ln = q if kind == 1 else 1 + np.random.randint(q)
            if ln > nk:
                ln = nk
            p0 = 1 + np.random.randint(nk - ln + 1)
            for p in range(p0, p0 + ln):
                buf[cnt] = routes[k, p]
                cnt += 1
    elif kind == 3 or kind == 4:  # related to a visited (3) or an unvisited (4) node: the nearest visits
        if kind == 3:
            u = buf[np.random.randint(nv)]
        else:
            nu = 0
            for c in range(cand.shape[0]):
                if where[cand[c]] < 0:
                    nu += 1
            if nu == 0:
                u = buf[np.random.randint(nv)]
            else:
                r = np.random.randint(nu)
                u = -1
                for c in range(cand.shape[0]):
                    if where[cand[c]] < 0:
                        if r == 0:
                            u = cand[c]
                            break
                        r -= 1
                force[0] = u
        for i in range(nv):
            v = buf[i]
            key[i] = (travel[u, v] + travel[v, u]) * (0.8 + 0.4 * np.random.random())
        _keep_smallest(buf, key, nv, q)
        cnt = q
    elif kind == 6:  # the visits whose service starts nearest a random time, over all tours
        lo = pb.t0.min()
        hi = pb.endlim.max()
        t = lo + np.random.random() * (hi - lo)
        i = 0
        for k in range(m):
            for p in range(1, rlen[k] - 1):
                key[i] = abs(st[k, p] - t) * (0.8 + 0.4 * np.random.random())
                i += 1
        _keep_smallest(buf, key, nv, q)
        cnt = q
    else:  # lowest weight per unit of time the visit takes, randomised
        i = 0
        for k in range(m):
            for p in range(1, rlen[k] - 1):
                a = routes[k, p - 1]
                j = routes[k, p]
                b = routes[k, p + 1]
                saving = travel[a, j] + service[j] + travel[j, b] - travel[a, b] + (st[k, p] - arr[k, p])
                if saving < 0:
                    saving = 0
                key[i] = weight[j] / (saving + 1.0) * (0.5 + np.random.random())
                i += 1
        _keep_smallest(buf, key, nv, q)
        cnt = q
    _remove_nodes(pb, s, buf, cnt, wk.touched)
    return cnt
