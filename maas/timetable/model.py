"""The compiled timetable: every feed flattened into index-keyed arrays.

Conventions for every field below:

- Indices are 0-based ``int32`` positions into the arrays of their kind
  (stop index, route index, pattern index, trip index, service index).  The
  feeds' own ids appear only in the ``*_ids`` lists, used at the edges.
- Times are ``int32`` **seconds after "noon minus 12 h" of the service day**,
  in the feed's time zone, and may pass 86,400 (24:00:00) for trips that run
  past midnight.  Days are ``int`` day numbers: days since 1970-01-01.
- Distances are metres, coordinates WGS84 degrees.
- CSR ("compressed sparse row") pairs ``x_offsets`` / ``x_values``: the
  values of item ``i`` are ``x_values[x_offsets[i]:x_offsets[i + 1]]``.

A *pattern* is a set of trips of one route that call at the same stops in the
same order with the same pickup / drop-off rules, and never overtake one
another (so that, at every stop position, their departures are sorted the
same way as at the first stop).  RAPTOR scans patterns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from maas.feeds.translations import pick_name
from maas.when import date_to_day, day_to_date


@dataclass(frozen=True)
class FeedSummary:
    """Who published a feed and what it claims to be (agency.txt, feed_info.txt, GTFS-JP files).

    ``agencies_official`` holds the registered names of agency_jp.txt
    (GTFS-JP) where given; ``offices`` the operating offices of office_jp.txt.
    """

    name: str
    source: str
    digest: str
    publisher: str
    version: str
    timezone: str
    lang: str
    agencies: list[str]
    warnings: int
    translations_form: str | None
    agencies_official: list[str] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Timetable:
    """One or more feeds compiled for routing.  Read-only once built.

    Stops (``n_stops``; location_type 0 platforms/stops and 1 stations):

    - ``stop_feed``: int16, index into ``feeds`` of the feed that defines the stop.
    - ``stop_ids``: the feed's own ``stop_id``.
    - ``stop_names``: ``stop_name`` as the feed writes it (its own language).
    - ``stop_names_i18n``: ``{language: name}`` from the stop and translations.txt
      (canonical tags: ``ja``, ``ja-Hrkt`` for the kana reading, ``en``, ``ko``,
      ``zh-Hans``, ``zh-Hant``), always with an ``en`` name for Japanese stops.
    - ``stop_name_source``: where each stop's ``en`` name comes from: ``feed``
      (the feed's translation, or its own name is already Latin), ``reading``
      (its ``ja-Hrkt`` reading romanised in Hepburn) or ``generated`` (no
      reading: one guessed by a dictionary, which may misread a place name);
      see :mod:`maas.feeds.romaji`.
    - ``stop_lat``, ``stop_lon``: float64 degrees.
    - ``stop_parent``: int32 stop index of the parent station, -1 if none.
    - ``stop_location_type``: int8 GTFS location_type (0 stop/platform, 1 station).
    - ``stop_platform_codes``: ``platform_code`` ('' if not given).
    - ``stop_zones``: ``zone_id`` ('' if not given), used by zone fares.

    Routes (``n_routes``):

    - ``route_feed`` (int16), ``route_ids``, ``route_short_names``, ``route_long_names``.
    - ``route_names_i18n``: ``{language: name}``, short name preferred;
      ``route_long_names_i18n``: the same of the long name.  Both have an
      ``en`` name for Japanese ones: the feed's translation (of the name, or of
      the same text elsewhere in the feed), else English made of the names the
      feed translates, romanised where it has none ("秋吉線" → "Akiyoshi Line");
      see :func:`maas.feeds.romaji.label_english`.
    - ``route_types``: int16 GTFS route_type.
    - ``route_modes``: ``rail`` / ``bus`` / ``shuttle`` / ``ferry`` / ``other``
      (``shuttle`` for feeds whose routes are marked as commuter shuttles).
    - ``route_agency``: the agency name.
    - ``route_colors``: hex colour without ``#`` ('' if not given).

    Trips (``n_trips``, after expanding frequencies.txt):

    - ``trip_ids``: the feed's ``trip_id`` (a trip expanded from frequencies.txt
      keeps its template's id; ``trip_freq_start`` tells the copies apart).
    - ``trip_freq_start``: int32 first departure of a frequency copy, -1 otherwise.
    - ``trip_route``, ``trip_service``, ``trip_pattern``: int32 indices.
    - ``trip_headsigns``, ``trip_short_names``: text ('' if not given).
    - ``trip_headsign_index``: int32 index of the trip's headsign in ``headsign_texts``, -1 if none.
    - ``trip_short_name_index``: int32 index of the trip's short name in
      ``short_names_i18n``, -1 if none.
    - ``trip_time_offset``: int64; the trip's times are
      ``stop_time_arr/dep[trip_time_offset[t] + i]`` for stop position ``i`` of its pattern.

    Stop times (one entry per trip and pattern stop, trip by trip):

    - ``stop_time_arr``, ``stop_time_dep``: int32 seconds (see conventions).
      Missing times in the feed are interpolated by distance along the trip.
    - ``stop_time_headsign``: int32 index in ``headsign_texts`` of the
      ``stop_headsign`` there, -1 where the trip's headsign holds (GTFS: a
      stop time's headsign overrides the trip's at that stop only).

    Headsigns (one per distinct text and translations of a feed):

    - ``headsign_texts``: the text as the feed writes it.
    - ``headsign_names_i18n``: ``{language: text}`` with an ``en`` entry, named
      like route names (a headsign that is a stop's name has that stop's
      English, Korean, Chinese and reading: "高陽車庫" → "Koyo Shako (Koyo Depot)";
      "県庁・ゆめタウン経由" → "via Kencho, Yume Town").

    Trip short names (one per distinct text and translations of a feed):

    - ``short_names_i18n``: ``{language: text}``: the feed's own text under its
      language and the feed's translations of ``trips.trip_short_name``
      ("こだま" → ``{"ja": "こだま", "en": "Kodama"}``); no English is made up.

    Patterns (``n_patterns``):

    - ``pattern_route``: int32 route index.
    - ``pattern_stop_offsets`` / ``pattern_stops``: CSR, the stop indices in order.
    - ``pattern_pickup`` / ``pattern_dropoff``: bool, same layout as
      ``pattern_stops``: boarding / alighting allowed there (pickup_type or
      drop_off_type 1 forbids it; other values allow it).
    - ``pattern_trip_offsets`` / ``pattern_trips``: CSR, trip indices sorted by
      departure from the first stop (the no-overtaking order).

    Services (``n_services``):

    - ``service_ids``, ``service_feed`` (int16).
    - ``first_day``: day number of column 0 of ``service_runs``.
    - ``service_runs``: bool ``[n_services, n_days]``, True where the service
      runs on day ``first_day + column``.

    Transfers from transfers.txt (type 2, between two different stops; a rule
    naming a station applies to each of its platforms, as GTFS says):

    - ``transfer_from``, ``transfer_to``: int32 stop indices; ``transfer_seconds``:
      int32 ``min_transfer_time``.

    Fares (fare_attributes.txt + fare_rules.txt):

    - ``route_fare_yen``: float64 per route, the cheapest fare of a rule
      naming the route alone (NaN when unknown).
    - ``route_zone_fares``: per route, ``{(origin zone, destination zone): yen}``
      from rules naming both zones (see ``stop_zones``); a ride between two
      such zones costs that fare instead of the route fare.

    Shapes from shapes.txt (only those a trip uses; see ``maas.timetable.shapes``):

    - ``shape_ids``: the feed's ``shape_id``.
    - ``shape_offsets`` / ``shape_lon``, ``shape_lat``: CSR, int64 offsets and
      float64 degrees of each shape's points in sequence order.
    - ``shape_dist``: float64 metres along the shape (great-circle, from its
      first point) of each point, same layout as ``shape_lon``.
    - ``trip_shape``: int32 shape index of each trip, -1 when the trip has no
      shape or its shape does not fit its stops (drawn stop to stop).
    - ``stop_time_shape_dist``: float32 metres along the trip's shape (the scale
      of ``shape_dist``) where each stop time's stop lies, never decreasing
      along a trip; NaN for trips without a shape.  From the feeds'
      ``shape_dist_traveled`` where both files give it, else by projecting
      the stops onto the shape in order.
    """

    feeds: list[FeedSummary]
    timezone: str

    stop_feed: np.ndarray
    stop_ids: list[str]
    stop_names: list[str]
    stop_names_i18n: list[dict[str, str]]
    stop_name_source: list[str]
    stop_lat: np.ndarray
    stop_lon: np.ndarray
    stop_parent: np.ndarray
    stop_location_type: np.ndarray
    stop_platform_codes: list[str]
    stop_zones: list[str]

    route_feed: np.ndarray
    route_ids: list[str]
    route_short_names: list[str]
    route_long_names: list[str]
    route_names_i18n: list[dict[str, str]]
    route_long_names_i18n: list[dict[str, str]]
    route_types: np.ndarray
    route_modes: list[str]
    route_agency: list[str]
    route_colors: list[str]
    route_fare_yen: np.ndarray
    route_zone_fares: list[dict[tuple[str, str], float]]

    trip_ids: list[str]
    trip_freq_start: np.ndarray
    trip_route: np.ndarray
    trip_service: np.ndarray
    trip_pattern: np.ndarray
    trip_headsigns: list[str]
    trip_short_names: list[str]
    trip_headsign_index: np.ndarray
    trip_short_name_index: np.ndarray
    trip_time_offset: np.ndarray

    stop_time_arr: np.ndarray
    stop_time_dep: np.ndarray
    stop_time_headsign: np.ndarray

    headsign_texts: list[str]
    headsign_names_i18n: list[dict[str, str]]

    short_names_i18n: list[dict[str, str]]

    pattern_route: np.ndarray
    pattern_stop_offsets: np.ndarray
    pattern_stops: np.ndarray
    pattern_pickup: np.ndarray
    pattern_dropoff: np.ndarray
    pattern_trip_offsets: np.ndarray
    pattern_trips: np.ndarray

    service_ids: list[str]
    service_feed: np.ndarray
    first_day: int
    service_runs: np.ndarray

    transfer_from: np.ndarray
    transfer_to: np.ndarray
    transfer_seconds: np.ndarray

    shape_ids: list[str]
    shape_offsets: np.ndarray
    shape_lon: np.ndarray
    shape_lat: np.ndarray
    shape_dist: np.ndarray
    trip_shape: np.ndarray
    stop_time_shape_dist: np.ndarray

    _stop_lookup: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    # --- sizes ---------------------------------------------------------------
    @property
    def n_stops(self) -> int:
        return len(self.stop_ids)

    @property
    def n_routes(self) -> int:
        return len(self.route_ids)

    @property
    def n_trips(self) -> int:
        return len(self.trip_ids)

    @property
    def n_patterns(self) -> int:
        return len(self.pattern_route)

    @property
    def n_stop_times(self) -> int:
        return len(self.stop_time_arr)

    # --- look-ups used at the edges -------------------------------------------
    def feed_names(self) -> list[str]:
        """Return the names of the compiled feeds, in load order."""
        return [f.name for f in self.feeds]

    def stops_with_id(self, stop_id: str) -> list[int]:
        """Return the stop indices whose id is ``stop_id`` or ``FEED:stop_id``."""
        if not self._stop_lookup:
            lookup: dict[str, list[int]] = {}
            names = self.feed_names()
            for i, (f, sid) in enumerate(zip(self.stop_feed, self.stop_ids)):
                lookup.setdefault(sid, []).append(i)
                lookup.setdefault(f"{names[f]}:{sid}", []).append(i)
            self._stop_lookup.update(lookup)
        return list(self._stop_lookup.get(stop_id, []))

    def stop_label(self, stop: int) -> str:
        """Return ``name [feed:id]`` for messages."""
        return f"{self.stop_names[stop]} [{self.feeds[self.stop_feed[stop]].name}:{self.stop_ids[stop]}]"

    def stop_name(self, stop: int, lang: str | None = None) -> str:
        """Return the stop's name in ``lang``, else in English, else its own name (``lang`` None: its own name)."""
        return pick_name(self.stop_names_i18n[stop], lang, self.stop_names[stop])

    def route_name(self, route: int, lang: str | None = None) -> str:
        """Return the route's short (else long) name in ``lang``, else in English, else its own name."""
        return pick_name(self.route_names_i18n[route], lang, self.route_short_names[route] or self.route_long_names[route])

    def route_long_name(self, route: int, lang: str | None = None) -> str:
        """Return the route's long name in ``lang``, else in English, else its own long name."""
        return pick_name(self.route_long_names_i18n[route], lang, self.route_long_names[route])

    def headsign_at(self, trip: int, position: int) -> int:
        """Return the index in ``headsign_texts`` of the headsign shown at stop ``position`` of a trip (the stop's, else the trip's), -1 if none."""
        ref = int(self.stop_time_headsign[int(self.trip_time_offset[trip]) + position])
        return ref if ref >= 0 else int(self.trip_headsign_index[trip])

    def headsign(self, trip: int, position: int, lang: str | None = None) -> str:
        """Return the headsign at stop ``position`` of a trip in ``lang``, else in English, else as the feed writes it ('' if none)."""
        ref = self.headsign_at(trip, position)
        return pick_name(self.headsign_names_i18n[ref], lang, self.headsign_texts[ref]) if ref >= 0 else ""

    def headsign_names(self, trip: int, position: int) -> dict[str, str]:
        """Return ``{language: text}`` of the headsign at stop ``position`` of a trip (empty if none)."""
        ref = self.headsign_at(trip, position)
        return dict(self.headsign_names_i18n[ref]) if ref >= 0 else {}

    def trip_short_name(self, trip: int, lang: str | None = None) -> str:
        """Return the trip's short name in ``lang``, else in English, else as the feed writes it ('' if none; ``lang`` None: as the feed writes it)."""
        ref = int(self.trip_short_name_index[trip])
        return pick_name(self.short_names_i18n[ref], lang, self.trip_short_names[trip]) if ref >= 0 else self.trip_short_names[trip]

    def trip_short_name_names(self, trip: int) -> dict[str, str]:
        """Return ``{language: text}`` of the trip's short name (empty if none)."""
        ref = int(self.trip_short_name_index[trip])
        return dict(self.short_names_i18n[ref]) if ref >= 0 else {}

    def ride_fare(self, route: int, board: int, alight: int) -> float | None:
        """Return the yen of one ride from stop ``board`` to ``alight``: the zone fare of the pair, else the route fare, else None."""
        zones = self.route_zone_fares[route]
        if zones:
            pair = (self._zone(board), self._zone(alight))
            if pair in zones:
                return zones[pair]
        fare = float(self.route_fare_yen[route])
        return None if fare != fare else fare

    def _zone(self, stop: int) -> str:
        """A stop's zone_id, or its station's when the stop has none."""
        parent = int(self.stop_parent[stop])
        return self.stop_zones[stop] or (self.stop_zones[parent] if parent >= 0 else "")

    def pattern_stop_list(self, pattern: int) -> np.ndarray:
        """Return the stop indices of a pattern in calling order."""
        return self.pattern_stops[self.pattern_stop_offsets[pattern] : self.pattern_stop_offsets[pattern + 1]]

    def trip_times(self, trip: int) -> tuple[np.ndarray, np.ndarray]:
        """Return a trip's (arrival, departure) seconds at each stop of its pattern."""
        p = self.trip_pattern[trip]
        n = self.pattern_stop_offsets[p + 1] - self.pattern_stop_offsets[p]
        o = self.trip_time_offset[trip]
        return self.stop_time_arr[o : o + n], self.stop_time_dep[o : o + n]

    @property
    def n_days(self) -> int:
        return int(self.service_runs.shape[1])

    def service_dates(self) -> tuple[dt.date, dt.date] | None:
        """Return the first and last date on which any trip runs, or None."""
        used = np.zeros(len(self.service_ids), bool)
        used[np.unique(self.trip_service)] = True
        days = np.flatnonzero(self.service_runs[used].any(axis=0))
        if len(days) == 0:
            return None
        return day_to_date(self.first_day + days[0]), day_to_date(self.first_day + days[-1])

    def services_on(self, date: dt.date) -> np.ndarray:
        """Return a bool mask over services: which run on ``date``."""
        col = date_to_day(date) - self.first_day
        if col < 0 or col >= self.n_days:
            return np.zeros(len(self.service_ids), bool)
        return self.service_runs[:, col]

    def bbox(self) -> tuple[float, float, float, float] | None:
        """Return (min_lon, min_lat, max_lon, max_lat) of the stops, or None."""
        if self.n_stops == 0:
            return None
        return (
            float(np.min(self.stop_lon)),
            float(np.min(self.stop_lat)),
            float(np.max(self.stop_lon)),
            float(np.max(self.stop_lat)),
        )
