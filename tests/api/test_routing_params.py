"""The routing dependency of /v1/journeys and /v1/reach, the departures board and the isochrone area over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from maas.routing.departures import departures
from maas.routing.params import MAX_MIN_TRANSFER_S, MAX_TRANSFERS_LIMIT, MAX_WALK_SPEED_M_S, MIN_WALK_SPEED_M_S, SERVICE_MAX_WALK_RADIUS_M
from maas.routing.reach import reach
from maas.when import format_clock

J = {"from": "Shin-Yamaguchi", "to": "Ajisu", "date": "2026-12-01", "depart": "07:00"}
R = {"from": "Shin-Yamaguchi", "date": "2026-12-01", "depart": "08:00", "minutes": "30"}
ROUTING = ("max_transfers", "walk_radius", "walk_speed", "modes", "min_transfer_time")


@pytest.mark.parametrize("path,base", [("/v1/journeys", J), ("/v1/reach", R)])
@pytest.mark.parametrize(
    "field,value",
    [
        ("max_transfers", MAX_TRANSFERS_LIMIT + 1),
        ("max_transfers", -1),
        ("walk_radius", SERVICE_MAX_WALK_RADIUS_M + 1),
        ("walk_radius", -1),
        ("walk_speed", MIN_WALK_SPEED_M_S),
        ("walk_speed", MAX_WALK_SPEED_M_S + 0.01),
        ("min_transfer_time", MAX_MIN_TRANSFER_S + 1),
        ("min_transfer_time", -1),
        ("modes", "x" * 101),
    ],
)
def test_out_of_range_is_422_naming_the_field(client, path, base, field, value):
    """Each bound of the query parameters: 422 with the field named."""
    r = client.get(path, params={**base, field: value})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == field


@pytest.mark.parametrize("path,base", [("/v1/journeys", J), ("/v1/reach", R)])
@pytest.mark.parametrize("modes,needle", [("plane", "unknown mode(s) plane"), (",", "at least one mode")])
def test_unknown_modes_are_400_naming_modes(client, path, base, modes, needle):
    """Modes are checked by RoutingParams: 400 naming ``modes`` (reach used to ignore an unknown mode)."""
    r = client.get(path, params={**base, "modes": modes})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"] == "modes" and needle in r.json()["error"]["message"]


def test_values_on_the_bounds_are_planned(client):
    """The largest allowed values are accepted and echoed in the query."""
    params = {
        **J,
        "max_transfers": MAX_TRANSFERS_LIMIT,
        "walk_radius": SERVICE_MAX_WALK_RADIUS_M,
        "walk_speed": MAX_WALK_SPEED_M_S,
        "modes": "rail,bus",
        "min_transfer_time": MAX_MIN_TRANSFER_S,
    }
    r = client.get("/v1/journeys", params=params)
    assert r.status_code == 200, r.text
    query = r.json()["query"]
    assert (query["max_transfers"], query["walk_radius_m"], query["walk_speed_m_s"], query["modes"], query["min_transfer_time_s"]) == (
        MAX_TRANSFERS_LIMIT,
        SERVICE_MAX_WALK_RADIUS_M,
        MAX_WALK_SPEED_M_S,
        ["bus", "rail"],
        MAX_MIN_TRANSFER_S,
    )


def test_openapi_declares_the_same_routing_parameters_on_both_endpoints(client):
    """Journeys and reach document the five routing parameters identically, with the library's bounds."""
    spec = client.get("/openapi.json").json()

    def routing(path: str) -> dict[str, dict]:
        return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"] if p["name"] in ROUTING}

    journeys, reach_params = routing("/v1/journeys"), routing("/v1/reach")
    assert set(journeys) == set(ROUTING) and journeys == reach_params
    assert journeys["max_transfers"]["schema"]["maximum"] == MAX_TRANSFERS_LIMIT
    assert journeys["walk_radius"]["schema"]["maximum"] == SERVICE_MAX_WALK_RADIUS_M
    assert journeys["walk_speed"]["schema"]["exclusiveMinimum"] == MIN_WALK_SPEED_M_S
    assert journeys["walk_speed"]["schema"]["maximum"] == MAX_WALK_SPEED_M_S
    assert journeys["min_transfer_time"]["schema"]["maximum"] == MAX_MIN_TRANSFER_S
    assert all(p["description"] and not p["required"] for p in journeys.values())


def test_reach_polygon_carries_the_library_area(client, default_planner, default_places):
    """/v1/reach's isochrone has the area the library measures (km², 3 decimals)."""
    body = client.get("/v1/reach", params=R).json()
    r = reach(default_planner, default_places.resolve("Shin-Yamaguchi"), dt.date(2026, 12, 1), 8 * 3600, 30)
    assert body["features"][0]["properties"]["area_km2"] == round(r.area_km2(), 3) > 0


def test_departures_endpoint_formats_the_library_board(client, default_planner):
    """The endpoint lists the library's departures, in order, formatted."""
    tt = default_planner.network.timetable
    (s,) = tt.stops_with_id("st_shinyamaguchi")
    board = departures(default_planner, s, dt.date(2026, 12, 1), 6 * 3600, limit=50)
    body = client.get("/v1/stops/st_shinyamaguchi/departures", params={"date": "2026-12-01", "time": "06:00", "limit": 50}).json()
    assert [(d["time"], d["trip_id"], d["route_id"]) for d in body["departures"]] == [
        (format_clock(d.time), tt.trip_ids[d.trip], tt.route_ids[d.route]) for d in board.departures
    ]
    assert len(body["departures"]) == 50
