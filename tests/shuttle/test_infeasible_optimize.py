"""No feasible shuttle timetable is a result (status "infeasible" and the reason), not an input error.

With no vehicle available (``fleet.vehicles: 0``) while every group the input
serves must stay served (``optimize.keep_served``, the default), no set of
runs can meet the constraints, and CP-SAT proves it.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import maas
from maas.cli.common import EXIT_INFEASIBLE
from maas.cli.main import app
from tests.shuttle.conftest import write_scenario

runner = CliRunner()


@pytest.fixture
def no_fleet(small_data, small_dir):
    """The small world with no vehicle at all."""
    small_data["fleet"]["vehicles"] = 0
    return write_scenario(small_dir, small_data, "no-fleet.yaml")


def test_no_vehicle_is_an_infeasible_result(no_fleet, tmp_path):
    """optimize returns: not feasible, no runs, the proof in status and reason; only optimize.json is written."""
    out = tmp_path / "out"
    result = maas.optimize(maas.load_scenario(no_fleet), out_dir=out, time_limit_s=3, workers=1)
    assert not result.feasible
    assert result.status == "INFEASIBLE"
    assert result.runs == [] and result.model_proposal is None and result.model_input is None
    assert result.reason.startswith("no timetable meets the constraints (CP-SAT proved it)")
    assert "fleet.vehicles" in result.reason
    doc = result.to_dict()
    assert (doc["status"], doc["reason"]) == ("infeasible", result.reason)
    assert doc["proposal"] == [] and doc["model"]["proposal"] is None and doc["comparison"] is None
    assert sorted(p.name for p in out.iterdir()) == ["optimize.json"]
    assert json.loads((out / "optimize.json").read_text(encoding="utf-8"))["status"] == "infeasible"
    text = result.render()
    assert text.splitlines()[-1] == f"INFEASIBLE: {result.reason}"


def test_a_proposal_says_ok(small_dir, tmp_path):
    """The same small world with its fleet proposes runs: feasible, status ok, no reason."""
    result = maas.optimize(maas.load_scenario(small_dir / "small.yaml"), time_limit_s=3, workers=1)
    assert result.feasible and result.runs
    assert (result.to_dict()["status"], result.reason) == ("ok", None)


def test_cli_prints_the_reason_and_exits_3(no_fleet, tmp_path):
    """maas shuttle optimize prints the answer (text or JSON) and exits EXIT_INFEASIBLE (3), not the bad-input 2."""
    args = ["shuttle", "optimize", str(no_fleet), "--out", str(tmp_path / "out"), "--time-limit", "3", "--workers", "1"]
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == EXIT_INFEASIBLE, r.output
    assert json.loads(r.stdout)["status"] == "infeasible"
    r = runner.invoke(app, args)
    assert r.exit_code == EXIT_INFEASIBLE
    assert "INFEASIBLE: no timetable meets the constraints" in r.stdout


def test_api_answers_200_with_the_status(client):
    """POST /v1/shuttle/optimize answers the infeasible trial (no vehicle) with 200, status and reason, and no comparison."""
    items = client.get("/v1/scenarios").json()["scenarios"]
    trial = next(s for s in items if s["name"].startswith("trial"))
    scenario = client.get(f"/v1/scenarios/{trial['id']}").json()["scenario"]
    scenario["fleet"] = {**scenario.get("fleet", {}), "vehicles": 0}
    r = client.post("/v1/shuttle/optimize", json=scenario, params={"time_limit": 3})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["status"] == "infeasible" and "fleet.vehicles" in doc["reason"]
    assert doc["proposal"] == [] and doc["comparison"] is None and doc["solver"]["status"] == "INFEASIBLE"
