"""/v1/feeds and /healthz report each feed's kind, licence, attribution, version and validity; a date no feed serves is a 400 on `date`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.state import ServiceState
from tests.conftest import LOOPBACK
from tests.feeds.catalog_kit import days, feed_text, write_catalog

NO_SERVICE = "2031-01-01"


def test_v1_feeds_on_the_default_data(client):
    """Every default feed is listed with its catalog kind and licence, version and service dates."""
    r = client.get("/v1/feeds")
    assert r.status_code == 200
    doc = r.json()
    assert doc["warn_days"] == 30
    by = {f["name"]: f for f in doc["feeds"]}
    assert {"jr", "bus", "techno-shuttle"} <= set(by)
    assert by["jr"]["kind"] == "modeled" and by["techno-shuttle"]["kind"] == "trial"
    for f in doc["feeds"]:
        assert f["licence"] and f["version"] and f["trips"] > 0
        assert set(f["validity"]) == {"first", "last", "today", "days_left"}
    assert by["techno-shuttle"]["validity"]["last"] == "2020-02-28" and "service ended on 2020-02-28" in by["techno-shuttle"]["warning"]
    assert f"techno-shuttle: {by['techno-shuttle']['warning']}" in doc["warnings"]


def test_healthz_reports_feed_validity(client):
    """/healthz gives each feed's kind, licence, attribution, version, validity and warning, and a list of warnings."""
    doc = client.get("/healthz").json()
    assert doc["status"] == "ok"
    for f in doc["feeds"]:
        assert set(f) == {"name", "kind", "licence", "attribution", "version", "trips", "validity", "warning"}
    assert any(w.startswith("techno-shuttle: service ended") for w in doc["warnings"])


@pytest.mark.parametrize(
    "method,path,params",
    [
        ("get", "/v1/journeys", {"from": "Shin-Yamaguchi", "to": "Ajisu", "date": NO_SERVICE, "depart": "07:00"}),
        ("get", "/v1/journeys", {"from": "Shin-Yamaguchi", "to": "Ajisu", "date": NO_SERVICE, "arrive_by": "09:00"}),
        ("get", "/v1/reach", {"from": "Shin-Yamaguchi", "date": NO_SERVICE, "depart": "07:00"}),
        ("get", "/v1/stops/shinyamaguchi/departures", {"date": NO_SERVICE, "time": "07:00"}),
        ("post", "/v1/tours", {"start": "Yamaguchi", "date": NO_SERVICE, "from": "10:00", "until": "15:00"}),
    ],
    ids=["journeys", "arrive-by", "reach", "departures", "tours"],
)
def test_a_date_no_feed_serves_is_a_400_on_date(client, method, path, params):
    """Journeys, reach, departures and tours for a date no feed serves: 400, field date, each feed's dates named."""
    if method == "post":
        r = client.post(path, json=params, params={"time_limit": 0.2})
    else:
        r = client.get(path, params=params)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["field"] == "date"
    assert err["message"].startswith(f"no timetable for {NO_SERVICE}: ")
    assert "jr covers 2019-12-01 .. " in err["message"] and "techno-shuttle covers 2019-12-02 .. 2020-02-28" in err["message"]


@pytest.fixture
def small_service(tmp_path, monkeypatch):
    """A service on two tiny feeds: 'bus' named by the catalog beside it, 'extra' by no catalog (kind unknown)."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "gtfs"
    feed_text(days(-10), days(20), "2026.11").write(data / "bus")
    write_catalog(data, [{"name": "bus", "kind": "official", "licence": "CC0-1.0", "attribution": "Test Bus (CC0 1.0)", "url": "https://example.com/bus.zip"}])
    extra = feed_text(days(-10), days(400), "x1").write(tmp_path / "elsewhere" / "extra")  # same stop ids: FEED:stop_id tells them apart
    settings = Settings(feeds=(data / "bus", extra), pois=None, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    with TestClient(create_app(state=ServiceState.load(settings)), raise_server_exceptions=False, client=LOOPBACK) as c:
        yield c


def test_v1_feeds_catalog_facts_and_unknown_kind(small_service):
    """A catalogued feed carries kind, licence, attribution and url; a feed outside any catalog is kind 'unknown'."""
    doc = small_service.get("/v1/feeds").json()
    bus, extra = doc["feeds"]
    assert (bus["name"], bus["kind"], bus["licence"], bus["attribution"], bus["url"], bus["version"]) == (
        "bus",
        "official",
        "CC0-1.0",
        "Test Bus (CC0 1.0)",
        "https://example.com/bus.zip",
        "2026.11",
    )
    assert bus["validity"]["first"] == days(-10).isoformat() and bus["validity"]["last"] == days(20).isoformat()
    assert bus["validity"]["days_left"] == 20 and bus["warning"] == f"service ends on {days(20)}, in 20 days"
    assert (extra["name"], extra["kind"], extra["licence"], extra["attribution"]) == ("extra", "unknown", None, None)
    assert extra["validity"]["days_left"] == 400 and extra["warning"] is None
    assert doc["warnings"] == [f"bus: service ends on {days(20)}, in 20 days"]
    health = small_service.get("/healthz").json()
    assert [(f["name"], f["kind"], f["warning"]) for f in health["feeds"]] == [("bus", "official", bus["warning"]), ("extra", "unknown", None)]
    assert health["warnings"] == doc["warnings"]


def test_a_date_past_every_feed_names_each_feeds_dates(small_service):
    """The message names every loaded feed with its own first and last date."""
    day = days(500)
    r = small_service.get("/v1/journeys", params={"from": "bus:AJS", "to": "bus:TPK", "date": day.isoformat(), "depart": "07:00"})
    assert r.status_code == 400, r.text
    assert r.json()["error"] == {
        "status": 400,
        "field": "date",
        "message": f"no timetable for {day}: bus covers {days(-10)} .. {days(20)}, extra covers {days(-10)} .. {days(400)}",
    }
    ok = small_service.get("/v1/journeys", params={"from": "bus:AJS", "to": "bus:TPK", "date": days(1).isoformat(), "depart": "07:00"})
    assert ok.status_code == 200 and ok.json()["journeys"]
