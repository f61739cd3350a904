"""Where a batch worker opens the network: a few paths, never the timetable itself.

A :class:`NetworkSource` is what a task carries instead of the timetable: the
compiled timetable's cache entry folder (memory-mapped read-only, so every
process on a machine shares its pages and opens it in milliseconds), the
POI file and the optional OSM extract.  :func:`open_network` opens it once per
process and keeps it for every later task of that process (a worker's
"loader cache" keyed by the entry path), so a task ships only its chunk of
origins.  On a cluster whose workers do not share the client's disk the
entry folder (``MAAS_CACHE_DIR``) and the data must be at the same paths on
every machine, as they are for any file-based cluster job.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from maas.network.network import Network
from maas.routing.places import PlaceIndex
from maas.routing.planner import Planner


@dataclass(frozen=True)
class NetworkSource:
    """The files a network is opened from: the cache entry (or the feeds), POIs and streets.

    ``entry`` and ``key`` name the compiled timetable's cache entry; when the
    cache could not be written (read-only disk) they are None and a worker
    compiles ``feeds`` itself.  Paths are absolute, so workers started
    elsewhere find them.
    """

    feeds: tuple[str, ...]
    entry: str | None
    key: str | None
    pois: str | None
    osm: str | None


@dataclass(frozen=True)
class Opened:
    """A network opened in this process, with its planner and place index (built once)."""

    network: Network
    planner: Planner
    places: PlaceIndex


_opened: dict[NetworkSource, Opened] = {}
_lock = threading.Lock()


def network_source(feeds: Sequence[Path] | None, pois: Path | None, osm: Path | None) -> NetworkSource:
    """Return the source of the network of ``feeds`` (None: the default data) after it was loaded through the cache.

    ``pois`` None means the region's POIs, as for every command.
    """
    from maas.defaults import default_feed_paths, default_pois_path
    from maas.timetable.cache import cache_key, default_cache_dir, entry_path, unique_names

    paths = [Path(p).resolve() for p in (feeds or default_feed_paths())]
    pois = pois or default_pois_path()
    key = cache_key(paths, unique_names(paths))
    folder = entry_path(default_cache_dir(), key).resolve()
    return NetworkSource(
        tuple(str(p) for p in paths),
        str(folder) if folder.is_dir() else None,
        key if folder.is_dir() else None,
        str(Path(pois).resolve()) if pois.exists() else None,
        str(Path(osm).resolve()) if osm else None,
    )


def remember(source: NetworkSource, network: Network, planner: Planner | None = None, places: PlaceIndex | None = None) -> Opened:
    """Record a network this process already holds as the one ``source`` opens (the in-process runner's case)."""
    opened = Opened(network, planner or Planner(network), places or PlaceIndex(network))
    with _lock:
        _opened[source] = opened
    return opened


def open_network(source: NetworkSource) -> Opened:
    """Return the network of ``source``, opened on first use in this process and kept.

    The timetable is read from the cache entry with every check of
    :func:`maas.timetable.cache.read_entry` (versions, digests, index ranges),
    so a worker never trusts a file it did not check; when the entry is
    missing or damaged the feeds are compiled as any load would.
    """
    with _lock:
        found = _opened.get(source)
        if found is not None:
            return found
        opened = _open(source)
        if len(_opened) >= 2:  # a worker serves one study at a time; keep at most two
            _opened.pop(next(iter(_opened)))
        _opened[source] = opened
        return opened


def _open(source: NetworkSource) -> Opened:
    from maas.network.osm import StreetNetwork
    from maas.pois import load_pois
    from maas.timetable.cache import load_timetable, read_entry

    timetable = None
    if source.entry is not None and source.key is not None:
        try:
            timetable = read_entry(Path(source.entry), source.key)
        except Exception:  # noqa: BLE001 - a missing or damaged entry: load through the cache as usual
            timetable = None
    if timetable is None:
        cache_dir = Path(source.entry).parent if source.entry else None
        timetable = load_timetable([Path(p) for p in source.feeds], cache_dir=cache_dir, progress=False)
    pois = load_pois(source.pois) if source.pois and os.path.exists(source.pois) else []
    streets = StreetNetwork.from_file(source.osm) if source.osm else None
    network = Network(timetable, pois, streets)
    return Opened(network, Planner(network), PlaceIndex(network))
