"""Leg geometry in the journeys document (maas plan --json, GET /v1/journeys) and in tour GeoJSON.

Rides follow their trip's shape where the feed has shapes.txt (the official
JR bus feed in ../shared/data), else run stop to stop; walks are straight.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from maas.cli.main import app
from maas.defaults import default_pois_path
from maas.geo import haversine_m
from maas.network.network import Network
from maas.pois import load_pois
from maas.routing.answer import journeys_document
from maas.routing.journeys import stop_place
from maas.routing.places import PlaceIndex
from maas.routing.planner import JourneyQuery, Planner
from maas.timetable.cache import load_timetable
from maas.timetable.compile import compile_feeds, load_feeds
from maas.tours.itinerary import DayPlan, Itinerary
from maas.tours.planner import TourPlanner
from maas.tours.request import tour_request
from tests.conftest import LOOPBACK, shared_path
from tests.routing.gtfs_builder import basic_tables, fmt, write_feed
from tests.timetable.test_shapes import line_length_m, on_polyline_m

DATE = dt.date(2026, 12, 5)  # a Saturday in the JR bus feed's validity (2026-08-13 .. 2027-02-13)


@pytest.fixture(scope="module")
def jr_network(cache_dir) -> Network:
    """The official JR bus feed with the region's POIs."""
    tt = load_timetable([shared_path("feeds", "jp_jrbus_chugoku_20260813.zip")], cache_dir=cache_dir, progress=False)
    return Network(tt, load_pois(default_pois_path()))


@pytest.fixture(scope="module")
def jr_planner(jr_network) -> Planner:
    return Planner(jr_network)


@pytest.fixture(scope="module")
def jr_places(jr_network) -> PlaceIndex:
    return PlaceIndex(jr_network)


def shape_of_trip(tt, trip_id: str) -> np.ndarray:
    t = tt.trip_ids.index(trip_id)
    s = int(tt.trip_shape[t])
    assert s >= 0
    a, b = int(tt.shape_offsets[s]), int(tt.shape_offsets[s + 1])
    return np.column_stack([tt.shape_lon[a:b], tt.shape_lat[a:b]])


def check_leg_geometry(leg: dict) -> np.ndarray:
    """The leg's geometry is a GeoJSON LineString of [lon, lat] pairs from its start to its end; return it."""
    g = leg["geometry"]
    assert g["type"] == "LineString" and len(g["coordinates"]) >= 2
    line = np.array(g["coordinates"], float)
    assert line.shape[1] == 2
    start, end = leg["from"], leg["to"]
    limit = 20.0 if leg["mode"] != "walk" else 0.5  # a ride starts where the stop meets the road
    assert haversine_m(start["lat"], start["lon"], line[0, 1], line[0, 0]) < limit
    assert haversine_m(end["lat"], end["lon"], line[-1, 1], line[-1, 0]) < limit
    return line


def akiyoshi_journeys(planner: Planner, places: PlaceIndex) -> dict:
    q = JourneyQuery(places.resolve("山口駅"), places.resolve("秋芳洞"), DATE, 8 * 3600)
    return journeys_document(q, planner.plan(q), "en")


def test_plan_document_rides_follow_the_shape(jr_network, jr_planner, jr_places):
    doc = akiyoshi_journeys(jr_planner, jr_places)
    rides = [leg for j in doc["journeys"] for leg in j["legs"] if leg["mode"] == "bus"]
    assert rides and any(leg["route"] == "秋吉線" or leg["route_names"].get("ja") == "秋吉線" for leg in rides)
    for leg in rides:
        line = check_leg_geometry(leg)
        assert len(line) > 3 * len(leg["stops"])
        assert on_polyline_m(line, shape_of_trip(jr_network.timetable, leg["trip_id"])).max() < 0.5
        stops = np.array([[s["lon"], s["lat"]] for s in leg["stops"]])
        assert line_length_m(line) > line_length_m(stops)
    for leg in (leg for j in doc["journeys"] for leg in j["legs"] if leg["mode"] == "walk"):
        assert len(check_leg_geometry(leg)) == 2
    json.dumps(doc)  # plain JSON: no numpy values


def test_rides_without_shapes_run_stop_to_stop(tmp_path: Path):
    stops = [("A", 34.00, 131.00), ("B", 34.00, 131.01), ("C", 34.01, 131.02)]
    tables = basic_tables(stops)
    tables["calendar"] = [
        {
            "service_id": "S",
            **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), 1),
            "start_date": "20261201",
            "end_date": "20261231",
        }
    ]
    tables["routes"] = [{"route_id": "R", "agency_id": "A", "route_short_name": "R", "route_type": 3}]
    tables["trips"] = [{"route_id": "R", "service_id": "S", "trip_id": "T"}]
    tables["stop_times"] = [
        {"trip_id": "T", "arrival_time": fmt(8 * 3600 + 600 * i), "departure_time": fmt(8 * 3600 + 600 * i), "stop_id": s, "stop_sequence": i + 1}
        for i, (s, _, _) in enumerate(stops)
    ]
    net = Network(compile_feeds(load_feeds([write_feed(tmp_path / "feed", tables)]), progress=False))
    q = JourneyQuery(stop_place(net, 0), stop_place(net, 2), DATE, 7 * 3600)
    (journey,) = journeys_document(q, Planner(net).plan(q))["journeys"]
    (leg,) = journey["legs"]
    assert leg["geometry"] == {"type": "LineString", "coordinates": [[131.0, 34.0], [131.01, 34.0], [131.02, 34.01]]}


def test_cli_plan_json_carries_geometry(tmp_path, monkeypatch):
    feed = shared_path("feeds", "jp_jrbus_chugoku_20260813.zip")
    monkeypatch.setenv("MAAS_CACHE_DIR", str(tmp_path / "cache"))
    args = ["plan", "--feed", str(feed), "--from", "山口駅", "--to", "秋芳洞", "--date", DATE.isoformat(), "--depart", "08:00", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    legs = [leg for j in doc["journeys"] for leg in j["legs"]]
    assert legs and all(leg["geometry"]["type"] == "LineString" for leg in legs)
    assert max(len(leg["geometry"]["coordinates"]) for leg in legs) > 100


def test_api_journeys_carry_geometry(service_state, jr_network, jr_planner, jr_places):
    state = dataclasses.replace(service_state, network=jr_network, planner=jr_planner, places=jr_places, _tours=None)
    with TestClient(create_app(state=state), raise_server_exceptions=False, client=LOOPBACK) as client:
        r = client.get("/v1/journeys", params={"from": "山口駅", "to": "秋芳洞", "date": DATE.isoformat(), "depart": "08:00"})
    assert r.status_code == 200, r.text
    doc = r.json()
    expected = akiyoshi_journeys(jr_planner, jr_places)["journeys"]
    assert [[leg["geometry"] for leg in j["legs"]] for j in doc["journeys"]] == [[leg["geometry"] for leg in j["legs"]] for j in expected]
    rides = [leg for j in doc["journeys"] for leg in j["legs"] if leg["mode"] != "walk"]
    assert rides and all(len(check_leg_geometry(leg)) > 3 * len(leg["stops"]) for leg in rides)


def test_api_journeys_on_default_data_carry_geometry(client):
    r = client.get("/v1/journeys", params={"from": "Shin-Yamaguchi", "to": "Yamaguchi", "date": "2026-12-01", "depart": "09:00"})
    assert r.status_code == 200, r.text
    legs = [leg for j in r.json()["journeys"] for leg in j["legs"]]
    assert legs
    for leg in legs:
        check_leg_geometry(leg)


def test_tour_geojson_lines_follow_shapes(jr_network, jr_planner, jr_places):
    """A tour to 秋芳洞 on the JR bus feed: its bus legs in the GeoJSON are the legs' lines along the shapes."""
    tours = TourPlanner(jr_planner, jr_places)
    req = tour_request({"start": "山口駅", "date": DATE.isoformat(), "from": "08:00", "until": "18:00", "must_visit": ["akiyoshido_cave"]})
    itinerary = tours.plan(req, time_limit_s=1.0)
    assert "akiyoshido_cave" in [v.poi.id for v in itinerary.visits]
    geo = itinerary.to_geojson("en")
    lines = [f for f in geo["features"] if f["properties"]["kind"] == "leg"]
    legs = [leg for d in itinerary.days for j in d.legs for leg in j.legs]
    assert len(lines) == len(legs)
    rides = [(f, leg) for f, leg in zip(lines, legs) if leg.is_ride]
    assert rides
    for f, leg in rides:
        coords = np.array(f["geometry"]["coordinates"])
        assert f["properties"]["mode"] == leg.mode == "bus"
        assert len(coords) > 3 * len(leg.stops)
        assert on_polyline_m(coords, shape_of_trip(jr_network.timetable, leg.trip_id)).max() < 0.5
    day = itinerary.to_dict("en")["days"][0]
    assert all("geometry" in leg for j in day["legs"] for leg in j["legs"])


def test_tour_geojson_of_one_leg_is_its_line(jr_planner, jr_places):
    """Itinerary.to_geojson draws each leg with the same line as the journeys document."""
    doc_journeys = jr_planner.plan(JourneyQuery(jr_places.resolve("山口駅"), jr_places.resolve("秋芳洞"), DATE, 8 * 3600))
    journey = doc_journeys[0]
    start, end = jr_places.resolve("山口駅"), jr_places.resolve("秋芳洞")
    it = Itinerary([DayPlan(0, DATE, journey.timezone, start, end, [], [journey])], [])
    features = [f for f in it.to_geojson()["features"] if f["properties"]["kind"] == "leg"]
    assert [f["geometry"]["coordinates"] for f in features] == [leg["geometry"]["coordinates"] for leg in journey.to_dict()["legs"]]
