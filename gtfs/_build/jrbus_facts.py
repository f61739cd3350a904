"""Facts the modeled feeds take from the official ＪＲバス中国 feed in gtfs/jrbus.

The official feed (GTFS-JP, CC0 1.0, unpacked unchanged in ``gtfs/jrbus``) is
read here, never written.  The modeled bus feed uses it for two things:

- stop positions: where a modeled bus stop is at a stop the official feed also
  serves (萩・明倫センター, 萩バスセンター, 山口県庁前), the modeled stop takes the
  official position (the mean of that name's poles) instead of a nearby
  feature;
- the スーパーはぎ号 it must not duplicate: the official trips' running times and
  the dates on which they run, so that the modeled (防長交通) share leaves
  those trips to the official feed.

The feed is read by maas's own reader and its services resolved to dates by
maas's own calendar rules (``maas.feeds``), exactly as the planner reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from common import GTFS_DIR

from maas.feeds.calendar import service_days
from maas.feeds.reader import Feed, read_feed

JRBUS = GTFS_DIR / "jrbus"
SUPER_HAGI = "スーパーはぎ"
_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt", "calendar_dates.txt")
_EPOCH = dt.date(1970, 1, 1)


@lru_cache(maxsize=1)
def _feed() -> Feed:
    """Return the official feed as maas reads it (read once per build)."""
    return read_feed(JRBUS, only=_FILES)


def _table(name: str) -> list[dict[str, str]]:
    """Return the records of one file as dicts of text, in file order."""
    table = _feed().table(name)
    return table[[c for c in table.columns if not c.startswith("_")]].to_dict("records")


def pole_position(stop_name: str) -> tuple[float, float, str]:
    """Return the mean position of the official feed's poles named ``stop_name`` and a description."""
    poles = [r for r in _table("stops.txt") if r["stop_name"] == stop_name and (r.get("location_type") or "0") == "0"]
    assert poles, f"gtfs/jrbus has no stop named {stop_name}"
    lat = sum(float(r["stop_lat"]) for r in poles) / len(poles)
    lon = sum(float(r["stop_lon"]) for r in poles) / len(poles)
    ids = ", ".join(sorted(r["stop_id"] for r in poles))
    desc = (
        f"position = mean of the {len(poles)} poles named {stop_name} in the official ＪＲバス中国 GTFS-JP feed "
        f"(gtfs/jrbus, CC0 1.0, stop_id {ids}); this operator's own pole is nearby (approximate)"
    )
    return round(lat, 6), round(lon, 6), desc


@dataclass(frozen=True)
class OfficialTrip:
    """One official スーパーはぎ号 trip: its stop names with minutes after midnight, and its dates."""

    trip_id: str
    calls: tuple[tuple[str, int], ...]  # (stop_name, departure minute), pole duplicates merged
    dates: frozenset[dt.date]

    @property
    def first(self) -> str:
        return self.calls[0][0]

    @property
    def start(self) -> int:
        return self.calls[0][1]


def _service_dates() -> dict[str, frozenset[dt.date]]:
    """Return the dates each service of the official feed runs on (maas's calendar rules)."""
    return {sid: frozenset(_EPOCH + dt.timedelta(days=int(n)) for n in days) for sid, days in service_days(_feed()).items()}


def super_hagi_trips() -> list[OfficialTrip]:
    """Return the official スーパーはぎ号 trips (route long name contains スーパーはぎ), by start time."""
    routes = {r["route_id"] for r in _table("routes.txt") if SUPER_HAGI in r["route_long_name"] + r["route_short_name"]}
    assert routes, "gtfs/jrbus has no スーパーはぎ号 route"
    days = _service_dates()
    trips = {r["trip_id"]: r for r in _table("trips.txt") if r["route_id"] in routes}
    names = {r["stop_id"]: r["stop_name"] for r in _table("stops.txt")}
    calls: dict[str, list[tuple[int, str, int]]] = {}
    for r in _table("stop_times.txt"):
        if r["trip_id"] in trips:
            h, m, _ = r["departure_time"].split(":")
            calls.setdefault(r["trip_id"], []).append((int(r["stop_sequence"]), names[r["stop_id"]], int(h) * 60 + int(m)))
    out = []
    for tid, rows in calls.items():
        merged: list[tuple[str, int]] = []
        for _, name, minute in sorted(rows):
            if merged and merged[-1][0] == name:  # two poles of one stop in a row (萩・明倫センター)
                continue
            merged.append((name, minute))
        out.append(OfficialTrip(tid, tuple(merged), days.get(trips[tid]["service_id"], frozenset())))
    return sorted(out, key=lambda t: (t.first, t.start, t.trip_id))


def super_hagi_days() -> frozenset[dt.date]:
    """Return the dates on which at least one official スーパーはぎ号 trip runs."""
    return frozenset().union(*(t.dates for t in super_hagi_trips()))
