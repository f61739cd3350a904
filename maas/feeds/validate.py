"""Check a feed and report every problem with file, line and field, in plain words.

``error`` means the feed cannot be used as it is (``maas validate`` exits 2);
``warning`` means it can, but something looks wrong or is ignored.  When one
kind of problem repeats on many rows, the first :data:`MAX_PER_KIND` are listed
and one more problem says how many were left out.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd

from maas.feeds.parse import format_time, parse_date, parse_number, parse_time
from maas.feeds.problems import Problem, Severity
from maas.feeds.reader import LINE, Feed
from maas.feeds.schema import GTFS_FILES, REQUIRED_FILES
from maas.feeds.translations import translation_form

#: How many rows of one kind of problem (same file, field and code) are listed.
MAX_PER_KIND = 20


class _Report:
    """Collects problems, listing at most MAX_PER_KIND of each kind."""

    def __init__(self, feed: str) -> None:
        self.feed = feed
        self.problems: list[Problem] = []
        self._counts: Counter[tuple[str | None, str | None, str]] = Counter()

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        key = (file, field, code)
        self._counts[key] += 1
        if self._counts[key] <= MAX_PER_KIND:
            self.problems.append(Problem(severity, code, message, self.feed, file, row, field))

    def finish(self) -> list[Problem]:
        for (file, field, code), n in self._counts.items():
            if n > MAX_PER_KIND:
                first = next(p for p in self.problems if (p.file, p.field, p.code) == (file, field, code))
                self.problems.append(
                    Problem(
                        first.severity,
                        code,
                        f"... and {n - MAX_PER_KIND} more rows with the same problem ({n} in all)",
                        self.feed,
                        file,
                        None,
                        field,
                    )
                )
        return self.problems


def validate_feed(feed: Feed) -> list[Problem]:
    """Check a feed against GTFS and GTFS-JP and return every problem found.

    Checks files and columns, values, ids, references between files, stop
    positions, stations (parent_station), route names, fare zones, stop
    times (order and speeds), calendars, frequencies, agencies and the
    GTFS-JP files.  An ``error`` makes the feed unusable
    (the compiler refuses it); a ``warning`` does not.

    Parameters
    ----------
    feed
        A feed as :func:`~maas.feeds.reader.read_feed` reads it.

    Returns
    -------
    list of Problem
        Each problem with severity, code, file, line and field; at most
        :data:`MAX_PER_KIND` rows of one kind (file, field and code), then
        one problem giving the count of the rest.
    """
    report = _Report(feed.name)
    for p in feed.read_problems:
        report.problems.append(p)
    _check_unknown_files(feed, report)
    _check_files_and_columns(feed, report)
    _check_values(feed, report)
    _check_ids(feed, report)
    _check_references(feed, report)
    _check_stops(feed, report)
    _check_parent_stations(feed, report)
    _check_route_names(feed, report)
    _check_fare_zones(feed, report)
    _check_stop_times(feed, report)
    _check_calendar(feed, report)
    _check_frequencies(feed, report)
    _check_agency(feed, report)
    _check_gtfs_jp(feed, report)
    return report.finish()


# --- files and columns -------------------------------------------------------


def _check_unknown_files(feed: Feed, report: _Report) -> None:
    """Files GTFS and GTFS-JP do not define are named and ignored: real feeds carry vendor extras, never a reason to refuse."""
    for name in feed.ignored_files:
        what = "folder" if name.endswith("/") else "file"
        report.add("warning", "unknown_file", f"unknown {what}, ignored: {name} is not part of GTFS or GTFS-JP", name)


def _check_files_and_columns(feed: Feed, report: _Report) -> None:
    unreadable = {p.file for p in feed.read_problems if p.severity == "error"}
    for name in REQUIRED_FILES:
        if name in unreadable:
            continue
        if name not in feed.tables:
            report.add("error", "missing_file", f"required file {name} is missing", name)
        elif len(feed.tables[name]) == 0:
            report.add("error", "empty_file", f"required file {name} has a header but no records", name)
    if not feed.has("calendar.txt") and not feed.has("calendar_dates.txt"):
        if not ({"calendar.txt", "calendar_dates.txt"} & unreadable):
            report.add(
                "error",
                "missing_file",
                "neither calendar.txt nor calendar_dates.txt has records: no trip can be given a service day",
                "calendar.txt",
            )
    for name, table in feed.tables.items():
        spec = GTFS_FILES.get(name)
        if spec is None:
            continue
        cols = set(table.columns)
        if name == "translations.txt":
            if translation_form(feed) is None and len(table):
                report.add(
                    "warning",
                    "unknown_translations_form",
                    "translations.txt has neither the GTFS columns (table_name, field_name, language, translation) "
                    "nor the GTFS-JP columns (trans_id, lang, translation); it is ignored",
                    name,
                    1,
                )
            continue
        for col in spec.required_columns:
            if col not in cols:
                report.add("error", "missing_column", f"required column {col} is missing from {name}", name, 1, col)


# --- value syntax ------------------------------------------------------------


def _rows_where(table: pd.DataFrame, mask: np.ndarray) -> Iterable[tuple[int, int]]:
    """Yield (position, line) for rows where mask is true."""
    lines = table[LINE].to_numpy()
    for pos in np.flatnonzero(mask):
        yield int(pos), int(lines[pos])


def _check_values(feed: Feed, report: _Report) -> None:
    for name, table in feed.tables.items():
        spec = GTFS_FILES.get(name)
        if spec is None or name == "translations.txt":
            continue
        for col, kind in spec.columns.items():
            if col not in table.columns:
                continue
            values = table[col]
            required = col in spec.required_columns
            if kind == "id":
                empty = (values.astype(str).str.strip() == "").to_numpy()
                if required:
                    for _, line in _rows_where(table, empty):
                        report.add("error", "missing_value", f"{col} is empty", name, line, col)
                continue
            if kind == "text":
                continue
            if kind == "time":
                parsed = parse_time(values)
                what = "a time like 07:05:00 (H:MM:SS, hours may pass 24)"
            elif kind == "date":
                parsed = parse_date(values)
                what = "a date like 20261201 (YYYYMMDD)"
            elif kind in ("int",) or kind.startswith("enum:"):
                parsed = parse_number(values, integer=True)
                what = "a whole number"
            else:
                parsed = parse_number(values)
                what = "a number"
            for pos, line in _rows_where(table, parsed.bad):
                report.add("error", "bad_value", f"{col} '{values.iloc[pos]}' is not {what}", name, line, col)
            if required and kind != "time":  # empty times are checked with the trip
                for _, line in _rows_where(table, parsed.empty):
                    report.add("error", "missing_value", f"{col} is empty", name, line, col)
            ok = ~parsed.bad & ~parsed.empty
            if kind.startswith("enum:"):
                allowed = {int(v) for v in kind[5:].split(",")}
                outside = ok & ~np.isin(parsed.values, list(allowed))
                for pos, line in _rows_where(table, outside):
                    report.add(
                        "warning",
                        "bad_value",
                        f"{col} '{values.iloc[pos]}' is not one of {sorted(allowed)}; read as the default",
                        name,
                        line,
                        col,
                    )
            if kind == "lat":
                outside = ok & (np.abs(parsed.values) > 90)
                for pos, line in _rows_where(table, outside):
                    report.add("error", "bad_coordinate", f"latitude {values.iloc[pos]} is outside -90..90", name, line, col)
            if kind == "lon":
                outside = ok & (np.abs(parsed.values) > 180)
                for pos, line in _rows_where(table, outside):
                    report.add("error", "bad_coordinate", f"longitude {values.iloc[pos]} is outside -180..180", name, line, col)


# --- identifiers and references ----------------------------------------------


def _check_ids(feed: Feed, report: _Report) -> None:
    for name, table in feed.tables.items():
        spec = GTFS_FILES.get(name)
        if spec is None or not spec.primary_key or not set(spec.primary_key) <= set(table.columns):
            continue
        if name == "agency.txt" and len(table) <= 1:
            continue
        key = table[list(spec.primary_key)]
        dup = key.duplicated(keep="first").to_numpy()
        if not dup.any():
            continue
        first_line: dict[tuple[object, ...], int] = {}
        for k, line in zip(map(tuple, key.to_numpy()), table[LINE]):
            first_line.setdefault(k, line)
        for pos, line in _rows_where(table, dup):
            k = tuple(key.iloc[pos])
            label = ", ".join(f"{c}={v}" for c, v in zip(spec.primary_key, k))
            report.add(
                "error",
                "duplicate_id",
                f"{label} is defined twice (first on line {first_line[k]})",
                name,
                line,
                spec.primary_key[-1],
            )


def _ids(feed: Feed, filename: str, col: str) -> set[str]:
    return set(feed.column(filename, col).astype(str))


def _check_ref(
    feed: Feed,
    report: _Report,
    filename: str,
    col: str,
    targets: set[str],
    target_desc: str,
    severity: Severity = "error",
    allow_empty: bool = True,
    fix: str = "",
) -> None:
    """Report each value of ``filename``'s ``col`` that is not in ``targets``; ``fix`` (if given) ends the message."""
    table = feed.tables.get(filename)
    if table is None or col not in table.columns:
        return
    values = table[col].astype(str)
    missing = ~values.isin(targets)
    if allow_empty:
        missing &= values != ""
    for pos, line in _rows_where(table, missing.to_numpy()):
        message = f"{col} '{values.iloc[pos]}' is not {target_desc}" + (f"; {fix}" if fix else "")
        report.add(severity, "dangling_reference", message, filename, line, col)


def _check_references(feed: Feed, report: _Report) -> None:
    routes = _ids(feed, "routes.txt", "route_id")
    trips = _ids(feed, "trips.txt", "trip_id")
    stops = _ids(feed, "stops.txt", "stop_id")
    services = _ids(feed, "calendar.txt", "service_id") | _ids(feed, "calendar_dates.txt", "service_id")
    agencies = _ids(feed, "agency.txt", "agency_id")
    _check_ref(feed, report, "trips.txt", "route_id", routes, "a route in routes.txt")
    _check_ref(feed, report, "trips.txt", "service_id", services, "a service in calendar.txt or calendar_dates.txt")
    _check_ref(feed, report, "stop_times.txt", "trip_id", trips, "a trip in trips.txt")
    _check_ref(feed, report, "stop_times.txt", "stop_id", stops, "a stop in stops.txt")
    _check_ref(feed, report, "stops.txt", "parent_station", stops, "a stop in stops.txt")
    _check_ref(feed, report, "frequencies.txt", "trip_id", trips, "a trip in trips.txt")
    _check_ref(feed, report, "transfers.txt", "from_stop_id", stops, "a stop in stops.txt", "warning")
    _check_ref(feed, report, "transfers.txt", "to_stop_id", stops, "a stop in stops.txt", "warning")
    _check_ref(feed, report, "fare_rules.txt", "fare_id", _ids(feed, "fare_attributes.txt", "fare_id"), "a fare in fare_attributes.txt", "warning")
    _check_ref(feed, report, "fare_rules.txt", "route_id", routes, "a route in routes.txt", "warning")
    if len(agencies - {""}) > 0:
        _check_ref(feed, report, "routes.txt", "agency_id", agencies, "an agency in agency.txt")
    if len(feed.table("agency.txt")) > 1 and "agency_id" in feed.table("routes.txt").columns:
        values = feed.column("routes.txt", "agency_id").astype(str)
        for _, line in _rows_where(feed.table("routes.txt"), (values == "").to_numpy()):
            report.add("error", "missing_value", "agency_id is empty but the feed has several agencies", "routes.txt", line, "agency_id")


# --- stops -------------------------------------------------------------------


def _check_stops(feed: Feed, report: _Report) -> None:
    table = feed.tables.get("stops.txt")
    if table is None or len(table) == 0 or not {"stop_lat", "stop_lon"} <= set(table.columns):
        if table is not None and len(table) and not {"stop_lat", "stop_lon"} <= set(table.columns):
            for col in ("stop_lat", "stop_lon"):
                if col not in table.columns:
                    report.add("error", "missing_column", f"column {col} is missing: stops cannot be placed", "stops.txt", 1, col)
        return
    lat = parse_number(table["stop_lat"])
    lon = parse_number(table["stop_lon"])
    ltype = parse_number(feed.column("stops.txt", "location_type"), integer=True).values
    needs_position = ltype <= 2  # generic nodes (3) and boarding areas (4) may omit it
    missing = (lat.empty | lon.empty) & needs_position
    for _, line in _rows_where(table, missing):
        report.add("error", "missing_value", "stop has no position (stop_lat/stop_lon empty)", "stops.txt", line, "stop_lat")
    ok = ~(lat.empty | lon.empty | lat.bad | lon.bad)
    zero = ok & (lat.values == 0) & (lon.values == 0)
    for _, line in _rows_where(table, zero):
        report.add(
            "error",
            "bad_coordinate",
            "stop is at latitude 0, longitude 0 (in the Gulf of Guinea): the position is missing, not real",
            "stops.txt",
            line,
            "stop_lat",
        )
    names = feed.column("stops.txt", "stop_name").astype(str)
    for _, line in _rows_where(table, ((names == "") & (ltype <= 2)).to_numpy()):
        report.add("warning", "missing_value", "stop has no stop_name", "stops.txt", line, "stop_name")
    # Stop times must use boardable stops, not stations.
    st = feed.tables.get("stop_times.txt")
    if st is not None and "stop_id" in st.columns:
        stations = set(feed.column("stops.txt", "stop_id")[ltype == 1].astype(str))
        if stations:
            bad = st["stop_id"].astype(str).isin(stations).to_numpy()
            for pos, line in _rows_where(st, bad):
                report.add(
                    "error",
                    "stop_is_station",
                    f"stop_id '{st['stop_id'].iloc[pos]}' is a station (location_type 1); trips must call at its platforms",
                    "stop_times.txt",
                    line,
                    "stop_id",
                )


# --- stations, route names, fare zones -----------------------------------------

#: What each GTFS location_type is, in the words of the messages.
_LOCATION_KINDS = {0: "stop or platform", 1: "station", 2: "entrance or exit", 3: "generic node", 4: "boarding area"}

#: The parent a row needs, by the parent's location_type: a station (1), or a platform (0) for boarding areas.
_PARENT_KINDS = {1: "station", 0: "platform"}


def _location_types(feed: Feed) -> np.ndarray:
    """Return each stops.txt row's location_type; empty, malformed or unknown values read as 0 (a stop), as GTFS says."""
    values = parse_number(feed.column("stops.txt", "location_type"), integer=True).values
    return np.where(np.isin(values, list(_LOCATION_KINDS)), values, 0)


def _parent_types(feed: Feed, parents: pd.Series) -> np.ndarray:
    """Return the location_type of each row's parent_station, -1 where it is empty or names no stop (reported elsewhere)."""
    ids = feed.column("stops.txt", "stop_id").astype(str).to_numpy()
    type_of = pd.Series(_location_types(feed), index=ids)
    type_of = type_of[~type_of.index.duplicated()]
    types: np.ndarray = parents.map(type_of).fillna(-1).to_numpy(dtype=np.int64)
    return types


def _check_parent_stations(feed: Feed, report: _Report) -> None:
    """Stations have no parent; stops, entrances and nodes sit in a station; boarding areas on a platform (GTFS stops.txt).

    A parent_station naming no stop at all is a dangling reference, reported
    by :func:`_check_references`.
    """
    table = feed.tables.get("stops.txt")
    if table is None or "parent_station" not in table.columns:
        return
    parents = table["parent_station"].astype(str)
    ids = feed.column("stops.txt", "stop_id").astype(str)
    own = _location_types(feed)
    parent = _parent_types(feed, parents)
    for pos, line in _rows_where(table, (own == 1) & (parents != "").to_numpy()):
        report.add(
            "error",
            "station_has_parent",
            f"station '{ids.iloc[pos]}' (location_type 1) has parent_station '{parents.iloc[pos]}': "
            "a station cannot be inside another; leave its parent_station empty",
            "stops.txt",
            line,
            "parent_station",
        )
    wanted = np.where(own == 4, 0, 1)  # boarding areas belong to a platform, everything else to a station
    wrong = (own != 1) & (parents != "").to_numpy() & (parent >= 0) & (parent != wanted)
    for pos, line in _rows_where(table, wrong):
        kind, want = _LOCATION_KINDS[int(own[pos])], _PARENT_KINDS[int(wanted[pos])]
        report.add(
            "error",
            "bad_parent_station",
            f"parent_station '{parents.iloc[pos]}' of {kind} '{ids.iloc[pos]}' is location_type {parent[pos]} "
            f"({_LOCATION_KINDS[int(parent[pos])]}), not a {want} (location_type {wanted[pos]}): "
            f"point it at the {want} the {kind} belongs to" + (" or leave it empty" if own[pos] == 0 else ""),
            "stops.txt",
            line,
            "parent_station",
        )


def _check_route_names(feed: Feed, report: _Report) -> None:
    """Every route needs route_short_name or route_long_name (GTFS): without either, riders cannot be told which route to take."""
    table = feed.tables.get("routes.txt")
    if table is None or len(table) == 0:
        return
    short = feed.column("routes.txt", "route_short_name").astype(str).str.strip()
    long = feed.column("routes.txt", "route_long_name").astype(str).str.strip()
    ids = feed.column("routes.txt", "route_id").astype(str)
    for pos, line in _rows_where(table, ((short == "") & (long == "")).to_numpy()):
        report.add(
            "error",
            "missing_value",
            f"route '{ids.iloc[pos]}' has neither route_short_name nor route_long_name: give it at least one (the number riders see, or the full name)",
            "routes.txt",
            line,
            "route_short_name",
        )


def _check_fare_zones(feed: Feed, report: _Report) -> None:
    """origin_id, destination_id and contains_id of fare_rules.txt must be a stop's zone_id: a rule with an unknown zone never matches."""
    if not feed.has("fare_rules.txt"):
        return
    zones = _ids(feed, "stops.txt", "zone_id") - {""}
    fix = "the fare rule never applies; use the zone_id of a stop or give the stops of that zone this zone_id"
    for col in ("origin_id", "destination_id", "contains_id"):
        _check_ref(feed, report, "fare_rules.txt", col, zones, "a zone_id of any stop in stops.txt", "warning", fix=fix)


# --- stop times --------------------------------------------------------------


def _check_stop_times(feed: Feed, report: _Report) -> None:
    st = feed.tables.get("stop_times.txt")
    if st is None or len(st) == 0 or not {"trip_id", "stop_sequence"} <= set(st.columns):
        return
    seq = parse_number(st["stop_sequence"], integer=True)
    arr = parse_time(feed.column("stop_times.txt", "arrival_time"))
    dep = parse_time(feed.column("stop_times.txt", "departure_time"))
    frame = pd.DataFrame(
        {
            "trip": st["trip_id"].astype(str).to_numpy(),
            "seq": seq.values,
            "arr": np.where(arr.empty | arr.bad, -1, arr.values),
            "dep": np.where(dep.empty | dep.bad, -1, dep.values),
            "line": st[LINE].to_numpy(),
            "stop": feed.column("stop_times.txt", "stop_id").astype(str).to_numpy(),
        }
    )
    frame = frame[~seq.bad & ~seq.empty]
    # One of arrival/departure given: the other equals it.
    frame["arr"] = np.where(frame["arr"] < 0, frame["dep"], frame["arr"])
    frame["dep"] = np.where(frame["dep"] < 0, frame["arr"], frame["dep"])
    frame = frame.sort_values(["trip", "seq"], kind="stable")
    trip = frame["trip"].to_numpy()
    a = frame["arr"].to_numpy()
    d = frame["dep"].to_numpy()
    lines = frame["line"].to_numpy()
    first = np.r_[True, trip[1:] != trip[:-1]]
    last = np.r_[trip[1:] != trip[:-1], True]
    # First and last stop need times.
    for i in np.flatnonzero((first | last) & (a < 0)):
        which = "first" if first[i] else "last"
        report.add(
            "error",
            "missing_time",
            f"trip {trip[i]}: the {which} stop has no arrival or departure time",
            "stop_times.txt",
            int(lines[i]),
            "arrival_time",
        )
    # Single-stop trips cannot be ridden.
    for i in np.flatnonzero(first & last):
        report.add("warning", "trip_too_short", f"trip {trip[i]} has only one stop time; it is ignored", "stop_times.txt", int(lines[i]), "trip_id")
    # Departure before arrival at the same stop.
    bad_dwell = (a >= 0) & (d >= 0) & (d < a)
    for i in np.flatnonzero(bad_dwell):
        report.add(
            "error",
            "time_backwards",
            f"trip {trip[i]} leaves stop {frame['stop'].iloc[i]} at {format_time(d[i])}, before it arrives at {format_time(a[i])}",
            "stop_times.txt",
            int(lines[i]),
            "departure_time",
        )
    # Arrival before the last known departure (times going backwards along the trip).
    timed = a >= 0
    # Carry the latest known departure forward within each trip.
    last_dep = np.where(timed, d, -1)
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(trip)), 0))
    carried = pd.Series(np.where(last_dep >= 0, last_dep, np.nan)).groupby(group_start).ffill().to_numpy()
    prev = np.r_[np.nan, carried[:-1]]
    prev[first] = np.nan
    backwards = timed & ~np.isnan(prev) & (a < np.nan_to_num(prev, nan=-1))
    for i in np.flatnonzero(backwards):
        report.add(
            "error",
            "time_backwards",
            f"trip {trip[i]} arrives at stop {frame['stop'].iloc[i]} at {format_time(a[i])}, "
            f"before it left the previous stop at {format_time(int(prev[i]))}: times go backwards",
            "stop_times.txt",
            int(lines[i]),
            "arrival_time",
        )
    # Duplicate stop_sequence handled by _check_ids; trips with no stop times:
    trips = feed.tables.get("trips.txt")
    if trips is not None and "trip_id" in trips.columns:
        unused = ~trips["trip_id"].astype(str).isin(set(trip))
        for pos, line in _rows_where(trips, unused.to_numpy()):
            report.add(
                "warning", "trip_without_stop_times", f"trip {trips['trip_id'].iloc[pos]} has no stop times; it is ignored", "trips.txt", line, "trip_id"
            )
    _check_speeds(feed, frame, report)


def _check_speeds(feed: Feed, frame: pd.DataFrame, report: _Report) -> None:
    """Warn about consecutive stops reached faster than any train could."""
    stops = feed.tables.get("stops.txt")
    if stops is None or not {"stop_lat", "stop_lon", "stop_id"} <= set(stops.columns):
        return
    ids = stops["stop_id"].astype(str).to_numpy()
    lat = pd.Series(parse_number(stops["stop_lat"]).values, index=ids)
    lon = pd.Series(parse_number(stops["stop_lon"]).values, index=ids)
    lat = lat[~lat.index.duplicated()]
    lon = lon[~lon.index.duplicated()]
    f = frame[(frame["arr"] >= 0)]
    trip = f["trip"].to_numpy()
    same = np.r_[False, trip[1:] == trip[:-1]]
    la = f["stop"].map(lat).to_numpy(dtype=float)
    lo = f["stop"].map(lon).to_numpy(dtype=float)
    from maas.geo import haversine_m

    dist = np.r_[0.0, haversine_m(la[:-1], lo[:-1], la[1:], lo[1:])]
    dt = np.r_[0, f["arr"].to_numpy()[1:] - f["dep"].to_numpy()[:-1]]
    fast = same & (dist > 2000) & (dist > np.maximum(dt, 60) * 100)  # over 360 km/h
    lines = f["line"].to_numpy()
    for i in np.flatnonzero(fast):
        kmh = dist[i] / max(dt[i], 1) * 3.6
        report.add(
            "warning",
            "implausible_speed",
            f"trip {trip[i]} covers {dist[i] / 1000:.1f} km to stop {f['stop'].iloc[i]} in {int(dt[i])} s "
            f"({kmh:.0f} km/h): a time or a stop position is probably wrong",
            "stop_times.txt",
            int(lines[i]),
            "arrival_time",
        )


# --- calendars ---------------------------------------------------------------


def _check_calendar(feed: Feed, report: _Report) -> None:
    from maas.feeds.calendar import service_days

    cal = feed.tables.get("calendar.txt")
    if cal is not None and {"start_date", "end_date"} <= set(cal.columns):
        start = parse_date(cal["start_date"])
        end = parse_date(cal["end_date"])
        ok = ~(start.bad | end.bad | start.empty | end.empty)
        for pos, line in _rows_where(cal, ok & (end.values < start.values)):
            report.add(
                "error",
                "bad_date_range",
                f"service {feed.column('calendar.txt', 'service_id').iloc[pos]} ends ({cal['end_date'].iloc[pos]}) before it starts ({cal['start_date'].iloc[pos]})",
                "calendar.txt",
                line,
                "end_date",
            )
    days = service_days(feed)
    used = set(feed.column("trips.txt", "service_id").astype(str))
    where: dict[str, tuple[str, int]] = {}
    for filename in ("calendar_dates.txt", "calendar.txt"):
        t = feed.tables.get(filename)
        if t is not None and "service_id" in t.columns:
            for sid, line in zip(t["service_id"].astype(str), t[LINE]):
                where[sid] = (filename, int(line))
    for sid, running in sorted(days.items()):
        if len(running):
            continue
        filename, row = where.get(sid, ("calendar.txt", None))
        report.add(
            "warning",
            "service_never_runs",
            f"service {sid} never runs: its weekdays, date range and calendar_dates exceptions leave no day"
            + ("; its trips are never used" if sid in used else ""),
            filename,
            row,
            "service_id",
        )
    if days and not any(len(v) for v in days.values()):
        report.add(
            "error",
            "service_never_runs",
            "no service of this feed runs on any day: calendar.txt and calendar_dates.txt leave every trip without a date",
            "calendar.txt",
        )


# --- frequencies, agency, GTFS-JP --------------------------------------------


def _check_frequencies(feed: Feed, report: _Report) -> None:
    fr = feed.tables.get("frequencies.txt")
    if fr is None or len(fr) == 0 or not {"start_time", "end_time", "headway_secs"} <= set(fr.columns):
        return
    start = parse_time(fr["start_time"])
    end = parse_time(fr["end_time"])
    headway = parse_number(fr["headway_secs"], integer=True)
    ok = ~(start.bad | end.bad | start.empty | end.empty)
    for _, line in _rows_where(fr, ok & (end.values <= start.values)):
        report.add("error", "bad_time_range", "end_time is not after start_time", "frequencies.txt", line, "end_time")
    for _, line in _rows_where(fr, ~headway.bad & ~headway.empty & (headway.values <= 0)):
        report.add("error", "bad_value", "headway_secs must be positive", "frequencies.txt", line, "headway_secs")


def _check_agency(feed: Feed, report: _Report) -> None:
    ag = feed.tables.get("agency.txt")
    if ag is None or "agency_timezone" not in ag.columns:
        return
    zones = set()
    for tz, line in zip(ag["agency_timezone"].astype(str), ag[LINE]):
        if not tz:
            report.add("error", "missing_value", "agency_timezone is empty", "agency.txt", int(line), "agency_timezone")
            continue
        try:
            zoneinfo.ZoneInfo(tz)
            zones.add(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            report.add("error", "bad_value", f"agency_timezone '{tz}' is not a time zone name like Asia/Tokyo", "agency.txt", int(line), "agency_timezone")
    if len(zones) > 1:
        report.add("warning", "several_timezones", f"agencies use different time zones ({', '.join(sorted(zones))}); the first is used", "agency.txt")


def _check_gtfs_jp(feed: Feed, report: _Report) -> None:
    routes = _ids(feed, "routes.txt", "route_id")
    _check_ref(feed, report, "routes_jp.txt", "route_id", routes, "a route in routes.txt", "warning")
    _check_ref(feed, report, "agency_jp.txt", "agency_id", _ids(feed, "agency.txt", "agency_id"), "an agency in agency.txt", "warning")
    if feed.has("office_jp.txt"):
        _check_ref(feed, report, "trips.txt", "jp_office_id", _ids(feed, "office_jp.txt", "office_id"), "an office in office_jp.txt", "warning")
    if feed.has("pattern_jp.txt"):
        _check_ref(feed, report, "trips.txt", "jp_pattern_id", _ids(feed, "pattern_jp.txt", "jp_pattern_id"), "a pattern in pattern_jp.txt", "warning")


def summarize(problems: list[Problem]) -> dict[str, int]:
    """Return counts of errors and warnings."""
    counts: dict[str, int] = defaultdict(int)
    for p in problems:
        counts[p.severity] += 1
    return {"errors": counts["error"], "warnings": counts["warning"]}
