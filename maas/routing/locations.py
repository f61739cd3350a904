"""Origins and destinations of batch queries, read from a file: places with ids and weights.

A matrix or an accessibility study names its origins and destinations in a
file a planner keeps beside the study:

- **CSV** (UTF-8, a header line): a ``place`` column (a stop id, station or
  stop name, POI id or name, or ``lat,lon``) or ``lat`` and ``lon`` columns;
  optionally ``id`` (what the output calls the row; default the place's id)
  and ``weight`` (what a destination counts for in accessibility: jobs,
  beds, population; default 1).
- **GeoJSON** (``.geojson`` / ``.json``): a FeatureCollection of Points
  (polygons count at their centroid), properties ``id`` and ``weight`` as above.

Every row becomes a :class:`~maas.routing.places.Place` through the same
:class:`~maas.routing.places.PlaceIndex` as ``maas plan``, so a name that is
unknown or ambiguous stops the run with the file and line named.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape

from maas.errors import InputError
from maas.routing.places import Place, PlaceIndex


@dataclass(frozen=True)
class Locations:
    """Origins or destinations of a batch query, in file order.

    Parameters
    ----------
    ids
        What the output calls each row.
    places
        The places, as :meth:`~maas.routing.places.PlaceIndex.resolve` returns them.
    weights
        What each counts for in accessibility (1 unless given).
    """

    ids: tuple[str, ...]
    places: tuple[Place, ...]
    weights: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.places)


def read_locations(path: Path, places: PlaceIndex, field: str) -> Locations:
    """Read a CSV or GeoJSON file of places (see the module docstring).

    Parameters
    ----------
    path
        The CSV or GeoJSON file.
    places
        Resolves each row's place.
    field
        The option the file was given for (``origins``, ``destinations``), named in errors.

    Returns
    -------
    Locations
        The rows' ids, places and weights.

    Raises
    ------
    InputError
        The file cannot be read or a row is wrong (the message names the file
        and the line or feature; ``field`` as given).
    PlaceNotFoundError
        A row's place names nothing.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", field) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text", field) from exc
    if Path(path).suffix.lower() in (".geojson", ".json"):
        rows = _geojson_rows(path, text, field)
    else:
        rows = _csv_rows(path, text, field)
    if not rows:
        raise InputError(f"{path}: no places (expected a header with 'place' or 'lat,lon', or GeoJSON points)", field)
    ids, found, weights = [], [], []
    for where, query, given_id, weight in rows:
        place = places.resolve(query, f"{field} ({where})")
        ids.append(given_id or place.id)
        found.append(place)
        weights.append(weight)
    return Locations(tuple(ids), tuple(found), tuple(weights))


def points(ids: list[str], lats: list[float], lons: list[float], weights: list[float] | None = None) -> Locations:
    """Return positions as locations (places of ``kind`` ``point``), e.g. the centres of mesh cells.

    Parameters
    ----------
    ids
        What the output calls each position.
    lats, lons
        The positions, degrees.
    weights
        What each counts for in accessibility (default 1 each).

    Returns
    -------
    Locations
        One place per position, in order.
    """
    found = tuple(Place("point", f"{lat:.6f},{lon:.6f}", f"{lat:.6f},{lon:.6f}", lat, lon) for lat, lon in zip(lats, lons))
    return Locations(tuple(ids), found, tuple(weights) if weights is not None else (1.0,) * len(found))


def _weight(value: object, where: str, field: str) -> float:
    if value is None or value == "":
        return 1.0
    try:
        w = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{where}: weight '{value}' is not a number", field) from None
    if not (math.isfinite(w) and w >= 0):
        raise InputError(f"{where}: weight {value} must be 0 or more", field)
    return w


def _csv_rows(path: Path, text: str, field: str) -> list[tuple[str, str, str, float]]:
    rows = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        where = f"{Path(path).name}:{line}"
        if row.get("place"):
            query = row["place"]
        elif row.get("lat") and row.get("lon"):
            query = f"{row['lat']},{row['lon']}"
        else:
            raise InputError(f"{path}:{line}: needs a 'place' or 'lat' and 'lon' value", field)
        rows.append((where, query, (row.get("id") or "").strip(), _weight(row.get("weight"), f"{path}:{line}", field)))
    return rows


def _geojson_rows(path: Path, text: str, field: str) -> list[tuple[str, str, str, float]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON ({exc})", field) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise InputError(f"{path}: expected a GeoJSON FeatureCollection", field)
    rows = []
    for n, feature in enumerate(doc["features"], start=1):
        where = f"{Path(path).name} feature {n}"
        try:
            geometry = shape(feature["geometry"])
        except Exception:  # noqa: BLE001 - any malformed geometry is the same mistake for the user
            raise InputError(f"{path}: feature {n} has no valid geometry", field) from None
        if geometry.is_empty:
            raise InputError(f"{path}: feature {n} has an empty geometry", field)
        point = geometry if isinstance(geometry, shapely.Point) else geometry.centroid
        props = feature.get("properties") or {}
        rows.append((where, f"{point.y},{point.x}", str(props.get("id") or "").strip(), _weight(props.get("weight"), f"{path}: feature {n}", field)))
    return rows
