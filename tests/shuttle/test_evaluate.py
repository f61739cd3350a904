"""Evaluation on the small world, where every number is worked out by hand (see conftest.py)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.shuttle.evaluate import evaluate_scenario
from maas.shuttle.options import HOME, TO_WORK
from maas.shuttle.report import render_evaluation
from maas.shuttle.scenario import load_scenario, with_runs
from tests.shuttle.conftest import write_scenario

runner = CliRunner()
MIN = 60


def h(text: str) -> int:
    return int(text[:2]) * 3600 + int(text[3:]) * 60


@pytest.fixture(scope="module")
def small_eval(small_dir):
    return evaluate_scenario(load_scenario(small_dir / "small.yaml"))


def _group(ev, direction, park):
    return next(g for g in ev.groups if g.direction == direction and g.group.park == park)


def test_to_work_options_by_hand(small_eval):
    """p1 (08:00, margin 5): only m1 (07:35) is on time, by T1 07:00 (T3 at 07:24 misses the 07:25 run).
    p2 (08:30): m2 (08:15) by T2 07:30 is best; m1 (07:45) by T1 07:00 is the second option."""
    p1 = _group(small_eval, TO_WORK, "p1")
    assert [o.run for o in p1.options] == ["m1"]
    o = p1.options[0]
    assert (o.departure, o.train_time, o.shuttle_departure, o.arrival) == (h("07:00"), h("07:20"), h("07:25"), h("07:35"))
    assert (o.wait_s, o.early_s, o.door_to_door_s, o.rides) == (5 * MIN, 25 * MIN, 35 * MIN, 2)
    p2 = _group(small_eval, TO_WORK, "p2")
    assert [o.run for o in p2.options] == ["m2", "m1"]
    assert (p2.options[0].departure, p2.options[0].wait_s, p2.options[0].early_s) == (h("07:30"), 5 * MIN, 15 * MIN)
    assert (p2.options[1].departure, p2.options[1].early_s) == (h("07:00"), 45 * MIN)
    assert p1.reached == p2.reached == pytest.approx(10.0)
    assert p1.seated == p2.seated == pytest.approx(10.0)


def test_home_options_by_hand(small_eval):
    """p1 (ends 17:00): e1 17:10 → sta 17:20, R0 17:21 is too soon (2 min transfer), R1 17:40 → home 18:00.
    p2 (ends 17:30): e2 17:30 → sta 17:50 → R2 18:30 → home 18:50."""
    p1 = _group(small_eval, HOME, "p1")
    assert [o.run for o in p1.options] == ["e1", "e2"]
    o = p1.options[0]
    assert (o.departure, o.shuttle_arrival, o.train_time, o.arrival) == (h("17:10"), h("17:20"), h("17:40"), h("18:00"))
    assert (o.park_wait_s, o.wait_s) == (10 * MIN, 20 * MIN)
    p2 = _group(small_eval, HOME, "p2")
    assert [o.run for o in p2.options] == ["e2"]
    assert (p2.options[0].park_wait_s, p2.options[0].wait_s, p2.options[0].arrival) == (0, 40 * MIN, h("18:50"))


def test_totals_and_loads(small_eval):
    t = small_eval.totals
    assert t.riders == pytest.approx(20.0)
    assert t.to_work_reached == t.to_work_seated == pytest.approx(20.0)
    assert t.home_reached == t.home_seated == pytest.approx(20.0)
    assert t.mean_wait_to_work_s == pytest.approx(5 * MIN)
    assert t.mean_door_to_door_s == pytest.approx(40 * MIN)
    assert t.mean_wait_home_s == pytest.approx(((10 + 20) + (0 + 40)) / 2 * MIN)
    m1, m2 = small_eval.run("m1"), small_eval.run("m2")
    assert m1.load == pytest.approx([10.0, 0.0]) and m1.boarding == {"sta": pytest.approx(10.0)}
    assert m2.load == pytest.approx([10.0, 10.0]) and m2.alighting == {"p2": pytest.approx(10.0)}
    assert small_eval.run("e2").load == pytest.approx([10.0, 10.0])
    assert t.runs_over_seats == 0


def test_trains_met_and_missed(small_eval):
    """m1 meets T1 (5 min) and misses T3 by 1 min; e1 meets R1 (20 min) and misses R0 by 1 min;
    e2 (sta 17:50) meets nothing within 30 min and misses R1 (17:40) by 12 min."""

    def meets(run):
        return [(m.status, m.time, m.gap_s // MIN) for m in small_eval.run(run).meets]

    assert meets("m1") == [("met", h("07:20"), 5), ("missed", h("07:24"), 1)]
    assert meets("m2") == [("met", h("07:50"), 5)]
    assert meets("e1") == [("missed", h("17:21"), 1), ("met", h("17:40"), 20)]
    assert meets("e2") == [("missed", h("17:40"), 12)]


def test_fleet_by_matching(small_eval):
    """m1 and m2 overlap-free but p2 → sta takes 11 min (07:45 + 3 + 11 > 07:55); e1 → e2 needs
    17:20 + 3 + 11 = 17:34 > 17:30.  Maximum matching 2 (e.g. m1→e1, m2→e2): 4 − 2 = 2 vehicles."""
    f = small_eval.fleet
    assert f.vehicles_needed == 2 and f.max_matching == 2 and f.enough_vehicles
    assert sorted(len(d.runs) for d in f.duties) == [2, 2]
    # paid: 4 runs (20 + 20 + 10 + 20 min) + one 10-min deadhead p2 → p1; the long midday gaps are unpaid
    assert f.vehicle_hours == pytest.approx(80 / 60)
    km_p = 2.0015 * 1.3  # 0.018° of latitude, straight line × detour
    assert f.vehicle_km == pytest.approx(8 * km_p, rel=1e-3)
    assert f.cost_yen == pytest.approx(80 / 60 * 6000 + 8 * km_p * 50, rel=1e-3)


def test_planner_agrees(small_eval):
    """The end-to-end journey planner (trains + compiled shuttle) finds the same best trips: no warnings."""
    assert small_eval.warnings == []
    assert "07:25 Station → 07:35 Park 1 (shuttle" in _group(small_eval, TO_WORK, "p1").planner_check


def test_seats_ration_to_next_option(small_data, small_dir):
    """8 seats: p2's 10 want m2 (→ 8, 2 move to m1); m1 then carries 10 + 2 > 8 and cuts both by 8/10,
    then by 8/10 again: p1 keeps 6.4 (no other option), p2 8 + 1.6; 16 of 20 seated."""
    small_data["fleet"]["seats"] = 8
    ev = evaluate_scenario(load_scenario(write_scenario(small_dir, small_data, "seats8.yaml")))
    assert ev.totals.to_work_reached == pytest.approx(20.0)
    assert ev.totals.to_work_seated == pytest.approx(16.0)
    assert _group(ev, TO_WORK, "p1").seated == pytest.approx(6.4)
    assert _group(ev, TO_WORK, "p2").seated == pytest.approx(9.6)
    assert ev.run("m1").peak_load == pytest.approx(8.0) and ev.run("m2").peak_load == pytest.approx(8.0)
    assert ev.run("m2").peak_wanted == pytest.approx(10.0)
    assert any("m2: 10.0 riders want it but it has 8 seats" in w for w in ev.warnings)


def test_not_served_when_too_early_or_too_late(small_data, small_dir):
    """max_early 20 min: m1 (25 min early at p1, 45 at p2) no longer counts; a run reaching p1 at 07:56
    (less than the 5-min margin before 08:00) does not count either."""
    small_data["rules"]["max_early_minutes"] = 20
    ev = evaluate_scenario(load_scenario(write_scenario(small_dir, small_data, "early.yaml")))
    assert _group(ev, TO_WORK, "p1").reached == 0.0
    assert [o.run for o in _group(ev, TO_WORK, "p2").options] == ["m2"]
    small_data["rules"]["max_early_minutes"] = 60
    small_data["runs"][0]["calls"] = [{"stop": "sta", "time": "07:25"}, {"stop": "p1", "time": "07:56"}, {"stop": "p2", "time": "08:06"}]
    ev = evaluate_scenario(load_scenario(write_scenario(small_dir, small_data, "late.yaml")))
    assert _group(ev, TO_WORK, "p1").reached == 0.0
    assert ev.totals.to_work_reached == pytest.approx(10.0)


def test_too_few_vehicles_is_reported(small_data, small_dir):
    small_data["fleet"]["vehicles"] = 1
    ev = evaluate_scenario(load_scenario(write_scenario(small_dir, small_data, "one-bus.yaml")))
    assert not ev.fleet.enough_vehicles
    assert any("2 vehicles are needed" in w for w in ev.warnings)


def test_json_document(small_dir):
    """--json prints one JSON document; times are HH:MM."""
    result = runner.invoke(app, ["shuttle", "evaluate", str(small_dir / "small.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["totals"]["to_work_seated"] == 20.0 and doc["totals"]["vehicles"] == 2
    m1 = next(r for r in doc["runs"] if r["id"] == "m1")
    assert m1["start"] == "07:25" and m1["calls"][1] == {"stop": "p1", "name": "Park 1", "arrival": "07:35", "departure": "07:35", "load_after": 0.0}
    assert m1["trains_met"][0]["time"] == "07:20" and m1["missed"][0]["short_by_min"] == 1.0
    g = next(x for x in doc["groups"] if x["direction"] == "to_work" and x["park"] == "p2")
    assert [o["run"] for o in g["options"]] == ["m2", "m1"] and g["options"][0]["departure"] == "07:30"
    assert doc["fleet"]["duties"][0]["start"] == "07:25"
    assert doc["parks"][0]["shifts"][0]["start"] == "08:00"


def test_text_report(small_eval):
    text = render_evaluation(small_eval)
    assert "2 vehicles needed (2 available)" in text
    assert "Station ← 07:20 Line for sta (5 min)" in text
    assert "misses: Station → 17:40 Line for home (12 min short)" in text


def test_with_runs_swaps_the_timetable(small_eval):
    """with_runs gives a copy with other runs (here: m2 dropped), everything else the same."""
    s = small_eval.scenario
    runs = [r.run.to_spec() for r in small_eval.runs if r.run.id != "m2"]
    other = with_runs(s, runs, name="small-without-m2")
    ev = evaluate_scenario(other)
    assert other.name == "small-without-m2" and [r.id for r in other.runs] == ["m1", "e1", "e2"]
    assert ev.totals.to_work_reached == pytest.approx(20.0)  # p2 still has m1 (45 min early)
    assert [o.run for o in _group(ev, TO_WORK, "p2").options] == ["m1"]
    assert ev.fleet.vehicles_needed == 2


def test_riders_living_at_the_station_walk_on(small_data, small_dir):
    """Riders whose origin is the shuttle's station need no train: no wait, they leave when the run leaves."""
    small_data["demand"]["origins"] = [{"station": "home", "share": 0.5}, {"station": "sta", "share": 0.5}]
    ev = evaluate_scenario(load_scenario(write_scenario(small_dir, small_data, "walk-on.yaml")))
    g = next(x for x in ev.groups if x.direction == TO_WORK and x.group.park == "p1" and x.group.origin == "sta")
    o = g.options[0]
    assert (o.run, o.departure, o.wait_s, o.train_time, o.rides) == ("m1", h("07:25"), 0, None, 1)
    home = next(x for x in ev.groups if x.direction == HOME and x.group.park == "p1" and x.group.origin == "sta")
    assert (home.options[0].run, home.options[0].arrival, home.options[0].wait_s) == ("e1", h("17:20"), 0)
    assert not any("disagrees" in w for w in ev.warnings), ev.warnings
