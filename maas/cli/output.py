"""Helpers shared by the CLI commands: JSON output and loading the timetable."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import typer

from maas.defaults import default_feed_paths
from maas.errors import InputError
from maas.timetable.cache import load_timetable
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
    return load_timetable(feeds, use_cache=use_cache, progress=sys.stderr.isatty())
