"""The embedded region data: valid feeds, honest labels, the facts the issues name."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from maas.defaults import default_feed_paths, default_pois_path
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from maas.pois import load_pois
from maas.routing.planner import JourneyQuery
from maas.when import parse_clock

FEEDS = {p.name: p for p in default_feed_paths()}


def test_all_default_feeds_exist():
    """The official JR bus feed, JR, the modeled buses and the techno-park shuttle are all embedded."""
    assert set(FEEDS) == {"jrbus", "jr", "bus", "techno-shuttle"}


@pytest.mark.parametrize("name", ["jrbus", "jr", "bus", "techno-shuttle"])
def test_default_feed_has_no_errors(name):
    """Every default feed passes the checker with no errors."""
    problems = validate_feed(read_feed(FEEDS[name]))
    assert [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("name", ["jr", "bus", "techno-shuttle"])
def test_default_feed_says_what_is_modeled(name):
    """feed_info.txt of each project-made feed says its timetables are modeled (or from the trial report);
    the official jrbus feed keeps its publisher's feed_info (tests/data/test_real_feed.py)."""
    info = read_feed(FEEDS[name]).table("feed_info.txt")
    text = " ".join(str(v) for v in info.iloc[0].tolist()).lower()
    assert "modeled" in text or "modelled" in text


def test_calendars_cover_trial_and_today(default_network):
    """Modeled services run from 2019-12-01 to 2027-03-31."""
    first, last = default_network.timetable.service_dates()
    assert first <= dt.date(2019, 12, 1) and last >= dt.date(2027, 3, 31)


def test_both_translation_forms_are_used(default_network):
    """One default feed uses the GTFS translations form, another the GTFS-JP legacy form."""
    forms = {f.name: f.translations_form for f in default_network.timetable.feeds}
    assert forms["jr"] == "gtfs" and forms["bus"] == "gtfs-jp-legacy"


@pytest.mark.parametrize(
    "text",
    [
        "Ajisu",
        "阿知須",
        "shin yamaguchi",
        "Shin-Yamaguchi",
        "新山口",
        "Motoyura",
        "本由良",
        "Yamaguchi Techno Park",
        "Yamaguchi Techno 2nd Park",
        "Ube Techno Park",
        "Hagi",
        "Tsuwano",
    ],
)
def test_names_resolve(default_places, text):
    """Stop and place names resolve in Japanese and English, forgivingly."""
    place = default_places.resolve(text)
    assert place.stops, f"{text} resolved to {place} without stops"


def test_techno_parks_are_distinct(default_places):
    """The three parks resolve to three different places."""
    ids = {default_places.resolve(n).id for n in ("Yamaguchi Techno Park", "Yamaguchi Techno 2nd Park", "Ube Techno Park")}
    assert len(ids) == 3


def test_shuttle_trial_times_are_the_source_times(default_network):
    """The shuttle's station times are exactly those of the council's trial report."""
    tt = default_network.timetable
    f = tt.feed_names().index("techno-shuttle")
    got = set()
    for t in range(tt.n_trips):
        if tt.route_feed[tt.trip_route[t]] != f:
            continue
        arr, dep = tt.trip_times(t)
        for s, a, d in zip(tt.pattern_stop_list(int(tt.trip_pattern[t])), arr, dep):
            if tt.stop_ids[s] in ("ajisu", "motoyura"):
                got.add((tt.stop_ids[s], int(d) if tt.stop_ids[s] == "ajisu" and a == d else int(a)))
    for stop, clock in [
        ("ajisu", "07:14"),
        ("motoyura", "07:24"),
        ("motoyura", "08:01"),
        ("motoyura", "17:50"),
        ("ajisu", "18:00"),
        ("motoyura", "18:50"),
        ("ajisu", "19:00"),
    ]:
        assert (stop, parse_clock(clock)) in got, f"{stop} {clock} missing from the shuttle feed"


def test_shuttle_runs_only_in_the_trial(default_network):
    """The shuttle runs on trial weekdays (2019-12-02..2020-02-28), not on weekends or after."""
    tt = default_network.timetable
    f = tt.feed_names().index("techno-shuttle")
    services = [i for i in range(len(tt.service_ids)) if tt.service_feed[i] == f]

    def runs(d):
        return bool(tt.services_on(d)[services].any())

    assert runs(dt.date(2019, 12, 2)) and runs(dt.date(2020, 2, 28))
    assert not runs(dt.date(2019, 12, 7)) and not runs(dt.date(2020, 3, 2)) and not runs(dt.date(2026, 12, 1))


def test_mine_line_suspended_since_2023_06_30(default_planner, default_places):
    """Asa to Nagatoshi goes by rail on 2023-06-29 and only by bus from 2023-06-30."""
    asa, nagato = default_places.resolve("Asa"), default_places.resolve("長門市")
    for date, want_rail in ((dt.date(2023, 6, 29), True), (dt.date(2024, 6, 4), False)):
        journeys = default_planner.plan(JourneyQuery(asa, nagato, date, parse_clock("06:00")))
        modes = {leg.mode for j in journeys for leg in j.legs if leg.is_ride}
        assert ("rail" in modes) == want_rail, f"{date}: modes {modes}"
        assert journeys, f"{date}: no journey Asa → Nagatoshi"


def test_pois_cover_the_region():
    """At least 60 POIs across all seven municipalities, with the fields tours need."""
    pois = load_pois(default_pois_path())
    assert len(pois) >= 60
    assert set(Counter(p.municipality for p in pois)) == {"Yamaguchi", "Ube", "Hagi", "Hofu", "Mine", "Sanyo-Onoda", "Tsuwano"}
    for p in pois:
        assert p.name_ja and p.name_en and p.category and p.opening_hours and p.visit_minutes > 0 and 1 <= p.interest <= 100
        assert p.source and p.position_quality


def test_requested_journeys_exist(default_planner, default_places):
    """The journeys the foundation issue names can be planned on a weekday in December 2026."""
    for a, b in (("Shin-Yamaguchi", "Ajisu"), ("Shin-Yamaguchi", "Hagi"), ("Shin-Yamaguchi", "Akiyoshido"), ("Yamaguchi", "Tsuwano")):
        q = JourneyQuery(default_places.resolve(a), default_places.resolve(b), dt.date(2026, 12, 1), parse_clock("08:00"))
        assert default_planner.plan(q), f"no journey {a} → {b}"
    # The trial: Shin-Yamaguchi → Motoyura by train, then the shuttle to the parks, on 2019-12-10.
    q = JourneyQuery(default_places.resolve("Shin-Yamaguchi"), default_places.resolve("Ube Techno Park"), dt.date(2019, 12, 10), parse_clock("06:30"))
    journeys = default_planner.plan(q)
    assert any(any(leg.mode == "shuttle" for leg in j.legs) and any(leg.mode == "rail" for leg in j.legs) for j in journeys)
