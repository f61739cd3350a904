"""Place search on the mixed data (official ＪＲバス中国 feed + modeled JR rail + modeled buses) as visitors type names.

The JR bus feed gives its Yamaguchi stops only Japanese names and kana
readings; these tests check that English typed every usual way finds them, and
that a station with its platforms and the bus stops in front of it (of every
feed, several poles each) come back as one place.
"""

from __future__ import annotations

import datetime as dt

import pytest

from maas.defaults import data_root, default_pois_path
from maas.errors import PlaceNotFoundError
from maas.geo import haversine_m
from maas.network.network import Network
from maas.pois import load_pois
from maas.routing.places import PlaceIndex, normalize
from maas.routing.planner import JourneyQuery, Planner
from maas.timetable.cache import load_timetable
from tests.conftest import shared_path

pytestmark = pytest.mark.shared_data

JRBUS = "jp_jrbus_chugoku_20260813"


@pytest.fixture(scope="module")
def mixed(cache_dir) -> Network:
    """The JR bus feed as published, then the modeled rail and bus feeds, with the region's POIs."""
    feeds = [shared_path("feeds", f"{JRBUS}.zip"), data_root() / "gtfs" / "jr", data_root() / "gtfs" / "bus"]
    return Network(load_timetable(feeds, cache_dir=cache_dir, progress=False), load_pois(default_pois_path()))


@pytest.fixture(scope="module")
def places(mixed) -> PlaceIndex:
    return PlaceIndex(mixed)


def feeds_of(network: Network, stops) -> set[str]:
    tt = network.timetable
    return {tt.feeds[tt.stop_feed[s]].name for s in stops}


@pytest.mark.parametrize(
    "typed, station_name",
    [
        ("Shin-Yamaguchi", "新山口"),
        ("shin yamaguchi", "新山口"),
        ("Shinyamaguchi", "新山口"),
        ("SHIN-YAMAGUCHI STATION", "新山口"),
        ("Shin-Yamaguchi Sta.", "新山口"),
        ("Ｓｈｉｎ－Ｙａｍａｇｕｃｈｉ", "新山口"),
        ("新山口", "新山口"),
        ("新山口駅", "新山口"),
        ("しんやまぐち", "新山口"),
        ("シンヤマグチ", "新山口"),
        ("Higashi-Hagi", "東萩"),
        ("higashi hagi", "東萩"),
        ("Yamaguchi Sta", "山口"),
        ("Yamaguchi Station", "山口"),
        ("山口駅", "山口"),
    ],
)
def test_visitors_find_stations_with_their_bus_stops(places, mixed, typed, station_name):
    """Each way of typing a station finds one place: the JR station with the JR bus feed's stops in front of it."""
    place = places.resolve(typed)
    assert place.kind == "station" and place.name == station_name
    assert JRBUS in feeds_of(mixed, place.stops) and "jr" in feeds_of(mixed, place.stops)


@pytest.mark.parametrize("typed", ["Akiyoshido", "Akiyoshi-do", "akiyoshidō", "akiyoshidou", "秋芳洞", "あきよしどう"])
def test_akiyoshido_finds_the_real_bus_stop(places, mixed, typed):
    """秋芳洞 has only a reading in the JR bus feed; its romanised name is found however it is spelt."""
    place = places.resolve(typed)
    assert place.stops and JRBUS in feeds_of(mixed, place.stops)
    assert {mixed.timetable.stop_names[s] for s in place.stops} == {"秋芳洞"}


def test_shin_yamaguchi_is_one_place_of_every_feed(places, mixed):
    """新山口: JR platforms, the modeled bus stop and the JR bus feed's poles are one place, and nothing near by that name is left out."""
    tt = mixed.timetable
    place = places.resolve("新山口")
    assert feeds_of(mixed, place.stops) >= {JRBUS, "jr"}
    platforms = [s for s in place.stops if tt.stop_parent[s] >= 0 and tt.stop_names[tt.stop_parent[s]] == "新山口"]
    poles = [s for s in place.stops if tt.feeds[tt.stop_feed[s]].name == JRBUS]
    assert len(platforms) >= 2 and len(poles) >= 2
    same_name_near = {
        s
        for s in range(tt.n_stops)
        if tt.stop_location_type[s] == 0
        and normalize(tt.stop_names[s]) == "新山口"
        and haversine_m(place.lat, place.lon, tt.stop_lat[s], tt.stop_lon[s]) < 1000
    }
    assert same_name_near <= set(place.stops)
    if any(tt.feeds[tt.stop_feed[s]].name == "bus" for s in same_name_near):
        assert "bus" in feeds_of(mixed, place.stops)


def test_one_place_whatever_language_is_typed(places):
    """English, kanji and kana give the very same place (same stops)."""
    english = places.resolve("Shin-Yamaguchi")
    assert places.resolve("新山口駅").stops == english.stops == places.resolve("しんやまぐちえき").stops


def test_truly_different_places_still_list_candidates_with_modes(places):
    """湯田温泉 station (rail) and the bus stop in the spa town are far apart: both are offered, with their modes."""
    with pytest.raises(PlaceNotFoundError) as err:
        places.resolve("Yuda Onsen")
    labels = err.value.candidates
    assert len(labels) >= 2
    assert any("rail" in label for label in labels) and any("bus" in label for label in labels)


def test_romanised_names_are_in_the_compiled_timetable(mixed):
    """The JR bus feed's Yamaguchi stops have English from their readings; 東萩 (no reading) is marked generated."""
    tt = mixed.timetable
    by_name = {}
    for s in range(tt.n_stops):
        if tt.feeds[tt.stop_feed[s]].name == JRBUS:
            by_name.setdefault(tt.stop_names[s], (tt.stop_name(s, "en"), tt.stop_name_source[s]))
    assert by_name["新山口駅"] == ("Shin-Yamaguchi Sta.", "reading")
    assert by_name["秋芳洞"] == ("Akiyoshido", "reading")
    assert by_name["湯田温泉通"] == ("Yuda Onsen-dori", "reading")
    assert by_name["東萩"] == ("Higashi-Hagi", "generated")
    assert by_name["西条駅"] == ("Saijo Sta.", "feed")
    assert set(tt.stop_name_source) <= {"feed", "reading", "generated"}
    # Every Japanese stop has an English name.
    assert all(tt.stop_names_i18n[s].get("en") for s in range(tt.n_stops))


def test_the_planner_uses_every_stop_of_the_place(places, mixed):
    """Shin-Yamaguchi → Higashi-Hagi by name plans from the grouped place (any of its stops may be boarded)."""
    planner = Planner(mixed)
    origin, destination = places.resolve("Shin-Yamaguchi"), places.resolve("Higashi-Hagi")
    journeys = planner.plan(JourneyQuery(origin, destination, dt.date(2026, 12, 1), 8 * 3600))
    assert journeys
    for j in journeys:
        first, last = j.legs[0], j.legs[-1]
        assert first.is_ride and set(first.origin.stops) <= set(origin.stops)  # boarded at the place, no walk
        assert last.is_ride and set(last.destination.stops) <= set(destination.stops)


def test_poi_ids_resolve_with_other_feeds(places):
    """The region's POIs come along with --feed data: akiyoshido_cave is a place."""
    assert places.resolve("akiyoshido_cave").kind == "poi"
