"""Sightseeing tours: the tour request (the same model as ``maas tour``) → itinerary and GeoJSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Heavy, Lang, State
from api.heavy import deadline_for
from api.models import TourDocument, error_responses
from api.state import ServiceState
from maas.tours.request import TourRequest

router = APIRouter(prefix="/v1", tags=["tours"])


@router.post("/tours", response_model=TourDocument, responses=error_responses(400, 404, 413, 422, 429, 503), summary="Plan a sightseeing tour")
async def tours(
    state: State,
    lang: Lang,
    heavy: Heavy,
    request: TourRequest,
    time_limit: Annotated[float, Query(gt=0, le=10, description="Seconds the optimiser may search (capped by the server).")] = 2.0,
) -> dict:
    """Choose, order and time POI visits on the real timetables; returns the itinerary and its GeoJSON.

    Limits: at most 7 days; the search time is capped by the server
    (``MAAS_TOUR_TIME_LIMIT``, default 3 s).  Runs in the bounded pool for
    heavy work: 503 with ``Retry-After`` when it stays full, 429 past the
    per-client rate limit.
    """
    limit = min(time_limit, state.settings.tour_time_limit_s)
    return await heavy(plan_tour, request, limit, lang, deadline_s=deadline_for(limit))


def plan_tour(state: ServiceState, request: TourRequest, limit_s: float, lang: str) -> dict:
    """The tour answer (runs in a heavy-work process)."""
    itinerary = state.tours.plan(request, time_limit_s=limit_s)
    return {"itinerary": itinerary.to_dict(lang), "geojson": itinerary.to_geojson(lang)}
