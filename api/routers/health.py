"""Liveness and what the service has loaded."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import State
from api.models import Health
from api.routers.feeds import loaded_feeds
from maas.timetable.summary import summarize

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Service health and loaded data")
def healthz(state: State) -> dict:
    """``status: ok`` with the feeds, trips and service dates loaded; ``degraded`` while a part is down.

    Always 200 while the service answers: ``parts`` says which part is down
    (the scenario store: its endpoints answer 503 meanwhile; journeys, tours
    and the map are still served).
    """
    s = summarize(state.network.timetable)
    feeds = loaded_feeds(state)
    store_problem = state.store.health()
    # Public: say which part is down, not where the database lives (the reason is logged and given to planners).
    parts = {"timetable": "ok", "scenario_store": "ok" if store_problem is None else "unavailable"}
    return {
        "status": "ok" if all(v == "ok" for v in parts.values()) else "degraded",
        "parts": parts,
        # Each feed's kind, licence, attribution and validity; `warnings` from 30 days before a feed's end.
        "feeds": [{k: f[k] for k in ("name", "kind", "licence", "attribution", "version", "trips", "validity", "warning")} for f in feeds],
        "warnings": [f"{f['name']}: {f['warning']}" for f in feeds if f["warning"]],
        "trips": s["trips"],
        "stops": s["stops"],
        "pois": len(state.network.pois),
        "service_dates": s["service_dates"],
        "timezone": s["timezone"],
    }
