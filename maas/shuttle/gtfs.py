"""Shuttle runs to and from GTFS: write a scenario's runs as a feed, read the runs of a feed.

The written feed is plain GTFS (with GTFS-standard translations for English
names), valid under ``maas validate``, and says in ``feed_info.txt`` that it is
a planning scenario, not an official timetable.  Times are written
``HH:MM:SS`` and may pass 24:00:00.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from maas.errors import FeedError, InputError
from maas.feeds.calendar import service_days
from maas.feeds.parse import format_time, parse_number, parse_time
from maas.feeds.problems import has_errors
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from maas.shuttle.model import Call, Run
from maas.shuttle.scenario import Scenario
from maas.when import date_to_day

SERVICE_ID = "shuttle_service"
ROUTE_ID = "shuttle"
AGENCY_ID = "shuttle_operator"
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def shuttle_tables(scenario: Scenario, runs: list[Run], *, timezone: str = "Asia/Tokyo", note: str = "") -> dict[str, list[dict]]:
    """Return the GTFS tables (file stem → rows) of a scenario's stops, runs and service days."""
    parks = set(scenario.park_ids())
    used = {c.stop for r in runs for c in r.calls}
    stops = [s for s in scenario.stops if s.id in used or s.id in parks or s.id in scenario.station_ids()]
    version = f"scenario {scenario.name}" + (f"; {note}" if note else "")
    start = scenario.service.start_date or scenario.date
    end = scenario.service.end_date or scenario.date
    tables: dict[str, list[dict]] = {
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
                "route_type": "3",
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
            tr.append({"table_name": "stops", "field_name": "stop_name", "language": "en", "translation": s.name_en, "record_id": s.id, "record_sub_id": "", "field_value": ""})
    for run in runs:
        if run.name_en and run.name:
            tr.append({"table_name": "trips", "field_name": "trip_short_name", "language": "en", "translation": run.name_en, "record_id": run.id, "record_sub_id": "", "field_value": ""})
    tr.append({"table_name": "routes", "field_name": "route_short_name", "language": "en", "translation": "Commuter shuttle", "record_id": ROUTE_ID, "record_sub_id": "", "field_value": ""})
    tr.append({"table_name": "routes", "field_name": "route_long_name", "language": "en", "translation": f"Commuter shuttle ({scenario.name})", "record_id": ROUTE_ID, "record_sub_id": "", "field_value": ""})
    tr.append({"table_name": "agency", "field_name": "agency_name", "language": "en", "translation": "Shuttle plan (scenario)", "record_id": AGENCY_ID, "record_sub_id": "", "field_value": ""})
    return tables


def write_tables(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write GTFS tables as ``<stem>.txt`` files (UTF-8, header row, fixed column order) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, rows in tables.items():
        header: list[str] = []
        for row in rows:
            for key in row:
                if key not in header:
                    header.append(key)
        if not header:
            continue
        with (folder / f"{stem}.txt").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return folder


def write_shuttle_feed(folder: str | Path, scenario: Scenario, runs: list[Run], *, timezone: str = "Asia/Tokyo", note: str = "", check: bool = True) -> Path:
    """Write the runs as a GTFS feed folder, replacing it atomically; check it with the feed validator.

    Raises :class:`FeedError` when the written feed has errors (never expected).
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        write_tables(tmp, shuttle_tables(scenario, runs, timezone=timezone, note=note))
        if check:
            problems = validate_feed(read_feed(tmp, folder.name))
            if has_errors(problems):
                listing = "; ".join(f"{p.where()}: {p.message}" for p in problems if p.severity == "error")
                raise FeedError(f"the written shuttle feed has errors: {listing}", problems)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def runs_from_feed(path: Path, date: dt.date, stop_ids: set[str], field: str = "runs_feed") -> list[Run]:
    """Return the runs of a GTFS feed that run on ``date`` (trips of its calendars), checked.

    Raises :class:`InputError` when the feed cannot be used, when no trip runs
    that day, or when a trip calls at a stop that is not a scenario stop.
    """
    try:
        feed = read_feed(path)
    except FeedError as exc:
        raise InputError(f"{field}: {exc}", field) from None
    problems = validate_feed(feed)
    if has_errors(problems):
        first = next(p for p in problems if p.severity == "error")
        raise InputError(f"{field}: {path} is not a usable feed ({first.where()}: {first.message}; run maas validate {path})", field)
    day = date_to_day(date)
    days = service_days(feed)
    running = {sid for sid, d in days.items() if len(d) and np.any(d == day)}
    trips = feed.table("trips.txt")
    st = feed.table("stop_times.txt")
    keep = trips[trips["service_id"].astype(str).isin(running)]
    names = dict(zip(keep["trip_id"].astype(str), feed.column("trips.txt", "trip_short_name")[keep.index].astype(str)))
    if keep.empty:
        raise InputError(f"{field}: no trip of {path} runs on {date:%a %Y-%m-%d}", field)
    st = st[st["trip_id"].astype(str).isin(set(names))].copy()
    st["_seq"] = parse_number(st["stop_sequence"], integer=True).values
    arr = parse_time(st["arrival_time"])
    dep = parse_time(st["departure_time"])
    st["_arr"] = np.where(arr.empty, dep.values, arr.values)
    st["_dep"] = np.where(dep.empty, arr.values, dep.values)
    st["_missing"] = arr.empty & dep.empty
    runs = []
    for trip_id, rows in st.sort_values(["trip_id", "_seq"]).groupby("trip_id", sort=False):
        if rows["_missing"].any():
            raise InputError(f"{field}: trip '{trip_id}' of {path} has stops without times; give every stop a time", field)
        calls = []
        for sid, a, d in zip(rows["stop_id"].astype(str), rows["_arr"], rows["_dep"]):
            if sid not in stop_ids:
                raise InputError(f"{field}: trip '{trip_id}' of {path} calls at stop '{sid}', which is not in the scenario's stops", field)
            calls.append(Call(sid, int(a), int(d)))
        runs.append(Run(str(trip_id), tuple(calls), names.get(str(trip_id), "")))
    runs.sort(key=lambda r: (r.start, r.id))
    return runs
