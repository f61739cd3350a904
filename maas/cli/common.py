"""Helpers shared by the CLI commands: JSON output and loading the timetable."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # the library is imported by the commands that need it, so `maas --help` stays quick
    from maas.network.network import Network
    from maas.routing.places import PlaceIndex
    from maas.routing.planner import Planner
    from maas.timetable.model import Timetable

#: Exit status of a command whose answer is "no feasible plan" (an infeasible tour or shuttle
#: optimisation): the answer is printed all the same. Bad input exits 2, an internal error 1.
EXIT_INFEASIBLE = 3


def echo_json(doc: object) -> None:
    """Print one JSON document (UTF-8, Japanese kept readable)."""
    typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))


def load_feeds_or_default(paths: Sequence[Path] | None, use_cache: bool = True) -> Timetable:
    """Compile (or load from the cache) the given feeds, or the region's default feeds."""
    from maas.network.load import feed_paths
    from maas.timetable.cache import load_timetable

    return load_timetable(feed_paths(paths), use_cache=use_cache, progress=sys.stderr.isatty())


def load_network(
    feeds: Sequence[Path] | None,
    pois: Path | None = None,
    osm: Path | None = None,
) -> Network:
    """Return the network of the given feeds (or the default data) with POIs and streets (:func:`maas.load_network`).

    The region's POIs (``pois/pois.geojson``) are loaded with the default data
    and with ``--feed`` alike, so that POI ids such as ``akiyoshido_cave`` keep
    working on other feeds; ``--pois FILE`` loads that file instead.
    """
    from maas.network.load import load_network as load

    return load(feeds, pois, osm, progress=sys.stderr.isatty())


def load_planner(feeds: Sequence[Path] | None, pois: Path | None = None, osm: Path | None = None) -> tuple[Planner, PlaceIndex]:
    """Return a planner and a place index over the given feeds (or the default data)."""
    from maas.routing.places import PlaceIndex
    from maas.routing.planner import Planner

    network = load_network(feeds, pois, osm)
    return Planner(network), PlaceIndex(network)


def service_date(planner: Planner, date: dt.date, field: str = "date") -> dt.date:
    """Return ``date`` if any trip runs that day or the day before; else explain the coverage."""
    return planner.check_date(date, field)
