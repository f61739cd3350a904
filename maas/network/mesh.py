"""The Japanese standard grid (JIS X 0410 地域メッシュ) over the area's municipalities.

Accessibility studies in Japan report on the standard regional mesh, the grid
of the census and of MLIT's statistics: level 1 (80 km), 2 (10 km), 3 (the
"standard" 1 km mesh), 4 (500 m), 5 (250 m), 6 (125 m), with codes and
geometry from the ``jismesh`` package.  :func:`mesh_cells` returns the cells
whose centre lies inside the municipalities of the study area, read from
MLIT's administrative boundaries (N03): by default the seven municipalities
of the Yamaguchi central urban area in the web map's basemap (N03 2021,
properties ``name_ja`` or N03's own ``N03_004``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jismesh.utils as ju
import numpy as np
import shapely
from shapely.geometry import shape

from maas.defaults import data_root
from maas.errors import InputError

#: The seven municipalities of the Yamaguchi central urban area (連携中枢都市圏).
AREA_MUNICIPALITIES = ("山口市", "宇部市", "萩市", "防府市", "美祢市", "山陽小野田市", "津和野町")
#: Mesh levels offered (the integer levels of jismesh: 80 km down to 125 m).
LEVELS = (1, 2, 3, 4, 5, 6)


def default_boundaries_path() -> Path:
    """Return the municipal boundaries shipped with the web map (MLIT N03, 2021)."""
    return data_root() / "api" / "static" / "basemap" / "municipalities.geojson"


@dataclass(frozen=True)
class MeshCells:
    """Mesh cells in code order: each cell's code, centre and corners.

    Parameters
    ----------
    level
        The mesh level (1: 80 km ... 6: 125 m).
    codes
        The JIS X 0410 mesh codes, ascending.
    lat, lon
        Each cell's centre, degrees.
    south, west, north, east
        Each cell's edges, degrees.
    """

    level: int
    codes: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    south: np.ndarray
    west: np.ndarray
    north: np.ndarray
    east: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    def polygon(self, i: int) -> dict:
        """Return cell ``i`` as a GeoJSON Polygon (counter-clockwise, [lon, lat], 6 decimals)."""
        w, s, e, n = (round(float(v[i]), 6) for v in (self.west, self.south, self.east, self.north))
        return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def parse_mesh_spec(text: str, field: str = "origins") -> int | None:
    """Return the level of ``mesh:LEVEL`` (None when ``text`` is not a mesh spec); InputError for an unknown level."""
    if not text.lower().startswith("mesh:"):
        return None
    level = text.split(":", 1)[1].strip()
    if not level.isdigit() or int(level) not in LEVELS:
        raise InputError(
            f"{field}: '{text}' names no mesh level; use mesh:1 (80 km), mesh:2 (10 km), mesh:3 (1 km), mesh:4 (500 m), mesh:5 (250 m) or mesh:6 (125 m)", field
        )
    return int(level)


def area_polygon(path: Path | None = None, municipalities: Sequence[str] = AREA_MUNICIPALITIES) -> shapely.Geometry:
    """Return the union of the named municipalities' boundaries (MLIT N03).

    Parameters
    ----------
    path
        A GeoJSON of municipal boundaries with ``name_ja`` or N03's
        ``N03_004`` (default: the web map's basemap).
    municipalities
        Their Japanese names (default: the seven of the Yamaguchi central urban area).

    Returns
    -------
    shapely.Geometry
        The area, WGS84.

    Raises
    ------
    InputError
        The file cannot be read, or names no boundary for a municipality
        (field ``boundaries``).
    """
    path = path or default_boundaries_path()
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the municipal boundaries ({exc})", "boundaries") from exc
    found: dict[str, list[shapely.Geometry]] = {}
    for feature in doc.get("features", []):
        props = feature.get("properties") or {}
        name = props.get("name_ja") or props.get("N03_004")
        if isinstance(name, str) and name in municipalities:
            found.setdefault(name, []).append(shape(feature["geometry"]))
    missing = [m for m in municipalities if m not in found]
    if missing:
        raise InputError(f"{path}: no boundary for {', '.join(missing)}", "boundaries")
    return shapely.union_all([g for parts in found.values() for g in parts])


def mesh_cells(level: int, area: shapely.Geometry | None = None) -> MeshCells:
    """Return the cells of a standard mesh (JIS X 0410) whose centre lies inside an area.

    Parameters
    ----------
    level
        The mesh level: 1 (80 km), 2 (10 km), 3 (1 km), 4 (500 m), 5 (250 m) or 6 (125 m).
    area
        The area, WGS84 (default: the seven municipalities, :func:`area_polygon`).

    Returns
    -------
    MeshCells
        The cells in code order.

    Raises
    ------
    InputError
        An unknown level (field ``origins``), or the default area's boundaries
        cannot be read.
    """
    if level not in LEVELS:
        raise InputError(f"mesh level {level} is not one of {', '.join(map(str, LEVELS))}", "origins")
    area = area if area is not None else area_polygon()
    west, south, east, north = area.bounds
    sw = ju.to_meshcode(south, west, level)
    ne = ju.to_meshcode(north, east, level)
    codes = np.array(sorted(int(c) for c in ju.to_envelope(sw, ne)), np.int64)
    lat, lon = (np.asarray(v, np.float64) for v in ju.to_meshpoint(codes, 0.5, 0.5))
    inside = shapely.contains_xy(area, lon, lat)
    codes, lat, lon = codes[inside], lat[inside], lon[inside]
    s, w = (np.asarray(v, np.float64) for v in ju.to_meshpoint(codes, 0, 0))
    n, e = (np.asarray(v, np.float64) for v in ju.to_meshpoint(codes, 1, 1))
    return MeshCells(level, codes, lat, lon, s, w, n, e)
