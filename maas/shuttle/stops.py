"""Stops a scenario may name by id alone: the stops of the default feeds, with their English names.

A scenario's ``stops`` entry with only ``id`` (``ajisu``, ``shinyamaguchi``)
takes its name, English name and position from the default feeds: first the
feeds the catalog (``gtfs/feeds.toml``) declares of kind ``trial`` (a shuttle
trial's own timetable, whose stop ids are the shuttle stops: in the default
data ``gtfs/techno-shuttle``), then the others, each group in the catalog's
order (see :data:`FIRST_KINDS`; a caller may pass other kinds, or build a
:class:`StopCatalogue` over feeds in its own order).  The order comes from
what the catalog says a feed is, never from its folder's name.  The
feeds are read with :func:`maas.feeds.reader.read_feed` (only ``stops.txt`` and
``translations.txt``), each only when a stop is looked up that the feeds
before it do not have, and kept in a small bounded cache keyed by those
files' sizes and modification times, so a refreshed feed is read again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from maas.defaults import default_feed_paths
from maas.feeds.catalog import UNKNOWN_KIND, entry_for_feed
from maas.feeds.reader import Feed, read_feed
from maas.shuttle.lru import Lru
from maas.shuttle.schema import Scenario

_FILES = ("stops.txt", "translations.txt")

#: The catalog kinds whose feeds are looked in first, in this order; feeds of other kinds follow.
#: A ``trial`` feed is a shuttle trial's own timetable: its stop ids (``ajisu``) are the shuttle
#: stops scenarios name, and where another feed has the same id (``gtfs/jr`` has ``ajisu``), the
#: shuttle's stop is the one meant.
FIRST_KINDS: tuple[str, ...] = ("trial",)


@dataclass(frozen=True)
class KnownStop:
    """A stop of the default feeds: its names, position, description and the feed it comes from."""

    name: str
    name_en: str | None
    lat: float
    lon: float
    note: str | None
    feed: str


class StopCatalogue:
    """The stops of some feeds by id, the first feed's stop winning a shared id; ``feeds`` names them (``gtfs/jr``).

    A feed is read only when a stop is looked up that the feeds before it do
    not have (the shuttle's own feed, first, usually has them all).
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)
        self.feeds = tuple(f"gtfs/{p.name}" for p in self.paths)

    def describe(self) -> str:
        """Return the feeds for messages (``gtfs/techno-shuttle, gtfs/jr``), or ``none found``."""
        return ", ".join(self.feeds) or "none found"

    def lookup(self, ids: Iterable[str]) -> dict[str, KnownStop]:
        """Return the known stops among ``ids`` in the order of ``ids``, each from the first feed that has it."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, KnownStop] = {}
        for path in self.paths:
            missing = [sid for sid in wanted if sid not in found]
            if not missing:
                break
            stops = feed_stops(path)
            found.update((sid, stops[sid]) for sid in missing if sid in stops)
        return {sid: found[sid] for sid in wanted if sid in found}


def feeds_by_kind(paths: Sequence[Path], first_kinds: Sequence[str] = FIRST_KINDS) -> list[Path]:
    """Return ``paths`` with the feeds of ``first_kinds`` first (in that order of kinds), then the others.

    A feed's kind is what the catalog beside it declares
    (:func:`maas.feeds.catalog.entry_for_feed`), never its folder's name; a
    feed no catalog describes counts as kind ``unknown``.  Feeds of the same
    rank keep their order in ``paths`` (the catalog's, for the default feeds).
    """
    rank = {kind: i for i, kind in enumerate(first_kinds)}

    def key(path: Path) -> int:
        entry = entry_for_feed(path)
        return rank.get(entry.kind if entry is not None else UNKNOWN_KIND, len(rank))

    return sorted(paths, key=key)  # sorted is stable: equal ranks keep the given order


def default_catalogue_paths(first_kinds: Sequence[str] = FIRST_KINDS) -> list[Path]:
    """Return the default feeds in catalogue order: the feeds of ``first_kinds`` first (see :func:`feeds_by_kind`)."""
    return feeds_by_kind(default_feed_paths(), first_kinds)


def default_catalogue(first_kinds: Sequence[str] = FIRST_KINDS) -> StopCatalogue:
    """Return the catalogue of the default feeds (see the module docstring)."""
    return StopCatalogue(default_catalogue_paths(first_kinds))


#: The stops of each feed read, by its files' stamps: the default data's feeds and a few more.
_FEEDS: Lru[tuple, Mapping[str, KnownStop]] = Lru(max_entries=8)


def feed_stops(path: Path) -> Mapping[str, KnownStop]:
    """Return the stops (location_type 0, with a position) of the feed at ``path`` by id, read again only when its files change."""
    return _FEEDS.get(_stamps(path), lambda: _read_stops(path))


def _read_stops(path: Path) -> dict[str, KnownStop]:
    feed = read_feed(path, only=_FILES)
    stops: dict[str, KnownStop] = {}
    for sid, stop in _feed_stops(feed, _english_stop_names(feed)):
        stops.setdefault(sid, stop)
    return stops


def _feed_stops(feed: Feed, english: Mapping[str, str]) -> list[tuple[str, KnownStop]]:
    """Return (stop_id, stop) of a feed's stops and platforms that have a position."""
    table = feed.table("stops.txt")
    if "stop_id" not in table.columns:
        return []
    ids = table["stop_id"].astype(str)
    names = feed.column("stops.txt", "stop_name").astype(str) if "stop_name" in table.columns else ids
    kinds = feed.column("stops.txt", "location_type").astype(str)
    lats = [_number(x) for x in feed.column("stops.txt", "stop_lat")]
    lons = [_number(x) for x in feed.column("stops.txt", "stop_lon")]
    descs = feed.column("stops.txt", "stop_desc").astype(str)
    out = []
    for sid, name, kind, lat, lon, desc in zip(ids, names, kinds, lats, lons, descs):
        if sid and kind in ("", "0") and lat is not None and lon is not None:
            out.append((sid, KnownStop(name, english.get(sid), lat, lon, desc or None, feed.name)))
    return out


def _number(text: str) -> float | None:
    """Return the number written in ``text`` (Python's own reading, exact to the last digit), else None."""
    try:
        return float(text)
    except ValueError:
        return None


def _english_stop_names(feed: Feed) -> dict[str, str]:
    """Return ``{stop_id: English name}`` from translations.txt (GTFS form, by record_id; the last row wins)."""
    if not feed.has("translations.txt"):
        return {}
    table_name, field_name, language, record, text = (
        feed.column("translations.txt", c).astype(str) for c in ("table_name", "field_name", "language", "record_id", "translation")
    )
    wanted = (table_name == "stops") & (field_name == "stop_name") & (language == "en") & (record != "")
    return dict(zip(record[wanted], text[wanted]))


def _stamps(path: Path) -> tuple:
    """Return the path with the size and modification time of the files the catalogue reads."""
    files = [path / f for f in _FILES] if path.is_dir() else [path]
    return (str(path), tuple(_stamp(f) for f in files))


def _stamp(file: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(file)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def fill_stops(scenario: Scenario, catalogue: StopCatalogue) -> None:
    """Complete stops given by id alone from the catalogue (fields given in the scenario win)."""
    wanted = [stop.id for stop in scenario.stops if (stop.lat is None and stop.lon is None) or stop.name is None or stop.name_en is None]
    known = catalogue.lookup(wanted)
    for stop in scenario.stops:
        ref = known.get(stop.id)
        if ref is None:
            continue
        if stop.lat is None and stop.lon is None:
            stop.lat, stop.lon = ref.lat, ref.lon
            if stop.note is None:
                stop.note = ref.note
        if stop.name is None:
            stop.name = ref.name
        if stop.name_en is None:
            stop.name_en = ref.name_en


__all__ = ["FIRST_KINDS", "KnownStop", "StopCatalogue", "default_catalogue", "default_catalogue_paths", "feed_stops", "feeds_by_kind", "fill_stops"]
