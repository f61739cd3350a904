"""Walking links, spatial look-ups, OSM street walking and the exported graph."""

from __future__ import annotations

import bz2
import json

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.errors import InputError
from maas.geo import haversine_m
from maas.network.footpaths import build_footpaths
from maas.network.graph import build_graph, to_geojson
from maas.network.network import Network
from maas.network.osm import StreetNetwork
from maas.network.spatial import PointIndex
from maas.network.walking import WalkModel
from tests.conftest import shared_path

# A tiny street grid written by the test: three nodes in an L, 100 m legs, near Yamaguchi station.
SMALL_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="maas-tests">
  <node id="1" lat="34.17000" lon="131.48000"/>
  <node id="2" lat="34.17090" lon="131.48000"/>
  <node id="3" lat="34.17090" lon="131.48108"/>
  <node id="4" lat="34.17000" lon="131.48108"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
  <way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/></way>
</osm>
"""


def test_point_index_matches_brute_force():
    """within() finds exactly the points a full scan finds, nearest first."""
    rng = np.random.default_rng(3)
    lat = 34.1 + rng.uniform(0, 0.05, 400)
    lon = 131.4 + rng.uniform(0, 0.05, 400)
    index = PointIndex(lat, lon)
    for i in range(20):
        idx, dist = index.within(lat[i], lon[i], 700)
        brute = np.flatnonzero(haversine_m(lat[i], lon[i], lat, lon) <= 700)
        assert set(idx) == set(brute)
        assert np.all(np.diff(dist) >= 0)


def test_footpaths_are_symmetric_and_within_radius(default_network):
    """Straight-line links join stops within the radius both ways, with ceil(distance / speed) seconds."""
    tt = default_network.timetable
    walk = WalkModel(speed_m_s=1.2, radius_m=400)
    fp = build_footpaths(tt, walk)
    for s in range(tt.n_stops):
        targets, secs = fp.links_from(s)
        for t, sec in zip(targets, secs):
            d = float(haversine_m(tt.stop_lat[s], tt.stop_lon[s], tt.stop_lat[t], tt.stop_lon[t]))
            assert d <= 400 and sec == int(np.ceil(d / 1.2 - 1e-9))
            back, _ = fp.links_from(int(t))
            assert s in back


def test_osm_small_file_walks_along_streets(tmp_path):
    """On a written L-shaped street, the walk follows the streets (about 300 m), not the 100 m diagonal-free line."""
    path = tmp_path / "small.osm"
    path.write_text(SMALL_OSM, encoding="utf-8")
    streets = StreetNetwork.from_file(path)
    assert len(streets) >= 2
    d = streets.distances(34.17000, 131.48000, np.array([34.17000]), np.array([131.48108]), 1000)[0]
    straight = float(haversine_m(34.17, 131.48, 34.17, 131.48108))
    assert 290 < d < 310 and straight < 110


def test_osm_real_extract(tmp_path):
    """The real West Oakland extract loads from .osm.bz2 and gives street distances at least the straight line."""
    path = shared_path("osm", "west-oakland.osm.bz2")
    streets = StreetNetwork.from_file(path)
    assert len(streets) > 50
    # Targets: street nodes connected to the start's nearest node.
    start, _ = streets.snap(37.8075, -122.3005)
    component = sorted(nx.node_connected_component(streets.graph, start))[:40:8]
    lat = np.array([streets.graph.nodes[n]["y"] for n in component])
    lon = np.array([streets.graph.nodes[n]["x"] for n in component])
    d = streets.distances(37.8075, -122.3005, lat, lon, 3000)
    straight = haversine_m(37.8075, -122.3005, lat, lon)
    assert len(component) >= 3 and np.all(np.isfinite(d)) and np.all(d >= straight - 1)
    # Decompressed text reads the same.
    plain = tmp_path / "wo.osm"
    plain.write_bytes(bz2.decompress(path.read_bytes()))
    assert len(StreetNetwork.from_file(plain)) == len(streets)


def test_osm_bad_file_is_a_clear_error(tmp_path):
    """A missing or broken OSM file raises InputError naming the file."""
    with pytest.raises(InputError, match="no such OSM file"):
        StreetNetwork.from_file(tmp_path / "none.osm")
    bad = tmp_path / "bad.osm"
    bad.write_text("<osm><node", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.osm"):
        StreetNetwork.from_file(bad)


def test_graph_has_modes_and_poi_links(default_network):
    """The graph holds stops, stations and POIs; edges carry walk/rail/bus/shuttle modes; POIs link to stops."""
    g = build_graph(default_network, WalkModel(radius_m=500))
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    modes = {d["mode"] for _, _, d in g.edges(data=True)}
    assert kinds == {"stop", "station", "poi"}
    assert {"walk", "rail", "bus", "shuttle"} <= modes
    linked = [n for n, d in g.nodes(data=True) if d["kind"] == "poi" and g.degree(n) > 0]
    assert len(linked) >= 10
    doc = to_geojson(g)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == g.number_of_nodes() + g.number_of_edges()


def test_graph_export_cli(tmp_path, cache_dir, monkeypatch):
    """maas graph export writes GraphML that networkx reads back, and GeoJSON."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))
    runner = CliRunner()
    out = tmp_path / "g.graphml"
    r = runner.invoke(app, ["graph", "export", "--format", "graphml", "--out", str(out)])
    assert r.exit_code == 0, r.output
    g = nx.read_graphml(out)
    assert g.number_of_nodes() > 100
    r = runner.invoke(app, ["graph", "export", "--format", "geojson", "--out", str(tmp_path / "g.geojson")])
    assert r.exit_code == 0
    assert json.loads((tmp_path / "g.geojson").read_text())["features"]


def test_planning_with_streets_uses_street_distances(tmp_path, default_network):
    """With an OSM extract, walking times come from street distances."""
    path = tmp_path / "small.osm"
    path.write_text(SMALL_OSM, encoding="utf-8")
    net = Network(default_network.timetable, [], StreetNetwork.from_file(path))
    walk = WalkModel(radius_m=600)
    secs = net.walk_seconds(34.17000, 131.48000, 34.17000, 131.48108, walk)
    assert secs is not None and 290 / 1.2 < secs < 310 / 1.2 + 1
