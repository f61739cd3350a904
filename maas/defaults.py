"""Where the embedded default data lives: the region's feeds and POIs.

The default is the repository's ``gtfs/`` and ``pois/`` folders; set
``MAAS_DATA_DIR`` to a folder holding the same two sub-folders to use another
copy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

#: The default feeds when the data folder has no catalog (a copy made before ``gtfs/feeds.toml``).
#: With a catalog, the catalog decides: see :func:`default_feed_paths`.
DEFAULT_FEEDS = ("jrbus", "jr", "bus", "techno-shuttle")


def data_root() -> Path:
    """Return the folder that holds ``gtfs/`` and ``pois/``."""
    if os.environ.get("MAAS_DATA_DIR"):
        return Path(os.environ["MAAS_DATA_DIR"])
    return Path(__file__).resolve().parent.parent


def default_catalog_path() -> Path:
    """Return the feed catalog of the default data (``gtfs/feeds.toml``)."""
    return data_root() / "gtfs" / "feeds.toml"


def default_feed_paths() -> list[Path]:
    """Return the default feeds that hold data, in the catalog's order.

    The catalog (``gtfs/feeds.toml``) lists every feed, so adding one is one
    ``[[feed]]`` entry; an entry whose folder has no ``stops.txt`` yet is
    skipped.  Without a catalog, :data:`DEFAULT_FEEDS` is used.  A catalog
    with mistakes raises :class:`~maas.feeds.catalog.CatalogError`.
    """
    from maas.feeds.catalog import load_catalog

    path = default_catalog_path()
    if path.is_file():
        return load_catalog(path).present_paths()
    gtfs = path.parent
    return [gtfs / name for name in DEFAULT_FEEDS if (gtfs / name / "stops.txt").exists()]


def feed_paths_from_env(env: Mapping[str, str] | None = None) -> list[Path]:
    """Return the feeds that ``MAAS_FEEDS`` names (paths separated by ``:``), else the default feeds.

    The service's feeds: ``maas serve`` compiles them before its workers
    start, and the service (``api.settings``) loads them, so both read the
    variable here.  ``env`` defaults to ``os.environ``.
    """
    value = (os.environ if env is None else env).get("MAAS_FEEDS", "")
    paths = [Path(p) for p in value.split(":") if p]
    return paths or default_feed_paths()


def default_pois_path() -> Path:
    """Return the path of the default POI GeoJSON."""
    return data_root() / "pois" / "pois.geojson"
