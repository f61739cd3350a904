"""Every endpoint answers, including bad input with a 4xx JSON body naming the field."""

from __future__ import annotations

import pytest

J = {"from": "Shin-Yamaguchi", "to": "Ajisu", "date": "2026-12-01", "depart": "07:00"}


def test_healthz(client):
    """/healthz reports the loaded feeds and service dates."""
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and {f["name"] for f in body["feeds"]} == {"jrbus", "jr", "bus", "techno-shuttle"}


def test_openapi_docs(client):
    """OpenAPI is served with the journey, tour and catalogue paths."""
    spec = client.get("/openapi.json").json()
    assert {"/v1/journeys", "/v1/tours", "/v1/stops", "/v1/pois", "/v1/routes", "/v1/reach"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_stops_geojson_and_language(client):
    """Stops come as GeoJSON with names in the asked language."""
    en = client.get("/v1/stops", params={"lang": "en", "q": "Ajisu"}).json()
    ja = client.get("/v1/stops", params={"q": "Ajisu"}, headers={"Accept-Language": "ja,en;q=0.5"}).json()
    assert en["type"] == "FeatureCollection" and en["features"]
    assert "Ajisu" in {f["properties"]["name"] for f in en["features"]}
    assert "阿知須" in {f["properties"]["name"] for f in ja["features"]}


def test_routes_geojson(client):
    """Routes are lines with a mode."""
    body = client.get("/v1/routes").json()
    modes = {f["properties"]["mode"] for f in body["features"]}
    assert {"rail", "bus", "shuttle"} <= modes
    assert all(f["geometry"]["type"] == "MultiLineString" for f in body["features"])


def test_pois_filters(client):
    """POIs filter by municipality, category/interest and text."""
    hagi = client.get("/v1/pois", params={"municipality": "Hagi"}).json()["features"]
    assert hagi and all(f["properties"]["municipality"] == "Hagi" for f in hagi)
    history = client.get("/v1/pois", params={"interest": "history"}).json()["features"]
    assert history and all("history" in f["properties"]["interests"] for f in history)
    found = client.get("/v1/pois", params={"q": "Shoin", "lang": "en"}).json()["features"]
    assert [f["properties"]["name"] for f in found] == ["Shoin Shrine"]


def test_departures(client):
    """Departures from a station list trips in time order from the given time."""
    r = client.get("/v1/stops/st_shinyamaguchi/departures", params={"date": "2026-12-01", "time": "07:00", "limit": 5})
    assert r.status_code == 200, r.text
    times = [d["time"] for d in r.json()["departures"]]
    assert len(times) == 5 and times == sorted(times) and times[0] >= "07:00"


def test_departures_unknown_and_ambiguous(client):
    """An unknown stop is 404; an id shared by two feeds is 409 with the FEED:id hint."""
    assert client.get("/v1/stops/nope/departures").status_code == 404
    r = client.get("/v1/stops/ajisu/departures")
    assert r.status_code == 409 and "FEED:ajisu" in r.json()["error"]["message"]


def test_journeys_same_as_cli(client):
    """/v1/journeys returns the plan --json document."""
    r = client.get("/v1/journeys", params=J)
    assert r.status_code == 200
    doc = r.json()
    assert doc["query"]["date"] == "2026-12-01" and doc["journeys"]
    leg = doc["journeys"][0]["legs"][0]
    assert {"mode", "from", "to", "departure", "arrival", "route", "trip_id", "headsign"} <= set(leg)


@pytest.mark.parametrize(
    "params,status,field",
    [
        ({**J, "from": "Atlantis"}, 404, "from"),
        ({**J, "date": "2026-02-30"}, 400, "date"),
        ({**J, "depart": "7 o'clock"}, 400, "depart"),
        ({**J, "date": "2035-01-01"}, 400, "date"),
        ({**J, "max_transfers": -1}, 422, "max_transfers"),
        ({**J, "walk_radius": 99999}, 422, "walk_radius"),
        ({**J, "modes": "plane"}, 400, "modes"),
        ({**J, "window": 5000}, 422, "window"),
        ({**J, "arrive_by": "09:00"}, 400, "arrive_by"),
        ({"to": "Ajisu"}, 422, "from"),
    ],
)
def test_journeys_bad_input(client, params, status, field):
    """Bad journey parameters give a 4xx JSON error naming the field, never a 500."""
    r = client.get("/v1/journeys", params=params)
    assert r.status_code == status, r.text
    assert r.json()["error"]["field"] == field
    assert "Value error" not in r.json()["error"]["message"]


def test_reach(client):
    """/v1/reach gives an isochrone and stops."""
    r = client.get("/v1/reach", params={"from": "Yamaguchi", "date": "2026-12-01", "depart": "09:00", "minutes": 45})
    assert r.status_code == 200
    feats = r.json()["features"]
    assert feats[0]["properties"]["kind"] == "isochrone" and len(feats) > 3


def test_tours(client):
    """POST /v1/tours plans from the shared request model and returns the itinerary and GeoJSON."""
    body = {"start": "Yamaguchi", "date": "2026-12-05", "from": "10:00", "until": "15:00", "interests": ["history"]}
    r = client.post("/v1/tours", json=body, params={"time_limit": 0.5})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["itinerary"]["days"][0]["visits"] and doc["geojson"]["type"] == "FeatureCollection"
    search = doc["itinerary"]["search"]
    assert search["score"] > 0 and search["stopped"] in {"patience", "time limit"} and search["steps"] > 0


@pytest.mark.parametrize(
    "body,field",
    [
        ({"start": "Yamaguchi", "date": "2026-12-05", "budget": -1}, "budget"),
        ({"start": "Yamaguchi", "date": "2026-12-05", "days": 30}, "days"),
        ({"start": "Yamaguchi", "date": "not-a-date"}, "date"),
        ({"start": "Yamaguchi", "date": "2026-12-05", "must_visit": ["nowhere_at_all"]}, "must_visit"),
        ({"start": "Yamaguchi", "date": "2026-12-05", "colour": "red"}, "colour"),
        ({"date": "2026-12-05"}, "start"),
        ({"start": "Yamaguchi", "date": "2026-12-05", "days": 2, "from": ["09:00", "10:00", "11:00"]}, "from"),
        ({"start": "Yamaguchi", "date": "2026-12-05", "must_visit": ["kameyama_park"] * 31}, "must_visit"),
    ],
)
def test_tours_bad_input(client, body, field):
    """Bad tour requests are 4xx with the field named."""
    r = client.post("/v1/tours", json=body)
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["field"] == field


def test_web_map_is_served(client):
    """/ serves the map page and its local Leaflet assets (no internet needed)."""
    page = client.get("/")
    assert page.status_code == 200 and "vendor/leaflet/leaflet.js" in page.text
    assert client.get("/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/app.js").status_code == 200


def test_service_stays_responsive_during_a_tour(client, monkeypatch):
    """While a tour is in the heavy pool, /healthz still answers: the tour holds a pool slot, never the service.

    No timing guess: the tour's job is seen entering the pool (its executor's
    ``submit``), and its answer is held back until the health check has
    answered, so the check runs while the tour is certainly in flight.
    """
    import threading
    from concurrent.futures import Future

    heavy = client.app.state.heavy
    submitted, release = threading.Event(), threading.Event()
    real_submit = heavy.executor.submit

    def held_submit(fn, *args):
        job, held = real_submit(fn, *args), Future()

        def relay():
            release.wait(120)
            error = job.exception()
            held.set_exception(error) if error is not None else held.set_result(job.result())

        threading.Thread(target=relay, daemon=True).start()
        submitted.set()
        return held

    monkeypatch.setattr(heavy.executor, "submit", held_submit)
    body = {"start": "Yamaguchi", "date": "2026-12-05", "from": "10:00", "until": "15:00"}
    answers: dict[str, object] = {}
    tour = threading.Thread(target=lambda: answers.update(tour=client.post("/v1/tours", json=body, params={"time_limit": 1.0})))
    health = threading.Thread(target=lambda: answers.update(health=client.get("/healthz")))
    try:
        tour.start()
        assert submitted.wait(60), "the tour never reached the heavy pool"
        health.start()
        health.join(timeout=30)
        assert "health" in answers, "the health check waited for the tour"
        assert "tour" not in answers  # still held: the check really ran during the tour
    finally:
        release.set()
        tour.join(timeout=120)
    assert answers["health"].status_code == 200
    assert answers["tour"].status_code == 200, answers["tour"].text
    assert answers["tour"].json()["itinerary"]["status"] in ("ok", "infeasible")
