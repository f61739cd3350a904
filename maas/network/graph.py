"""The multimodal graph as networkx: stops, stations and POIs, with walking and transit links.

Nodes are ``stop:<feed>:<stop_id>`` and ``poi:<id>``; every edge has a
``mode`` (``walk``, ``rail``, ``bus``, ``shuttle``…).  Transit edges join
consecutive stops of a pattern, one edge per route, with the quickest running
time and the number of trips.  The graph is for analysis and export; journeys
are planned on the timetable arrays (:mod:`maas.routing`).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np

from maas.network.network import Network
from maas.network.walking import WalkModel


def stop_node(network: Network, stop: int) -> str:
    """Return the graph node name of a stop index."""
    tt = network.timetable
    return f"stop:{tt.feeds[tt.stop_feed[stop]].name}:{tt.stop_ids[stop]}"


def build_graph(network: Network, walk: WalkModel) -> nx.MultiDiGraph:
    """Return the multimodal graph of a network under a walk model."""
    tt = network.timetable
    g: nx.MultiDiGraph = nx.MultiDiGraph(name="maas multimodal network", walk_speed_m_s=walk.speed_m_s, walk_radius_m=walk.radius_m)
    for s in range(tt.n_stops):
        g.add_node(
            stop_node(network, s),
            kind="station" if tt.stop_location_type[s] == 1 else "stop",
            name=tt.stop_names[s],
            name_en=tt.stop_name(s, "en"),
            lat=float(tt.stop_lat[s]),
            lon=float(tt.stop_lon[s]),
            feed=tt.feeds[tt.stop_feed[s]].name,
        )
    for p in network.pois:
        g.add_node(f"poi:{p.id}", kind="poi", name=p.name_ja, name_en=p.name_en, lat=p.lat, lon=p.lon, category=p.category)
    # Walking between stops.
    fp = network.footpaths(walk)
    for s in range(tt.n_stops):
        targets, seconds = fp.links_from(s)
        metres = fp.metres[fp.offsets[s] : fp.offsets[s + 1]]
        for t, sec, m in zip(targets, seconds, metres):
            g.add_edge(stop_node(network, s), stop_node(network, int(t)), mode="walk", seconds=int(sec), metres=round(float(m), 1))
    # Stations to their platforms.
    for platform in np.flatnonzero(tt.stop_parent >= 0):
        parent = int(tt.stop_parent[platform])
        for a, b in ((int(platform), parent), (parent, int(platform))):
            g.add_edge(stop_node(network, a), stop_node(network, b), mode="walk", seconds=0, metres=0.0, link="station")
    # Stops to POIs.
    for p in network.pois:
        stops, seconds = network.walk_from_point(p.lat, p.lon, walk)
        for s, sec in zip(stops, seconds):
            walk_m = round(float(sec) * walk.speed_m_s / walk.detour_factor, 1)
            g.add_edge(stop_node(network, int(s)), f"poi:{p.id}", mode="walk", seconds=int(sec), metres=walk_m)
            g.add_edge(f"poi:{p.id}", stop_node(network, int(s)), mode="walk", seconds=int(sec), metres=walk_m)
    # Transit: consecutive stops of each pattern, aggregated per route.
    links: dict[tuple[int, int, int], list[int]] = {}
    for pat in range(tt.n_patterns):
        stops = tt.pattern_stop_list(pat)
        trips = tt.pattern_trips[tt.pattern_trip_offsets[pat] : tt.pattern_trip_offsets[pat + 1]]
        route = int(tt.pattern_route[pat])
        for t in trips:
            arr, dep = tt.trip_times(int(t))
            for i in range(len(stops) - 1):
                key = (int(stops[i]), int(stops[i + 1]), route)
                run = int(arr[i + 1] - dep[i])
                entry = links.setdefault(key, [run, 0])
                entry[0] = min(entry[0], run)
                entry[1] += 1
    for (a, b, route), (run, count) in links.items():
        g.add_edge(
            stop_node(network, a),
            stop_node(network, b),
            mode=tt.route_modes[route],
            route_id=tt.route_ids[route],
            route=tt.route_name(route),
            seconds=run,
            trips=count,
        )
    return g


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the graph as GraphML."""
    nx.write_graphml(g, str(path))


def to_geojson(g: nx.MultiDiGraph) -> dict:
    """Return the graph as a GeoJSON FeatureCollection (nodes as Points, edges as LineStrings)."""
    features = []
    for n, d in g.nodes(data=True):
        props = {k: v for k, v in d.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "id": n, "geometry": {"type": "Point", "coordinates": [d["lon"], d["lat"]]}, "properties": {"node": n, **props}})
    for u, v, d in g.edges(data=True):
        a, b = g.nodes[u], g.nodes[v]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[a["lon"], a["lat"]], [b["lon"], b["lat"]]]},
                "properties": {"from": u, "to": v, **d},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(g: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the graph as GeoJSON."""
    Path(path).write_text(json.dumps(to_geojson(g), ensure_ascii=False), encoding="utf-8")
