"""RAPTOR searches over a day view: earliest arrival, latest departure, range, and paths.

This module knows stops, routes and seconds only (no names, no dates): it runs
:func:`maas.routing.kernel.run_rounds` and turns its labels back into
:class:`RawPath` objects — rides and walks in timetable indices — that
:mod:`maas.routing.journeys` dresses as journeys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from maas.network.footpaths import Footpaths
from maas.routing.dayview import DayView
from maas.routing.kernel import INF, run_rounds

#: One step of a path as the search finds it, from the target back: a walk (from, to, seconds) or
#: a ride (route, trip, boarding position, alighting position) in the view's numbering.
Segment = tuple[Literal["walk"], int, int, int] | tuple[Literal["ride"], int, int, int, int]

#: Stop index standing for "the origin place" / "the destination place" in walks.
ORIGIN = -1
DESTINATION = -2


@dataclass(frozen=True)
class Endpoint:
    """Where a search starts or ends: stops and the seconds to walk between them and the place.

    ``seconds[i] == 0`` with ``walks[i] == False`` means the place *is* that
    stop (no walk leg); otherwise reaching it takes a walk of ``seconds[i]``.
    """

    stops: np.ndarray
    seconds: np.ndarray
    walks: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "stops", np.asarray(self.stops, np.int64))
        object.__setattr__(self, "seconds", np.asarray(self.seconds, np.int64))
        object.__setattr__(self, "walks", np.asarray(self.walks, bool))

    def seconds_by_stop(self, n_stops: int) -> np.ndarray:
        """Return an ``n_stops`` array of walking seconds, -1 where the stop is not part of it."""
        out = np.full(n_stops, -1, np.int64)
        for s, sec in zip(self.stops, self.seconds):
            if out[s] < 0 or sec < out[s]:
                out[s] = sec
        return out

    def walks_at(self, stop: int) -> bool:
        """Return whether reaching ``stop`` from the place is a walk (vs. being the place)."""
        hits = np.flatnonzero(self.stops == stop)
        if len(hits) == 0:
            return True
        best = hits[np.argmin(self.seconds[hits])]
        return bool(self.walks[best])


@dataclass(frozen=True)
class RawRide:
    """A ride on timetable trip ``trip`` from pattern position ``board`` to ``alight``.

    ``shift`` is added to the timetable's times (-86,400 for the previous day's trips).
    """

    trip: int
    shift: int
    board: int
    alight: int


@dataclass(frozen=True)
class RawWalk:
    """A walk between two stops (or ``ORIGIN`` / ``DESTINATION``) taking ``seconds``."""

    from_stop: int
    to_stop: int
    seconds: int


@dataclass(frozen=True)
class RawPath:
    """A journey in timetable terms: its legs in travel order."""

    legs: tuple[RawRide | RawWalk, ...]

    @property
    def rides(self) -> int:
        return sum(isinstance(leg, RawRide) for leg in self.legs)


@dataclass
class SearchState:
    """The kernel's label arrays for one search (see :mod:`maas.routing.kernel`)."""

    max_rounds: int
    n_stops: int
    n_routes: int
    tau: np.ndarray = field(init=False)
    rideb: np.ndarray = field(init=False)
    ride_route: np.ndarray = field(init=False)
    ride_trip: np.ndarray = field(init=False)
    ride_board: np.ndarray = field(init=False)
    walkl: np.ndarray = field(init=False)
    walk_from: np.ndarray = field(init=False)
    target_best: np.ndarray = field(init=False)
    target_stop: np.ndarray = field(init=False)
    marked: np.ndarray = field(init=False)
    route_start: np.ndarray = field(init=False)
    touched: np.ndarray = field(init=False)
    improved: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        shape = (self.max_rounds + 1, self.n_stops)
        self.tau = np.full(shape, INF, np.int64)
        self.rideb = np.full(shape, INF, np.int64)
        self.ride_route = np.full(shape, -1, np.int64)
        self.ride_trip = np.full(shape, -1, np.int64)
        self.ride_board = np.full(shape, -1, np.int64)
        self.walkl = np.full(shape, INF, np.int64)
        self.walk_from = np.full(shape, -1, np.int64)
        self.target_best = np.full(self.max_rounds + 1, INF, np.int64)
        self.target_stop = np.full(self.max_rounds + 1, -1, np.int64)
        self.marked = np.zeros(self.n_stops, np.bool_)
        self.route_start = np.full(max(self.n_routes, 1), -1, np.int64)
        self.touched = np.zeros(max(self.n_routes, 1), np.int64)
        self.improved = np.zeros(max(self.n_stops * 4, 16), np.int64)

    def best_arrival(self) -> np.ndarray:
        """Return the earliest arrival at each stop over all rounds (INF if never)."""
        best: np.ndarray = self.tau.min(axis=0)
        return best

    def best_ride_arrival(self) -> np.ndarray:
        """Return the earliest arrival *by a ride* at each stop over all rounds."""
        best: np.ndarray = self.rideb.min(axis=0)
        return best


def run(
    view: DayView,
    footpaths: Footpaths,
    state: SearchState,
    src_stops: np.ndarray,
    src_times: np.ndarray,
    egress: np.ndarray,
    slack: int,
) -> None:
    """Run the rounds from sources at given times; labels accumulate in ``state``."""
    needed = view.n_routes * 8 + state.n_stops * 8
    if len(state.improved) < needed:
        state.improved = np.zeros(needed, np.int64)
    run_rounds(
        view.route_stop_off,
        view.route_stops,
        view.route_pick,
        view.route_drop,
        view.route_trip_off,
        view.route_n_trips,
        view.route_time_off,
        view.times_arr,
        view.times_dep,
        view.stop_route_off,
        view.stop_route,
        view.stop_route_pos,
        footpaths.offsets,
        footpaths.targets.astype(np.int64),
        footpaths.seconds.astype(np.int64),
        state.tau,
        state.rideb,
        state.ride_route,
        state.ride_trip,
        state.ride_board,
        state.walkl,
        state.walk_from,
        state.target_best,
        state.target_stop,
        egress,
        np.asarray(src_stops, np.int64),
        np.asarray(src_times, np.int64),
        state.max_rounds,
        np.int64(slack),
        state.marked,
        state.route_start,
        state.touched,
        state.improved,
    )


def pareto_rounds(target_best: np.ndarray, better_than: int = int(INF)) -> list[int]:
    """Return the rounds whose target arrival beats every round with fewer rides (and ``better_than``)."""
    out, best = [], better_than
    for k, a in enumerate(target_best):
        if a < best:
            out.append(k)
            best = int(a)
    return out


def reconstruct(
    view: DayView,
    footpaths: Footpaths,
    state: SearchState,
    k: int,
    start: Endpoint,
    target: Endpoint,
) -> RawPath | None:
    """Rebuild the path of round ``k`` from the labels, in travel order (forward time).

    ``start`` is where the search began (the origin, or for a reversed view
    the destination) and ``target`` where it aimed.  For a reversed view the
    labels run from the destination back to the origin; the result is turned
    around so it always reads origin → destination.
    """
    s = int(state.target_stop[k])
    if s < 0 or state.target_best[k] >= INF:
        return None
    far_end = target.seconds_by_stop(view.n_stops)
    near_end = start.seconds_by_stop(view.n_stops)
    segments: list[Segment] = []
    if target.walks_at(s):
        segments.append(("walk", s, DESTINATION, int(far_end[s])))
    cur, kk, mode = s, k, "ride"
    guard = 0
    while True:
        guard += 1
        if guard > 4 * (state.max_rounds + 2):
            return None  # labels inconsistent: never expected, but never loop forever
        if mode == "ride":
            while kk > 0 and state.rideb[kk, cur] == state.rideb[kk - 1, cur]:
                kk -= 1
            if kk == 0:
                return None
            r = int(state.ride_route[kk, cur])
            j = int(state.ride_trip[kk, cur])
            b = int(state.ride_board[kk, cur])
            ns = int(view.route_stop_off[r + 1] - view.route_stop_off[r])
            so = int(view.route_stop_off[r])
            base = int(view.route_time_off[r]) + j * ns
            a_pos = next(
                (i for i in range(b + 1, ns) if view.route_stops[so + i] == cur and view.times_arr[base + i] == state.rideb[kk, cur]),
                None,
            )
            if a_pos is None:
                return None
            segments.append(("ride", r, j, b, a_pos))
            cur = int(view.route_stops[so + b])
            kk -= 1
            while kk > 0 and state.tau[kk, cur] == state.tau[kk - 1, cur]:
                kk -= 1
            if kk == 0:
                break
            if state.rideb[kk, cur] == state.tau[kk, cur] and state.rideb[kk, cur] < state.rideb[kk - 1, cur]:
                mode = "ride"
            elif state.walkl[kk, cur] == state.tau[kk, cur] and state.walk_from[kk, cur] >= 0:
                mode = "walk"
            else:
                return None
        else:
            f = int(state.walk_from[kk, cur])
            links_to, links_sec = footpaths.links_from(f)
            sec = int(links_sec[np.flatnonzero(links_to == cur)[0]])
            segments.append(("walk", f, cur, sec))
            cur, mode = f, "ride"
    if start.walks_at(cur):
        segments.append(("walk", ORIGIN, cur, int(near_end[cur])))
    segments.reverse()  # now from the search's start to its target
    return _to_path(view, segments)


def _to_path(view: DayView, segments: list[Segment]) -> RawPath:
    """Turn view-level segments (search order) into a forward-time RawPath."""
    legs: list[RawRide | RawWalk] = []
    for seg in segments:
        if seg[0] == "walk":
            _, a, b, sec = seg
            legs.append(RawWalk(a, b, sec))
        else:
            _, r, j, b, a = seg
            trip = int(view.route_trip[int(view.route_trip_off[r]) + j])
            if view.reverse:  # positions count from the pattern's end; boarding and alighting swap
                ns = int(view.route_stop_off[r + 1] - view.route_stop_off[r])
                b, a = ns - 1 - a, ns - 1 - b
            legs.append(RawRide(trip, int(view.route_shift[r]), b, a))
    if view.reverse:
        flipped: list[RawRide | RawWalk] = []
        for leg in reversed(legs):
            if isinstance(leg, RawWalk):
                swap = {ORIGIN: DESTINATION, DESTINATION: ORIGIN}
                flipped.append(RawWalk(swap.get(leg.to_stop, leg.to_stop), swap.get(leg.from_stop, leg.from_stop), leg.seconds))
            else:
                flipped.append(leg)
        legs = flipped
    return RawPath(tuple(legs))
