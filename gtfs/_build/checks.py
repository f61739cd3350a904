"""Check the built feeds with the product's own checker, before anything is written.

Each feed the builder makes is written to a staging folder, read back by
``maas.feeds.reader.read_feed`` (as maas reads any feed folder) and checked by
``maas.feeds.validate.validate_feed``, the checker behind ``maas validate``.  The project's own feeds must come out without any problem, not
even a warning.

On top of GTFS, the builder holds its feeds to a few rules of this project
(gtfs/README.md): every stop inside the area box of the catalog (the
Shinkansen's gateway Hiroshima excepted), every agency in Asia/Tokyo, rail or
bus routes only, no file without records, and a ``feed_info.txt`` that says the
timetable is modeled.
"""

from __future__ import annotations

import pandas as pd

from maas import Problem, validate_feed
from maas.feeds.reader import Feed

#: The area box (west, south, east, north) of the catalog's entries (gtfs/feeds.toml).
AREA = (130.5, 33.5, 132.2, 35.0)
#: Stops allowed outside the area box: the Shinkansen's next stop east of it (jr.GATEWAYS; Kokura is inside the box).
OUTSIDE_AREA_OK = frozenset({"st_hiroshima", "hiroshima"})
#: Route types the project's feeds use: rail (2) and bus (3).
ROUTE_TYPES = frozenset({"2", "3", "711"})  # rail, bus, shuttle bus (extended type)
#: Feeds whose feed_info need not say "modeled" (the trial's station times are the report's).
NOT_MODELED = frozenset({"techno-shuttle"})


class BuildCheckError(Exception):
    """A built feed breaks GTFS or a rule of the project; nothing was written."""


def project_problems(feed: Feed) -> list[str]:
    """Return where ``feed`` breaks a rule of this project (see the module docstring), in plain words."""
    out = [f"{fn} has no records" for fn, table in sorted(feed.tables.items()) if len(table) == 0]
    stops = feed.table("stops.txt")
    lat = pd.to_numeric(stops["stop_lat"]).to_numpy()
    lon = pd.to_numeric(stops["stop_lon"]).to_numpy()
    west, south, east, north = AREA
    for sid, y, x in zip(stops["stop_id"], lat, lon, strict=True):
        if not (south < y < north and west < x < east) and sid not in OUTSIDE_AREA_OK:
            out.append(f"stops.txt: stop {sid} at {y},{x} is outside the Yamaguchi area {AREA}")
    for tz in sorted(set(feed.column("agency.txt", "agency_timezone")) - {"Asia/Tokyo"}):
        out.append(f"agency.txt: agency_timezone {tz} is not Asia/Tokyo")
    routes = feed.table("routes.txt")
    for rid, rtype in zip(routes["route_id"], routes["route_type"], strict=True):
        if rtype not in ROUTE_TYPES:
            out.append(f"routes.txt: route {rid} has route_type {rtype}, not rail (2), bus (3) or shuttle bus (711)")
    if feed.name not in NOT_MODELED:
        info = " ".join(feed.column("feed_info.txt", c).str.cat(sep=" ") for c in ("feed_version", "feed_publisher_name"))
        if "modeled" not in info.lower():
            out.append("feed_info.txt: feed_version or feed_publisher_name must say the timetable is modeled")
    return out


def check_feed(feed: Feed) -> None:
    """Raise :class:`BuildCheckError` listing every problem maas's checker or the project's rules find in ``feed``."""
    problems: list[Problem] = validate_feed(feed)
    lines = [f"{p.severity}: {p.where()}: {p.message}" for p in problems]
    lines += project_problems(feed)
    if lines:
        raise BuildCheckError(f"{feed.name}: {len(lines)} problem(s), nothing written:\n  " + "\n  ".join(lines))
