"""Shared helpers for the feed builders: paths, geometry, times, calendars,
GTFS self-check and atomic writing.  Standard library + jpholiday only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GTFS_DIR = REPO / "gtfs"


def shared_data_dir() -> Path:
    """Where the shared facts live when rebuilding (never needed at run time)."""
    env = os.environ.get("MAAS_SHARED_DATA")
    if env:
        return Path(env)
    return (REPO / ".." / "shared" / "data").resolve()


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- geometry -----------------------------------------------------------------

def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# --- times --------------------------------------------------------------------

def hm(s: str) -> int:
    """'07:14' -> minutes after midnight (may pass 24h)."""
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def fmt(minutes: float) -> str:
    """Minutes after midnight -> HH:MM:SS (hours may pass 24)."""
    total = int(round(minutes * 60))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


# --- calendars ----------------------------------------------------------------

FEED_START = dt.date(2019, 12, 1)
FEED_END = dt.date(2027, 3, 31)


def daterange(a: dt.date, b: dt.date):
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


def ymd(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def national_holidays(a: dt.date = FEED_START, b: dt.date = FEED_END) -> list[dt.date]:
    import jpholiday  # pip install jpholiday

    return [d for d in daterange(a, b) if jpholiday.is_holiday(d)]


def holiday_name(d: dt.date) -> str:
    import jpholiday

    return jpholiday.is_holiday_name(d) or ""


def calendar_row(service_id: str, days: str, start: dt.date, end: dt.date) -> dict:
    """days: 7 chars of 0/1 for Monday..Sunday."""
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    row = {"service_id": service_id}
    for n, c in zip(names, days):
        row[n] = c
    row["start_date"] = ymd(start)
    row["end_date"] = ymd(end)
    return row


def weekday_holiday_exceptions(
    weekday_sid: str,
    holiday_sid: str,
    dates: list[dt.date],
    start: dt.date,
    end: dt.date,
    saturday_sid: str | None = None,
) -> list[dict]:
    """Move each given date (Mon-Sat) from the weekday/Saturday service to the
    Sunday/holiday service.  Sundays need no exception."""
    out = []
    for d in dates:
        if d < start or d > end:
            continue
        wd = d.weekday()
        if wd == 6:
            continue
        if wd == 5:
            if saturday_sid is None:
                continue  # Saturday already runs on the holiday service
            out.append({"service_id": saturday_sid, "date": ymd(d), "exception_type": "2"})
        else:
            out.append({"service_id": weekday_sid, "date": ymd(d), "exception_type": "2"})
        out.append({"service_id": holiday_sid, "date": ymd(d), "exception_type": "1"})
    return out


def service_dates(calendar: list[dict], calendar_dates: list[dict]) -> dict[str, set[str]]:
    """Resolve every service to its set of YYYYMMDD dates."""
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    out: dict[str, set[str]] = {}
    for r in calendar:
        a = dt.datetime.strptime(r["start_date"], "%Y%m%d").date()
        b = dt.datetime.strptime(r["end_date"], "%Y%m%d").date()
        s = out.setdefault(r["service_id"], set())
        for d in daterange(a, b):
            if r[names[d.weekday()]] == "1":
                s.add(ymd(d))
    for r in calendar_dates:
        s = out.setdefault(r["service_id"], set())
        if r["exception_type"] == "1":
            s.add(r["date"])
        else:
            s.discard(r["date"])
    return out


# --- GTFS self-check ------------------------------------------------------------

REQUIRED = {
    "agency.txt": ["agency_name", "agency_url", "agency_timezone"],
    "stops.txt": ["stop_id", "stop_name", "stop_lat", "stop_lon"],
    "routes.txt": ["route_id", "route_type"],
    "trips.txt": ["route_id", "service_id", "trip_id"],
    "stop_times.txt": ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
    "feed_info.txt": ["feed_publisher_name", "feed_publisher_url", "feed_lang"],
}


def _secs(t: str) -> int:
    h, m, s = t.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


class FeedError(AssertionError):
    pass


#: Stops allowed outside the area box: the Shinkansen's next stop east of it (jr.GATEWAYS; Kokura is inside the box).
OUTSIDE_AREA_OK = {"st_hiroshima", "hiroshima"}


def check_feed(name: str, tables: dict[str, tuple[list[str], list[dict]]]) -> None:
    """Assert the structural rules the project relies on.  Raises FeedError."""

    def fail(msg: str) -> None:
        raise FeedError(f"{name}: {msg}")

    for fn, cols in REQUIRED.items():
        if fn not in tables:
            fail(f"missing {fn}")
        header, rows = tables[fn]
        for c in cols:
            if c not in header:
                fail(f"{fn} lacks column {c}")
    if "calendar.txt" not in tables and "calendar_dates.txt" not in tables:
        fail("no calendar.txt nor calendar_dates.txt")
    for fn, (header, rows) in tables.items():
        if not rows:
            fail(f"{fn} is empty")
        if len(set(header)) != len(header):
            fail(f"{fn} has duplicate columns")
        for r in rows:
            extra = set(r) - set(header)
            if extra:
                fail(f"{fn} row has unknown keys {extra}")
            for k, v in r.items():
                if v is None:
                    fail(f"{fn} {k} is None")
                if any(ch in str(v) for ch in "\r\n"):
                    fail(f"{fn} {k} contains a newline")

    def unique(fn: str, key: tuple[str, ...]) -> set:
        seen = set()
        for r in tables[fn][1]:
            k = tuple(r[c] for c in key)
            if any(x == "" for x in k):
                fail(f"{fn} empty key {key}")
            if k in seen:
                fail(f"{fn} duplicate key {k}")
            seen.add(k)
        return {k[0] if len(k) == 1 else k for k in seen}

    agencies = unique("agency.txt", ("agency_id",)) if "agency_id" in tables["agency.txt"][0] else set()
    for r in tables["agency.txt"][1]:
        if r["agency_timezone"] != "Asia/Tokyo":
            fail("agency timezone must be Asia/Tokyo")
    stops = unique("stops.txt", ("stop_id",))
    routes = unique("routes.txt", ("route_id",))
    trips = unique("trips.txt", ("trip_id",))
    stop_rows = {r["stop_id"]: r for r in tables["stops.txt"][1]}
    for r in tables["stops.txt"][1]:
        lat, lon = float(r["stop_lat"]), float(r["stop_lon"])
        if not (33.5 < lat < 35.0 and 130.5 < lon < 132.2) and r["stop_id"] not in OUTSIDE_AREA_OK:
            fail(f"stop {r['stop_id']} at {lat},{lon} is outside the Yamaguchi area")
        lt = r.get("location_type", "") or "0"
        ps = r.get("parent_station", "")
        if lt == "1" and ps:
            fail(f"station {r['stop_id']} has a parent")
        if ps:
            if ps not in stop_rows or (stop_rows[ps].get("location_type") or "0") != "1":
                fail(f"stop {r['stop_id']} parent {ps} is not a station")
    for r in tables["routes.txt"][1]:
        if agencies and r.get("agency_id", "") not in agencies:
            fail(f"route {r['route_id']} agency {r.get('agency_id')} unknown")
        if r["route_type"] not in ("2", "3"):
            fail(f"route {r['route_id']} route_type {r['route_type']}")
        if not (r.get("route_short_name") or r.get("route_long_name")):
            fail(f"route {r['route_id']} has no name")
    cal = tables.get("calendar.txt", ([], []))[1]
    cd = tables.get("calendar_dates.txt", ([], []))[1]
    if cal:
        unique("calendar.txt", ("service_id",))
    if cd:
        unique("calendar_dates.txt", ("service_id", "date"))
        for r in cd:
            if r["exception_type"] not in ("1", "2"):
                fail("bad exception_type")
    days = service_dates(cal, cd)
    for r in tables["trips.txt"][1]:
        if r["route_id"] not in routes:
            fail(f"trip {r['trip_id']} route {r['route_id']} unknown")
        if r["service_id"] not in days:
            fail(f"trip {r['trip_id']} service {r['service_id']} unknown")
    for sid, ds in days.items():
        if not ds:
            fail(f"service {sid} never runs")
    by_trip: dict[str, list[dict]] = {}
    for r in tables["stop_times.txt"][1]:
        if r["trip_id"] not in trips:
            fail(f"stop_times trip {r['trip_id']} unknown")
        if r["stop_id"] not in stops:
            fail(f"stop_times stop {r['stop_id']} unknown")
        if (stop_rows[r["stop_id"]].get("location_type") or "0") != "0":
            fail(f"stop_times uses station {r['stop_id']}")
        by_trip.setdefault(r["trip_id"], []).append(r)
    for t in trips:
        st = by_trip.get(t)
        if not st or len(st) < 2:
            fail(f"trip {t} has fewer than two stop_times")
        prev_seq = -1
        prev_dep = -1
        for r in st:
            seq = int(r["stop_sequence"])
            if seq <= prev_seq:
                fail(f"trip {t} stop_sequence not increasing")
            a, d = _secs(r["arrival_time"]), _secs(r["departure_time"])
            if d < a:
                fail(f"trip {t} departs before it arrives at {r['stop_id']}")
            if a < prev_dep:
                fail(f"trip {t} time goes back at {r['stop_id']}")
            prev_seq, prev_dep = seq, d
    if "fare_attributes.txt" in tables:
        fares = unique("fare_attributes.txt", ("fare_id",))
        zones = {r.get("zone_id", "") for r in tables["stops.txt"][1]} - {""}
        for r in tables.get("fare_rules.txt", ([], []))[1]:
            if r["fare_id"] not in fares:
                fail(f"fare rule fare {r['fare_id']} unknown")
            if r.get("route_id") and r["route_id"] not in routes:
                fail(f"fare rule route {r['route_id']} unknown")
            for k in ("origin_id", "destination_id"):
                if r.get(k) and r[k] not in zones:
                    fail(f"fare rule {k} {r[k]} is no zone")
    if "feed_info.txt" in tables:
        fi = tables["feed_info.txt"][1][0]
        if "modeled" not in (fi.get("feed_version", "") + fi.get("feed_publisher_name", "")).lower() and name != "techno-shuttle":
            fail("feed_info must say the timetable is modeled")


# --- writing ---------------------------------------------------------------------

def to_csv_text(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in header})
    return buf.getvalue()


def write_dir_atomic(target: Path, files: dict[str, str]) -> None:
    """Write {filename: text} into target, replacing it as a whole.

    Files not produced by the builder (README etc.) are not touched: the new
    set of .txt files replaces the old set."""
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        for fn, text in files.items():
            with open(tmp / fn, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        for old in target.glob("*.txt"):
            if old.name not in files:
                old.unlink()
        for fn in sorted(files):
            os.replace(tmp / fn, target / fn)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmpname = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.chmod(tmpname, 0o644)
    os.replace(tmpname, path)
