"""Sightseeing tours: the tour request (the same model as ``maas tour``) → itinerary and GeoJSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Lang, State
from maas.tours.request import TourRequest

router = APIRouter(prefix="/v1", tags=["tours"])

@router.post("/tours", summary="Plan a sightseeing tour")
def tours(
    state: State,
    lang: Lang,
    request: TourRequest,
    time_limit: Annotated[float, Query(gt=0, le=10, description="Seconds the optimiser may search (capped by the server).")] = 2.0,
) -> dict:
    """Choose, order and time POI visits on the real timetables; returns the itinerary and its GeoJSON.

    Limits: at most 7 days; the search time is capped by the server
    (``MAAS_TOUR_TIME_LIMIT``, default 3 s).  Runs in a worker thread.
    """
    limit = min(time_limit, state.settings.tour_time_limit_s)
    itinerary = state.tours.plan(request, time_limit_s=limit)
    return {"itinerary": itinerary.to_dict(lang), "geojson": itinerary.to_geojson(lang)}

