"""Load the network a program plans on: feeds (or the default data), POIs and, optionally, streets.

This is the one call a notebook or another program needs before planning;
the command line and the service build their networks the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from maas.defaults import default_feed_paths, default_pois_path
from maas.errors import InputError
from maas.network.network import Network


def feed_paths(feeds: Sequence[str | Path] | None = None) -> list[Path]:
    """Return the feeds to load: those given, else the default data's (``gtfs/feeds.toml``).

    Parameters
    ----------
    feeds
        GTFS / GTFS-JP folders or zip files; None or empty for the default data.

    Returns
    -------
    list of Path
        The feed paths, in load order.

    Raises
    ------
    InputError
        A given path does not exist (field ``feed``), or no feeds were given and
        the default data is not there.
    CatalogError
        The default data's feed catalog has mistakes.
    """
    paths = [Path(p) for p in feeds] if feeds else default_feed_paths()
    if not paths:
        raise InputError("no feeds given and the default data (gtfs/) was not found; pass feed folders or zips", "feed")
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: no such feed folder or zip file", "feed")
    return paths


def load_network(
    feeds: Sequence[str | Path] | None = None,
    pois: str | Path | None = None,
    osm: str | Path | None = None,
    *,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool = False,
) -> Network:
    """Load feeds, POIs and streets into the network the planners run on.

    The feeds are compiled into one timetable, or loaded in milliseconds from
    the on-disk cache (``MAAS_CACHE_DIR``, else ``~/.cache/maas``) when their
    bytes are unchanged.  The region's POIs (``pois/pois.geojson``) are loaded
    with the default data and with other feeds alike, so POI ids such as
    ``akiyoshido_cave`` keep working; ``pois`` loads that file instead.  Walks
    are straight lines unless ``osm`` gives a street extract.

    Parameters
    ----------
    feeds
        GTFS / GTFS-JP folders or zip files; None for the default data.
    pois
        A POI GeoJSON file (``pois/README.md``); None for the region's POIs
        (none when the default data is absent).
    osm
        A local OpenStreetMap XML extract (``.osm`` or ``.osm.bz2``): walks
        then follow its streets.  Nothing is downloaded.
    cache_dir
        Where compiled timetables are kept (default ``MAAS_CACHE_DIR``, else
        ``~/.cache/maas``).
    use_cache
        False compiles the feeds again and leaves the cache alone.
    progress
        Show a progress bar on stderr while compiling.

    Returns
    -------
    Network
        The timetable with its POIs and walking model, ready for
        :class:`maas.Planner`, :class:`maas.PlaceIndex` and :class:`maas.TourPlanner`.

    Raises
    ------
    InputError
        A feed, POI or OSM file is missing or malformed (the message names
        the file, feature and property).
    FeedError
        A feed has errors (``problems`` lists each one with file, line and field).
    CatalogError
        The default data's feed catalog has mistakes.

    Examples
    --------
    >>> import maas
    >>> network = maas.load_network()  # doctest: +SKIP
    >>> network.timetable.n_trips > 0  # doctest: +SKIP
    True
    """
    from maas.network.osm import StreetNetwork
    from maas.pois import load_pois
    from maas.timetable.cache import load_timetable

    timetable = load_timetable(feed_paths(feeds), cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    poi_path = Path(pois) if pois else default_pois_path()
    poi_list = load_pois(poi_path) if pois or poi_path.exists() else []
    streets = StreetNetwork.from_file(osm) if osm else None
    return Network(timetable, poi_list, streets)
