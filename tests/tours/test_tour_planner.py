"""The tour planner on the region's data: feasible on the real timetable, honest about what it leaves out."""

from __future__ import annotations

import datetime as dt
import json

import opening_hours
import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.errors import InputError
from maas.tours.itinerary import Itinerary
from maas.tours.planner import TourPlanner
from maas.tours.request import PACE_FACTORS, tour_request
from maas.when import parse_clock

SAT = "2026-12-05"


@pytest.fixture(scope="module")
def tours(default_planner, default_places) -> TourPlanner:
    return TourPlanner(default_planner, default_places)


def plan(tours: TourPlanner, **kw) -> Itinerary:
    data = {"start": "Shin-Yamaguchi", "date": SAT, "from": "09:00", "until": "18:00", **kw}
    return tours.plan(tour_request(data), time_limit_s=1.0)


def per_day(value: str | list[str], k: int) -> str:
    return value[k % len(value)] if isinstance(value, list) else value


def assert_feasible(it: Itinerary, req: dict) -> None:
    """Re-check the itinerary independently: legs chain in time, visits within opening hours, back in time."""
    factor = PACE_FACTORS[req.get("pace", "normal")]
    seen = set()
    for day in it.days:
        t0, t1 = (parse_clock(per_day(req.get(key, default), day.index)) for key, default in (("from", "09:00"), ("until", "18:00")))
        assert len(day.legs) == len(day.visits) + 1
        clock = t0
        for k, leg in enumerate(day.legs):
            assert leg.departure >= clock, f"day {day.index}: leg {k} leaves before the previous visit ends"
            for a, b in zip(leg.legs, leg.legs[1:]):
                assert b.departure >= a.arrival
            if k < len(day.visits):
                v = day.visits[k]
                assert v.poi.id not in seen, "a POI is visited twice"
                seen.add(v.poi.id)
                assert leg.arrival == v.arrival and v.start >= v.arrival
                assert v.end - v.start == round(v.poi.visit_minutes * factor * 60)
                base = dt.datetime.combine(day.date, dt.time())
                oh = opening_hours.OpeningHours(v.poi.opening_hours)
                for moment in (v.start, v.end - 1):
                    assert oh.is_open(base + dt.timedelta(seconds=moment)), f"{v.poi.id} closed at {moment}"
                clock = v.end
        assert day.back <= t1


def test_one_day_tour_is_feasible(tours):
    """A day from Shin-Yamaguchi visits several POIs and is feasible on the real timetable."""
    req = {"interests": ["history"]}
    it = plan(tours, **req)
    assert len(it.visits) >= 3
    assert_feasible(it, req)
    assert it.timings["total"] > 0


def test_interests_change_the_choice(tours):
    """Asking for nature brings more nature POIs than asking for history."""
    nature = plan(tours, interests=["nature"])
    history = plan(tours, interests=["history"])

    def share(it, tag):
        return sum(tag in v.poi.interests for v in it.visits) / max(len(it.visits), 1)

    assert share(nature, "nature") > share(history, "nature")


def test_must_visit_and_avoid(tours):
    """A must-visit POI is in the tour; an avoided one is not."""
    it = plan(tours, must_visit=["kameyama_park"], avoid=["rurikoji_pagoda"])
    ids = {v.poi.id for v in it.visits}
    assert "kameyama_park" in ids and "rurikoji_pagoda" not in ids


def test_impossible_must_visit_is_explained(tours):
    """A must-visit POI that cannot fit is reported in left_out and in a note."""
    it = plan(tours, must_visit=["tsuwano_castle_ruins"], until="10:30")
    assert "tsuwano_castle_ruins" not in {v.poi.id for v in it.visits}
    assert any(x.poi.id == "tsuwano_castle_ruins" for x in it.left_out)
    assert any("cannot all fit" in n for n in it.notes)


def test_too_far_says_when_the_walking_limit_is_why(tours):
    """A must-visit POI beyond max_walk from every stop is 'too far', and the detail names the walking limit."""
    it = plan(tours, must_visit=["hofu_tenmangu"], max_walk=800)
    out = {x.poi.id: x for x in it.left_out}
    assert out["hofu_tenmangu"].reason == "too far"
    assert "800 m walking limit" in out["hofu_tenmangu"].detail
    it = plan(tours, must_visit=["hofu_tenmangu"], max_walk=1500)
    assert "hofu_tenmangu" in {v.poi.id for v in it.visits}


def test_pace_scales_visits(tours):
    """Brisk visits are three quarters of the typical length."""
    req = {"pace": "brisk", "interests": ["history"]}
    it = plan(tours, **req)
    assert it.visits
    assert_feasible(it, req)


def test_budget_is_respected(tours):
    """With no money, only free POIs and no priced fares."""
    it = plan(tours, budget=0)
    fares, _ = it.fares_yen()
    assert it.fees_yen == 0 and fares == 0


def test_two_day_circuit(tours):
    """Two days: each starts and ends at the start, POIs at most once overall."""
    req = {"days": 2, "interests": ["history", "nature"], "start": "Yamaguchi"}
    it = plan(tours, **req)
    assert [d.date for d in it.days] == [dt.date(2026, 12, 5), dt.date(2026, 12, 6)]
    assert all(d.visits for d in it.days)
    assert_feasible(it, req)


def test_each_day_has_its_own_window(tours):
    """Per-day from/until times: each day leaves and comes back within its own window."""
    req = {"days": 2, "interests": ["history"], "start": "Yamaguchi", "from": ["09:00", "11:00"], "until": ["17:00", "15:00"]}
    it = plan(tours, **req)
    assert all(d.visits for d in it.days)
    assert it.days[1].legs[0].departure >= parse_clock("11:00") and it.days[1].back <= parse_clock("15:00")
    assert_feasible(it, req)


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"must_visit": ["no_such_poi_anywhere"]}, "must_visit"),
        ({"from": ["09:00", "10:00", "11:00"], "days": 2}, "from"),
        ({"days": 2, "from": ["09:00", "17:50"]}, "on day 2"),
        ({"from": "10:00", "until": "10:00"}, "request"),
        ({"date": "2031-05-01"}, "date"),
        ({"budget": -5}, "budget"),
        ({"interests": ["karaoke"]}, "interests"),
        ({"pace": "sprint"}, "pace"),
    ],
)
def test_bad_requests_name_the_field(tours, kw, field):
    """Unknown POIs, empty windows, dates without service and negative budgets are clear errors."""
    with pytest.raises(InputError) as err:
        plan(tours, **kw)
    assert err.value.field == field or field in str(err.value)


def test_json_and_geojson(tours):
    """The itinerary serialises to JSON (times ISO 8601) and GeoJSON (points and legs)."""
    it = plan(tours, interests=["history"])
    doc = it.to_dict("en")
    json.dumps(doc)
    assert doc["days"][0]["visits"][0]["visit_start"].endswith("+09:00")
    assert {"visits", "interest", "walk_m", "fares_yen", "fees_yen"} <= set(doc["totals"])
    geo = it.to_geojson()
    kinds = {f["properties"]["kind"] for f in geo["features"]}
    assert kinds == {"visit", "leg"}


def test_cli_tour(cache_dir, monkeypatch):
    """maas tour --json works; a bad request exits 2 naming the field."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))
    runner = CliRunner()
    r = runner.invoke(app, ["tour", "--start", "Yamaguchi", "--date", SAT, "--from", "10:00", "--until", "16:00", "--time-limit", "0.5", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["days"][0]["visits"]
    r = runner.invoke(app, ["tour", "--start", "Yamaguchi", "--date", SAT, "--budget", "-1"])
    assert r.exit_code == 2 and "budget" in r.output
