"""Journeys (the JSON of ``maas plan --json``) and reach isochrones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Lang, Routing, State
from api.models import JourneysDocument, ReachCollection, error_responses, unchecked_json
from maas.errors import InputError
from maas.routing.answer import journeys_document
from maas.routing.planner import JourneyQuery
from maas.routing.reach import reach as reach_query
from maas.when import date_and_time

router = APIRouter(prefix="/v1", tags=["journeys"])

PlaceParam = Annotated[
    str, Query(description="Stop id (FEED:stop_id on clashes), station/stop/POI name in ja or en, POI id, or 'lat,lon'.", min_length=1, max_length=200)
]
DateParam = Annotated[str | None, Query(description="Service date YYYY-MM-DD (default: today in the feeds' time zone).", examples=["2026-12-01"])]
ClockParam = Annotated[str | None, Query(description="HH:MM or HH:MM:SS (default: now).", examples=["07:00"])]


def _date_time(state, date: str | None, clock: str | None, field: str) -> tuple:
    return date_and_time(date, clock, state.network.timetable.timezone, field)


@router.get(
    "/journeys",
    response_model=JourneysDocument,
    response_model_exclude_unset=True,  # the query has depart or arrive_by, never both
    responses=error_responses(400, 404, 422),
    summary="Plan journeys (Pareto-optimal by arrival and transfers)",
)
def journeys(
    state: State,
    routing: Routing,
    lang: Lang,
    from_: Annotated[str, Query(alias="from", description="Where from.", min_length=1, max_length=200, examples=["Shin-Yamaguchi"])],
    to: Annotated[str, Query(description="Where to.", min_length=1, max_length=200, examples=["Ajisu"])],
    date: DateParam = None,
    depart: ClockParam = None,
    arrive_by: Annotated[str | None, Query(description="Arrive by HH:MM instead of leaving at `depart`.")] = None,
    window: Annotated[int, Query(ge=0, le=1440, description="Minutes: list every good journey leaving in this window (range query).")] = 0,
) -> Response:
    """The same document as `maas plan --json`: the query, then journeys with legs, ISO 8601 times."""
    if depart and arrive_by:
        raise InputError("give either depart or arrive_by, not both", "arrive_by")
    o = state.places.resolve(from_, "from")
    d = state.places.resolve(to, "to")
    day, t = _date_time(state, date, arrive_by or depart, "arrive_by" if arrive_by else "depart")
    q = JourneyQuery(o, d, day, t, arrive_by=bool(arrive_by), window_s=window * 60, params=routing)
    return unchecked_json(journeys_document(q, state.planner.plan(q), lang))  # checked by the tests: see api.models.base


@router.get(
    "/reach",
    response_model=ReachCollection,
    responses=error_responses(400, 404, 422),
    summary="Isochrone: where one can be within a time budget (GeoJSON)",
)
def reach(
    state: State,
    routing: Routing,
    from_: Annotated[str, Query(alias="from", description="Where from.", min_length=1, max_length=200, examples=["Shin-Yamaguchi"])],
    minutes: Annotated[int, Query(ge=1, le=600, description="Time budget in minutes.")] = 60,
    date: DateParam = None,
    depart: ClockParam = None,
) -> Response:
    """A FeatureCollection: the isochrone polygon first (with its area in km²), then every stop reached with its arrival."""
    o = state.places.resolve(from_, "from")
    day, t = _date_time(state, date, depart, "depart")
    return unchecked_json(reach_query(state.planner, o, day, t, minutes, params=routing).to_geojson())  # checked by the tests
