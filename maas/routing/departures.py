"""The departures board of a stop: the trips leaving it (or any platform of its station) from a time on.

Read off the date's day view (:class:`~maas.routing.dayview.DayView`), so it
follows the same service rules as journeys: the date's trips, and the
previous service day's trips still running after midnight (their times then
fall in the early hours of the date).  A trip is listed where it may be
boarded (pickup allowed) and not at its last stop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from maas.routing.dayview import DayView
from maas.routing.planner import Planner
from maas.timetable.model import Timetable


@dataclass(frozen=True)
class Departure:
    """One trip leaving: ``time`` in seconds of the service day, timetable indices of ``trip``, ``route`` and ``stop`` (the platform)."""

    time: int
    trip: int
    route: int
    stop: int


@dataclass(frozen=True)
class DepartureBoard:
    """The departures from ``stop`` (a stop, or a station with its platforms) on ``date`` at or after ``time``, in time order."""

    stop: int
    date: dt.date
    time: int
    departures: tuple[Departure, ...]


def board_stops(tt: Timetable, stop: int) -> np.ndarray:
    """Return the stops a board covers: the stop itself and, for a station, its platforms (sorted indices)."""
    return np.union1d(np.flatnonzero(tt.stop_parent == stop), [stop]).astype(np.int64)


def departures(planner: Planner, stop: int, date: dt.date, time: int, limit: int | None = None) -> DepartureBoard:
    """Return the departures from ``stop`` (and its platforms) on ``date`` at or after ``time``, at most ``limit``.

    Ordered by time, then trip, route and platform index.  Raises
    InputError (field ``date``) when no feed serves the date.
    """
    tt = planner.network.timetable
    view = planner.view(date, None)
    parts = [_leaving(view, int(s), time) for s in board_stops(tt, stop)]  # never empty: the stop itself is one
    times, trips, stops = (np.concatenate(column) for column in zip(*parts))
    routes = tt.trip_route[trips].astype(np.int64)
    order = np.lexsort((stops, routes, trips, times))
    if limit is not None:
        order = order[:limit]
    board = tuple(Departure(int(times[i]), int(trips[i]), int(routes[i]), int(stops[i])) for i in order)
    return DepartureBoard(stop, date, time, board)


def _leaving(view: DayView, stop: int, time: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (departure times, timetable trips, the stop repeated) of the trips one may board at ``stop`` from ``time``."""
    times, trips = [], []
    for e in range(view.stop_route_off[stop], view.stop_route_off[stop + 1]):
        r, pos = int(view.stop_route[e]), int(view.stop_route_pos[e])
        ns = int(view.route_stop_off[r + 1] - view.route_stop_off[r])
        if not view.route_pick[view.route_stop_off[r] + pos] or pos == ns - 1:
            continue
        j = np.arange(int(view.route_n_trips[r]))
        dep = view.times_dep[view.route_time_off[r] + j * ns + pos]
        keep = dep >= time
        times.append(dep[keep])
        trips.append(view.route_trip[view.route_trip_off[r] + j[keep]])
    if not times:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    t = np.concatenate(times).astype(np.int64)
    return t, np.concatenate(trips).astype(np.int64), np.full(len(t), stop, np.int64)
