"""Travel-time matrices over a departure window: range RAPTOR, summarised as percentiles.

For each origin the travel time to every destination is computed for every
minute of the departure window (``depart``, ``depart + 1 min``, ...,
``depart + (window - 1) min``) by *one* range search (rRAPTOR, Delling et al.
2012): the minutes are searched latest first and the labels of a later minute
are kept, since leaving later and arriving at a given time is also a way of
leaving earlier and waiting.  Each minute therefore only rescans what the
earlier start improves, instead of a fresh search per minute.  The travel
times over the window are then summarised as percentiles the way R5 does it
(Conway et al. 2017; Higgins et al. 2022): the nearest-rank percentile of the
sorted times, an unreached minute counting as an infinitely long trip, so the
95th percentile is "unreached" as soon as more than 5 % of the minutes are.

Origins and destinations are :class:`~maas.routing.places.Place` objects:
stops and stations (the place *is* its stops), POIs and ``lat,lon`` points
(joined to the stops within walking distance by the planner's
:class:`~maas.network.walking.WalkModel`).  A destination is reached at the
earliest of: arriving at one of its own stops however (ride, or walk after a
ride), a ride to a nearby stop and the walk from there, or walking all the way
from the origin — the same rules as :func:`maas.routing.reach.arrival_times`
and the journey planner, which the tests check minute by minute.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from maas._jit import lazy_njit
from maas.errors import InputError
from maas.geo import haversine_m
from maas.network.walking import WalkModel
from maas.routing.kernel import INF
from maas.routing.params import DEFAULT_PARAMS, RoutingParams
from maas.routing.places import Place
from maas.routing.planner import MAX_WINDOW_S, Planner
from maas.routing.raptor import Endpoint, SearchState, run

#: Travel time (seconds) standing for "not reached" in the int32 arrays below.
UNREACHED = np.int32(np.iinfo(np.int32).max)
#: The percentiles of a matrix when none are asked for.
DEFAULT_PERCENTILES = (50,)


@dataclass(frozen=True)
class DepartureWindow:
    """When people leave: ``minutes`` departures one minute apart from ``start`` on ``date``.

    Parameters
    ----------
    date
        The service date.
    start
        The first departure, seconds of the service day (07:30 is 27,000).
    minutes
        How many departures, one a minute (1, a single departure, to 1,440).

    Raises
    ------
    InputError
        A window out of range (field ``window``) or leaving the service day
        (field ``depart``).
    """

    date: dt.date
    start: int
    minutes: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.minutes <= MAX_WINDOW_S // 60:
            raise InputError(f"window must be 1 to {MAX_WINDOW_S // 60} minutes, not {self.minutes}", "window")
        if not 0 <= self.start <= 48 * 3600 - 60 * self.minutes:
            raise InputError(f"departures from {self.start} s over {self.minutes} min leave the service day (00:00 to 48:00)", "depart")

    def times(self) -> np.ndarray:
        """Return the departure times (seconds), earliest first."""
        return self.start + 60 * np.arange(self.minutes, dtype=np.int64)


@dataclass(frozen=True)
class Targets:
    """Destinations prepared for reading arrivals off a search's labels.

    Destination ``j`` is reached at the minimum, over entries
    ``offsets[j]:offsets[j + 1]``, of the arrival at ``stops[e]`` (by a ride
    when ``by_ride[e]``, else however) plus ``seconds[e]`` walking.
    ``nonempty`` lists the destinations with entries, ``points`` those that
    are positions or POIs (no stops of their own), ``lat``/``lon`` where each is.
    """

    places: tuple[Place, ...]
    offsets: np.ndarray
    stops: np.ndarray
    seconds: np.ndarray
    by_ride: np.ndarray
    nonempty: np.ndarray
    points: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    entry_destination: np.ndarray
    by_stop_offsets: np.ndarray
    by_stop: np.ndarray

    @property
    def size(self) -> int:
        """Return the number of destinations."""
        return len(self.places)


@dataclass(frozen=True)
class TravelTimeMatrix:
    """Travel-time percentiles from every origin to every destination over a departure window.

    Parameters
    ----------
    origin_ids, destination_ids
        The ids of the rows and columns.
    window
        The departures the percentiles are taken over.
    percentiles
        The percentiles, ascending (0 to 100).
    seconds
        ``seconds[i, j, p]`` is the ``percentiles[p]``-th percentile of the
        travel time (seconds, door to door, from the minute of leaving) from
        origin ``i`` to destination ``j`` over the window's minutes, or
        :data:`UNREACHED`.
    """

    origin_ids: tuple[str, ...]
    destination_ids: tuple[str, ...]
    window: DepartureWindow
    percentiles: tuple[int, ...]
    seconds: np.ndarray

    def minutes(self) -> np.ndarray:
        """Return the travel times in minutes (float, NaN where unreached)."""
        out = self.seconds.astype(np.float64) / 60.0
        out[self.seconds == UNREACHED] = np.nan
        return out


def prepare_targets(planner: Planner, destinations: Sequence[Place], walk: WalkModel) -> Targets:
    """Return the destinations as stops to read arrivals from (see :class:`Targets`)."""
    offsets, stops, seconds, by_ride = [0], [], [], []
    for d in destinations:
        for s in d.stops:  # the place itself: however one gets there
            stops.append(s)
            seconds.append(0)
            by_ride.append(False)
        egress = planner.access(d, walk, reverse=True)  # walks after a ride (and a stop's own stops again, harmless)
        stops.extend(int(s) for s in egress.stops)
        seconds.extend(int(x) for x in egress.seconds)
        by_ride.extend([True] * len(egress.stops))
        offsets.append(len(stops))
    offs = np.array(offsets, np.int64)
    stop_of = np.array(stops, np.int64)
    n_stops = planner.network.timetable.n_stops
    order = np.argsort(stop_of, kind="stable")
    return Targets(
        tuple(destinations),
        offs,
        np.array(stops, np.int64),
        np.array(seconds, np.int64),
        np.array(by_ride, bool),
        np.flatnonzero(np.diff(offs) > 0),
        np.array([j for j, d in enumerate(destinations) if not d.stops], np.int64),
        np.array([d.lat for d in destinations], np.float64),
        np.array([d.lon for d in destinations], np.float64),
        np.repeat(np.arange(len(destinations), dtype=np.int64), np.diff(offs)),
        np.r_[0, np.cumsum(np.bincount(stop_of, minlength=n_stops))].astype(np.int64),
        order.astype(np.int64),
    )


def range_travel_times(planner: Planner, origin: Place, targets: Targets, window: DepartureWindow, *, params: RoutingParams = DEFAULT_PARAMS) -> np.ndarray:
    """Return the travel time (seconds, :data:`UNREACHED` if none) for each minute of the window and destination.

    One range-RAPTOR search: minutes from the latest to the earliest, labels
    kept between them.  The result is shaped ``[window.minutes, targets.size]``
    with the earliest minute first.
    """
    n = planner.network.timetable.n_stops
    view = planner.view(window.date, params.modes)
    footpaths = planner.footpaths(params.walk)
    start = planner.access(origin, params.walk)
    direct = direct_walks(planner, origin, start, targets, params.walk)
    times = window.times()
    if len(start.stops) == 0:  # no stop within walking distance: on foot or not at all, the same every minute
        on_foot = np.where(direct >= 0, np.minimum(direct, UNREACHED - 1), UNREACHED).astype(np.int32)
        return np.broadcast_to(on_foot, (len(times), targets.size)).copy()
    state = SearchState(params.max_transfers + 1, n, view.n_routes)
    no_egress = np.full(n, -1, np.int64)
    out = np.empty((len(times), targets.size), np.int32)
    by_transit = np.full(targets.size, INF, np.int64)
    seen_any, seen_ride = np.full(n, INF, np.int64), np.full(n, INF, np.int64)
    for i in range(len(times) - 1, -1, -1):
        t = int(times[i])
        run(view, footpaths, state, start.stops, t + start.seconds, no_egress, params.min_transfer_s)
        lower_arrivals(
            by_transit, state.tau, state.rideb, seen_any, seen_ride,
            targets.by_stop_offsets, targets.by_stop, targets.entry_destination, targets.seconds, targets.by_ride,
        )  # fmt: skip
        arrival = np.where(direct >= 0, np.minimum(by_transit, t + direct), by_transit)
        out[i] = np.where(arrival < INF, np.minimum(arrival - t, UNREACHED - 1), UNREACHED).astype(np.int32)
    return out


@lazy_njit(cache=True, nogil=True)
def lower_arrivals(
    best: np.ndarray,
    tau: np.ndarray,
    rideb: np.ndarray,
    seen_any: np.ndarray,
    seen_ride: np.ndarray,
    by_stop_offsets: np.ndarray,
    by_stop: np.ndarray,
    entry_destination: np.ndarray,
    entry_seconds: np.ndarray,
    entry_by_ride: np.ndarray,
) -> None:
    """Lower each destination's arrival (``best``) with the stops whose arrival went down since the last call.

    A range search's labels only ever go down as the departure moves
    earlier, so a destination's earliest arrival is the minimum, over the
    search so far, of its entries' values (:class:`Targets`), and only the
    entries of stops improved since the previous minute can lower it.
    ``seen_any`` / ``seen_ride`` hold each stop's arrival (however, by a
    ride) at the previous call and are updated.  Compiled with numba when it
    is installed, like the RAPTOR kernel.
    """
    rounds, n = tau.shape
    for s in range(n):
        a = tau[0, s]
        r = rideb[0, s]
        for k in range(1, rounds):
            if tau[k, s] < a:
                a = tau[k, s]
            if rideb[k, s] < r:
                r = rideb[k, s]
        if a < seen_any[s] or r < seen_ride[s]:
            seen_any[s] = a
            seen_ride[s] = r
            for q in range(by_stop_offsets[s], by_stop_offsets[s + 1]):
                e = by_stop[q]
                v = (r if entry_by_ride[e] else a) + entry_seconds[e]
                d = entry_destination[e]
                if v < best[d]:
                    best[d] = v


def direct_walks(planner: Planner, origin: Place, start: Endpoint, targets: Targets, walk: WalkModel) -> np.ndarray:
    """Return the seconds to walk from ``origin`` to each destination without riding (-1 when too far).

    The same answers as :meth:`Planner.direct_walk` (the tests compare them),
    read off the origin's access walks (``start``) and the destinations'
    egress walks at once rather than pair by pair: from a stop place, the
    walk to a destination is its egress walk from one of the origin's stops;
    from a position, its access walk to one of the destination's stops; between
    two positions, the straight line (or the streets) within the walk radius.
    """
    n = planner.network.timetable.n_stops
    out = np.full(targets.size, INF, np.int64)
    if len(targets.stops):
        if origin.stops:
            mine = np.zeros(n, bool)
            mine[list(origin.stops)] = True
            values = np.where(mine[targets.stops], targets.seconds, INF)
        else:
            reach = start.seconds_by_stop(n)[targets.stops]
            values = np.where(~targets.by_ride & (reach >= 0), reach, INF)
        out[targets.nonempty] = np.minimum.reduceat(values, targets.offsets[targets.nonempty])
    if not origin.stops and len(targets.points):
        out[targets.points] = _point_walks(planner, origin, targets, walk)
    return np.where(out < INF, out, -1)


def _point_walks(planner: Planner, origin: Place, targets: Targets, walk: WalkModel) -> np.ndarray:
    """Return walking seconds from a position to each position destination (INF beyond the radius)."""
    lat, lon = targets.lat[targets.points], targets.lon[targets.points]
    if planner.network.streets is not None:
        found = [planner.network.walk_seconds(origin.lat, origin.lon, float(a), float(b), walk) for a, b in zip(lat, lon)]
        return np.array([INF if s is None else s for s in found], np.int64)
    metres = haversine_m(origin.lat, origin.lon, lat, lon)
    return np.where(metres <= walk.radius_m, walk.seconds(metres), INF)


def percentile_indexes(n: int, percentiles: Sequence[int]) -> np.ndarray:
    """Return where each percentile lies in ``n`` sorted values (nearest rank, as R5: ``ceil(p / 100 × n) - 1``)."""
    return np.array([min(max(math.ceil(p / 100 * n) - 1, 0), n - 1) for p in percentiles], np.int64)


def summarise(times: np.ndarray, percentiles: Sequence[int]) -> np.ndarray:
    """Return the percentiles of ``[minutes, destinations]`` travel times as ``[destinations, percentiles]``.

    Nearest rank, no interpolation: every value is a travel time of one of the
    minutes (or :data:`UNREACHED`, which sorts last).
    """
    ordered = np.sort(times, axis=0)
    summary: np.ndarray = ordered[percentile_indexes(times.shape[0], percentiles)].T.copy()
    return summary


def check_percentiles(percentiles: Sequence[int]) -> tuple[int, ...]:
    """Return the percentiles in increasing order without repeats; InputError unless each is 0 to 100."""
    bad = [p for p in percentiles if not 0 <= p <= 100]
    if bad or not percentiles:
        raise InputError(f"percentiles must be whole numbers from 0 to 100, not {', '.join(map(str, bad)) or 'none'}", "percentiles")
    return tuple(sorted({int(p) for p in percentiles}))


def travel_time_matrix(
    planner: Planner,
    origins: Sequence[Place],
    destinations: Sequence[Place],
    window: DepartureWindow,
    *,
    params: RoutingParams = DEFAULT_PARAMS,
    percentiles: Sequence[int] = DEFAULT_PERCENTILES,
    origin_ids: Sequence[str] | None = None,
    destination_ids: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> TravelTimeMatrix:
    """Return the travel-time percentiles from each origin to each destination over a departure window.

    One range-RAPTOR search per origin (:func:`range_travel_times`), reduced
    to the nearest-rank percentiles (:func:`summarise`), an unreached minute
    counting as an infinitely long trip (see the module docstring).

    Parameters
    ----------
    planner
        The journey planner.
    origins, destinations
        Places, as :meth:`~maas.routing.places.PlaceIndex.resolve` returns them.
    window
        The departures (date, first minute, number of minutes).
    params
        How people may travel.
    percentiles
        Which percentiles to keep, each 0 to 100 (default the median).
    origin_ids, destination_ids
        Ids for the rows and columns (default the places' ids).
    progress
        Called with 1 after each origin.

    Returns
    -------
    TravelTimeMatrix
        ``seconds[origin, destination, percentile]``.

    Raises
    ------
    InputError
        No trip runs on the window's date (field ``date``), or a percentile is
        outside 0..100 (field ``percentiles``).
    """
    pcts = check_percentiles(percentiles)
    planner.check_date(window.date)
    targets = prepare_targets(planner, destinations, params.walk)
    out = np.empty((len(origins), len(destinations), len(pcts)), np.int32)
    for i, origin in enumerate(origins):
        out[i] = summarise(range_travel_times(planner, origin, targets, window, params=params), pcts)
        if progress is not None:
            progress(1)
    return TravelTimeMatrix(
        tuple(origin_ids if origin_ids is not None else (o.id for o in origins)),
        tuple(destination_ids if destination_ids is not None else (d.id for d in destinations)),
        window,
        pcts,
        out,
    )
