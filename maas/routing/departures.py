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

from maas.errors import InputError
from maas.routing.dayview import DayView
from maas.routing.planner import Planner
from maas.timetable.model import Timetable


@dataclass(slots=True)
class Departure:
    """One trip leaving: ``time`` in seconds of the service day, timetable indices of ``trip``, ``route`` and ``stop`` (the platform).

    ``position`` is the stop's place in the trip's calls (0 first), which
    tells the headsign shown there (:meth:`~maas.timetable.model.Timetable.headsign`).

    Not frozen: a board is built fresh for each call and may list hundreds of
    rows, and a frozen dataclass takes four times as long to create.
    """

    time: int
    trip: int
    route: int
    stop: int
    position: int


@dataclass(frozen=True)
class DepartureBoard:
    """The departures from ``stop`` (a stop, or a station with its platforms) on ``date`` at or after ``time``, in time order."""

    stop: int
    date: dt.date
    time: int
    departures: tuple[Departure, ...]


def board_stops(tt: Timetable, stop: int) -> list[int]:
    """Return the stops a board covers: the stop itself and, for a station, its platforms (sorted indices)."""
    return sorted({stop, *np.flatnonzero(tt.stop_parent == stop).tolist()})


def departures(planner: Planner, stop: int, date: dt.date, time: int, limit: int | None = None) -> DepartureBoard:
    """Return the departures from ``stop`` (and its platforms) on ``date`` at or after ``time``, at most ``limit``.

    Ordered by time, then trip, route and platform index.  Raises
    InputError (field ``date``) when no feed serves the date, or naming
    ``limit`` when it is negative.
    """
    if limit is not None and limit < 0:
        raise InputError(f"limit must be 0 or more, not {limit}", "limit")
    tt = planner.network.timetable
    view = planner.view(date, None)
    rows = sorted(row for s in board_stops(tt, stop) for row in _leaving(view, tt, s, time))
    return DepartureBoard(stop, date, time, tuple(Departure(*row) for row in rows[:limit]))


def _leaving(view: DayView, tt: Timetable, stop: int, time: int) -> list[tuple[int, int, int, int, int]]:
    """Return (departure, trip, route, stop, position) of every trip one may board at ``stop`` from ``time`` on.

    Route ``r`` calls at the stop at position ``pos`` of its ``n`` stops; its
    ``j``-th trip leaves there at ``times_dep[route_time_off[r] + j * n + pos]``,
    so the day's departures are one strided slice per route.
    """
    rows: list[tuple[int, int, int, int, int]] = []
    for e in range(int(view.stop_route_off[stop]), int(view.stop_route_off[stop + 1])):
        r, pos = int(view.stop_route[e]), int(view.stop_route_pos[e])
        first = int(view.route_stop_off[r])
        n = int(view.route_stop_off[r + 1]) - first
        if not view.route_pick[first + pos] or pos == n - 1:
            continue
        trips = int(view.route_n_trips[r])
        start = int(view.route_time_off[r]) + pos
        leaving = view.times_dep[start : start + trips * n : n].tolist()
        ids = view.route_trip[int(view.route_trip_off[r]) : int(view.route_trip_off[r]) + trips].tolist()
        route = int(tt.pattern_route[view.route_pattern[r]])  # a day-view route's trips share one pattern, so one route
        rows.extend((dep, trip, route, stop, pos) for dep, trip in zip(leaving, ids, strict=True) if dep >= time)
    return rows
