"""The 2019 trial scenario on the default data: riders reach the parks, loads against seats, vehicles, pictures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.shuttle.diagram import diagram_data, load_figure, marey_figures
from maas.shuttle.evaluate import evaluate_scenario
from maas.shuttle.scenario import load_scenario, scenario_from_dict

ROOT = Path(__file__).resolve().parents[2]
TRIAL = ROOT / "scenarios" / "trial-2019.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def trial_eval():
    return evaluate_scenario(load_scenario(TRIAL))


def test_trial_serves_riders(trial_eval):
    t = trial_eval.totals
    assert t.riders == pytest.approx((2607 + 861 + 548) * 0.02)
    assert t.to_work_seated > 0 and t.home_seated > 0
    assert t.to_work_seated <= t.to_work_reached <= t.riders + 1e-9
    assert t.runs == 4


def test_trial_loads_and_vehicles(trial_eval):
    """Every run carries at most its seats; morning run 2 is wanted by more riders than it has seats;
    UTP 07:53 → Motoyura 08:01 cannot be driven in 8 minutes, so the trial needs two vehicles."""
    for r in trial_eval.runs:
        assert r.peak_load <= r.seats + 1e-9
        assert r.riders > 0
    assert trial_eval.run("techno_morning2").peak_wanted > trial_eval.run("techno_morning2").seats
    assert trial_eval.fleet.vehicles_needed == 2 and trial_eval.fleet.enough_vehicles
    assert trial_eval.totals.cost_yen > 0


def test_trial_meets_trains(trial_eval):
    """Morning run 1 meets a Sanyo Line train at Motoyura (the 07:12 in the modeled JR timetable)."""
    met = [m for m in trial_eval.run("techno_morning1").meets if m.status == "met" and m.station == "motoyura"]
    assert any(m.time == 7 * 3600 + 12 * 60 for m in met)
    assert all(m.gap_s >= 2 * 60 for m in met)
    assert not any("disagrees" in w for w in trial_eval.warnings), trial_eval.warnings


def test_changing_one_departure_changes_the_answer():
    """Morning run 2 five minutes earlier (07:56) misses the 07:57 train from Shin-Yamaguchi."""
    s = load_scenario(TRIAL)
    data = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["runs"][1]["calls"] = [{"stop": c["stop"], "time": _shift(c["time"], -5)} for c in data["runs"][1]["calls"]]
    moved = evaluate_scenario(scenario_from_dict(data, base_dir=s.base_dir))
    base = evaluate_scenario(s)
    assert moved.run("techno_morning2").run.start == base.run("techno_morning2").run.start - 300
    assert moved.totals.to_work_reached != base.totals.to_work_reached or moved.totals.mean_wait_to_work_s != base.totals.mean_wait_to_work_s


def _shift(hhmm: str, minutes: int) -> str:
    t = int(hhmm[:2]) * 60 + int(hhmm[3:5]) + minutes
    return f"{t // 60:02d}:{t % 60:02d}"


def test_diagram_data_and_figures(trial_eval):
    data = diagram_data(trial_eval)
    assert [p["name"] for p in data["periods"]] == ["am", "pm"]
    am = data["periods"][0]
    kinds = [p["id"] for p in am["panels"]]
    assert kinds == ["station:ajisu", "station:motoyura", "shuttle"]
    ajisu = am["panels"][0]
    assert any(a["name"] == "Ajisu" and a["km"] == 0 for a in ajisu["axis"])
    assert ajisu["lines"] and all(len(pt[0]) == 5 and pt[0][2] == ":" for line in ajisu["lines"] for pt in line["points"])
    assert {c["run"] for c in ajisu["shuttle_calls"]} == {"techno_morning1"}
    assert len(data["loads"]) == 4 and data["loads"][0]["seats"] == 28
    json.dumps(data)  # plain data
    figs = marey_figures(trial_eval, data)
    assert [name for name, _ in figs] == ["am", "pm"]
    assert load_figure(trial_eval, data).axes


def test_cli_writes_pngs(tmp_path):
    result = runner.invoke(app, ["shuttle", "evaluate", str(TRIAL), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    for name in ("marey-am.png", "marey-pm.png", "loads.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert json.loads((tmp_path / "diagram.json").read_text(encoding="utf-8"))["scenario"] == "trial-2019"
    assert sorted(Path(f).name for f in doc["files"]) == ["diagram.json", "loads.png", "marey-am.png", "marey-pm.png"]
    assert doc["runs"][0]["calls"][0]["departure"] == "07:14"


def test_rail_profiles_equal_point_queries():
    """The rail legs read off range-query profiles equal arrive-by / depart-at queries at each time."""
    from maas.shuttle.context import build_context
    from maas.shuttle.legs import RailLegs

    ctx = build_context(load_scenario(TRIAL))
    fast, exact = RailLegs(ctx), RailLegs(ctx, profiles=False)
    origins = sorted(ctx.origins)
    checked = 0
    for station in ("ajisu", "motoyura"):
        for origin in origins:
            for t in range(6 * 3600 + 30 * 60, 8 * 3600 + 35 * 60, 7 * 60):
                assert fast.latest_to(origin, station, t) == exact.latest_to(origin, station, t), (origin, station, t)
                checked += 1
            for t in range(16 * 3600 + 50 * 60, 19 * 3600 + 40 * 60, 7 * 60):
                assert fast.earliest_from(station, origin, t) == exact.earliest_from(station, origin, t), (origin, station, t)
                checked += 1
    assert checked > 500


def test_runs_from_a_gtfs_feed_equal_the_written_runs():
    """runs_feed: gtfs/techno-shuttle gives the same runs, and the same evaluation, as the runs written out."""
    s = load_scenario(TRIAL)
    data = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.pop("runs")
    data["runs_feed"] = "gtfs/techno-shuttle"
    from_feed = evaluate_scenario(scenario_from_dict(data, base_dir=s.base_dir))
    written = evaluate_scenario(s)
    assert [(r.run.id, r.run.calls) for r in from_feed.runs] == [(r.run.id, r.run.calls) for r in written.runs]
    assert from_feed.totals == written.totals


def test_runs_feed_without_service_that_day_is_an_error():
    s = load_scenario(TRIAL)
    data = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.pop("runs")
    data["runs_feed"] = "gtfs/techno-shuttle"
    data["date"] = "2020-03-03"
    data["service"]["end_date"] = "2020-03-31"
    from maas.errors import InputError

    with pytest.raises(InputError, match=r"runs_feed: no trip of .* runs on Tue 2020-03-03"):
        evaluate_scenario(scenario_from_dict(data, base_dir=s.base_dir))
