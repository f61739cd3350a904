"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

FeedOpt = Annotated[
    list[Path] | None,
    typer.Option("--feed", help="A feed folder or zip (repeatable); replaces the region's default data.", show_default=False),
]
PoisOpt = Annotated[Path | None, typer.Option("--pois", help="POI GeoJSON (default: the region's pois/pois.geojson).", show_default=False)]
OsmOpt = Annotated[
    Path | None,
    typer.Option("--osm", help="An OSM XML extract (.osm or .osm.bz2) to walk along streets instead of straight lines.", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]
WalkRadiusOpt = Annotated[float, typer.Option("--walk-radius", help="Longest walk linked, in metres.", min=0)]
WalkSpeedOpt = Annotated[float, typer.Option("--walk-speed", help="Walking speed along straight lines, metres per second.", min=0.01)]
