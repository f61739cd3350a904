"""A scenario's runs as a GTFS feed: its tables, their file bytes, and the feed read from them in memory.

The tables are plain GTFS (with GTFS-standard translations for English
names); the feed says in ``feed_info.txt`` that it is a planning scenario,
not an official timetable.  Times are written ``HH:MM:SS`` and may pass
24:00:00.  :func:`shuttle_files` gives the files without touching the disk,
for the evaluation to compile (:func:`maas.timetable.cache.load_feed_files`);
:func:`shuttle_feed` the feed read from them (:func:`maas.feeds.reader.feed_from_files`,
exactly as if read from a folder of these files);
:mod:`maas.shuttle.outputs` writes the same files for people and other tools.
"""

from __future__ import annotations

import csv
import io

from maas.feeds.parse import format_time
from maas.feeds.reader import Feed, feed_from_files
from maas.feeds.schema import SHUTTLE_ROUTE_TYPE
from maas.shuttle.model import Run
from maas.shuttle.schema import Scenario

#: Name of the scenario's runs as a feed (its route has route_type 711, so the compiler gives it mode shuttle).
SHUTTLE_FEED = "scenario-shuttle"
SERVICE_ID = "shuttle_service"
ROUTE_ID = "shuttle"
AGENCY_ID = "shuttle_operator"
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Tables = dict[str, list[dict[str, str]]]


def shuttle_tables(scenario: Scenario, runs: list[Run], *, timezone: str = "Asia/Tokyo", note: str = "") -> Tables:
    """Return the GTFS tables (file stem → rows) of a scenario's stops, runs and service days."""
    parks = set(scenario.park_ids())
    used = {c.stop for r in runs for c in r.calls}
    stops = [s for s in scenario.stops if s.id in used or s.id in parks or s.id in scenario.station_ids()]
    version = f"scenario {scenario.name}" + (f"; {note}" if note else "")
    start = scenario.service.start_date or scenario.date
    end = scenario.service.end_date or scenario.date
    tables: Tables = {
        "agency": [
            {
                "agency_id": AGENCY_ID,
                "agency_name": "シャトル計画（シナリオ）",
                "agency_url": "https://example.invalid/maas-shuttle-scenario",
                "agency_timezone": timezone,
                "agency_lang": "ja",
            }
        ],
        "stops": [
            {
                "stop_id": s.id,
                "stop_name": s.name or s.id,
                "stop_desc": ("park; " if s.id in parks else "station stop; ") + (s.note or ""),
                "stop_lat": f"{s.lat:.6f}",
                "stop_lon": f"{s.lon:.6f}",
                "location_type": "0",
            }
            for s in stops
        ],
        "routes": [
            {
                "route_id": ROUTE_ID,
                "agency_id": AGENCY_ID,
                "route_short_name": "通勤シャトル",
                "route_long_name": f"通勤シャトル（{scenario.name}）",
                "route_desc": "planning scenario written by maas; not an official timetable",
                "route_type": str(SHUTTLE_ROUTE_TYPE),
            }
        ],
        "trips": [],
        "stop_times": [],
        "calendar": [
            {
                "service_id": SERVICE_ID,
                **{day: "1" if day[:3] in scenario.service.weekdays else "0" for day in _FULL_DAYS},
                "start_date": start.strftime("%Y%m%d"),
                "end_date": end.strftime("%Y%m%d"),
            }
        ],
        "feed_info": [
            {
                "feed_publisher_name": "maas shuttle planner (planning scenario, not an official timetable)",
                "feed_publisher_url": "https://example.invalid/maas-yamaguchi",
                "feed_lang": "ja",
                "default_lang": "ja",
                "feed_start_date": start.strftime("%Y%m%d"),
                "feed_end_date": end.strftime("%Y%m%d"),
                "feed_version": version,
            }
        ],
        "translations": [],
    }
    exceptions = [d for d in scenario.service.except_dates if start <= d <= end]
    if exceptions:
        tables["calendar_dates"] = [{"service_id": SERVICE_ID, "date": d.strftime("%Y%m%d"), "exception_type": "2"} for d in sorted(exceptions)]
    names = {s.id: s.name or s.id for s in scenario.stops}
    for run in runs:
        last = run.calls[-1].stop
        to_park = last in parks
        tables["trips"].append(
            {
                "route_id": ROUTE_ID,
                "service_id": SERVICE_ID,
                "trip_id": run.id,
                "trip_headsign": names.get(last, last),
                "trip_short_name": run.name or run.id,
                "direction_id": "0" if to_park else "1",
            }
        )
        for seq, c in enumerate(run.calls, start=1):
            tables["stop_times"].append(
                {
                    "trip_id": run.id,
                    "arrival_time": format_time(c.arrival),
                    "departure_time": format_time(c.departure),
                    "stop_id": c.stop,
                    "stop_sequence": str(seq),
                    "timepoint": "1",
                }
            )
    tr = tables["translations"]
    for s in stops:
        if s.name_en:
            tr.append(
                {
                    "table_name": "stops",
                    "field_name": "stop_name",
                    "language": "en",
                    "translation": s.name_en,
                    "record_id": s.id,
                    "record_sub_id": "",
                    "field_value": "",
                }
            )
    for run in runs:
        if run.name_en and run.name:
            tr.append(
                {
                    "table_name": "trips",
                    "field_name": "trip_short_name",
                    "language": "en",
                    "translation": run.name_en,
                    "record_id": run.id,
                    "record_sub_id": "",
                    "field_value": "",
                }
            )
    tr.append(
        {
            "table_name": "routes",
            "field_name": "route_short_name",
            "language": "en",
            "translation": "Commuter shuttle",
            "record_id": ROUTE_ID,
            "record_sub_id": "",
            "field_value": "",
        }
    )
    tr.append(
        {
            "table_name": "routes",
            "field_name": "route_long_name",
            "language": "en",
            "translation": f"Commuter shuttle ({scenario.name})",
            "record_id": ROUTE_ID,
            "record_sub_id": "",
            "field_value": "",
        }
    )
    tr.append(
        {
            "table_name": "agency",
            "field_name": "agency_name",
            "language": "en",
            "translation": "Shuttle plan (scenario)",
            "record_id": AGENCY_ID,
            "record_sub_id": "",
            "field_value": "",
        }
    )
    return tables


def table_files(tables: Tables) -> dict[str, bytes]:
    """Return the GTFS files of ``tables``: ``<stem>.txt`` → UTF-8 CSV (header row, columns in first-seen order, LF line ends).

    A table without rows has no file.
    """
    files: dict[str, bytes] = {}
    for stem, rows in tables.items():
        header: list[str] = []
        for row in rows:
            for key in row:
                if key not in header:
                    header.append(key)
        if not header:
            continue
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        files[f"{stem}.txt"] = text.getvalue().encode("utf-8")
    return files


def shuttle_files(scenario: Scenario, runs: list[Run], *, timezone: str) -> dict[str, bytes]:
    """Return the files of the runs' feed (``stops.txt`` → bytes), made in memory."""
    return table_files(shuttle_tables(scenario, runs, timezone=timezone))


def shuttle_feed(scenario: Scenario, runs: list[Run], *, timezone: str) -> Feed:
    """Return the runs as a feed named :data:`SHUTTLE_FEED`, read from its files made in memory (see the module docstring)."""
    return feed_from_files(shuttle_files(scenario, runs, timezone=timezone), SHUTTLE_FEED, f"<memory>/{SHUTTLE_FEED}")


__all__ = ["AGENCY_ID", "ROUTE_ID", "SERVICE_ID", "SHUTTLE_FEED", "Tables", "shuttle_feed", "shuttle_files", "shuttle_tables", "table_files"]
