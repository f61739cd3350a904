"""Walking distances along a street network read from a local OSM extract (osmnx).

Nothing is downloaded: the network comes from an ``.osm`` / ``.osm.bz2`` XML
file the user supplies.  A walk from a point goes straight to the nearest
street node, along the streets, and straight from the last node to the target.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from maas.errors import InputError
from maas.network.spatial import PointIndex

if TYPE_CHECKING:
    import networkx as nx


class StreetNetwork:
    """An undirected walking graph with edge ``length`` in metres and a node index."""

    def __init__(self, graph: nx.MultiGraph | nx.Graph, source: str = "") -> None:
        import networkx as nx

        simple: nx.Graph = nx.Graph()
        for u, v, data in graph.edges(data=True):
            length = float(data.get("length", 0.0))
            if not simple.has_edge(u, v) or simple[u][v]["length"] > length:
                simple.add_edge(u, v, length=length)
        for n, data in graph.nodes(data=True):
            simple.add_node(n, x=float(data["x"]), y=float(data["y"]))
        self.graph = simple
        self.source = source
        self._nodes = np.array(list(simple.nodes))
        self._index = PointIndex(np.array([simple.nodes[n]["y"] for n in self._nodes]), np.array([simple.nodes[n]["x"] for n in self._nodes]))

    @classmethod
    def from_file(cls, path: str | Path) -> StreetNetwork:
        """Read a walking network from an OSM XML file (optionally bz2-compressed)."""
        import osmnx as ox

        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: no such OSM file", "osm")
        try:
            g = ox.graph_from_xml(path, bidirectional=True, simplify=True, retain_all=True)
        except Exception as exc:  # osmnx raises several types for unreadable XML
            raise InputError(f"{path}: not a readable OSM XML extract ({type(exc).__name__}: {exc})", "osm") from exc
        if g.number_of_nodes() == 0:
            raise InputError(f"{path}: the OSM extract has no streets or paths", "osm")
        return cls(g.to_undirected(), str(path))

    def __len__(self) -> int:
        return self.graph.number_of_nodes()

    def snap(self, lat: float, lon: float) -> tuple[object, float] | None:
        """Return (nearest node, metres to it) or None when no node is within 2 km."""
        idx, dist = self._index.nearest(lat, lon, k=1, max_radius_m=2_000.0)
        if len(idx) == 0:
            return None
        return self._nodes[idx[0]].item(), float(dist[0])

    def distances(self, lat: float, lon: float, targets_lat: np.ndarray, targets_lon: np.ndarray, cutoff_m: float) -> np.ndarray:
        """Return walking metres from a point to each target (inf when beyond ``cutoff_m`` or unconnected)."""
        out = np.full(len(targets_lat), np.inf)
        start = self.snap(lat, lon)
        if start is None:
            return out
        node, access = start
        import networkx as nx

        reach = nx.single_source_dijkstra_path_length(self.graph, node, cutoff=max(cutoff_m - access, 0.0), weight="length")
        for k, (tlat, tlon) in enumerate(zip(targets_lat, targets_lon)):
            end = self.snap(float(tlat), float(tlon))
            if end is None or end[0] not in reach:
                continue
            total = access + reach[end[0]] + end[1]
            if total <= cutoff_m:
                out[k] = total
        return out
