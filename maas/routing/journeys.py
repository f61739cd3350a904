"""Journeys as people read them: legs with places, times, routes and headsigns.

:func:`build_journey` dresses a :class:`~maas.routing.raptor.RawPath` (indices
and seconds) with names and positions; :meth:`Journey.to_dict` writes the JSON
contract of ``maas plan --json`` and ``GET /v1/journeys``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from maas.feeds.translations import pick_name
from maas.geo import haversine_m
from maas.network.network import Network
from maas.routing.places import Place, stop_ref
from maas.routing.raptor import DESTINATION, ORIGIN, RawPath, RawRide
from maas.timetable.shapes import ride_line


@dataclass(frozen=True)
class Stop:
    """A stop along a ride, with its times (seconds of the query's service day)."""

    place: Place
    arrival: int
    departure: int


@dataclass(frozen=True)
class Leg:
    """One leg of a journey: a walk, or a ride on one trip.

    Times are seconds after noon-minus-12h of the query's service date.

    Parameters
    ----------
    mode
        ``walk``, ``rail``, ``bus``, ``shuttle``, ``ferry`` or ``other``.
    origin, destination
        Where the leg starts and ends.
    departure, arrival
        Seconds of the service day.
    route, route_names, route_id, route_long_name, route_long_names
        A ride's route: its short (else long) name, ``{language: name}``,
        the feed's id, its long name and ``{language: long name}``.
    trip_id, trip_short_name, trip_short_names, headsign, headsign_names
        A ride's trip: its short name (こだま) as the feed writes it and
        ``{language: short name}``; the headsign is the one shown where the
        ride boards (the stop's headsign, else the trip's), as the feed
        writes it and ``{language: headsign}``.
    agency, feed
        Who runs the ride, and the short name of the feed it comes from.
    platform
        The boarding platform code ('' if not given).
    distance_m
        A walk's length in metres (straight-line or along streets).
    fare_yen
        A ride's fare, or None where the data gives none.
    stops
        A ride's stops from boarding to alighting, with their times.
    geometry
        The leg's line as ``[[lon, lat], ...]``: a ride along its trip's
        shape when the feed has one (else None: stop to stop), a walk straight.
    """

    mode: str
    origin: Place
    destination: Place
    departure: int
    arrival: int
    route: str = ""
    route_names: dict[str, str] = field(default_factory=dict)
    route_id: str = ""
    route_long_name: str = ""
    route_long_names: dict[str, str] = field(default_factory=dict)
    trip_id: str = ""
    trip_short_name: str = ""
    trip_short_names: dict[str, str] = field(default_factory=dict)
    headsign: str = ""
    headsign_names: dict[str, str] = field(default_factory=dict)
    agency: str = ""
    feed: str = ""
    platform: str = ""
    distance_m: float = 0.0
    fare_yen: float | None = None
    stops: tuple[Stop, ...] = ()
    geometry: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def is_ride(self) -> bool:
        return self.mode != "walk"

    def line(self) -> list[list[float]]:
        """Return the leg's line as GeoJSON coordinates (``[lon, lat]``, 6 decimals, about 0.1 m)."""
        if self.geometry is not None and len(self.geometry) >= 2:
            coordinates: list[list[float]] = np.round(self.geometry, 6).tolist()
            return coordinates
        points = [self.origin, *(s.place for s in self.stops[1:-1]), self.destination]
        return [[round(p.lon, 6), round(p.lat, 6)] for p in points]


@dataclass(frozen=True)
class Journey:
    """A whole journey: legs in order, with the service date and time zone of its times.

    Parameters
    ----------
    legs
        Walks and rides in order; each ride boards where the previous leg ends.
    date
        The service date the times count from.
    timezone
        The feeds' time zone (``Asia/Tokyo``), for ISO 8601 times.
    departure, arrival
        Seconds after noon-minus-12h of ``date`` (may pass 86,400).
    notes
        Remarks for the traveller.
    """

    legs: tuple[Leg, ...]
    date: dt.date
    timezone: str
    departure: int
    arrival: int
    notes: tuple[str, ...] = field(default=())

    @property
    def rides(self) -> int:
        return sum(leg.is_ride for leg in self.legs)

    @property
    def transfers(self) -> int:
        """Rides minus one (0 for a single ride or a walk)."""
        return max(self.rides - 1, 0)

    @property
    def duration_s(self) -> int:
        return self.arrival - self.departure

    @property
    def walk_m(self) -> float:
        return sum(leg.distance_m for leg in self.legs if not leg.is_ride)

    def iso(self, seconds: int) -> str:
        """Return a service-day time as ISO 8601 with the feed's UTC offset."""
        return iso_time(self.date, seconds, self.timezone)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return the JSON contract (see README, "Journey JSON").

        Names (places, route, long name, trip short name, headsign) are in ``lang``, else in
        English, else as the feed writes them (``lang`` None: as the feed
        writes them); the ``*names`` keys hold every language.
        """
        fares = [leg.fare_yen for leg in self.legs if leg.is_ride]
        return {
            "departure": self.iso(self.departure),
            "arrival": self.iso(self.arrival),
            "transfers": self.transfers,
            "duration_s": self.duration_s,
            "rides": self.rides,
            "walk_m": round(self.walk_m, 1),
            "fare_yen": sum(fares) if fares and all(f is not None for f in fares) else None,
            "legs": [self._leg_dict(leg, lang) for leg in self.legs],
        }

    def _leg_dict(self, leg: Leg, lang: str | None) -> dict[str, Any]:
        d = {
            "mode": leg.mode,
            "from": leg.origin.to_dict(lang),
            "to": leg.destination.to_dict(lang),
            "departure": self.iso(leg.departure),
            "arrival": self.iso(leg.arrival),
            "duration_s": leg.arrival - leg.departure,
            "route": pick_name(leg.route_names, lang, leg.route),
            "trip_id": leg.trip_id,
            "headsign": pick_name(leg.headsign_names, lang, leg.headsign),
            "geometry": {"type": "LineString", "coordinates": leg.line()},
        }
        if leg.is_ride:
            d.update(
                {
                    "route_id": leg.route_id,
                    "route_names": leg.route_names,
                    "route_long_name": pick_name(leg.route_long_names, lang, leg.route_long_name),
                    "route_long_names": leg.route_long_names,
                    "headsign_names": leg.headsign_names,
                    "trip_short_name": pick_name(leg.trip_short_names, lang, leg.trip_short_name),
                    "trip_short_names": leg.trip_short_names,
                    "agency": leg.agency,
                    "feed": leg.feed,
                    "platform": leg.platform or None,
                    "fare_yen": leg.fare_yen,
                    "stops": [{**s.place.to_dict(lang), "arrival": self.iso(s.arrival), "departure": self.iso(s.departure)} for s in leg.stops],
                }
            )
        else:
            d["distance_m"] = round(leg.distance_m, 1)
        return d


def iso_time(date: dt.date, seconds: int, timezone: str) -> str:
    """Return ``date`` noon minus 12 h plus ``seconds``, in ``timezone``, as ISO 8601."""
    origin, tz = _service_day_origin(date, timezone)
    return (origin + dt.timedelta(seconds=int(seconds))).astimezone(tz).isoformat()


@lru_cache(maxsize=64)
def _service_day_origin(date: dt.date, timezone: str) -> tuple[dt.datetime, ZoneInfo]:
    """The instant GTFS times of ``date`` count from (noon minus 12 h, in UTC), and the zone (kept: every answer's
    stop times of a date share them)."""
    tz = ZoneInfo(timezone)
    noon = dt.datetime(date.year, date.month, date.day, 12, tzinfo=tz)
    return noon.astimezone(dt.UTC) - dt.timedelta(hours=12), tz


def stop_place(network: Network, s: int) -> Place:
    """Return a stop as a Place (id as the feed writes it, FEED:id on clashes)."""
    tt = network.timetable
    return Place(
        "stop",
        stop_ref(network, s),
        tt.stop_names[s],
        float(tt.stop_lat[s]),
        float(tt.stop_lon[s]),
        (s,),
        dict(tt.stop_names_i18n[s]),
    )


def build_journey(network: Network, path: RawPath, origin: Place, destination: Place, date: dt.date, depart_at: int, speed_m_s: float) -> Journey:
    """Give a raw path its times and names.

    Rides keep their timetable times.  A walk before the first ride ends just
    in time for it (leaving as late as possible); other walks start when the
    previous ride arrives.  A walk-only journey leaves at ``depart_at``.
    """
    tt = network.timetable

    def place(s: int) -> Place:
        if s == ORIGIN:
            return origin
        if s == DESTINATION:
            return destination
        return stop_place(network, s)

    legs: list[Leg] = []
    rides = [leg for leg in path.legs if isinstance(leg, RawRide)]
    first_ride_dep = None
    if rides:
        r = rides[0]
        first_ride_dep = int(tt.trip_times(r.trip)[1][r.board]) + r.shift
    clock = None
    for i, raw in enumerate(path.legs):
        if isinstance(raw, RawRide):
            arr, dep = tt.trip_times(raw.trip)
            stops = tt.pattern_stop_list(int(tt.trip_pattern[raw.trip]))
            route = int(tt.trip_route[raw.trip])
            passed = tuple(Stop(stop_place(network, int(stops[j])), int(arr[j]) + raw.shift, int(dep[j]) + raw.shift) for j in range(raw.board, raw.alight + 1))
            legs.append(
                Leg(
                    mode=tt.route_modes[route],
                    origin=stop_place(network, int(stops[raw.board])),
                    destination=stop_place(network, int(stops[raw.alight])),
                    departure=int(dep[raw.board]) + raw.shift,
                    arrival=int(arr[raw.alight]) + raw.shift,
                    route=tt.route_name(route),
                    route_names=dict(tt.route_names_i18n[route]),
                    route_id=tt.route_ids[route],
                    route_long_name=tt.route_long_names[route],
                    route_long_names=dict(tt.route_long_names_i18n[route]),
                    trip_id=tt.trip_ids[raw.trip],
                    trip_short_name=tt.trip_short_names[raw.trip],
                    trip_short_names=tt.trip_short_name_names(raw.trip),
                    headsign=tt.headsign(raw.trip, raw.board),
                    headsign_names=tt.headsign_names(raw.trip, raw.board),
                    agency=tt.route_agency[route],
                    feed=tt.feeds[tt.route_feed[route]].name,
                    platform=tt.stop_platform_codes[int(stops[raw.board])],
                    fare_yen=tt.ride_fare(route, int(stops[raw.board]), int(stops[raw.alight])),
                    stops=passed,
                    geometry=ride_line(tt, raw.trip, raw.board, raw.alight),
                )
            )
            clock = legs[-1].arrival
        else:
            a, b = place(raw.from_stop), place(raw.to_stop)
            if clock is None:
                start = (first_ride_dep - raw.seconds) if first_ride_dep is not None and i == 0 else depart_at
            else:
                start = clock
            distance = float(haversine_m(a.lat, a.lon, b.lat, b.lon))
            if network.streets is not None:
                distance = raw.seconds * speed_m_s
            legs.append(Leg("walk", a, b, start, start + raw.seconds, distance_m=distance))
            clock = start + raw.seconds
    if not legs:
        return Journey((), date, tt.timezone, depart_at, depart_at)
    return Journey(tuple(legs), date, tt.timezone, legs[0].departure, legs[-1].arrival)
