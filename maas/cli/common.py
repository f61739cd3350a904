"""Helpers shared by the CLI commands: JSON output and loading the timetable."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from maas.defaults import default_feed_paths, default_pois_path
from maas.errors import InputError

if TYPE_CHECKING:  # the library is imported by the commands that need it, so `maas --help` stays quick
    from maas.network.network import Network
    from maas.routing.places import PlaceIndex
    from maas.routing.planner import Planner
    from maas.timetable.model import Timetable


def echo_json(doc: object) -> None:
    """Print one JSON document (UTF-8, Japanese kept readable)."""
    typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))


def load_feeds_or_default(paths: Sequence[Path] | None, use_cache: bool = True) -> Timetable:
    """Compile (or load from the cache) the given feeds, or the region's default feeds."""
    feeds = list(paths) if paths else default_feed_paths()
    if not feeds:
        raise InputError("no feeds given and the default data (gtfs/) was not found; pass feed folders or zips")
    for p in feeds:
        if not Path(p).exists():
            raise InputError(f"{p}: no such feed folder or zip file", "feed")
    from maas.timetable.cache import load_timetable

    return load_timetable(feeds, use_cache=use_cache, progress=sys.stderr.isatty())


def load_network(
    feeds: Sequence[Path] | None,
    pois: Path | None = None,
    osm: Path | None = None,
) -> Network:
    """Return the network of the given feeds (or the default data) with POIs and streets.

    The region's POIs (``pois/pois.geojson``) are loaded with the default data
    and with ``--feed`` alike, so that POI ids such as ``akiyoshido_cave`` keep
    working on other feeds; ``--pois FILE`` loads that file instead.
    """
    from maas.network.network import Network
    from maas.network.osm import StreetNetwork
    from maas.pois import load_pois

    tt = load_feeds_or_default(feeds)
    poi_path = pois if pois else default_pois_path()
    poi_list = load_pois(poi_path) if poi_path and (pois or poi_path.exists()) else []
    streets = StreetNetwork.from_file(osm) if osm else None
    return Network(tt, poi_list, streets)


def load_planner(feeds: Sequence[Path] | None, pois: Path | None = None, osm: Path | None = None) -> tuple[Planner, PlaceIndex]:
    """Return a planner and a place index over the given feeds (or the default data)."""
    from maas.routing.places import PlaceIndex
    from maas.routing.planner import Planner

    network = load_network(feeds, pois, osm)
    return Planner(network), PlaceIndex(network)


def service_date(planner: Planner, date: dt.date, field: str = "date") -> dt.date:
    """Return ``date`` if any trip runs that day or the day before; else explain the coverage."""
    return planner.check_date(date, field)
