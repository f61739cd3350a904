"""Names in ja, en, ko, zh-Hans and zh-Hant on the API, falling back to English, then to the feed's own name.

The ＪＲバス中国 feed (loaded whole here, Hiroshima routes included) gives
its Hiroshima stops Korean and Chinese (as zh-cn / zh-tw) and its Yamaguchi
stops only Japanese and a kana reading, so both the served and the
fallback cases are real data.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.deps import language_of_header
from api.main import create_app
from api.settings import Settings
from api.state import ServiceState
from api.store import ScenarioStore
from maas.defaults import data_root, default_pois_path
from maas.network.network import Network
from maas.pois import load_pois
from maas.routing.places import PlaceIndex
from maas.routing.planner import Planner
from maas.timetable.cache import load_timetable
from tests.conftest import LOOPBACK, shared_path

JRBUS = "jp_jrbus_chugoku_20260813"
#: Kana and kanji: what a reader of English cannot read.
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff]")


@pytest.fixture(scope="module")
def mixed_client(cache_dir, tmp_path_factory) -> TestClient:
    """The service on the JR bus feed + modeled rail and buses (no lifespan: catalogue and journeys only)."""
    feeds = [shared_path("feeds", f"{JRBUS}.zip"), data_root() / "gtfs" / "jr", data_root() / "gtfs" / "bus"]
    network = Network(load_timetable(feeds, cache_dir=cache_dir, progress=False), load_pois(default_pois_path()))
    db = tmp_path_factory.mktemp("lang-db") / "scenarios.sqlite"
    settings = Settings(feeds=tuple(feeds), database_url=f"sqlite:///{db}")
    state = ServiceState(settings, network, Planner(network), PlaceIndex(network), ScenarioStore(settings.database()))
    return TestClient(create_app(state=state), raise_server_exceptions=False, client=LOOPBACK)


def stop_names(client: TestClient, q: str, **params: str) -> dict[str, dict]:
    """{own name: properties} of the stops /v1/stops finds for ``q``."""
    body = client.get("/v1/stops", params={"q": q, **params}).json()
    return {f["properties"]["names"]["ja"]: f["properties"] for f in body["features"] if "ja" in f["properties"]["names"]}


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "lang, saijo",
    [("ko", "사이조 역"), ("zh-Hans", "西条站"), ("zh-Hant", "西條站"), ("en", "Saijo Sta."), ("ja", "西条駅")],
)
def test_stop_names_in_each_served_language(mixed_client, lang, saijo):
    """西条駅 has ko, zh-cn and zh-tw translations: served as ko, zh-Hans and zh-Hant."""
    props = stop_names(mixed_client, "西条駅", lang=lang)["西条駅"]
    assert props["name"] == saijo
    assert props["names"]["zh-Hans"] == "西条站" and props["names"]["zh-Hant"] == "西條站"
    assert props["name_source"] == "feed"


@pytest.mark.shared_data
@pytest.mark.parametrize("lang", ["ko", "zh-Hans", "zh-Hant", "en"])
def test_missing_language_falls_back_to_english(mixed_client, lang):
    """新山口駅 of the JR bus feed has no Korean or Chinese: its romanised English is given, marked as from the reading."""
    props = stop_names(mixed_client, "新山口駅", lang=lang)["新山口駅"]
    assert props["name"] in {"Shin-Yamaguchi Sta.", "Shin-Yamaguchi Station"}
    found = [f for f in mixed_client.get("/v1/stops", params={"q": "新山口駅", "lang": lang}).json()["features"] if f["properties"]["feed"] == JRBUS]
    assert found and all(f["properties"]["name"] == "Shin-Yamaguchi Sta." and f["properties"]["name_source"] == "reading" for f in found)


@pytest.mark.shared_data
def test_generated_names_are_marked(mixed_client):
    """東萩 has no reading in the feed: its English is generated and says so."""
    found = [f["properties"] for f in mixed_client.get("/v1/stops", params={"q": "東萩", "lang": "en"}).json()["features"] if f["properties"]["feed"] == JRBUS]
    assert found and {p["name"] for p in found} == {"Higashi-Hagi"} and {p["name_source"] for p in found} == {"generated"}


@pytest.mark.shared_data
@pytest.mark.parametrize("header, saijo", [("zh-TW,zh;q=0.9", "西條站"), ("zh-CN", "西条站"), ("ko-KR,ko;q=0.9", "사이조 역"), ("fr,en;q=0.5", "Saijo Sta.")])
def test_accept_language_picks_the_served_language(mixed_client, header, saijo):
    """Without lang=, Accept-Language chooses (zh-TW → zh-Hant, zh-CN → zh-Hans)."""
    body = mixed_client.get("/v1/stops", params={"q": "西条駅"}, headers={"Accept-Language": header}).json()
    assert saijo in {f["properties"]["name"] for f in body["features"]}


@pytest.mark.shared_data
@pytest.mark.parametrize("typed", ["shin yamaguchi", "Shin-Yamaguchi", "しんやまぐち"])
def test_stop_filter_compares_names_like_the_place_search(mixed_client, typed):
    """q= on /v1/stops finds the JR bus feed's 新山口駅 by its English or its reading, however typed."""
    body = mixed_client.get("/v1/stops", params={"q": typed}).json()
    assert any(f["properties"]["feed"] == JRBUS and f["properties"]["names"]["ja"] == "新山口駅" for f in body["features"])


@pytest.mark.shared_data
def test_journey_names_fall_back_to_english(mixed_client):
    """A journey asked in Korean names Yamaguchi stops in English (they have no Korean) and keeps every language in names."""
    r = mixed_client.get(
        "/v1/journeys",
        params={"from": "Yamaguchi Sta", "to": "Akiyoshido", "date": "2026-12-01", "depart": "09:00", "lang": "ko"},
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["journeys"]
    legs = doc["journeys"][0]["legs"]
    assert legs[-1]["to"]["name"] == "Akiyoshido" or legs[-1]["to"]["name"].startswith("Akiyoshido")
    assert all(not any("\u3040" <= c <= "\u9fff" for c in leg["from"]["name"]) for leg in legs)
    rides = [leg for leg in legs if leg["mode"] != "walk"]
    assert rides and all(not JAPANESE.search(leg["route"] + leg["headsign"] + leg["route_long_name"]) for leg in rides)


@pytest.mark.parametrize("lang, kodama", [("en", "Kodama"), ("ja", "こだま"), ("ko", "Kodama"), ("zh-Hant", "Kodama")])
def test_a_trains_short_name_is_in_the_language_asked(client, lang, kodama):
    """The JR feed translates trip_short_name こだま to English only: ja keeps it, en reads Kodama, ko and zh-Hant fall back to English."""
    r = client.get("/v1/journeys", params={"from": "Tokuyama", "to": "Asa", "date": "2026-12-01", "depart": "06:35", "lang": lang})
    assert r.status_code == 200, r.text
    rides = [leg for journey in r.json()["journeys"] for leg in journey["legs"] if leg["mode"] != "walk"]
    shinkansen = [leg for leg in rides if leg["trip_short_names"].get("ja") == "こだま"]
    assert shinkansen, [leg["trip_short_name"] for leg in rides]
    assert {leg["trip_short_name"] for leg in shinkansen} == {kodama}
    assert all(leg["trip_short_names"] == {"ja": "こだま", "en": "Kodama"} for leg in shinkansen)


@pytest.mark.shared_data
def test_unserved_language_is_a_clear_4xx(mixed_client):
    """lang=fr is refused with the error document naming the field."""
    r = mixed_client.get("/v1/stops", params={"lang": "fr"})
    assert 400 <= r.status_code < 500
    assert r.json()["error"]["field"] == "lang"


@pytest.mark.parametrize(
    "header, lang",
    [
        ("", "ja"),
        ("en-US,en;q=0.9", "en"),
        ("zh-TW,zh;q=0.9", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        ("fr,en;q=0.5", "en"),
        ("ja;q=0.1,en;q=0.9", "en"),
        ("de", "ja"),
        ("en;q=0", "ja"),
    ],
)
def test_accept_language_header(header, lang):
    """Accept-Language ranked by q-value, Chinese by script, unknown languages skipped."""
    assert language_of_header(header) == lang


def test_feeds_from_the_environment_keep_the_region_pois(monkeypatch, tmp_path):
    """MAAS_FEEDS replaces the feeds but not the POIs (MAAS_POIS still can)."""
    monkeypatch.setenv("MAAS_FEEDS", str(tmp_path / "feed.zip"))
    monkeypatch.delenv("MAAS_POIS", raising=False)
    assert Settings.from_env().pois == default_pois_path()
    monkeypatch.setenv("MAAS_POIS", str(tmp_path / "mine.geojson"))
    assert Settings.from_env().pois == tmp_path / "mine.geojson"


@pytest.mark.parametrize(
    "lang, name",
    [("en", "Akiyoshi Line"), ("ko", "Akiyoshi Line"), ("zh-Hant", "Akiyoshi Line"), ("ja", "秋吉線")],
)
def test_jr_bus_route_names_in_each_language(client, lang, name):
    """The JR bus feed names its routes in Japanese only: /v1/routes gives them in English to every other language."""
    (props,) = [f["properties"] for f in client.get("/v1/routes", params={"lang": lang}).json()["features"] if f["properties"]["id"] == "2196404353"]
    assert props["name"] == props["long_name"] == name
    assert props["names"] == props["long_names"] == {"ja": "秋吉線", "en": "Akiyoshi Line"}


def test_departures_headsigns_in_the_language_asked(client):
    """The board at the JR bus 山口駅 says where each bus goes (the feed's stop_headsign) in English, or as the feed writes it."""
    params = {"date": "2026-12-01", "time": "06:00", "limit": 200}
    en = client.get("/v1/stops/60028 2/departures", params={**params, "lang": "en"}).json()["departures"]
    ja = client.get("/v1/stops/60028 2/departures", params={**params, "lang": "ja"}).json()["departures"]
    assert en and len(en) == len(ja)
    assert ("Akiyoshi Line", "Akiyoshi") in {(d["route"], d["headsign"]) for d in en}
    assert ("秋吉線", "秋吉") in {(d["route"], d["headsign"]) for d in ja}
    assert all(d["headsign"] and not JAPANESE.search(d["route"] + d["headsign"]) for d in en)


def test_journey_ride_names_in_english(client):
    """A JR bus ride asked in English: route, long name and headsign in English, every language kept in the *names keys."""
    params = {"from": "Yamaguchi Sta", "to": "Akiyoshido", "date": "2026-12-01", "depart": "09:00"}
    en = client.get("/v1/journeys", params={**params, "lang": "en"})
    ja = client.get("/v1/journeys", params={**params, "lang": "ja"})
    assert en.status_code == ja.status_code == 200, en.text
    rides = [(a, b) for j, k in zip(en.json()["journeys"], ja.json()["journeys"]) for a, b in zip(j["legs"], k["legs"]) if a["mode"] != "walk"]
    jrbus = [(a, b) for a, b in rides if a["feed"] == "jrbus"]
    assert jrbus, "no JR bus ride from Yamaguchi to Akiyoshido"
    for a, b in jrbus:
        assert (a["route"], b["route"]) == (a["route_names"]["en"], b["route_names"]["ja"])
        assert (a["headsign"], b["headsign"]) == (a["headsign_names"]["en"], b["headsign_names"]["ja"]) and a["headsign"]
        assert (a["route_long_name"], b["route_long_name"]) == (a["route_long_names"]["en"], b["route_long_names"]["ja"])
        assert not JAPANESE.search(a["route"] + a["headsign"] + a["route_long_name"])
    assert ("Akiyoshi Line", "Akiyoshi") in {(a["route"], a["headsign"]) for a, _ in jrbus}
