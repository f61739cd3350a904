"""The RAPTOR rounds: the one hot loop of the journey planner.

Round ``k`` finds, for every stop, the earliest arrival using at most ``k``
rides, with at most one walk before the first ride, between two rides and
after the last ride (walks are not chained).  Labels live in arrays owned by
the caller (:class:`maas.routing.raptor.SearchState`) so that a range query can
keep them from one departure time to the next (rRAPTOR).

Per round ``k`` and stop ``s`` (arrays shaped ``[max_rounds + 1, n_stops]``):

- ``tau[k, s]``: earliest arrival with at most ``k`` rides, however the stop
  was reached (used to board in round ``k + 1``);
- ``rideb[k, s]``: earliest arrival *by a ride* with at most ``k`` rides (only
  ride arrivals may be followed by a walk); ``ride_route/trip/board[k, s]``
  tell which route, trip (its position in the route) and boarding position
  gave it, valid when ``rideb[k, s] < rideb[k - 1, s]``;
- ``walkl[k, s]`` / ``walk_from[k, s]``: an arrival on foot after the ride of
  round ``k`` at ``walk_from``.

``target_best[k]`` is the earliest arrival at the destination with ``k`` rides
(ride arrival + egress walk) and ``target_stop[k]`` the stop left on foot.

The module compiles with numba when it is installed and runs as plain Python
otherwise (much slower, same answers).
"""

from __future__ import annotations

import numpy as np

from maas._jit import lazy_njit, numba_available

#: Whether the kernel will be compiled (numba installed); it is compiled on first use.
HAVE_NUMBA = numba_available()


#: "Not reached": larger than any time, small enough to add to safely.
INF = np.int64(1) << np.int64(60)


@lazy_njit(cache=True, nogil=True)
def run_rounds(
    route_stop_off: np.ndarray,
    route_stops: np.ndarray,
    route_pick: np.ndarray,
    route_drop: np.ndarray,
    route_trip_off: np.ndarray,
    route_n_trips: np.ndarray,
    route_time_off: np.ndarray,
    times_arr: np.ndarray,
    times_dep: np.ndarray,
    stop_route_off: np.ndarray,
    stop_route: np.ndarray,
    stop_route_pos: np.ndarray,
    fp_off: np.ndarray,
    fp_to: np.ndarray,
    fp_sec: np.ndarray,
    tau: np.ndarray,
    rideb: np.ndarray,
    ride_route: np.ndarray,
    ride_trip: np.ndarray,
    ride_board: np.ndarray,
    walkl: np.ndarray,
    walk_from: np.ndarray,
    target_best: np.ndarray,
    target_stop: np.ndarray,
    egress: np.ndarray,
    src_stops: np.ndarray,
    src_times: np.ndarray,
    max_rounds: int,
    slack: int | np.integer,
    marked: np.ndarray,
    route_start: np.ndarray,
    touched: np.ndarray,
    improved: np.ndarray,
) -> None:
    """Run RAPTOR rounds 1..max_rounds from the given sources, updating the labels in place."""
    n = tau.shape[1]
    inf = np.int64(1) << np.int64(60)
    any_marked = False
    for q in range(src_stops.shape[0]):
        s = src_stops[q]
        t = src_times[q]
        if t < tau[0, s]:
            tau[0, s] = t
            marked[s] = True
            any_marked = True
    bound = inf
    for k in range(max_rounds + 1):
        if target_best[k] < bound:
            bound = target_best[k]
    for k in range(1, max_rounds + 1):
        if not any_marked:
            break
        any_marked = False
        bound_k = inf
        for kk in range(k + 1):
            if target_best[kk] < bound_k:
                bound_k = target_best[kk]
        # Labels with fewer rides hold with more rides.
        for s in range(n):
            if tau[k - 1, s] < tau[k, s]:
                tau[k, s] = tau[k - 1, s]
            if rideb[k - 1, s] < rideb[k, s]:
                rideb[k, s] = rideb[k - 1, s]
        # Routes serving a stop improved in the previous round, from the earliest such stop.
        n_touched = 0
        for s in range(n):
            if marked[s]:
                marked[s] = False
                for e in range(stop_route_off[s], stop_route_off[s + 1]):
                    r = stop_route[e]
                    pos = stop_route_pos[e]
                    if route_start[r] < 0:
                        route_start[r] = pos
                        touched[n_touched] = r
                        n_touched += 1
                    elif pos < route_start[r]:
                        route_start[r] = pos
        n_improved = 0
        for q in range(n_touched):
            r = touched[q]
            start = route_start[r]
            route_start[r] = -1
            so = route_stop_off[r]
            ns = route_stop_off[r + 1] - so
            nt = route_n_trips[r]
            to = route_time_off[r]
            trip = -1
            board = -1
            for i in range(start, ns):
                s = route_stops[so + i]
                if trip >= 0 and route_drop[so + i] == 1:
                    a = times_arr[to + trip * ns + i]
                    if a < rideb[k, s] and a < bound_k:
                        rideb[k, s] = a
                        ride_route[k, s] = r
                        ride_trip[k, s] = trip
                        ride_board[k, s] = board
                        improved[n_improved] = s
                        n_improved += 1
                        if a < tau[k, s]:
                            tau[k, s] = a
                            marked[s] = True
                            any_marked = True
                        if egress[s] >= 0:
                            c = a + egress[s]
                            if c < target_best[k]:
                                target_best[k] = c
                                target_stop[k] = s
                            if c < bound_k:
                                bound_k = c
                if route_pick[so + i] == 1:
                    lab = tau[k - 1, s]
                    if lab < inf:
                        need = lab + slack if k > 1 else lab
                        hi = trip if trip >= 0 else nt
                        if hi > 0 and times_dep[to + (hi - 1) * ns + i] >= need:
                            lo = 0
                            h = hi - 1
                            while lo < h:
                                mid = (lo + h) // 2
                                if times_dep[to + mid * ns + i] >= need:
                                    h = mid
                                else:
                                    lo = mid + 1
                            trip = lo
                            board = i
        # One walk after the rides of this round.
        for q in range(n_improved):
            s = improved[q]
            base = rideb[k, s]
            for e in range(fp_off[s], fp_off[s + 1]):
                t = fp_to[e]
                a = base + fp_sec[e]
                if a < tau[k, t] and a < bound_k:
                    tau[k, t] = a
                    walkl[k, t] = a
                    walk_from[k, t] = s
                    marked[t] = True
                    any_marked = True
    for s in range(n):
        marked[s] = False
