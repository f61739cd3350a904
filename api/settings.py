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
| ``MAAS_TILE_URL`` | raster tiles under the map, ``http(s)://host/.../{z}/{x}/{y}.png`` (the page then loads images from that origin) | none (the offline basemap only) |
| ``MAAS_TILE_ATTRIBUTION`` | the tile provider's credit, shown as text on the map; required with ``MAAS_TILE_URL`` | none |
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from maas.defaults import default_feed_paths, default_pois_path, feed_paths_from_env
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
    #: Dates (from today in Japan) whose tour searches each heavy process computes when it starts; 0: none.
    tour_warm_days: int = 2
    heavy_wait_s: float = 2.0
    heavy_rate_limit: str = "30/minute"
    max_body_bytes: int = 1 << 20
    #: Raster tiles drawn under the map's network ("" = none: the page makes no request off this server).
    tile_url: str = ""
    tile_attribution: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from ``MAAS_*`` environment variables (InputError naming the variable when one is wrong)."""
        env = os.environ
        base = cls()
        return cls(
            feeds=tuple(feed_paths_from_env(env)),
            pois=Path(env["MAAS_POIS"]) if env.get("MAAS_POIS") else base.pois,  # the region's POIs with MAAS_FEEDS too
            osm=Path(env["MAAS_OSM"]) if env.get("MAAS_OSM") else None,
            database_url=env.get("MAAS_DATABASE_URL", ""),
            tour_time_limit_s=_number(env, "MAAS_TOUR_TIME_LIMIT", base.tour_time_limit_s),
            optimize_time_limit_s=_number(env, "MAAS_OPTIMIZE_TIME_LIMIT", base.optimize_time_limit_s),
            evaluate_time_limit_s=_number(env, "MAAS_EVALUATE_TIME_LIMIT", base.evaluate_time_limit_s),
            api_keys=read_keys(env.get("MAAS_API_KEYS", ""), env.get("MAAS_API_KEYS_FILE", "")),
            trusted_proxies=parse_networks(env.get("MAAS_TRUSTED_PROXIES", ""), "MAAS_TRUSTED_PROXIES"),
            heavy_workers=int(_number(env, "MAAS_HEAVY_WORKERS", base.heavy_workers, integer=True)),
            tour_warm_days=int(_number(env, "MAAS_TOUR_WARM_DAYS", base.tour_warm_days, integer=True, zero=True)),
            heavy_wait_s=_number(env, "MAAS_HEAVY_WAIT", base.heavy_wait_s),
            heavy_rate_limit=env.get("MAAS_HEAVY_RATE_LIMIT", base.heavy_rate_limit),
            max_body_bytes=int(_number(env, "MAAS_MAX_BODY_BYTES", base.max_body_bytes, integer=True)),
            **tile_settings(env.get("MAAS_TILE_URL", ""), env.get("MAAS_TILE_ATTRIBUTION", "")),
        )

    def database(self) -> str:
        """Return the scenario store's URL (SQLite beside the timetable cache by default)."""
        if self.database_url:
            return self.database_url
        folder = default_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'scenarios.sqlite'}"


def _number(env: os._Environ | dict, name: str, default: float, integer: bool = False, zero: bool = False) -> float:
    """Read a positive number (or 0 when ``zero``) from ``env[name]`` (the default when unset)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        raise InputError(f"{name}: expected a {'whole ' if integer else ''}number, got {text!r}", name) from None
    if value < 0 or (value == 0 and not zero):
        raise InputError(f"{name}: must be {'0 or more' if zero else 'greater than 0'}, got {text!r}", name)
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
            raise InputError(
                "MAAS_API_KEYS: every key needs at least 16 characters and no spaces (e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)",
                "MAAS_API_KEYS",
            )
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


#: Placeholders Leaflet fills in a tile URL that keep it on one origin ({s} subdomains would need several in the CSP).
TILE_PLACEHOLDERS = ("{z}", "{x}", "{y}")


def tile_settings(url: str, attribution: str) -> dict[str, str]:
    """Check ``MAAS_TILE_URL`` and ``MAAS_TILE_ATTRIBUTION``; return them as Settings fields (empty when unset)."""
    url, attribution = url.strip(), " ".join(attribution.split())
    if not url:
        if attribution:
            raise InputError("MAAS_TILE_ATTRIBUTION: set without MAAS_TILE_URL (the tiles it credits)", "MAAS_TILE_ATTRIBUTION")
        return {}
    tile_origin(url)
    if not attribution:
        raise InputError(
            "MAAS_TILE_ATTRIBUTION: required with MAAS_TILE_URL: the tile provider's credit, e.g. '© OpenStreetMap contributors' or '地理院タイル'",
            "MAAS_TILE_ATTRIBUTION",
        )
    return {"tile_url": url, "tile_attribution": attribution}


def tile_origin(url: str) -> str:
    """Return the origin (``scheme://host[:port]``) of a valid tile URL template, which the map's CSP then allows for images.

    InputError naming ``MAAS_TILE_URL`` unless it is http or https with a plain host (no user or password) and
    carries ``{z}``, ``{x}`` and ``{y}``, and no other ``{...}`` placeholder.
    """
    name = "MAAS_TILE_URL"
    example = "e.g. https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise InputError(f"{name}: the port of {url!r} is not a number", name) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{name}: expected an http or https URL with a host, {example}; got {url!r}", name)
    if parts.username is not None or parts.password is not None:
        raise InputError(f"{name}: no user or password in the URL (the browser would show them to every visitor)", name)
    if not re.fullmatch(r"[a-z0-9.-]+|[0-9a-f:.]+", parts.hostname) or (port is None and parts.netloc.endswith(":")):
        raise InputError(f"{name}: {parts.netloc!r} is not a plain host name or address (the CSP names it)", name)
    missing = [p for p in TILE_PLACEHOLDERS if p not in url]
    if missing:
        raise InputError(f"{name}: the URL needs the placeholders {{z}}, {{x}} and {{y}} ({', '.join(missing)} missing), {example}", name)
    others = set(re.findall(r"\{[^}]*\}", url)) - set(TILE_PLACEHOLDERS)
    if others or any(c.isspace() or c in "\"'<>" for c in url):
        raise InputError(f"{name}: only {{z}}, {{x}} and {{y}} may be placeholders, and no spaces or quotes ({url!r})", name)
    return f"{parts.scheme}://{parts.netloc.lower()}"
