"""Shared helpers for the feed builders: paths, times, calendars, the tables' columns and rows alike in every feed, and atomic writing.

Distances come from maas.geo, checking from maas.feeds (checks.py) and
journeys from maas.routing (scenarios.py): the build uses the product's own
rules.  National holidays come from jpholiday.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import jpholiday

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


# --- times --------------------------------------------------------------------


def hm(s: str) -> int:
    """'07:14' -> minutes after midnight (may pass 24h)."""
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def fmt(minutes: float) -> str:
    """Minutes after midnight -> HH:MM:SS (hours may pass 24)."""
    total = round(minutes * 60)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


# --- calendars ----------------------------------------------------------------

FEED_START = dt.date(2019, 12, 1)
FEED_END = dt.date(2027, 3, 31)


def daterange(a: dt.date, b: dt.date) -> Iterator[dt.date]:
    """Yield every date from ``a`` to ``b``, both included."""
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


def ymd(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def is_holiday(d: dt.date) -> bool:
    """Return True on a Japanese national holiday (substitute holidays included)."""
    return bool(jpholiday.is_holiday(d))


def national_holidays(a: dt.date = FEED_START, b: dt.date = FEED_END) -> list[dt.date]:
    """Return the national holidays from ``a`` to ``b``, in order."""
    return [d for d in daterange(a, b) if is_holiday(d)]


def calendar_row(service_id: str, days: str, start: dt.date, end: dt.date) -> dict:
    """days: 7 chars of 0/1 for Monday..Sunday."""
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    row = {"service_id": service_id}
    for n, c in zip(names, days, strict=False):
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


# --- tables ------------------------------------------------------------------------
# The columns of the tables the builders write alike, in the order written; a
# builder whose table has other columns (the shuttle's agency, JR's trips...)
# lists its own.

AGENCY_FIELDS = ("agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone", "agency_fare_url")
AGENCY_JP_FIELDS = ("agency_id", "agency_official_name", "agency_zip_number", "agency_address", "agency_president_pos", "agency_president_name")
ROUTES_FIELDS = (
    "route_id",
    "agency_id",
    "route_short_name",
    "route_long_name",
    "route_desc",
    "route_type",
    "route_url",
    "route_color",
    "route_text_color",
    "jp_parent_route_id",
)
TRIPS_FIELDS = ("route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name", "direction_id")
STOP_TIMES_FIELDS = ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "stop_headsign", "pickup_type", "drop_off_type")
CALENDAR_FIELDS = ("service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date")
CALENDAR_DATES_FIELDS = ("service_id", "date", "exception_type")
FARE_ATTRIBUTES_FIELDS = ("fare_id", "price", "currency_type", "payment_method", "transfers", "agency_id", "transfer_duration")
FARE_RULES_FIELDS = ("fare_id", "route_id", "origin_id", "destination_id", "contains_id")
FEED_INFO_FIELDS = (
    "feed_publisher_name",
    "feed_publisher_url",
    "feed_lang",
    "default_lang",
    "feed_start_date",
    "feed_end_date",
    "feed_version",
    "feed_contact_email",
    "feed_contact_url",
)
#: translations.txt as GTFS has it (by table and field); the bus feed writes GTFS-JP's older trans_id form.
TRANSLATIONS_FIELDS = ("table_name", "field_name", "language", "translation", "record_id", "record_sub_id", "field_value")

#: Where every project-made feed says it is published.
PUBLISHER_URL = "https://example.invalid/maas-yamaguchi"


def feed_info(publisher_name: str, version: str, start: dt.date = FEED_START, end: dt.date = FEED_END) -> list[dict]:
    """Return feed_info.txt's one row: the project as publisher (``publisher_name`` says how the times were made), in Japanese."""
    return [
        {
            "feed_publisher_name": publisher_name,
            "feed_publisher_url": PUBLISHER_URL,
            "feed_lang": "ja",
            "default_lang": "ja",
            "feed_start_date": ymd(start),
            "feed_end_date": ymd(end),
            "feed_version": version,
            "feed_contact_email": "",
            "feed_contact_url": "",
        }
    ]


def translation(table: str, field: str, text: str, *, language: str = "en", record_id: str = "", field_value: str = "") -> dict:
    """Return one translations.txt row: ``text`` (in ``language``) for ``table``'s ``field``.

    Give ``record_id`` for one record (a stop, a route, an agency), or
    ``field_value`` for every record whose field has that value (a headsign).
    """
    return {
        "table_name": table,
        "field_name": field,
        "language": language,
        "translation": text,
        "record_id": record_id,
        "record_sub_id": "",
        "field_value": field_value,
    }


# --- writing ---------------------------------------------------------------------


def to_csv_text(header: Sequence[str], rows: list[dict]) -> str:
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
