"""Service configuration, read once from the environment (no global mutable state).

| variable | meaning | default |
|---|---|---|
| ``MAAS_FEEDS`` | feed folders/zips, separated by ``:`` | the region's default feeds |
| ``MAAS_POIS`` | POI GeoJSON | ``pois/pois.geojson`` |
| ``MAAS_OSM`` | OSM extract for street walking | none |
| ``MAAS_DATABASE_URL`` | SQLAlchemy URL of the scenario store | ``sqlite:///<cache>/scenarios.sqlite`` |
| ``MAAS_TOUR_TIME_LIMIT`` | most seconds a tour search may take | 3 |
| ``MAAS_OPTIMIZE_TIME_LIMIT`` | most seconds a shuttle optimisation may take | 30 |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from maas.defaults import default_feed_paths, default_pois_path
from maas.timetable.cache import default_cache_dir


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start."""

    feeds: tuple[Path, ...] = field(default_factory=lambda: tuple(default_feed_paths()))
    pois: Path | None = field(default_factory=default_pois_path)
    osm: Path | None = None
    database_url: str = ""
    tour_time_limit_s: float = 3.0
    optimize_time_limit_s: float = 30.0

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from ``MAAS_*`` environment variables."""
        env = os.environ
        base = cls()
        feeds = tuple(Path(p) for p in env["MAAS_FEEDS"].split(":") if p) if env.get("MAAS_FEEDS") else base.feeds
        return cls(
            feeds=feeds,
            pois=Path(env["MAAS_POIS"]) if env.get("MAAS_POIS") else (base.pois if not env.get("MAAS_FEEDS") else None),
            osm=Path(env["MAAS_OSM"]) if env.get("MAAS_OSM") else None,
            database_url=env.get("MAAS_DATABASE_URL", ""),
            tour_time_limit_s=float(env.get("MAAS_TOUR_TIME_LIMIT", base.tour_time_limit_s)),
            optimize_time_limit_s=float(env.get("MAAS_OPTIMIZE_TIME_LIMIT", base.optimize_time_limit_s)),
        )

    def database(self) -> str:
        """Return the scenario store's URL (SQLite beside the timetable cache by default)."""
        if self.database_url:
            return self.database_url
        folder = default_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'scenarios.sqlite'}"
