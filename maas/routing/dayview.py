"""The timetable as seen on one service date: only the trips that run, ready to scan.

A *route* of a day view is a pattern restricted to the trips running that day.
Trips of the previous service day that pass midnight form their own routes,
with times shifted by -24 h, so a query at 00:30 sees them.  The same view can
be built reversed (stops in reverse order, times negated, pickup and drop-off
swapped): running the forward search on it is a backward search, which gives
"latest departure" and "arrive by" answers from one kernel.

All arrays are plain numpy so the kernel (:mod:`maas.routing.kernel`) can be
compiled; ``int64`` throughout to keep it simple and overflow-free.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from maas.timetable.model import Timetable
from maas.when import date_to_day

DAY = 86_400


@dataclass(frozen=True)
class DayView:
    """Routes running on one date (or their reversal), as CSR arrays.

    Route ``r``:

    - ``route_stops[route_stop_off[r]:route_stop_off[r + 1]]``: its stops;
      ``route_pick`` / ``route_drop`` (int8, same layout): boarding / alighting allowed.
    - ``route_n_trips[r]`` trips, the ``j``-th being timetable trip
      ``route_trip[route_trip_off[r] + j]``; its time at position ``i`` is
      ``times_arr/dep[route_time_off[r] + j * n_stops + i]``.
    - ``route_pattern[r]``: the timetable pattern; ``route_shift[r]``: seconds
      added to the timetable's times (0, or -86,400 for the previous day's trips).

    Stop ``s`` is served by ``stop_route[stop_route_off[s]:stop_route_off[s + 1]]``
    at positions ``stop_route_pos[...]`` (a stop may appear twice on a loop).
    ``reverse`` tells whether the view is reversed (times negated).
    """

    date: dt.date
    reverse: bool
    n_stops: int
    route_pattern: np.ndarray
    route_shift: np.ndarray
    route_stop_off: np.ndarray
    route_stops: np.ndarray
    route_pick: np.ndarray
    route_drop: np.ndarray
    route_trip_off: np.ndarray
    route_n_trips: np.ndarray
    route_trip: np.ndarray
    route_time_off: np.ndarray
    times_arr: np.ndarray
    times_dep: np.ndarray
    stop_route_off: np.ndarray
    stop_route: np.ndarray
    stop_route_pos: np.ndarray

    @property
    def n_routes(self) -> int:
        return len(self.route_pattern)


def build_day_view(tt: Timetable, date: dt.date, modes: frozenset[str] | None = None, reverse: bool = False) -> DayView:
    """Return the routes of ``date`` (and the previous day's after-midnight trips).

    ``modes`` keeps only routes of those modes (``rail``, ``bus``, ``shuttle``…);
    None keeps all.
    """
    col = date_to_day(date) - tt.first_day
    n_days = tt.n_days
    runs_today = tt.service_runs[:, col] if 0 <= col < n_days else np.zeros(len(tt.service_ids), bool)
    runs_prev = tt.service_runs[:, col - 1] if 0 <= col - 1 < n_days else np.zeros(len(tt.service_ids), bool)
    keep_route = np.ones(tt.n_routes, bool)
    if modes is not None:
        keep_route = np.array([m in modes for m in tt.route_modes], bool)

    pieces: list[tuple[int, int, np.ndarray]] = []  # (pattern, shift, trips)
    for p in range(tt.n_patterns):
        if not keep_route[tt.pattern_route[p]]:
            continue
        trips = tt.pattern_trips[tt.pattern_trip_offsets[p] : tt.pattern_trip_offsets[p + 1]]
        services = tt.trip_service[trips]
        n = tt.pattern_stop_offsets[p + 1] - tt.pattern_stop_offsets[p]
        prev = trips[runs_prev[services]]
        if len(prev):
            last_arr = tt.stop_time_arr[tt.trip_time_offset[prev] + n - 1]
            prev = prev[last_arr >= DAY]
            if len(prev):
                pieces.append((p, -DAY, prev))
        today = trips[runs_today[services]]
        if len(today):
            pieces.append((p, 0, today))

    route_pattern = np.array([p for p, _, _ in pieces], np.int64)
    route_shift = np.array([s for _, s, _ in pieces], np.int64)
    stop_lists, pick_lists, drop_lists, trip_lists, arr_lists, dep_lists = [], [], [], [], [], []
    for p, shift, trips in pieces:
        a, b = tt.pattern_stop_offsets[p], tt.pattern_stop_offsets[p + 1]
        n = b - a
        stops = tt.pattern_stops[a:b].astype(np.int64)
        pick = tt.pattern_pickup[a:b].astype(np.int8)
        drop = tt.pattern_dropoff[a:b].astype(np.int8)
        idx = (tt.trip_time_offset[trips][:, None] + np.arange(n)[None, :]).ravel()
        arr = tt.stop_time_arr[idx].astype(np.int64).reshape(len(trips), n) + shift
        dep = tt.stop_time_dep[idx].astype(np.int64).reshape(len(trips), n) + shift
        if reverse:
            stops, pick, drop = stops[::-1], drop[::-1], pick[::-1]
            arr, dep = -dep[::-1, ::-1], -arr[::-1, ::-1]
            trips = trips[::-1]
        stop_lists.append(stops)
        pick_lists.append(pick)
        drop_lists.append(drop)
        trip_lists.append(trips.astype(np.int64))
        arr_lists.append(arr.ravel())
        dep_lists.append(dep.ravel())

    def cat(lists: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(lists).astype(dtype) if lists else np.zeros(0, dtype)

    n_stops_per = np.array([len(s) for s in stop_lists], np.int64)
    n_trips = np.array([len(t) for t in trip_lists], np.int64)
    route_stop_off = np.r_[0, np.cumsum(n_stops_per)].astype(np.int64)
    route_trip_off = np.r_[0, np.cumsum(n_trips)].astype(np.int64)
    route_time_off = np.r_[0, np.cumsum(n_stops_per * n_trips)].astype(np.int64)[:-1] if len(pieces) else np.zeros(0, np.int64)
    route_stops = cat(stop_lists, np.int64)
    # Stop -> (route, position).
    r_of = np.repeat(np.arange(len(pieces)), n_stops_per)
    pos_of = np.arange(len(route_stops)) - route_stop_off[r_of] if len(route_stops) else np.zeros(0, np.int64)
    order = np.lexsort((pos_of, r_of, route_stops)) if len(route_stops) else np.zeros(0, np.int64)
    counts = np.bincount(route_stops, minlength=tt.n_stops) if len(route_stops) else np.zeros(tt.n_stops, np.int64)
    return DayView(
        date=date,
        reverse=reverse,
        n_stops=tt.n_stops,
        route_pattern=route_pattern,
        route_shift=route_shift,
        route_stop_off=route_stop_off,
        route_stops=route_stops,
        route_pick=cat(pick_lists, np.int8),
        route_drop=cat(drop_lists, np.int8),
        route_trip_off=route_trip_off[:-1] if len(pieces) else np.zeros(0, np.int64),
        route_n_trips=n_trips,
        route_trip=cat(trip_lists, np.int64),
        route_time_off=route_time_off,
        times_arr=cat(arr_lists, np.int64),
        times_dep=cat(dep_lists, np.int64),
        stop_route_off=np.r_[0, np.cumsum(counts)].astype(np.int64),
        stop_route=r_of[order].astype(np.int64),
        stop_route_pos=pos_of[order].astype(np.int64),
    )
