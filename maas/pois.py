"""Tourism points of interest: read and check the POI GeoJSON (``pois/pois.geojson``).

Each feature is a Point with the properties documented in ``pois/README.md``;
what the tour planner needs is checked here and reported with the feature's
position in the file and the property at fault.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from maas.errors import InputError


@dataclass(frozen=True)
class Poi:
    """A place worth visiting, as :func:`load_pois` reads it.

    Parameters
    ----------
    id
        The POI's id, unique in its file (``akiyoshido_cave``).
    name_ja, name_en
        Its Japanese and English names.
    category
        What it is (``temple``, ``museum``, ``onsen``, ...).
    interests
        Tags visitors filter by, such as ``history`` or ``nature``.
    municipality
        The municipality it lies in.
    lat, lon
        Position, WGS84 degrees.
    visit_minutes
        A typical visit, minutes.
    opening_hours
        OpenStreetMap ``opening_hours`` syntax ('' when unknown, read as always open).
    fee_yen
        Adult admission, yen (0 when free).
    interest
        A 1–100 score used to choose among places.
    position_quality, source
        How well the position is known, and where the data comes from.
    modeled_fields
        The properties that are modeled rather than sourced.
    extra
        Other properties of the feature (``aliases``, ...).
    """

    id: str
    name_ja: str
    name_en: str
    category: str
    interests: tuple[str, ...]
    municipality: str
    lat: float
    lon: float
    visit_minutes: int
    opening_hours: str
    fee_yen: int
    interest: int
    position_quality: str = ""
    source: str = ""
    modeled_fields: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def name(self, lang: str | None = None) -> str:
        """Return the Japanese name for ``ja*`` (or no language), else the English one (POIs have only these two)."""
        if lang and not lang.lower().startswith("ja") and self.name_en:
            return self.name_en
        return self.name_ja or self.name_en


_REQUIRED = ("id", "name_ja", "name_en", "category", "municipality")


def load_pois(path: str | Path) -> list[Poi]:
    """Read and check the points of interest of a GeoJSON file.

    The file is a FeatureCollection of Points with the properties of
    ``pois/README.md`` (``id``, ``name_ja``, ``name_en``, ``category``,
    ``municipality``, and optionally ``interests``, ``visit_minutes``,
    ``opening_hours``, ``fee_yen``, ``interest``, ...).

    Parameters
    ----------
    path
        The GeoJSON file (UTF-8, a BOM allowed).

    Returns
    -------
    list of Poi
        The POIs in file order.

    Raises
    ------
    InputError
        The file is missing or not GeoJSON, or a feature lacks a property or
        has a malformed one; the message names the file, the feature number
        and the property (also in ``field``).
    """
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such POI file", "pois") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a UTF-8 GeoJSON file ({exc})", "pois") from exc
    except OSError as exc:  # a folder, no permission, ...
        raise InputError(f"{path}: cannot read the POI file ({exc.strerror or exc})", "pois") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise InputError(f"{path}: expected a GeoJSON FeatureCollection", "pois")
    pois: list[Poi] = []
    seen: dict[str, int] = {}
    for n, feature in enumerate(doc["features"], start=1):
        where = f"{path}: feature {n}"
        props = feature.get("properties") or {}
        geom = feature.get("geometry") or {}
        for key in _REQUIRED:
            if not str(props.get(key, "")).strip():
                raise InputError(f"{where}: property '{key}' is missing or empty", key)
        pid = str(props["id"])
        if pid in seen:
            raise InputError(f"{where}: id '{pid}' is used again (first by feature {seen[pid]})", "id")
        seen[pid] = n
        coords = geom.get("coordinates") if geom.get("type") == "Point" else None
        if not (isinstance(coords, list) and len(coords) >= 2):
            raise InputError(f"{where} ({pid}): geometry must be a Point [lon, lat]", "geometry")
        lon, lat = _number(coords[0], where, "longitude"), _number(coords[1], where, "latitude")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            raise InputError(f"{where} ({pid}): position {lat}, {lon} is not a real place", "geometry")
        pois.append(
            Poi(
                id=pid,
                name_ja=str(props["name_ja"]),
                name_en=str(props["name_en"]),
                category=str(props["category"]),
                interests=tuple(str(t) for t in props.get("interests") or ()),
                municipality=str(props["municipality"]),
                lat=lat,
                lon=lon,
                visit_minutes=int(_number(props.get("visit_minutes", 60), where, "visit_minutes", minimum=0)),
                opening_hours=str(props.get("opening_hours") or ""),
                fee_yen=int(_number(props.get("fee_yen", 0), where, "fee_yen", minimum=0)),
                interest=int(_number(props.get("interest", 50), where, "interest", minimum=0)),
                position_quality=str(props.get("position_quality", "")),
                source=str(props.get("source", "")),
                modeled_fields=tuple(props.get("modeled_fields") or ()),
                extra={k: v for k, v in props.items() if k not in Poi.__dataclass_fields__},
            )
        )
    return pois


def _number(value: object, where: str, what: str, minimum: float | None = None) -> float:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{where}: {what} '{value}' is not a number", what) from None
    if not math.isfinite(x) or (minimum is not None and x < minimum):
        raise InputError(f"{where}: {what} {value} is out of range", what)
    return x
