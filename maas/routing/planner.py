"""The journey planner: Pareto journeys, arrive-by, range queries, reach and matrices.

Semantics (what a reference implementation must reproduce):

1. A trip can be boarded at a stop by being there at or before its departure
   (plus ``min_transfer_s`` for every boarding after the first); pickup_type 1
   forbids boarding and drop_off_type 1 alighting.
2. Walking links join stops within the walk radius (great-circle distance,
   ``ceil(distance × detour / speed)`` seconds) plus the feed's transfers.txt
   type-2 links between different stops (``min_transfer_time``; a rule naming
   a station applies to each of its platforms).
3. At most one walk before the first ride, between two rides and after the last.
4. Services follow calendar.txt and calendar_dates.txt; the previous service
   day's trips that pass 24:00 are included; frequencies.txt trips are expanded.
5. For each number of rides k, the earliest arrival with at most k rides; the
   answer lists the Pareto-optimal (arrival, rides) pairs, each journey leaving
   as late as possible for its arrival (found by a backward search).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from maas.errors import InputError
from maas.network.footpaths import Footpaths
from maas.network.network import Network
from maas.network.walking import WalkModel
from maas.routing.dayview import DayView, build_day_view
from maas.routing.journeys import Journey, build_journey
from maas.routing.kernel import INF
from maas.routing.params import DEFAULT_PARAMS, RoutingParams
from maas.routing.places import Place
from maas.routing.raptor import DESTINATION, ORIGIN, Endpoint, RawPath, RawWalk, SearchState, pareto_rounds, reconstruct, run
from maas.timetable.summary import coverage_message

MAX_WINDOW_S = 24 * 3600


@dataclass(frozen=True)
class JourneyQuery:
    """What to plan: places, when, and how people may travel (``params``).

    ``max_transfers``, ``walk``, ``modes`` and ``min_transfer_s`` read the
    routing parameters.

    Parameters
    ----------
    origin, destination
        Where the journey starts and ends, as :meth:`PlaceIndex.resolve
        <maas.routing.places.PlaceIndex.resolve>` returns them.
    date
        The service date.
    time
        Seconds after noon-minus-12h of ``date`` (07:30 is 27,000; see
        :func:`maas.parse_clock`): the departure, or with ``arrive_by`` the
        latest arrival; 0 to 48:00.
    arrive_by
        Plan backwards from ``time`` as the latest arrival.
    window_s
        More than 0 asks for every Pareto journey departing in ``[time, time
        + window_s]`` (at most 24 h; not with ``arrive_by``).
    params
        How people may travel (:class:`~maas.routing.params.RoutingParams`);
        default: up to 8 transfers, the default walk, every mode.

    Raises
    ------
    InputError
        A time outside the service day (field ``depart``), a window out of
        range or combined with arrive-by (``window``), or routing parameters
        out of range (their field).

    Examples
    --------
    >>> q = maas.JourneyQuery(places.resolve("Shin-Yamaguchi"), places.resolve("Ajisu"),
    ...                       dt.date(2026, 12, 1), maas.parse_clock("07:00"))  # doctest: +SKIP
    >>> [j.rides for j in maas.Planner(network).plan(q)]  # doctest: +SKIP
    [1]
    """

    origin: Place
    destination: Place
    date: dt.date
    time: int
    arrive_by: bool = False
    window_s: int = 0
    params: RoutingParams = DEFAULT_PARAMS

    def __post_init__(self) -> None:
        if not isinstance(self.params, RoutingParams):
            raise TypeError(f"params must be a RoutingParams, not {type(self.params).__name__}")
        if not 0 <= self.time <= 48 * 3600:
            raise InputError(f"time {self.time} s is outside the service day (00:00 to 48:00)", "depart")
        if not 0 <= self.window_s <= MAX_WINDOW_S:
            raise InputError(f"window must be 0 to {MAX_WINDOW_S // 60} minutes, not {self.window_s // 60}", "window")
        if self.window_s and self.arrive_by:
            raise InputError("a window applies to departures; it cannot be combined with arrive-by", "window")

    @property
    def max_transfers(self) -> int:
        """Return the most changes between rides (``params.max_transfers``)."""
        return self.params.max_transfers

    @property
    def walk(self) -> WalkModel:
        """Return the walking model (``params.walk``)."""
        return self.params.walk

    @property
    def modes(self) -> frozenset[str] | None:
        """Return the modes allowed, None for all (``params.modes``)."""
        return self.params.modes

    @property
    def min_transfer_s(self) -> int:
        """Return the seconds needed to change between rides (``params.min_transfer_s``)."""
        return self.params.min_transfer_s


@dataclass(frozen=True)
class Arrivals:
    """Earliest arrival at every stop from one origin: ``any`` however reached, ``by_ride`` from a ride."""

    any: np.ndarray
    by_ride: np.ndarray
    origin_stops: Endpoint


class Planner:
    """Plans journeys on a network; keeps per-date views and walking links between queries.

    RAPTOR (round-based public transit routing) over the day's running trips:
    :meth:`plan` answers a :class:`JourneyQuery` with its Pareto-optimal
    journeys (see the module docstring for the exact semantics); the same
    searches serve :func:`~maas.routing.reach.reach`, the travel-time
    matrices and the tour planner.  Safe to share between threads.

    Parameters
    ----------
    network
        The network to plan on.
    cache_size
        How many day views (one date and set of modes each) are kept.
    """

    def __init__(self, network: Network, cache_size: int = 8) -> None:
        self.network = network
        self._views: OrderedDict[tuple[dt.date, frozenset[str] | None, bool], DayView] = OrderedDict()
        self._reversed_fp: dict[WalkModel, Footpaths] = {}
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the service plans from several threads

    # --- building blocks -----------------------------------------------------
    def view(self, date: dt.date, modes: frozenset[str] | None, reverse: bool = False) -> DayView:
        """Return the (cached) day view of a date; InputError (field ``date``) when no feed serves it."""
        key = (date, modes, reverse)
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        self.check_date(date)
        v = build_day_view(self.network.timetable, date, modes, reverse)
        with self._lock:
            self._views[key] = v
            while len(self._views) > self._cache_size:
                self._views.popitem(last=False)
        return v

    def footpaths(self, walk: WalkModel, reverse: bool = False) -> Footpaths:
        """Return the walking links (reversed for backward searches)."""
        fp = self.network.footpaths(walk)
        if not reverse:
            return fp
        with self._lock:
            if walk not in self._reversed_fp:
                if len(self._reversed_fp) > 8:
                    self._reversed_fp.clear()
                self._reversed_fp[walk] = fp.reversed()
            return self._reversed_fp[walk]

    def access(self, place: Place, walk: WalkModel, reverse: bool = False) -> Endpoint:
        """Return the stops a place is (0 s) or walks to; ``reverse`` gives the stops that walk to it."""
        if place.stops:
            stops = list(place.stops)
            secs = [0] * len(stops)
            walks = [False] * len(stops)
            fp = self.footpaths(walk, reverse)
            for s in place.stops:
                targets, seconds = fp.links_from(s)
                stops.extend(int(t) for t in targets)
                secs.extend(int(x) for x in seconds)
                walks.extend([True] * len(targets))
            return _dedupe(stops, secs, walks)
        idx, seconds = self.network.walk_from_point(place.lat, place.lon, walk)
        return Endpoint(idx, seconds, np.ones(len(idx), bool))

    def direct_walk(self, origin: Place, destination: Place, walk: WalkModel) -> int | None:
        """Return seconds to walk from origin to destination without riding, or None."""
        if origin.stops and destination.stops:
            if set(origin.stops) & set(destination.stops):
                return 0
            end = self.access(destination, walk, reverse=True).seconds_by_stop(self.network.timetable.n_stops)
            best = [int(end[s]) for s in origin.stops if end[s] >= 0]
            return min(best) if best else None
        if origin.stops or destination.stops:
            stops_place, point = (origin, destination) if origin.stops else (destination, origin)
            ends = self.access(point, walk).seconds_by_stop(self.network.timetable.n_stops)
            best = [int(ends[s]) for s in stops_place.stops if ends[s] >= 0]
            return min(best) if best else None
        return self.network.walk_seconds(origin.lat, origin.lon, destination.lat, destination.lon, walk)

    def check_date(self, date: dt.date, field: str = "date") -> dt.date:
        """Return ``date`` when a trip runs that day or the day before; else raise InputError naming each feed's dates.

        Every query goes through here (``plan``, and ``view`` for reach,
        matrices, departures and tours), so a date no loaded feed serves is
        answered "no timetable for 2027-03-01: jrbus covers 2026-08-13 ..
        2027-02-13, ..." rather than "no journey found".
        """
        tt = self.network.timetable
        if date > dt.date.min and (tt.services_on(date).any() or tt.services_on(date - dt.timedelta(days=1)).any()):
            return date
        raise InputError(coverage_message(tt, date), field)

    # --- the queries -----------------------------------------------------------
    def plan(self, q: JourneyQuery) -> list[Journey]:
        """Return the Pareto-optimal journeys of a query.

        For each number of rides, the earliest arrival, leaving as late as
        possible for it; with a window, every Pareto journey over (departure,
        arrival, rides) leaving within it.  No journey is an empty list.

        Parameters
        ----------
        q
            The query.

        Returns
        -------
        list of Journey
            Earliest arrival first (by departure with a window).

        Raises
        ------
        InputError
            No trip runs on the query's date (field ``date``; the message
            names the dates each feed covers).
        """
        self.check_date(q.date)
        if q.window_s:
            return self._range(q)
        if q.arrive_by:
            return self._arrive_by(q)
        return self._depart_at(q)

    def _setup(self, q: JourneyQuery) -> tuple[Endpoint, Endpoint, int | None, int]:
        origin = self.access(q.origin, q.walk)
        destination = self.access(q.destination, q.walk, reverse=True)
        return origin, destination, self.direct_walk(q.origin, q.destination, q.walk), q.max_transfers + 1

    def _journey(self, q: JourneyQuery, path: RawPath, depart_at: int) -> Journey:
        return build_journey(self.network, path, q.origin, q.destination, q.date, depart_at, q.walk.speed_m_s)

    def _walk_only(self, q: JourneyQuery, seconds: int, depart_at: int) -> Journey:
        return self._journey(q, RawPath((RawWalk(ORIGIN, DESTINATION, seconds),)), depart_at)

    def _depart_at(self, q: JourneyQuery) -> list[Journey]:
        origin, destination, direct, k_max = self._setup(q)
        n = self.network.timetable.n_stops
        view = self.view(q.date, q.modes)
        fp = self.footpaths(q.walk)
        state = SearchState(k_max, n, view.n_routes)
        run(view, fp, state, origin.stops, q.time + origin.seconds, destination.seconds_by_stop(n), q.min_transfer_s)
        journeys = []
        walk_arrival = q.time + direct if direct is not None else int(INF)
        if direct is not None:
            journeys.append(self._walk_only(q, direct, q.time))
        for k in pareto_rounds(state.target_best, walk_arrival):
            if k == 0:
                continue
            path = self._latest_departure(q, origin, destination, int(state.target_best[k]), k)
            if path is None:  # never expected; fall back to the forward path
                path = reconstruct(view, fp, state, k, origin, destination)
            if path is not None:
                journeys.append(self._journey(q, path, q.time))
        return _sorted_pareto(journeys)

    def _latest_departure(self, q: JourneyQuery, origin: Endpoint, destination: Endpoint, arrival: int, k: int) -> RawPath | None:
        """Return the path leaving latest that arrives by ``arrival`` with at most ``k`` rides."""
        n = self.network.timetable.n_stops
        rview = self.view(q.date, q.modes, reverse=True)
        rfp = self.footpaths(q.walk, reverse=True)
        rstate = SearchState(k, n, rview.n_routes)
        run(rview, rfp, rstate, destination.stops, -arrival + destination.seconds, origin.seconds_by_stop(n), q.min_transfer_s)
        if rstate.target_best.min() >= INF:
            return None
        best = int(np.argmin(rstate.target_best))
        return reconstruct(rview, rfp, rstate, best, destination, origin)

    def _arrive_by(self, q: JourneyQuery) -> list[Journey]:
        origin, destination, direct, k_max = self._setup(q)
        n = self.network.timetable.n_stops
        rview = self.view(q.date, q.modes, reverse=True)
        rfp = self.footpaths(q.walk, reverse=True)
        rstate = SearchState(k_max, n, rview.n_routes)
        run(rview, rfp, rstate, destination.stops, -q.time + destination.seconds, origin.seconds_by_stop(n), q.min_transfer_s)
        journeys = []
        walk_bound = -(q.time - direct) if direct is not None else int(INF)
        if direct is not None:
            journeys.append(self._walk_only(q, direct, q.time - direct))
        view = self.view(q.date, q.modes)
        fp = self.footpaths(q.walk)
        for k in pareto_rounds(rstate.target_best, walk_bound):
            if k == 0:
                continue
            departure = -int(rstate.target_best[k])
            state = SearchState(k, n, view.n_routes)
            run(view, fp, state, origin.stops, departure + origin.seconds, destination.seconds_by_stop(n), q.min_transfer_s)
            path = None
            if state.target_best.min() < INF:
                path = reconstruct(view, fp, state, int(np.argmin(state.target_best)), origin, destination)
            if path is None:
                path = reconstruct(rview, rfp, rstate, k, destination, origin)
            if path is not None:
                journeys.append(self._journey(q, path, departure))
        return _sorted_pareto(journeys)

    def _range(self, q: JourneyQuery) -> list[Journey]:
        """rRAPTOR: every Pareto journey departing within the window, latest departures first."""
        origin, destination, direct, k_max = self._setup(q)
        n = self.network.timetable.n_stops
        view = self.view(q.date, q.modes)
        fp = self.footpaths(q.walk)
        egress = destination.seconds_by_stop(n)
        times = departure_times(view, origin, q.time, q.time + q.window_s)
        state = SearchState(k_max, n, view.n_routes)
        journeys = []
        if direct is not None:
            journeys.append(self._walk_only(q, direct, q.time + q.window_s))
        # Journeys leaving after the window first, unrecorded: a departure in the window is then
        # reported only when it beats them (not "leave early and wait for a later trip").
        run(view, fp, state, origin.stops, q.time + q.window_s + 1 + origin.seconds, egress, q.min_transfer_s)
        before = state.target_best.copy()
        for t in times:
            run(view, fp, state, origin.stops, int(t) + origin.seconds, egress, q.min_transfer_s)
            walk_arrival = int(t) + direct if direct is not None else int(INF)
            for k in range(1, k_max + 1):
                a = state.target_best[k]
                if a < before[k] and a < min(int(state.target_best[:k].min()), walk_arrival):
                    path = reconstruct(view, fp, state, k, origin, destination)
                    if path is not None:
                        journeys.append(self._journey(q, path, int(t)))
            before = state.target_best.copy()
        return _sorted_pareto(journeys, by_departure=True)

    def arrivals(self, origin: Place, date: dt.date, time: int, params: RoutingParams = DEFAULT_PARAMS) -> Arrivals:
        """Return the earliest arrival at every stop (one-to-all) leaving ``origin`` at ``time``, for reach and matrices."""
        n = self.network.timetable.n_stops
        view = self.view(date, params.modes)
        start = self.access(origin, params.walk)
        state = SearchState(params.max_transfers + 1, n, view.n_routes)
        run(view, self.footpaths(params.walk), state, start.stops, time + start.seconds, np.full(n, -1, np.int64), params.min_transfer_s)
        return Arrivals(state.best_arrival(), state.best_ride_arrival(), start)


def departure_times(view: DayView, origin: Endpoint, start: int, end: int) -> np.ndarray:
    """Return the distinct origin departure times in ``[start, end]`` that meet a boardable trip, latest first."""
    found = []
    for s, walk_s in zip(origin.stops, origin.seconds):
        for e in range(view.stop_route_off[s], view.stop_route_off[s + 1]):
            r, pos = view.stop_route[e], view.stop_route_pos[e]
            if not view.route_pick[view.route_stop_off[r] + pos]:
                continue
            ns = view.route_stop_off[r + 1] - view.route_stop_off[r]
            idx = view.route_time_off[r] + np.arange(view.route_n_trips[r]) * ns + pos
            found.append(view.times_dep[idx] - walk_s)
    if not found:
        return np.zeros(0, np.int64)
    t = np.unique(np.concatenate(found))
    t = t[(t >= start) & (t <= end)]
    return t[::-1]


def _dedupe(stops: list[int], secs: list[int], walks: list[bool]) -> Endpoint:
    best: dict[int, tuple[int, bool]] = {}
    for s, sec, w in zip(stops, secs, walks):
        if s not in best or (sec, w) < best[s]:
            best[s] = (sec, w)
    keys = sorted(best)
    return Endpoint(np.array(keys, np.int64), np.array([best[s][0] for s in keys], np.int64), np.array([best[s][1] for s in keys], bool))


def _sorted_pareto(journeys: list[Journey], by_departure: bool = False) -> list[Journey]:
    """Drop journeys another one beats (leaves no earlier, arrives no later, fewer or equal rides)."""
    keep: list[Journey] = []
    for j in journeys:
        dominated = any(
            o is not j
            and o.departure >= j.departure
            and o.arrival <= j.arrival
            and o.rides <= j.rides
            and (o.departure, -o.arrival, -o.rides) != (j.departure, -j.arrival, -j.rides)
            for o in journeys
        )
        duplicate = any((o.departure, o.arrival, o.rides) == (j.departure, j.arrival, j.rides) for o in keep)
        if not dominated and not duplicate:
            keep.append(j)
    keep.sort(key=lambda j: (j.departure, j.arrival, j.rides) if by_departure else (j.arrival, j.rides))
    return keep
