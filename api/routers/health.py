"""Liveness and what the service has loaded."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import State
from maas.timetable.summary import summarize

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Service health and loaded data")
def healthz(state: State) -> dict:
    """``status: ok`` with the feeds, trips and service dates loaded; ``degraded`` while a part is down.

    Always 200 while the service answers: ``parts`` says which part is down
    (the scenario store: its endpoints answer 503 meanwhile; journeys, tours
    and the map are still served).
    """
    s = summarize(state.network.timetable)
    store_problem = state.store.health()
    # Public: say which part is down, not where the database lives (the reason is logged and given to planners).
    parts = {"timetable": "ok", "scenario_store": "ok" if store_problem is None else "unavailable"}
    return {
        "status": "ok" if all(v == "ok" for v in parts.values()) else "degraded",
        "parts": parts,
        "feeds": [{"name": f["name"], "version": f["version"], "trips": f["trips"]} for f in s["feeds"]],
        "trips": s["trips"],
        "stops": s["stops"],
        "pois": len(state.network.pois),
        "service_dates": s["service_dates"],
        "timezone": s["timezone"],
    }
