"""Shuttle evaluation and saved scenarios over HTTP."""

from __future__ import annotations

import copy


def trial(client) -> tuple[str, dict]:
    items = client.get("/v1/scenarios").json()["scenarios"]
    first = next(s for s in items if s["name"].startswith("trial"))
    return first["id"], client.get(f"/v1/scenarios/{first['id']}").json()["scenario"]


def test_trial_is_offered_and_evaluates(client):
    """The built-in trial scenario is listed and its evaluation has KPIs, runs and diagram data."""
    sid, _ = trial(client)
    doc = client.get(f"/v1/scenarios/{sid}/evaluation").json()
    totals = doc["evaluation"]["totals"]
    assert totals["to_work_on_time"] > 0 and totals["vehicles"] >= 1
    assert len(doc["evaluation"]["runs"]) == 4
    assert doc["diagram"]["periods"]


def test_evaluate_posted_scenario(client):
    """POST /v1/shuttle/evaluate takes the scenario document itself."""
    _, scenario = trial(client)
    r = client.post("/v1/shuttle/evaluate", json=scenario)
    assert r.status_code == 200, r.text
    assert r.json()["evaluation"]["totals"]["riders"] > 0


def test_bad_scenario_names_the_field(client):
    """A negative seat count is a 400 naming fleet.seats; a feed outside the data folder is refused."""
    _, scenario = trial(client)
    bad = copy.deepcopy(scenario)
    bad["fleet"]["seats"] = -3
    r = client.post("/v1/shuttle/evaluate", json=bad)
    assert r.status_code == 400 and r.json()["error"]["field"] == "fleet.seats"
    outside = {**scenario, "rail_feeds": ["/etc"]}
    r = client.post("/v1/shuttle/evaluate", json=outside)
    assert r.status_code == 400 and r.json()["error"]["field"] == "rail_feeds"


def test_scenario_crud_and_failed_write(client):
    """Save, read, replace, refuse an invalid replacement (stored copy unchanged), delete."""
    _, scenario = trial(client)
    r = client.post("/v1/scenarios", json={"name": "variant", "scenario": scenario})
    assert r.status_code == 201
    sid = r.json()["id"]
    assert r.headers["location"] == f"/v1/scenarios/{sid}"
    changed = copy.deepcopy(scenario)
    changed["fleet"]["seats"] = 40
    r = client.put(f"/v1/scenarios/{sid}", json={"name": "variant 40 seats", "scenario": changed, "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    broken = copy.deepcopy(changed)
    broken["fleet"]["seats"] = 0
    r = client.put(f"/v1/scenarios/{sid}", json={"name": "broken", "scenario": broken})
    assert r.status_code == 400
    kept = client.get(f"/v1/scenarios/{sid}").json()
    assert kept["version"] == 2 and kept["name"] == "variant 40 seats" and kept["scenario"]["fleet"]["seats"] == 40
    r = client.put(f"/v1/scenarios/{sid}", json={"name": "stale", "scenario": changed, "version": 1})
    assert r.status_code == 400 and r.json()["error"]["field"] == "version"
    assert client.delete(f"/v1/scenarios/{sid}").status_code == 204
    assert client.get(f"/v1/scenarios/{sid}").status_code == 404
    assert client.delete(f"/v1/scenarios/{sid}").status_code == 404


def test_optimize_endpoint(client):
    """POST /v1/shuttle/optimize returns a proposal compared with the input, within the capped time."""
    _, scenario = trial(client)
    r = client.post("/v1/shuttle/optimize", json=scenario, params={"time_limit": 10})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc  # the proposal document
    text = str(doc)
    assert "runs" in text
