"""The compiled moves of the tours' large-neighbourhood search (no OR-Tools here).

:class:`Search` holds one search's arrays and calls the kernels below, which numba
compiles when it is installed (plain Python otherwise: same answers, much slower).
:mod:`maas.tours.solver` schedules the search, recombines its routes with CP-SAT and
is the entry point.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from maas._jit import njit
from maas.tours.model import Orienteering, unusable_tours

INF = np.int64(1) << np.int64(60)


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
def _repair(routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver, allowed, cand, weight, noise, power, bshift, bpos, cver, w):
    """Greedy time-window-aware insertion: insert the unvisited node with the best weight^power / (shift + 1) until none fits.

    ``shift`` is the time the insertion takes out of the route (travel detour, waiting and
    service), evaluated in O(1) per position with the MaxShift values; each node's best
    position per route is cached and only the changed route is re-evaluated.
    """
    m = rlen.shape[0]
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
                s, q = _eval_ins(j, k, routes, rlen, arr, st, ms, service, travel, open_, close)
                bshift[c, k] = s
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
                    s = bshift[c, k]
                    if s < 0:
                        s = 0
                    r = w[c] / (s + 1.0)
                    if r > best:
                        best = r
                        bc = c
                        bk = k
        if bc < 0:
            break
        j = cand[bc]
        vk_old = ver[bk]
        _insert_at(j, bk, bpos[bc, bk], routes, rlen, where)
        _sched(bk, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)
        n_ins += 1
        for c in range(nc):
            if where[cand[c]] >= 0:
                continue
            if cver[c, bk] == vk_old:
                cver[c, bk] = ver[bk]
                if bpos[c, bk] < 0:
                    continue  # no room before the insertion, none after it either
                s, q = _eval_ins(cand[c], bk, routes, rlen, arr, st, ms, service, travel, open_, close)
                bshift[c, bk] = s
                bpos[c, bk] = q
    return n_ins


@njit(cache=True)
def _remove_nodes(nodes, cnt, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver, touched):
    """Remove nodes[0:cnt] from their routes and re-time the routes touched."""
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
                _remove_at(k, p, routes, rlen, where)
                touched[k] = True
                break
    for k in range(m):
        if touched[k]:
            _fix_route(k, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver)


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
def _destroy(kind, q, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver, weight, cand, buf, key, touched, force):
    """Remove about q visits chosen by one of several rules; returns how many were removed.

    Rule 4 (make room for an unvisited node) leaves that node in ``force[0]`` (else -1) so that
    the repair inserts it first.
    """
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
            s = buf[np.random.randint(nv)]
        else:
            nu = 0
            for c in range(cand.shape[0]):
                if where[cand[c]] < 0:
                    nu += 1
            if nu == 0:
                s = buf[np.random.randint(nv)]
            else:
                r = np.random.randint(nu)
                s = -1
                for c in range(cand.shape[0]):
                    if where[cand[c]] < 0:
                        if r == 0:
                            s = cand[c]
                            break
                        r -= 1
                force[0] = s
        for i in range(nv):
            v = buf[i]
            key[i] = (travel[s, v] + travel[v, s]) * (0.8 + 0.4 * np.random.random())
        _keep_smallest(buf, key, nv, q)
        cnt = q
    elif kind == 6:  # the visits whose service starts nearest a random time, over all tours
        lo = t0.min()
        hi = endlim.max()
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
    _remove_nodes(buf, cnt, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver, touched)
    return cnt


@njit(cache=True)
def _seq_ok(seq, L, k, service, travel, open_, close, t0, endlim, ver):
    """Whether visiting seq[0:L] (start ... end) is on time for tour k."""
    t = t0[k]
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
def _adopt(tmp, L, k, routes, service, travel, open_, close, t0, endlim, ver):
    """Make the order tmp[0:L] route k when it keeps the route on time; return whether it did."""
    if not _seq_ok(tmp, L, k, service, travel, open_, close, t0, endlim, ver):
        return False
    for p in range(L):
        routes[k, p] = tmp[p]
    return True


@njit(cache=True)
def _improve_route(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver, tmp):
    """2-opt and or-opt (segments of 1-3 visits) on route k while the travel time drops and the route stays on time."""
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
                    if _adopt(tmp, L, k, routes, service, travel, open_, close, t0, endlim, ver):
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
                        if _adopt(tmp, L, k, routes, service, travel, open_, close, t0, endlim, ver):
                            improved = True
                            break
        if improved:
            improved_any = True
    if improved_any:
        _sched(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)
    return improved_any


@njit(cache=True)
def _dp_segment(k, i, j, kmax, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver,
                allowed, cand, value, tbl, par, msc, cnodes, ckey):
    """Re-plan the stretch of route k between positions i and j exactly (dynamic programming over subsets).

    The candidates are the visits strictly between i and j plus the unvisited nodes that fit
    there on their own, best value per unit of detour first, kmax in all.  The best order of
    the best subset that leaves on time from position i and reaches position j within its
    MaxShift replaces the stretch when it collects more value (or as much, arriving earlier).
    Returns the value gained (-1 when nothing changed).
    """
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
    path_len = 0
    mask = best_mask
    x = best_last
    while x >= 0:
        ckey[path_len] = cnodes[x]
        path_len += 1
        px = par[mask, x]
        mask ^= 1 << x
        x = px
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
    _sched(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)
    return best_val - cur_val


@njit(cache=True)
def _dp_sweep(kmax, seg_max, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver,
              allowed, cand, value, tbl, par, msc, cnodes, ckey):
    """Apply :func:`_dp_segment` along every route (windows of up to seg_max visits) until nothing improves."""
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
                    g = _dp_segment(k, i, j, kmax, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver,
                                    allowed, cand, value, tbl, par, msc, cnodes, ckey)
                    if g >= 0:
                        gained += g
                        improved = True
                        break
                i += 1
    return gained


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
def seed_rng(s):
    """Seed the random numbers the compiled search draws (numba keeps its own generator)."""
    np.random.seed(s)


@njit(cache=True)
def _lns(
    n_iter, prm, ops, op_w, tmp, wtmp,
    routes, rlen, arr, st, ms, where,
    service, travel, open_, close, t0, endlim, ver, allowed, cand, weight, value,
    bshift, bpos, cver, w, buf, key, touched,
    cur, best, b_routes, b_rlen, k_routes, k_rlen, k_where, k_ver, ls_ver, counters, force,
):
    """Run n_iter destroy-and-repair steps with simulated-annealing acceptance at temperature temp.

    ``cur``/``best`` hold (value, travel) of the current and best solutions; ``b_*`` the best
    routes, ``k_*`` the backup used to undo a rejected step.  ``counters``: [iterations,
    iterations since the best improved, accepted].
    """
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
        k_where[:] = where
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
        cnt = _destroy(kind, q, routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver, weight, cand, buf, key, touched, force)
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
                    sh, q2 = _eval_ins(u, k, routes, rlen, arr, st, ms, service, travel, open_, close)
                    if q2 >= 0 and sh < bs:
                        bs = sh
                        bk = k
                        bp = q2
            if bk >= 0:
                _insert_at(u, bk, bp, routes, rlen, where)
                _sched(bk, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)
        power = 1.0 if np.random.random() < 0.5 else 2.0
        _repair(routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver, allowed, cand, wtmp, noise, power, bshift, bpos, cver, w)
        if tabu < 1.0:
            for i in range(cnt):
                wtmp[buf[i]] = weight[buf[i]]
        sc, tr = _value(routes, rlen, where, value, travel)
        if ls_mode == 2 or (ls_mode == 1 and sc >= cur[0]):
            any_ls = False
            for k in range(m):
                if ls_ver[k] == ver[k]:
                    continue
                if _improve_route(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver, tmp):
                    any_ls = True
                ls_ver[k] = ver[k]
            if any_ls:
                _repair(routes, rlen, arr, st, ms, where, service, travel, open_, close, t0, endlim, ver, allowed, cand, weight, noise, power, bshift, bpos, cver, w)
                sc, tr = _value(routes, rlen, where, value, travel)
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
                    b_rlen[k] = rlen[k]
                    for p in range(rlen[k]):
                        b_routes[k, p] = routes[k, p]
        else:
            for k in range(m):
                if ver[k] == k_ver[k]:
                    continue  # untouched by the step
                rlen[k] = k_rlen[k]
                for p in range(k_rlen[k]):
                    routes[k, p] = k_routes[k, p]
                _sched(k, routes, rlen, arr, st, ms, service, travel, open_, close, t0, endlim, ver)
                ver[k] = k_ver[k]  # the same content as before: its cached positions hold again
            where[:] = k_where
        if alns > 0:
            op_w[oi] = (1.0 - alns) * op_w[oi] + alns * reward
            if op_w[oi] < 0.05:
                op_w[oi] = 0.05


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

    def prob(self):
        return (self.service, self.travel, self.open, self.close, self.t0, self.endlim, self.ver)

    def state(self):
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
        return int(_dp_sweep(kmax, seg_max, *self.state(), *self.prob(), self.allowed, self.cand, self.value,
                             self.dp_tbl, self.dp_par, self.dp_msc, self.dp_nodes, self.dp_key))

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
            n_iter, prm, ops, op_w, self.tmp, self.wtmp,
            *self.state(), *self.prob(), self.allowed, self.cand, self.weight, self.value,
            self.bshift, self.bpos, self.cver, self.w, self.buf, self.key, self.touched,
            self.cur, self.best, self.b_routes, self.b_rlen, self.k_routes, self.k_rlen, self.k_where, self.k_ver, self.ls_ver, self.counters, self.force,
        )

    def restore_best(self) -> None:
        _load(self.b_routes, self.b_rlen, *self.state(), *self.prob())
        self.cur[:] = self.best

    def best_tours(self) -> list[list[int]]:
        return [[int(x) for x in self.b_routes[k, 1 : self.b_rlen[k] - 1]] for k in range(self.m)]
