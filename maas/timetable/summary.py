"""A short description of a compiled timetable, for ``maas info`` and ``/healthz``."""

from __future__ import annotations

from collections import Counter

import numpy as np

from maas.timetable.model import Timetable


def summarize(tt: Timetable) -> dict:
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
