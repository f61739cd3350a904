"""Liveness and what the service has loaded."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import State
from maas.timetable.summary import summarize

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Service health and loaded data")
def healthz(state: State) -> dict:
    """``status: ok`` with the feeds, trips and service dates loaded."""
    s = summarize(state.network.timetable)
    return {
        "status": "ok",
        "feeds": [{"name": f["name"], "version": f["version"], "trips": f["trips"]} for f in s["feeds"]],
        "trips": s["trips"],
        "stops": s["stops"],
        "pois": len(state.network.pois),
        "service_dates": s["service_dates"],
        "timezone": s["timezone"],
    }
