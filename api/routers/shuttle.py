"""Shuttle scenarios: evaluate and optimise, and keep variants in the scenario store.

A scenario is the same document as a scenario file (``scenarios/README.md``),
sent as JSON.  Over HTTP its feeds must be folders of the service's own data
(``gtfs/...``): a request cannot make the server read other files.

Evaluating a posted document is open to everyone; optimising and every saved
scenario endpoint are the planners' (:func:`api.security.require_planner`).
Evaluations and optimisations run in the bounded pool for heavy work.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import Heavy, PlannersOnly, State
from api.heavy import deadline_for
from api.models import EvaluationDocument, OptimizeDocument, ScenarioList, StoredScenario, error_responses
from api.scenario_docs import evaluation_document, scenario_of
from api.state import ServiceState

router = APIRouter(prefix="/v1", tags=["shuttle"])
#: The saved scenarios: planners only.
scenarios = APIRouter(prefix="/v1", tags=["scenarios"], dependencies=[PlannersOnly])

ScenarioDoc = Annotated[dict[str, Any], Body(description="A shuttle scenario (see scenarios/README.md), as JSON.")]


def evaluate_job(state: ServiceState, doc: dict) -> dict:
    """The evaluation answer (runs in a heavy-work process, on the rail timetables it keeps)."""
    return evaluation_document(doc, state.shuttle_timetables)


@router.post(
    "/shuttle/evaluate",
    response_model=EvaluationDocument,
    responses=error_responses(400, 413, 422, 429, 503),
    summary="Evaluate a shuttle timetable against trains and shifts",
)
async def evaluate(state: State, heavy: Heavy, doc: ScenarioDoc) -> dict:
    """Who reaches work on time and gets home, load per run, trains met, vehicles and cost; plus diagram data."""
    return await heavy(evaluate_job, doc, deadline_s=state.settings.evaluate_time_limit_s)


@router.post(
    "/shuttle/optimize",
    response_model=OptimizeDocument,
    responses=error_responses(400, 401, 403, 413, 422, 429, 503),
    summary="Propose a better shuttle timetable",
    dependencies=[PlannersOnly],
)
async def optimize(
    state: State,
    heavy: Heavy,
    doc: ScenarioDoc,
    time_limit: Annotated[float, Query(gt=0, le=120, description="Seconds the optimiser may search (capped by the server).")] = 10.0,
) -> dict:
    """Runs, departure times and park order chosen by CP-SAT (objective and weights from the scenario), compared with the input.

    The proposal's GTFS feed is written to a temporary folder, re-evaluated
    end to end, and described in the answer (runs with their times).  The
    search time is capped by ``MAAS_OPTIMIZE_TIME_LIMIT`` (default 30 s).
    When no timetable meets the scenario's constraints (or none is found in
    time) the answer is still 200, with ``status`` ``infeasible`` and the
    ``reason``.  Planners only.
    """
    limit = min(time_limit, state.settings.optimize_time_limit_s)
    return await heavy(optimize_job, doc, limit, deadline_s=deadline_for(limit))


def optimize_job(state: ServiceState, doc: dict, limit: float) -> dict:
    """The optimisation answer (runs in a heavy-work process, on the rail timetables it keeps)."""
    from maas.shuttle.optimize import optimize as run_optimizer

    scenario = scenario_of(doc)
    with tempfile.TemporaryDirectory() as tmp:
        doc = run_optimizer(scenario, out_dir=Path(tmp), time_limit_s=limit, workers=1, timetables=state.shuttle_timetables).to_dict()
    doc.pop("files", None)  # written to a temporary folder, gone now
    return doc


# --- saved scenarios -------------------------------------------------------------------------------


class ScenarioIn(BaseModel):
    """A scenario to save: a name and the scenario document."""

    name: str = Field(min_length=1, max_length=200, examples=["trial 2019, morning 1 at 7:20"])
    scenario: dict[str, Any] = Field(description="The scenario document (validated before it is stored).")
    version: int | None = Field(None, description="On update: the version you read; refused if the scenario changed since.")


@scenarios.get("/scenarios", response_model=ScenarioList, responses=error_responses(401, 403, 503), summary="List saved scenarios")
def list_scenarios(state: State) -> dict:
    """Every saved scenario (id, name, version, times), newest first."""
    items = state.store.list()
    return {"scenarios": [{k: v for k, v in s.to_dict().items() if k != "scenario"} for s in items]}


@scenarios.post(
    "/scenarios", status_code=201, response_model=StoredScenario, responses=error_responses(400, 401, 403, 413, 422, 503, 507), summary="Save a scenario"
)
def create_scenario(state: State, body: ScenarioIn, response: Response) -> dict:
    """Validate and store a scenario; 201 with its id."""
    saved = state.store.create(body.name, body.scenario)
    response.headers["Location"] = f"/v1/scenarios/{saved.id}"
    return saved.to_dict()


def _get(state, scenario_id: str):
    found = state.store.get(scenario_id)
    if found is None:
        raise HTTPException(404, f"scenario_id: no saved scenario '{scenario_id}'")
    return found


@scenarios.get("/scenarios/{scenario_id}", response_model=StoredScenario, responses=error_responses(401, 403, 404, 503), summary="Read a saved scenario")
def get_scenario(state: State, scenario_id: str) -> dict:
    return _get(state, scenario_id).to_dict()


@scenarios.put(
    "/scenarios/{scenario_id}",
    response_model=StoredScenario,
    responses=error_responses(400, 401, 403, 404, 413, 422, 503, 507),
    summary="Replace a saved scenario",
)
def put_scenario(state: State, scenario_id: str, body: ScenarioIn) -> dict:
    """Validate and replace; an invalid or failed write leaves the stored scenario as it was."""
    saved = state.store.update(scenario_id, body.name, body.scenario, body.version)
    if saved is None:
        raise HTTPException(404, f"scenario_id: no saved scenario '{scenario_id}'")
    return saved.to_dict()


@scenarios.delete("/scenarios/{scenario_id}", status_code=204, responses=error_responses(401, 403, 404, 503, 507), summary="Delete a saved scenario")
def delete_scenario(state: State, scenario_id: str) -> Response:
    if not state.store.delete(scenario_id):
        raise HTTPException(404, f"scenario_id: no saved scenario '{scenario_id}'")
    return Response(status_code=204)


@scenarios.get(
    "/scenarios/{scenario_id}/evaluation",
    response_model=EvaluationDocument,
    responses=error_responses(400, 401, 403, 404, 429, 503),
    summary="Evaluate a saved scenario",
)
async def evaluate_saved(state: State, heavy: Heavy, scenario_id: str) -> dict:
    """The evaluation and diagram data of a saved scenario (what the map's shuttle page shows)."""
    document = (await run_in_threadpool(_get, state, scenario_id)).document
    return await heavy(evaluate_job, document, deadline_s=state.settings.evaluate_time_limit_s)
