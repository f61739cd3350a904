"""Where the embedded default data lives: the region's feeds and POIs.

The default is the repository's ``gtfs/`` and ``pois/`` folders; set
``MAAS_DATA_DIR`` to a folder holding the same two sub-folders to use another
copy.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The default feeds, in load order (rail, buses, the commuter shuttle).
DEFAULT_FEEDS = ("jr", "bus", "techno-shuttle")


def data_root() -> Path:
    """Return the folder that holds ``gtfs/`` and ``pois/``."""
    if os.environ.get("MAAS_DATA_DIR"):
        return Path(os.environ["MAAS_DATA_DIR"])
    return Path(__file__).resolve().parent.parent


def default_feed_paths() -> list[Path]:
    """Return the paths of the default feeds that exist."""
    gtfs = data_root() / "gtfs"
    return [gtfs / name for name in DEFAULT_FEEDS if (gtfs / name / "stops.txt").exists()]


def default_pois_path() -> Path:
    """Return the path of the default POI GeoJSON."""
    return data_root() / "pois" / "pois.geojson"
