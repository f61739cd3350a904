"""A short description of a compiled timetable, for ``maas info`` and ``/healthz``.

Also each feed's own service dates (:func:`feed_spans`), what the catalog
says about it (:func:`feed_statuses`) and the message for a date no feed
serves (:func:`coverage_message`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from maas.feeds.catalog import FeedStatus, entry_for_feed, status
from maas.timetable.model import Timetable
from maas.when import day_to_date


def summarize(tt: Timetable) -> dict[str, Any]:
    """Return counts, modes, service dates and bounding box as a JSON-ready dict."""
    dates = tt.service_dates()
    bbox = tt.bbox()
    used_routes = np.zeros(tt.n_routes, bool)
    used_routes[np.unique(tt.trip_route)] = True
    modes = Counter(m for m, used in zip(tt.route_modes, used_routes) if used)
    feeds = []
    for f, summary in enumerate(tt.feeds):
        feeds.append(
            {
                "name": summary.name,
                "source": summary.source,
                "publisher": summary.publisher,
                "version": summary.version,
                "agencies": summary.agencies,
                "agencies_official": summary.agencies_official,
                "offices": summary.offices,
                "timezone": summary.timezone,
                "warnings": summary.warnings,
                "translations": summary.translations_form,
                "stops": int(np.sum((tt.stop_feed == f) & (tt.stop_location_type == 0))),
                "routes": int(np.sum(tt.route_feed == f)),
                "trips": int(np.sum(tt.route_feed[tt.trip_route] == f)),
            }
        )
    return {
        "feeds": feeds,
        "agencies": sorted({a for s in tt.feeds for a in s.agencies}),
        "routes_by_mode": dict(sorted(modes.items())),
        "stops": int(np.sum(tt.stop_location_type == 0)),
        "stations": int(np.sum(tt.stop_location_type == 1)),
        "routes": int(used_routes.sum()),
        "trips": tt.n_trips,
        "patterns": tt.n_patterns,
        "stop_times": tt.n_stop_times,
        "service_dates": {"first": dates[0].isoformat(), "last": dates[1].isoformat()} if dates else None,
        "bbox": {"min_lon": bbox[0], "min_lat": bbox[1], "max_lon": bbox[2], "max_lat": bbox[3]} if bbox else None,
        "timezone": tt.timezone,
    }


def feed_spans(tt: Timetable) -> list[tuple[dt.date, dt.date] | None]:
    """Return, per feed (in ``tt.feeds`` order), the first and last date a trip of it runs, or None."""
    used = np.zeros(len(tt.service_ids), bool)
    used[np.unique(tt.trip_service)] = True
    spans: list[tuple[dt.date, dt.date] | None] = []
    for f in range(len(tt.feeds)):
        rows = used & (np.asarray(tt.service_feed) == f)
        days = np.flatnonzero(tt.service_runs[rows].any(axis=0)) if rows.any() else np.zeros(0, np.int64)
        spans.append((day_to_date(tt.first_day + days[0]), day_to_date(tt.first_day + days[-1])) if len(days) else None)
    return spans


def feed_statuses(tt: Timetable, paths: Sequence[str | Path] | None = None, today: dt.date | None = None) -> list[FeedStatus]:
    """Return each loaded feed's catalog facts (kind, licence, attribution) and validity.

    ``paths`` are the feeds as loaded (same order as ``tt.feeds``): a feed is
    described by the catalog beside it (``gtfs/feeds.toml`` for ``gtfs/jr``)
    when that catalog names it; otherwise its kind is ``unknown``.  Days left
    count from ``today`` (default: today in each feed's time zone).
    """
    entries = [entry_for_feed(p) for p in paths] if paths is not None and len(paths) == len(tt.feeds) else [None] * len(tt.feeds)
    return [status(f.name, entry, f.version, f.publisher, f.timezone, span, today) for f, entry, span in zip(tt.feeds, entries, feed_spans(tt))]


def coverage_message(tt: Timetable, date: dt.date) -> str:
    """Say that no loaded feed serves ``date`` and which dates each feed covers.

    ``no timetable for 2027-03-01: jrbus covers 2026-08-13 .. 2027-02-13, jr covers 2019-12-01 .. 2027-03-31``
    """
    parts = [f"{f.name} covers {span[0]} .. {span[1]}" if span else f"{f.name} has no service dates" for f, span in zip(tt.feeds, feed_spans(tt))]
    return f"no timetable for {date}: " + (", ".join(parts) if parts else "no feed is loaded")
