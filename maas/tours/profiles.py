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
    leaving at ``departures[d]`` or later (int32, :data:`ROW_NONE` if none), ``ride[d, s]`` the same
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
    return OriginRows(np.ascontiguousarray(times[order]), _compact(any_rows[order]), _compact(ride_rows[order]))


#: "Not reached" in the int32 rows kept in memory (arrivals are seconds of the service day, far below it).
ROW_NONE = np.int32(np.iinfo(np.int32).max)


def _compact(rows: np.ndarray) -> np.ndarray:
    """Rows as int32 (half the memory: a date's rows from every POI are kept), ROW_NONE for INF."""
    return np.ascontiguousarray(np.where(rows >= INF, ROW_NONE, rows).astype(np.int32))


def read_arrivals(rows: OriginRows, targets: Targets) -> np.ndarray:
    """Return ``[departures, targets]``: the earliest arrival at each target by riding (INF if none), walks after rides included.

    The rules of :func:`maas.routing.matrix.range_travel_times`: a target is reached at its own stops however
    one gets there, or by a walk after a ride to a stop near it.  Walking all the way is not included.
    """
    out = np.full((len(rows.departures), targets.size), INF, np.int64)
    if len(targets.stops) == 0 or len(rows.departures) == 0:
        return out
    values = np.where(targets.by_ride[None, :], rows.ride[:, targets.stops], rows.any[:, targets.stops]).astype(np.int64)
    values = np.where(values == ROW_NONE, INF, values) + targets.seconds[None, :]
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
    best = int(INF)
    w = int(prof.walk[k, i, j])
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
        best = int(prof.arr[lo])
    return best


@dataclass(frozen=True)
class PairBlock:
    """Profiles from every one of some origin places to every one of some target places, as CSR arrays.

    The points of origin ``a`` to target ``b`` are ``dep[off[a * nt + b]:off[a * nt + b + 1]]`` (and ``arr``);
    ``walk[a, b]`` is the direct walk (-1 when too far).  The POI-to-POI block of a date is the same for
    every request, so the tour planner keeps it (:meth:`maas.tours.planner.TourPlanner.warm`).
    """

    nt: int
    off: np.ndarray
    dep: np.ndarray
    arr: np.ndarray
    walk: np.ndarray


def pair_block(planner: Planner, origins: Sequence[Place], rows: Sequence[OriginRows], targets_of: Sequence[Place], params: RoutingParams) -> PairBlock:
    """Return the profiles from each origin (with its rows) to each target."""
    nt = len(targets_of)
    targets = prepare_targets(planner, targets_of, params.walk)
    counts = np.zeros(len(origins) * nt, np.int64)
    walk = np.full((len(origins), nt), -1, np.int64)
    deps, arrs = [], []
    for a, (place, r) in enumerate(zip(origins, rows)):
        walk[a] = direct_walks(planner, place, planner.access(place, params.walk), targets, params.walk)
        arr = read_arrivals(r, targets)
        tj, td = np.nonzero(pareto_mask(arr).T)  # by target, then by departure
        counts[a * nt : (a + 1) * nt] = np.bincount(tj, minlength=nt)
        deps.append(r.departures[td])
        arrs.append(arr[td, tj])
    off = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=off[1:])
    return PairBlock(nt, off, _concat(deps), _concat(arrs), walk)


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return the concatenated index ranges ``starts[i] .. starts[i] + lengths[i] - 1``."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(total)


def build_profiles(
    planner: Planner,
    rows_of: Sequence[dict[int, OriginRows]],
    nodes: Sequence[Sequence[Place | None]],
    params: RoutingParams,
    blocks: Sequence[tuple[PairBlock, dict[int, int]] | None] | None = None,
) -> Profiles:
    """Return the profiles of every pair of nodes, per tour.

    ``nodes[k][i]`` is node ``i``'s place on tour ``k`` (None when the node plays no part that day);
    ``rows_of[k][i]`` the rows of the range search from it on that day's date (missing: not an origin).
    ``blocks[k]``, when given, is a block of profiles already computed for day k and which row/column of
    it each node is: pairs of such nodes are taken from it, the others computed here.
    """
    m, n = len(nodes), len(nodes[0])
    walk = np.full((m, n, n), -1, np.int64)
    counts = np.zeros(m * n * n, np.int64)
    sources_dep, sources_arr = [], []  # point arrays
    seg_pair, seg_start, seg_len = [], [], []  # segments: pair p gets points start..start+len of source
    base = 0
    block_base: dict[int, int] = {}
    for k in range(m):
        given = blocks[k] if blocks is not None else None
        block, in_block = given if given is not None else (None, {})
        used = [j for j in range(n) if nodes[k][j] is not None]
        for i, rows in rows_of[k].items():
            fresh = used if i not in in_block else [j for j in used if j not in in_block]
            p0 = (k * n + i) * n
            if i in in_block and block is not None:
                cached = np.asarray([j for j in used if j in in_block], np.int64)
                a = in_block[i]
                cols = np.asarray([in_block[int(j)] for j in cached], np.int64)
                walk[k, i, cached] = block.walk[a, cols]
                pos = a * block.nt + cols
                if id(block) not in block_base:  # one copy of each block's points in the sources
                    block_base[id(block)] = base
                    sources_dep.append(block.dep)
                    sources_arr.append(block.arr)
                    base += len(block.dep)
                seg_pair.append(p0 + cached)
                seg_start.append(block_base[id(block)] + block.off[pos])
                seg_len.append(block.off[pos + 1] - block.off[pos])
            origin = nodes[k][i]
            if fresh and origin is not None:  # an origin is always a node of the day (rows_of)
                sub = pair_block(planner, [origin], [rows], [place for j in fresh if (place := nodes[k][j]) is not None], params)
                walk[k, i, fresh] = sub.walk[0]
                seg_pair.append(p0 + np.asarray(fresh, np.int64))
                seg_start.append(base + sub.off[:-1])
                seg_len.append(np.diff(sub.off))
                sources_dep.append(sub.dep)
                sources_arr.append(sub.arr)
                base += len(sub.dep)
            walk[k, i, i] = 0
    if seg_pair:
        pairs, starts, lens = np.concatenate(seg_pair), np.concatenate(seg_start), np.concatenate(seg_len)
        src_dep, src_arr = np.concatenate(sources_dep), np.concatenate(sources_arr)
    else:
        pairs = starts = lens = src_dep = src_arr = np.zeros(0, np.int64)
    counts[pairs] = lens
    off = np.zeros(m * n * n + 1, np.int64)
    np.cumsum(counts, out=off[1:])
    order = np.argsort(pairs, kind="stable")
    take = _ranges(starts[order], lens[order])
    return Profiles(n, off, src_dep[take], src_arr[take], walk)


class RowCache:
    """Range-search rows per (date, routing parameters, place), bounded and shared by threads.

    POIs are the same for every request, so their rows are computed once per
    date and parameters (:meth:`warm` does it ahead of time); starts and ends
    come and go with requests.
    """

    def __init__(self, planner: Planner, max_entries: int = 400) -> None:
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
