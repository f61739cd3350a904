"""``maas graph export``: the multimodal graph as GraphML or GeoJSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from maas.cli.common import load_network
from maas.cli.options import FeedOpt, OsmOpt, PoisOpt, WalkRadiusOpt, WalkSpeedOpt

graph_app = typer.Typer(help="The multimodal graph of stops, stations, POIs and walking links.", no_args_is_help=True)


class GraphFormat(StrEnum):
    graphml = "graphml"
    geojson = "geojson"


def register(app: typer.Typer) -> None:
    """Add ``maas graph`` to the CLI."""
    app.add_typer(graph_app, name="graph")


@graph_app.command("export")
def export(
    fmt: Annotated[GraphFormat, typer.Option("--format", help="graphml or geojson.")] = GraphFormat.geojson,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    feed: FeedOpt = None,
    pois: PoisOpt = None,
    osm: OsmOpt = None,
    walk_radius: WalkRadiusOpt = 500.0,
    walk_speed: WalkSpeedOpt = 1.2,
) -> None:
    """Export the multimodal graph (stops, stations, POIs; walking and transit links with their modes)."""
    from maas.network.graph import build_graph, to_geojson, write_geojson, write_graphml
    from maas.network.walking import WalkModel

    network = load_network(feed, pois, osm)
    g = build_graph(network, WalkModel(speed_m_s=walk_speed, radius_m=walk_radius))
    if out is None:
        if fmt is GraphFormat.graphml:
            import networkx as nx

            for line in nx.generate_graphml(g):
                sys.stdout.write(line + "\n")
        else:
            import json

            sys.stdout.write(json.dumps(to_geojson(g), ensure_ascii=False) + "\n")
        return
    (write_graphml if fmt is GraphFormat.graphml else write_geojson)(g, out)
    typer.echo(f"wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} edges to {out}", err=True)
