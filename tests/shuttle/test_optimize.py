"""The optimizer: a valid GTFS feed that the planner loads, re-evaluated end to end, never worse than the input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from maas.shuttle.evaluate import evaluate_scenario
from maas.shuttle.fleet import chain_runs
from maas.shuttle.optimize import optimize
from maas.shuttle.scenario import load_scenario
from maas.timetable.cache import load_timetable

ROOT = Path(__file__).resolve().parents[2]
TRIAL = ROOT / "scenarios" / "trial-2019.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def small_opt(small_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("small-opt")
    return optimize(load_scenario(small_dir / "small.yaml"), out_dir=out, time_limit_s=5), out


def test_feed_is_valid_and_loadable(small_opt, small_dir):
    result, out = small_opt
    problems = validate_feed(read_feed(out / "shuttle"))
    assert not [p for p in problems if p.severity == "error"], problems
    tt = load_timetable([small_dir / "rail", out / "shuttle"], progress=False)
    assert "shuttle" in tt.route_modes
    assert sorted(tt.trip_ids[t] for t in range(tt.n_trips) if tt.route_modes[tt.trip_route[t]] == "shuttle") == sorted(r.id for r in result.runs)


def test_proposal_is_at_least_as_good(small_opt):
    """Re-evaluated from the written files, the proposal serves at least as many as the input."""
    result, out = small_opt
    base, prop = result.baseline.totals, result.proposal.totals
    assert prop.to_work_reached >= base.to_work_reached - 1e-9
    assert prop.to_work_seated >= base.to_work_seated - 1e-9
    assert prop.home_seated >= base.home_seated - 1e-9
    assert result.model_proposal.objective >= result.model_input.objective - 1e-6
    again = evaluate_scenario(load_scenario(out / "scenario.yaml"))
    assert again.totals == prop


def test_model_vehicles_match_the_matching(small_opt):
    """The time–space vehicle flow of the model and the matching of the evaluation agree."""
    result, _ = small_opt
    assert result.model_proposal.vehicles == result.proposal.fleet.vehicles_needed
    s = result.scenario
    f = chain_runs(
        result.runs, result.proposal.context.road, min_layover_s=int(s.fleet.min_layover_minutes * 60), paid_layover_max_s=3600, cost_per_hour=0, cost_per_km=0
    )
    assert f.vehicles_needed == result.model_proposal.vehicles <= s.fleet.vehicles


def test_outputs_written(small_opt):
    _, out = small_opt
    for name in ("scenario.yaml", "comparison.json", "comparison.txt", "optimize.json"):
        assert (out / name).exists(), name
    doc = json.loads((out / "optimize.json").read_text(encoding="utf-8"))
    assert doc["solver"]["engine"] == "OR-Tools CP-SAT" and doc["weights"]["served"] == 100
    assert "served ×" in doc["objective"]
    assert doc["proposal"][0]["calls"][0]["departure"].count(":") == 1
    comp = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert set(comp) >= {"a", "b", "change", "parks"}
    assert "B − A" in (out / "comparison.txt").read_text(encoding="utf-8")


def test_vehicle_limit_is_respected(small_data, small_dir):
    """With one vehicle available the proposal needs one vehicle (the input, needing two, scores as infeasible)."""
    from tests.shuttle.conftest import write_scenario

    small_data["fleet"]["vehicles"] = 1
    r1 = optimize(load_scenario(write_scenario(small_dir, small_data, "one-vehicle.yaml")), time_limit_s=5)
    assert r1.model_proposal.vehicles == 1
    assert r1.model_input is None  # the input needs two vehicles: infeasible under the model


def test_cli_optimize_trial_and_compare(tmp_path):
    """On the trial, a short run: the proposal re-evaluates to at least the trial's riders on time."""
    out = tmp_path / "trial-opt"
    result = runner.invoke(app, ["shuttle", "optimize", str(TRIAL), "--out", str(out), "--time-limit", "12", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    a, b = doc["comparison"]["a"]["totals"], doc["comparison"]["b"]["totals"]
    assert b["to_work_on_time"] >= a["to_work_on_time"]
    assert b["to_work_seated"] >= a["to_work_seated"]
    assert b["vehicles"] <= 2
    assert not [p for p in validate_feed(read_feed(out / "shuttle")) if p.severity == "error"]
    # maas validate accepts it too, and compare reads both scenarios
    val = runner.invoke(app, ["validate", str(out / "shuttle")])
    assert val.exit_code == 0, val.output
    comp = runner.invoke(app, ["shuttle", "compare", str(TRIAL), str(out / "scenario.yaml")])
    assert comp.exit_code == 0, comp.output
    assert "to work on time, seated" in comp.output and "trial-2019-optimized" in comp.output
    comp_json = runner.invoke(app, ["shuttle", "compare", str(TRIAL), str(out / "scenario.yaml"), "--json"])
    assert json.loads(comp_json.output)["change"]["to_work_seated"] >= 0
