"""Where a scenario's runs come from: its ``runs`` list, or the trips of a GTFS feed (``runs_feed``) on its date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from maas.errors import FeedError, InputError
from maas.feeds.calendar import service_days
from maas.feeds.parse import parse_number, parse_time
from maas.feeds.problems import has_errors
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from maas.shuttle.model import Call, Run, runs_from_specs
from maas.shuttle.schema import Scenario
from maas.when import date_to_day


def scenario_runs(scenario: Scenario) -> list[Run]:
    """Return a scenario's runs (from ``runs``, or the trips of ``runs_feed`` on the date), sorted by start."""
    if scenario.runs is not None:
        return sorted(runs_from_specs(scenario.runs), key=lambda r: (r.start, r.id))
    path = scenario.resolve_path(scenario.runs_feed or "", "runs_feed")
    return runs_from_feed(path, scenario.date, {s.id for s in scenario.stops})


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


__all__ = ["runs_from_feed", "scenario_runs"]
