"""Solve an :class:`~maas.tours.model.Orienteering` problem (the only module that imports OR-Tools).

:func:`solve` is the entry point.  Two methods:

``"lns"`` (default): a large-neighbourhood search with simulated-annealing acceptance,
compiled with numba when it is installed (plain Python otherwise: same answers, much
slower).  Each step removes some visits (at random, a stretch of one or of every tour,
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

import time

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from maas._jit import njit
from maas.tours.model import Orienteering, TourSolution, check, evaluate, schedule

INF = np.int64(1) << np.int64(60)


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
                    if _seq_ok(tmp, L, k, service, travel, open_, close, t0, endlim, ver):
                        for p in range(L):
                            routes[k, p] = tmp[p]
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
                for p in range(0, L - 1):
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
                        if _seq_ok(tmp, L, k, service, travel, open_, close, t0, endlim, ver):
                            for r in range(L):
                                routes[k, r] = tmp[r]
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
def _seed(s):
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
    temp = prm[0]
    qmax = int(prm[1])
    noise = prm[2]
    force_on = prm[3] > 0
    ls_mode = int(prm[4])
    eq_accept = prm[5]
    alns = prm[6]
    qpow = prm[7]
    tabu = prm[8]
    for it in range(n_iter):
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


def unusable_tours(problem: Orienteering) -> list[int]:
    """Tours that cannot even go straight from their start to their end within their window."""
    p = problem
    out = []
    for k in range(p.n_tours):
        s, e = p.starts[k], p.ends[k]
        t = max(p.tour_open[k], int(p.open[s]))
        if t > p.close[s]:
            out.append(k)
            continue
        t = max(t + int(p.service[s]) + int(p.travel[s, e]), int(p.open[e]))
        if t > min(p.tour_close[k], int(p.close[e])):
            out.append(k)
    return out


def clean_tours(problem: Orienteering, tours) -> list[list[int]]:
    """Make ``tours`` valid: keep one list per tour, drop unknown nodes, depots, repeats and visits the tour may not make,
    then drop late visits (the first one each time) until every tour is on time."""
    p = problem
    depots = p.depots
    seen: set[int] = set()
    out: list[list[int]] = []
    bad_tours = set(unusable_tours(p))
    tours = list(tours or [])[: p.n_tours]
    tours += [[] for _ in range(p.n_tours - len(tours))]
    for k, tour in enumerate(tours):
        keep = []
        for j in tour:
            if isinstance(j, bool) or not isinstance(j, (int, np.integer)):
                continue
            j = int(j)
            if not 0 <= j < p.n or j in depots or j in seen or not p.may_visit(j, k) or k in bad_tours:
                continue
            seen.add(j)
            keep.append(j)
        while keep:
            times, _, errors = schedule(p, k, keep)
            if not errors:
                break
            late = next((i for i, (j, t) in enumerate(zip(keep, times)) if t > p.close[j]), len(keep) - 1)
            del keep[late]
        out.append(keep)
    return out


class _Search:
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

    def run(self, n_iter: int, prm: np.ndarray, ops: np.ndarray, op_w: np.ndarray) -> None:
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
        x = [model.NewBoolVar(f"r{i}") for i in range(len(items))]
        by_class: dict[int, list] = {}
        by_node: dict[int, list] = {}
        for var, ((cls, nodes), _) in zip(x, items):
            by_class.setdefault(cls, []).append(var)
            for j in nodes:
                by_node.setdefault(j, []).append(var)
        for cls, vars_ in by_class.items():
            model.Add(sum(vars_) <= self.class_size[cls])
        for vars_ in by_node.values():
            if len(vars_) > 1:
                model.AddAtMostOne(vars_)
        big = sum(t for _, (_, t) in items) + 1
        model.Maximize(sum(var * (sc * big - tr) for var, (_, (sc, tr)) in zip(x, items)))
        if hint:
            index = {key: i for i, (key, _) in enumerate(items)}
            chosen = {index.get((self.tour_class[k], tuple(t))) for k, t in enumerate(hint) if t}
            for i, var in enumerate(x):
                model.AddHint(var, i in chosen)
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


#: Search settings (tuned on the OPTW/TOPTW benchmark, see bench/RESULTS-optw.md).
DEFAULTS = {
    "t0_frac": 1.0,  # start temperature, as a fraction of the mean score of a candidate node
    "qfrac": 0.4,  # at most this fraction of the visits is removed per step
    "qpow": 1.0,  # q = 1 + qmax * u**qpow with u uniform in [0, 1): above 1, small removals are more frequent
    "noise": 0.2,  # relative noise on the scores during a repair
    "ops": (0, 1, 2, 3, 4, 5),  # removal rules used (see _destroy)
    "restart": 0,  # go back to the best solution after this many steps without improving it (0: never)
    "force": 1,  # rule 4 inserts the node it made room for first
    "ls": 1,  # 2-opt / or-opt after a repair: 0 never, 1 when the step did not lose score, 2 always
    "eq_accept": 0.5,  # probability of accepting a step that keeps the score but lengthens travel
    "alns": 0.0,  # reaction factor of adaptive removal-rule weights (0: uniform choice)
    "cool": 0,  # temperature schedule: 0 linear to 0, 1 geometric to 1 %
    "tabu": 1.0,  # weight factor, during the repair, of the visits the step removed (1: none)
    "dp": 1,  # re-plan stretches of the best solution exactly (dynamic programming) when it improves
    "dp_k": 10,  # at most this many candidate visits per stretch (2**dp_k subsets)
    "dp_seg": 4,  # stretches of up to this many visits
    "dp_gap": 0.05,  # at least this share of a run between two re-plannings
    "segments": 1,  # independent annealing runs the budget is split into
    "kick": 1.0,  # fraction of the best solution's visits removed to start a new run (1: start afresh)
    "pack": 1,  # for several tours: recombine pooled routes by set packing (CP-SAT) after each run
    "pack_time": 0.04,  # share of the budget for each packing
    "cpu_clock": 0,  # measure the time limit in CPU time of this process (fair comparisons on a busy machine)
}


def solve_lns(problem: Orienteering, time_limit_s: float, seed: int = 0, initial=None, iterations: int | None = None, config: dict | None = None):
    """The LNS proper: returns (best tours, counters [steps, steps since the best improved, accepted]).

    The budget (time, or ``iterations``) is split into ``segments`` runs of simulated
    annealing; each later run starts from the best solution so far after removing a
    ``kick`` fraction of its visits at random (or from a new noisy greedy solution when
    ``kick`` is 1).
    """
    cfg = dict(DEFAULTS)
    if config:
        unknown = set(config) - set(cfg)
        if unknown:
            raise ValueError(f"unknown search options {sorted(unknown)}")
        cfg.update(config)
    clock = time.process_time if cfg["cpu_clock"] else time.perf_counter
    t_start = clock()
    s = _Search(problem)
    _seed(seed)
    s.load(clean_tours(problem, initial) if initial is not None else [[] for _ in range(s.m)])
    s.settle()
    s.mark_best()
    if len(s.cand) == 0:
        return s.best_tours(), s.counters.copy()
    mean_w = float(np.mean(s.weight[s.cand]))
    temp0 = cfg["t0_frac"] * mean_w
    ops_arr = np.array(cfg["ops"], dtype=np.int64)
    op_w = np.ones(len(ops_arr))
    prm = np.array([0.0, 2, cfg["noise"], cfg["force"], cfg["ls"], cfg["eq_accept"], cfg["alns"], cfg["qpow"], cfg["tabu"]], dtype=np.float64)
    restart = int(cfg["restart"])
    segments = max(1, int(cfg["segments"]))
    dp_on = bool(cfg["dp"])
    dp_k, dp_seg = int(cfg["dp_k"]), int(cfg["dp_seg"])
    pool = _RoutePool(problem) if cfg["pack"] and s.m > 1 else None
    budget = float(time_limit_s) if iterations is None else None
    total_steps = 0
    packs_won = 0
    best_key = (int(s.best[0]), -int(s.best[1]))
    best_tours = s.best_tours()
    for seg in range(segments):
        seg_start = clock()
        if iterations is not None:
            seg_iters = iterations // segments + (1 if seg < iterations % segments else 0)
        else:
            reserve = float(cfg["pack_time"]) * time_limit_s * (segments - seg) if pool is not None else 0.0
            seg_len = (t_start + time_limit_s - seg_start - reserve) / (segments - seg)
            if seg_len <= 0:
                break
        if seg > 0:
            s.load(best_tours)
            s.kick(float(cfg["kick"]), float(cfg["noise"]), 1.0 + seg % 2)
            s.mark_best()
        s.counters[:] = 0
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
            nv = int(np.sum(s.rlen - 2))
            qmax = max(2, int(cfg["qfrac"] * nv))
            if cfg["cool"] == 1:
                temp = temp0 * (0.01**frac)
            else:
                temp = temp0 * (1.0 - frac)
            prm[0] = temp
            prm[1] = qmax
            c0 = clock()
            s.run(n_it, prm, ops_arr, op_w)
            dt = clock() - c0
            done += n_it
            if pool is not None:
                pool.add(s.routes, s.rlen, s.value, s.travel)
            if dp_on and s.best_signature() != polished:
                progress = done if iterations is not None else clock() - seg_start
                if progress >= next_polish:
                    s.restore_best()
                    s.polish(dp_k, dp_seg)
                    polished = s.best_signature()
                    next_polish = progress + float(cfg["dp_gap"]) * (seg_iters if iterations is not None else seg_len)
            if restart and s.counters[1] > restart:
                s.restore_best()
                s.counters[1] = 0
            if iterations is None and dt > 0:  # a fixed chunk keeps iteration-limited runs deterministic
                chunk = int(max(1, min(chunk * 2, n_it * 0.02 / dt)))
        total_steps += int(s.counters[0])
        if dp_on and s.best_signature() != polished:
            s.restore_best()
            s.polish(dp_k, dp_seg)
        key = (int(s.best[0]), -int(s.best[1]))
        if key > best_key:
            best_key = key
            best_tours = s.best_tours()
        if pool is not None:
            pool.add(s.b_routes, s.b_rlen, s.value, s.travel)
            if budget is not None:
                packed = pool.pack(float(cfg["pack_time"]) * budget, best_tours)
            else:
                packed = pool.pack(10.0, best_tours, deterministic=True)
            if packed is not None:
                s.load(packed)
                s.settle()
                s.mark_best()
                key = (int(s.best[0]), -int(s.best[1]))
                if key > best_key:
                    best_key = key
                    best_tours = s.best_tours()
                    packs_won += 1
    counters = s.counters.copy()
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
    config: dict | None = None,
) -> TourSolution:
    """Collect the most score: the best tours found within ``time_limit_s`` seconds.

    ``method`` "lns" (the default) is this module's search; "routing" is the OR-Tools
    routing library alone (:func:`solve_routing`).  ``initial`` (one list of nodes per
    tour) seeds the search; invalid or late visits in it are dropped first.
    ``iterations`` (LNS only) stops after that many search steps instead of at the time
    limit, which makes the answer depend on ``seed`` only.  ``config`` overrides search
    settings (see ``DEFAULTS``).

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
        raise ValueError(f"unknown method {method!r}: expected 'lns' or 'routing'")
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
