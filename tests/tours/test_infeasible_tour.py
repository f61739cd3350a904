"""A tour that cannot be done is a result with status "infeasible" and its reason, not an error.

Half an hour (the shortest window a request may ask for) is far too short to
get from Hagi to Tsuwano on any timetable of the default data, so that day
has no journey at all; the other days of the same tour are still planned.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import maas
from maas.cli.common import EXIT_INFEASIBLE
from maas.cli.main import app

SAT = "2026-12-05"
STUCK = {"start": "Hagi", "end": "Tsuwano", "date": SAT, "from": "09:00", "until": "09:30"}


@pytest.fixture(scope="module")
def tours(default_planner, default_places) -> maas.TourPlanner:
    return maas.TourPlanner(default_planner, default_places)


def test_a_day_without_any_journey_is_infeasible(tours):
    """The itinerary says infeasible and names the day and its places; nothing is visited."""
    it = tours.plan(maas.tour_request(STUCK), time_limit_s=0.5)
    assert it.status == "infeasible"
    assert it.reason == "day 1 (2026-12-05): no journey links Hagi and Tsuwano within the day's hours"
    assert it.visits == [] and it.days[0].legs == []
    doc = it.to_dict("en")
    assert (doc["status"], doc["reason"]) == ("infeasible", it.reason)
    text = maas.render_itinerary(it)
    assert text.splitlines()[0] == f"INFEASIBLE: {it.reason}"
    assert "no journey fits this day" in text


def test_other_days_are_still_planned(tours):
    """In a two-day tour whose second day is stuck, day 1 keeps its visits and only day 2 is named."""
    req = {**STUCK, "start": ["Yamaguchi", "Hagi"], "end": ["Hagi", "Tsuwano"], "days": 2, "from": ["09:00", "09:00"], "until": ["18:00", "09:30"]}
    it = tours.plan(maas.tour_request(req), time_limit_s=0.5)
    assert it.status == "infeasible"
    assert it.reason.startswith("day 2 (2026-12-06): ") and "day 1" not in it.reason
    assert it.days[0].legs and it.days[0].visits
    assert it.days[1].legs == []


def test_a_feasible_tour_says_ok(tours):
    """A tour whose every day links its start and end has status ok and no reason."""
    it = tours.plan(maas.tour_request({"start": "Yamaguchi", "date": SAT, "from": "10:00", "until": "14:00"}), time_limit_s=0.5)
    assert all(d.legs for d in it.days)
    assert (it.status, it.reason) == ("ok", None)
    assert it.to_dict()["status"] == "ok"
    assert not maas.render_itinerary(it).startswith("INFEASIBLE")


def test_cli_prints_the_infeasible_tour_and_exits_3(cache_dir, monkeypatch):
    """maas tour prints the answer (text or JSON) and exits with EXIT_INFEASIBLE (3), not the bad-input 2."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))
    args = ["tour", "--start", "Hagi", "--end", "Tsuwano", "--date", SAT, "--from", "09:00", "--until", "09:30", "--time-limit", "0.5"]
    runner = CliRunner()
    r = runner.invoke(app, [*args, "--json"])
    assert EXIT_INFEASIBLE == 3
    assert r.exit_code == EXIT_INFEASIBLE, r.output
    doc = json.loads(r.stdout)
    assert doc["status"] == "infeasible" and "Tsuwano" in doc["reason"]
    r = runner.invoke(app, args)
    assert r.exit_code == EXIT_INFEASIBLE
    assert r.stdout.startswith("INFEASIBLE: day 1")


def test_api_answers_200_with_the_status(client):
    """POST /v1/tours answers the infeasible tour with 200 and status/reason in the itinerary."""
    r = client.post("/v1/tours", json=STUCK, params={"time_limit": 0.5})
    assert r.status_code == 200, r.text
    itinerary = r.json()["itinerary"]
    assert itinerary["status"] == "infeasible"
    assert itinerary["reason"].startswith("day 1 (2026-12-05): no journey links")
