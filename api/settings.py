"""Service configuration, read once from the environment (no global mutable state).

| variable | meaning | default |
|---|---|---|
| ``MAAS_FEEDS`` | feed folders/zips, separated by ``:`` | the region's default feeds |
| ``MAAS_POIS`` | POI GeoJSON | ``pois/pois.geojson`` |
| ``MAAS_OSM`` | OSM extract for street walking | none |
| ``MAAS_DATABASE_URL`` | SQLAlchemy URL of the scenario store | ``sqlite:///<cache>/scenarios.sqlite`` |
| ``MAAS_TOUR_TIME_LIMIT`` | most seconds a tour search may take | 3 |
| ``MAAS_OPTIMIZE_TIME_LIMIT`` | most seconds a shuttle optimisation may take | 30 |
| ``MAAS_API_KEYS`` | planners' keys, comma-separated | none (planners' endpoints: loopback only) |
| ``MAAS_API_KEYS_FILE`` | a file with one key per line (``#`` comments) | none |
| ``MAAS_TRUSTED_PROXIES`` | addresses or networks whose ``X-Forwarded-For`` is believed, comma-separated | none |
| ``MAAS_HEAVY_WORKERS`` | heavy requests (tours, optimisation, evaluation) running at once, per service worker | 1 |
| ``MAAS_HEAVY_WAIT`` | seconds a heavy request may wait for a free slot before 503 | 2 |
| ``MAAS_HEAVY_RATE_LIMIT`` | heavy requests per client (``limits`` notation), per service worker | ``30/minute`` |
| ``MAAS_EVALUATE_TIME_LIMIT`` | most seconds a shuttle evaluation may take | 20 |
| ``MAAS_MAX_BODY_BYTES`` | largest request body | 1048576 (1 MiB) |
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from maas.defaults import default_feed_paths, default_pois_path
from maas.errors import InputError
from maas.timetable.cache import default_cache_dir

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start."""

    feeds: tuple[Path, ...] = field(default_factory=lambda: tuple(default_feed_paths()))
    pois: Path | None = field(default_factory=default_pois_path)
    osm: Path | None = None
    database_url: str = ""
    tour_time_limit_s: float = 3.0
    optimize_time_limit_s: float = 30.0
    evaluate_time_limit_s: float = 20.0
    #: Planners' keys; empty: planners' endpoints answer loopback clients only.
    api_keys: tuple[str, ...] = ()
    #: Proxies whose X-Forwarded-For header names the real client.
    trusted_proxies: tuple[Network, ...] = ()
    heavy_workers: int = 1
    heavy_wait_s: float = 2.0
    heavy_rate_limit: str = "30/minute"
    max_body_bytes: int = 1 << 20

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from ``MAAS_*`` environment variables (InputError naming the variable when one is wrong)."""
        env = os.environ
        base = cls()
        feeds = tuple(Path(p) for p in env["MAAS_FEEDS"].split(":") if p) if env.get("MAAS_FEEDS") else base.feeds
        return cls(
            feeds=feeds,
            pois=Path(env["MAAS_POIS"]) if env.get("MAAS_POIS") else base.pois,  # the region's POIs with MAAS_FEEDS too
            osm=Path(env["MAAS_OSM"]) if env.get("MAAS_OSM") else None,
            database_url=env.get("MAAS_DATABASE_URL", ""),
            tour_time_limit_s=_number(env, "MAAS_TOUR_TIME_LIMIT", base.tour_time_limit_s),
            optimize_time_limit_s=_number(env, "MAAS_OPTIMIZE_TIME_LIMIT", base.optimize_time_limit_s),
            evaluate_time_limit_s=_number(env, "MAAS_EVALUATE_TIME_LIMIT", base.evaluate_time_limit_s),
            api_keys=read_keys(env.get("MAAS_API_KEYS", ""), env.get("MAAS_API_KEYS_FILE", "")),
            trusted_proxies=parse_networks(env.get("MAAS_TRUSTED_PROXIES", ""), "MAAS_TRUSTED_PROXIES"),
            heavy_workers=int(_number(env, "MAAS_HEAVY_WORKERS", base.heavy_workers, integer=True)),
            heavy_wait_s=_number(env, "MAAS_HEAVY_WAIT", base.heavy_wait_s),
            heavy_rate_limit=env.get("MAAS_HEAVY_RATE_LIMIT", base.heavy_rate_limit),
            max_body_bytes=int(_number(env, "MAAS_MAX_BODY_BYTES", base.max_body_bytes, integer=True)),
        )

    def database(self) -> str:
        """Return the scenario store's URL (SQLite beside the timetable cache by default)."""
        if self.database_url:
            return self.database_url
        folder = default_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'scenarios.sqlite'}"


def _number(env: os._Environ | dict, name: str, default: float, integer: bool = False) -> float:
    """Read a positive number from ``env[name]`` (the default when unset)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        raise InputError(f"{name}: expected a {'whole ' if integer else ''}number, got {text!r}", name) from None
    if value <= 0:
        raise InputError(f"{name}: must be greater than 0, got {text!r}", name)
    return value


def read_keys(inline: str, file: str) -> tuple[str, ...]:
    """Return the planners' keys of ``MAAS_API_KEYS`` (comma-separated) and ``MAAS_API_KEYS_FILE`` (one a line)."""
    keys = [k.strip() for k in inline.split(",")]
    if file:
        try:
            lines = Path(file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(f"MAAS_API_KEYS_FILE: cannot read {file}: {exc.strerror}", "MAAS_API_KEYS_FILE") from None
        keys += [line.strip() for line in lines if not line.lstrip().startswith("#")]
    keys = [k for k in keys if k]
    for k in keys:
        if len(k) < 16 or any(c.isspace() for c in k):
            raise InputError("MAAS_API_KEYS: every key needs at least 16 characters and no spaces (e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)", "MAAS_API_KEYS")
    return tuple(dict.fromkeys(keys))


def parse_networks(text: str, name: str) -> tuple[Network, ...]:
    """Parse comma-separated addresses or networks (``10.0.0.5``, ``10.0.0.0/8``, ``::1``)."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise InputError(f"{name}: {part!r} is not an IP address or network", name) from None
    return tuple(out)
