"""Exact arrival profiles between tour places: the timetable's own earliest-arrival function.

Buses here are sparse (a few departures a day on some lines), so the time from
A to B depends on when one leaves, by hours.  For each origin one range RAPTOR
search (rRAPTOR, Delling et al. 2012) over the service day runs at every time
one may leave the origin to catch a ride (a trip's departure at a stop within
walking distance, minus the walk), latest first, keeping labels between times:
the labels after the run at ``t`` are the earliest arrivals when leaving at
``t`` or later.  The rows of earliest arrivals at every stop (any way, and by a
ride) are kept per origin (:class:`OriginRows`); any place's arrival then
follows from the same walking rules as the journey planner.

Per pair of places the arrival function is a step function, kept as its Pareto
points (departure, arrival) with both increasing, plus the direct walk.  The
earliest arrival leaving at ``t`` is the first point leaving at or after ``t``
(a binary search), or walking all the way, whichever is earlier — exactly what
:meth:`maas.routing.planner.Planner.plan` answers for that leg with the same
:class:`~maas.routing.params.RoutingParams` (the tests re-plan every leg).

Rows depend on the date and the routing parameters only, so they are computed
once per (date, parameters) and shared by every request (:class:`RowCache`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from maas._jit import njit
from maas.routing.kernel import INF
from maas.routing.matrix import Targets, direct_walks, prepare_targets
from maas.routing.params import RoutingParams
from maas.routing.places import Place
from maas.routing.planner import Planner, departure_times
from maas.routing.raptor import SearchState, run

#: Departures considered: the whole service day, past midnight included (seconds of the day).
DAY_START_S = 0
DAY_END_S = 30 * 3600


@dataclass(frozen=True)
class OriginRows:
    """Earliest arrivals at every stop from one origin, for each time one may leave it to catch a ride.

    ``departures`` ascending; ``any[d, s]`` the earliest arrival at stop ``s``
    leaving at ``departures[d]`` or later (INF if none), ``ride[d, s]`` the same
    arriving by a ride (what a walk to a place may follow).
    """

    departures: np.ndarray
    any: np.ndarray
    ride: np.ndarray


def origin_rows(planner: Planner, origin: Place, date: dt.date, params: RoutingParams) -> OriginRows:
    """Return the rows of one range search from ``origin`` over the service day of ``date``."""
    n = planner.network.timetable.n_stops
    view = planner.view(date, params.modes)
    footpaths = planner.footpaths(params.walk)
    start = planner.access(origin, params.walk)
    times = departure_times(view, start, DAY_START_S, DAY_END_S)  # latest first
    any_rows = np.full((len(times), n), INF, np.int64)
    ride_rows = np.full((len(times), n), INF, np.int64)
    if len(times):
        state = SearchState(params.max_transfers + 1, n, view.n_routes)
        no_egress = np.full(n, -1, np.int64)
        for d, t in enumerate(times):
            run(view, footpaths, state, start.stops, int(t) + start.seconds, no_egress, params.min_transfer_s)
            any_rows[d] = state.best_arrival()
            ride_rows[d] = state.best_ride_arrival()
    order = slice(None, None, -1)  # ascending departures
    return OriginRows(np.ascontiguousarray(times[order]), np.ascontiguousarray(any_rows[order]), np.ascontiguousarray(ride_rows[order]))


def read_arrivals(rows: OriginRows, targets: Targets) -> np.ndarray:
    """Return ``[departures, targets]``: the earliest arrival at each target by riding (INF if none), walks after rides included.

    The rules of :func:`maas.routing.matrix.range_travel_times`: a target is reached at its own stops however
    one gets there, or by a walk after a ride to a stop near it.  Walking all the way is not included.
    """
    out = np.full((len(rows.departures), targets.size), INF, np.int64)
    if len(targets.stops) == 0 or len(rows.departures) == 0:
        return out
    values = np.where(targets.by_ride[None, :], rows.ride[:, targets.stops], rows.any[:, targets.stops])
    values = np.minimum(values, INF) + targets.seconds[None, :]
    out[:, targets.nonempty] = np.minimum.reduceat(values, targets.offsets[targets.nonempty], axis=1)
    return np.minimum(out, INF)


def pareto_mask(arrivals: np.ndarray) -> np.ndarray:
    """Return which rows of ``arrivals`` (departures ascending) arrive strictly earlier than every later departure."""
    later = np.minimum.accumulate(arrivals[::-1], axis=0)[::-1]
    later = np.vstack([later[1:], np.full((1, arrivals.shape[1]), INF, np.int64)])
    return (arrivals < later) & (arrivals < INF)


class Profiles(NamedTuple):
    """Arrival functions between the nodes of a tour problem, per tour (day), as grouped arrays for the compiled search.

    The points of the pair ``(k, i, j)`` are ``dep[a:b]``, ``arr[a:b]`` with
    ``a, b = off[p], off[p + 1]`` and ``p = (k * n + i) * n + j``; ``walk[k, i, j]``
    is the direct walk in seconds (-1 when too far).
    """

    n: int
    off: np.ndarray
    dep: np.ndarray
    arr: np.ndarray
    walk: np.ndarray


@njit(cache=True)
def arrival(prof: Profiles, k: int, i: int, j: int, t: int) -> int:
    """Return the earliest arrival at node j leaving node i at or after ``t`` on tour k (INF if none)."""
    best = INF
    w = prof.walk[k, i, j]
    if w >= 0:
        best = t + w
    p = (k * prof.n + i) * prof.n + j
    lo = prof.off[p]
    hi = prof.off[p + 1]
    end = hi
    while lo < hi:
        mid = (lo + hi) // 2
        if prof.dep[mid] < t:
            lo = mid + 1
        else:
            hi = mid
    if lo < end and prof.arr[lo] < best:
        best = prof.arr[lo]
    return best


def build_profiles(
    planner: Planner,
    rows_of: Sequence[dict[int, OriginRows]],
    nodes: Sequence[Sequence[Place | None]],
    params: RoutingParams,
) -> Profiles:
    """Return the profiles of every pair of nodes, per tour.

    ``nodes[k][i]`` is node ``i``'s place on tour ``k`` (None when the node plays no part that day);
    ``rows_of[k][i]`` the rows of the range search from it on that day's date (missing: not an origin).
    """
    m, n = len(nodes), len(nodes[0])
    counts = np.zeros(m * n * n, np.int64)
    walk = np.full((m, n, n), -1, np.int64)
    pieces: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for k in range(m):
        used = [j for j in range(n) if nodes[k][j] is not None]
        targets = prepare_targets(planner, [nodes[k][j] for j in used], params.walk)
        for i, rows in rows_of[k].items():
            place = nodes[k][i]
            start = planner.access(place, params.walk)
            walk[k, i, used] = direct_walks(planner, place, start, targets, params.walk)
            walk[k, i, i] = 0
            arr = read_arrivals(rows, targets)
            keep = pareto_mask(arr)
            tj, td = np.nonzero(keep.T)  # by target, then by departure
            base = (k * n + i) * n
            idx = base + np.asarray(used, np.int64)[tj]
            np.add.at(counts, idx, 1)
            pieces[base] = (idx, rows.departures[td], arr[td, tj])
    off = np.zeros(m * n * n + 1, np.int64)
    np.cumsum(counts, out=off[1:])
    dep = np.zeros(int(off[-1]), np.int64)
    arr_all = np.zeros(int(off[-1]), np.int64)
    for idx, d, a in pieces.values():
        if len(idx):
            pos = off[idx[0]]  # one origin's pairs are contiguous and in order
            dep[pos : pos + len(d)] = d
            arr_all[pos : pos + len(a)] = a
    return Profiles(n, off, dep, arr_all, walk)


class RowCache:
    """Range-search rows per (date, routing parameters, place), bounded and shared by threads.

    POIs are the same for every request, so their rows are computed once per
    date and parameters (:meth:`warm` does it ahead of time); starts and ends
    come and go with requests.
    """

    def __init__(self, planner: Planner, max_entries: int = 2000) -> None:
        self.planner = planner
        self.max_entries = max_entries
        self._rows: OrderedDict[tuple, OriginRows] = OrderedDict()
        self._lock = threading.Lock()

    def rows(self, place: Place, date: dt.date, params: RoutingParams) -> OriginRows:
        """Return the rows from ``place`` on ``date`` (computed on first use)."""
        key = (place.kind, place.id, round(place.lat, 6), round(place.lon, 6), date, params)
        with self._lock:
            found = self._rows.get(key)
            if found is not None:
                self._rows.move_to_end(key)
                return found
        rows = origin_rows(self.planner, place, date, params)
        with self._lock:
            self._rows[key] = rows
            while len(self._rows) > self.max_entries:
                self._rows.popitem(last=False)
        return rows

    def warm(self, places: Sequence[Place], date: dt.date, params: RoutingParams) -> None:
        """Compute the rows from every place on ``date`` ahead of the requests that will need them."""
        for p in places:
            self.rows(p, date, params)
