"""Build api/static/basemap/municipalities.geojson, the map's offline land, from the shared MLIT N03 boundaries.

Usage (from the repository root):  python api/static/basemap/_build/build_basemap.py

Reads ../shared/data/basemap/N03-21_{35_yamaguchi,32_shimane}_municipalities.geojson
(or $MAAS_SHARED_DATA/basemap/...): every municipality of Yamaguchi Prefecture
and, of Shimane, Tsuwano and its neighbours Masuda and Yoshika.  The shapes are
kept as published (already simplified to 1 % upstream), with coordinates rounded
to 5 decimals (about 1 m, far below the upstream simplification), which halves
the file.  Each feature gets ``code``, ``name_ja``, ``name_en``, ``area`` (one of
the seven municipalities of the Yamaguchi central area) and ``label`` (a point
well inside its largest polygon, where the map writes the name; see LABEL_AT).
Deterministic: the same input gives byte-identical output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from shapely.geometry import shape
from shapely.ops import polylabel

REPO = Path(__file__).resolve().parents[4]
OUT = REPO / "api" / "static" / "basemap" / "municipalities.geojson"
SOURCES = ("N03-21_35_yamaguchi_municipalities.geojson", "N03-21_32_shimane_municipalities.geojson")
DIGITS = 5

# N03_007 (JIS X 0402 code) -> English name.  The seven of the area as ../shared/brief/region.md
# writes them; the others are the Hepburn romanisation of their official readings (ours).
AREA = {
    "35203": "Yamaguchi",
    "35202": "Ube",
    "35204": "Hagi",
    "35206": "Hofu",
    "35213": "Mine",
    "35216": "Sanyo-Onoda",
    "32501": "Tsuwano",
}
NEIGHBOURS = {
    "35201": "Shimonoseki",
    "35207": "Kudamatsu",
    "35208": "Iwakuni",
    "35210": "Hikari",
    "35211": "Nagato",
    "35212": "Yanai",
    "35215": "Shunan",
    "35305": "Suo-Oshima",
    "35321": "Waki",
    "35341": "Kaminoseki",
    "35343": "Tabuse",
    "35344": "Hirao",
    "35502": "Abu",
    "32204": "Masuda",
    "32505": "Yoshika",  # Shimane: Tsuwano's neighbours, so it does not sit in an empty sea
}
ENGLISH = {**AREA, **NEIGHBOURS}
# Where the pole of inaccessibility falls among the network's stops, the name goes to the nearest point
# well away from both borders and stops and POIs (found once on the default data, then fixed here).
LABEL_AT = {
    "35213": [131.258, 34.192],  # Mine: the pole lies among the Akiyoshido stops
    "35206": [131.6, 34.098],  # Hofu: the pole is next to the stops around Hofu station
    "35203": [131.677, 34.223],  # Yamaguchi: a POI sits on the pole
}


def shared_data_dir() -> Path:
    env = os.environ.get("MAAS_SHARED_DATA")
    return Path(env) if env else (REPO / ".." / "shared" / "data").resolve()


def rounded(coords):
    """The coordinates of a GeoJSON geometry, nested as they are, rounded to DIGITS decimals."""
    if isinstance(coords[0], (int, float)):
        return [round(c, DIGITS) for c in coords]
    return [rounded(c) for c in coords]


def label_point(geometry: dict) -> list[float]:
    """The pole of inaccessibility of the largest polygon: inside the land, away from the borders."""
    geom = shape(geometry)
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    p = polylabel(largest, tolerance=0.001)
    return [round(p.x, 4), round(p.y, 4)]


def feature(source: dict) -> dict:
    props = source["properties"]
    code = props["N03_007"]
    geometry = {"type": source["geometry"]["type"], "coordinates": rounded(source["geometry"]["coordinates"])}
    if not shape(geometry).is_valid:
        raise SystemExit(f"{props['N03_004']} ({code}): geometry invalid after rounding; use more DIGITS")
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name_ja": props["N03_004"],
            "name_en": ENGLISH[code],
            "area": code in AREA,
            "label": LABEL_AT.get(code) or label_point(geometry),
        },
        "geometry": geometry,
    }


def build() -> dict:
    folder = shared_data_dir() / "basemap"
    features = []
    for name in SOURCES:
        for f in json.loads((folder / name).read_text(encoding="utf-8"))["features"]:
            if f["properties"]["N03_007"] in ENGLISH:
                features.append(feature(f))
    missing = set(ENGLISH) - {f["properties"]["code"] for f in features}
    if missing:
        raise SystemExit(f"municipalities not found in {folder}: {sorted(missing)}")
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    text = json.dumps(build(), ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(text.encode()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
