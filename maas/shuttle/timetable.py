"""The timetable a shuttle scenario is judged on: the trains, compiled once, with the scenario's runs joined in memory.

The rail feeds are compiled (or loaded from the on-disk cache) once and kept;
a scenario's runs become a feed's files made in memory (:func:`maas.shuttle.feed.shuttle_files`),
compiled by the timetable compiler itself (:func:`maas.timetable.cache.load_feed_files`:
cached on disk by content like any feed, parsed only when compiled) and put after the trains with
:func:`maas.timetable.merge.merge_timetables`.  The result is exactly the
timetable of the rail feeds and a written shuttle feed compiled together,
without writing or compiling the trains again for every evaluation.

:class:`Timetables` holds both kinds in small bounded caches.  Whoever
evaluates more than once keeps one (a command comparing two scenarios, the
optimizer, the service); a service can also hand it the timetable it already
holds (:meth:`Timetables.hold`), used when a scenario's rail feeds are
exactly the service's.  Callers that keep none share the process's default
one (:func:`shared_timetables`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from maas.feeds.reader import Feed, feed_digest, read_feed
from maas.shuttle.feed import SHUTTLE_FEED
from maas.shuttle.lru import Lru
from maas.timetable.cache import feed_files_key, load_feed_files, load_timetable, unique_names
from maas.timetable.merge import merge_timetables
from maas.timetable.model import Timetable


@dataclass(frozen=True)
class RailTimetable:
    """The compiled rail feeds of a scenario, and what the evaluation reads from their files once.

    ``names`` are the feeds' names in the timetable; ``headsigns_en`` the
    English headsigns of their translations.txt (GTFS standard form, by
    ``field_value``), first feed first.
    """

    paths: tuple[Path, ...]
    names: tuple[str, ...]
    timetable: Timetable = field(repr=False)
    headsigns_en: Mapping[str, str] = field(repr=False)


_SHARED: list[Timetables] = []


def shared_timetables() -> Timetables:
    """Return this process's default :class:`Timetables` (the on-disk cache at its usual place), for callers that keep none.

    Bounded like any other: a notebook evaluating one variant after another
    compiles or loads its trains once.
    """
    if not _SHARED:
        _SHARED.append(Timetables())
    return _SHARED[0]


def timetables_for(cache_dir: str | Path | None = None, use_cache: bool = True) -> Timetables:
    """Return :func:`shared_timetables` for the usual cache, else a new :class:`Timetables` with these settings."""
    return shared_timetables() if cache_dir is None and use_cache else Timetables(cache_dir=cache_dir, use_cache=use_cache)


def rail_feed_names(paths: Sequence[Path]) -> list[str]:
    """Return the names the rail feeds are compiled under (``rail-`` before a name holding "shuttle", so their routes stay trains)."""
    return [n if "shuttle" not in n.lower() else f"rail-{n}" for n in unique_names(paths)]


def headsign_translations(paths: Sequence[Path]) -> dict[str, str]:
    """Return English headsigns from the feeds' translations.txt (GTFS standard form, by field_value), first feed first."""
    out: dict[str, str] = {}
    for path in paths:
        for value, text in _english_headsigns(read_feed(path, only=("translations.txt",))):
            out.setdefault(value, text or value)
    return out


def _english_headsigns(feed: Feed) -> list[tuple[str, str]]:
    """(headsign, English) rows of a feed's translations.txt."""
    if not feed.has("translations.txt"):
        return []
    table_name, field_name, language, value, text = (
        feed.column("translations.txt", c).astype(str) for c in ("table_name", "field_name", "language", "field_value", "translation")
    )
    wanted = (table_name == "trips") & (field_name == "trip_headsign") & (language == "en") & (value != "")
    return list(zip(value[wanted], text[wanted]))


class Timetables:
    """Compiled rail timetables and runs timetables, each kind in a bounded cache (see the module docstring).

    ``cache_dir`` and ``use_cache`` are those of :func:`maas.timetable.cache.load_timetable`
    (``use_cache=False`` compiles afresh and keeps nothing on disk).
    Rail timetables are keyed by their feeds' paths, names and content
    digests, so a feed changed on disk is compiled again; runs timetables by
    their in-memory feed's content.
    """

    def __init__(self, *, cache_dir: str | Path | None = None, use_cache: bool = True, max_rail: int = 4, max_runs: int = 16) -> None:
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self._rail: Lru[tuple, RailTimetable] = Lru(max_rail)
        self._runs: Lru[str, Timetable] = Lru(max_runs)

    def hold(self, paths: Sequence[Path], timetable: Timetable) -> bool:
        """Keep ``timetable`` (compiled from ``paths`` as they are named by default) as the rail timetable of those feeds.

        Used only when it is exactly what compiling them as rail feeds gives:
        the same names (no feed named like a shuttle) and the same content;
        return whether it was kept.
        """
        paths = tuple(Path(p).resolve() for p in paths)
        names = tuple(rail_feed_names(paths))
        if tuple(timetable.feed_names()) != names or [str(Path(f.source).resolve()) for f in timetable.feeds] != [str(p) for p in paths]:
            return False
        key = (paths, names, tuple(f.digest for f in timetable.feeds))
        if key != self._rail_key(paths, names):
            return False
        self._rail.put(key, RailTimetable(paths, names, timetable, headsign_translations(paths)))
        return True

    def rail(self, paths: Sequence[Path]) -> RailTimetable:
        """Return the compiled rail feeds at ``paths`` (kept; compiled or loaded from disk when not held)."""
        paths = tuple(Path(p).resolve() for p in paths)
        names = tuple(rail_feed_names(paths))
        return self._rail.get(self._rail_key(paths, names), lambda: self._load_rail(paths, names))

    def runs(self, files: Mapping[str, bytes]) -> Timetable:
        """Return the compiled timetable of a scenario's runs, given as the files of their feed (:data:`SHUTTLE_FEED`)."""
        if not self.use_cache:
            return load_feed_files(SHUTTLE_FEED, files, use_cache=False)
        return self._runs.get(feed_files_key(SHUTTLE_FEED, files), lambda: load_feed_files(SHUTTLE_FEED, files, cache_dir=self.cache_dir))

    def joined(self, rail: RailTimetable, runs: Mapping[str, bytes]) -> Timetable:
        """Return the trains followed by the runs (their feed's files): the timetable of both compiled together."""
        return merge_timetables(rail.timetable, self.runs(runs))

    def _rail_key(self, paths: tuple[Path, ...], names: tuple[str, ...]) -> tuple:
        return (paths, names, tuple(feed_digest(p) for p in paths))

    def _load_rail(self, paths: tuple[Path, ...], names: tuple[str, ...]) -> RailTimetable:
        tt = load_timetable(list(paths), names=list(names), cache_dir=self.cache_dir, use_cache=self.use_cache, progress=False)
        return RailTimetable(paths, names, tt, headsign_translations(paths))


__all__ = ["RailTimetable", "Timetables", "headsign_translations", "rail_feed_names", "shared_timetables", "timetables_for"]
