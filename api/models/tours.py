"""The tour answer (``POST /v1/tours``, ``maas tour --json``): the itinerary and its GeoJSON."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Tag

from api.models.base import Clock, Document, Int, IsoDate, IsoDateTime, Names, Number
from api.models.geojson import LineString, Point, kind_discriminator
from api.models.journeys import Journey, Place, RideMode


class Visit(Document):
    poi: str = Field(description="The POI's id.")
    name: str
    names: Names = Field(description="ja and en.")
    category: str
    lat: Number
    lon: Number
    arrival: IsoDateTime
    visit_start: IsoDateTime = Field(description="After any wait for the opening.")
    visit_end: IsoDateTime
    interest: Int
    fee_yen: Int
    opening_hours: str


class TourDay(Document):
    day: Int = Field(description="1 for the first day.")
    date: IsoDate
    start: Place
    end: Place
    departure: IsoDateTime
    back: IsoDateTime
    visits: list[Visit]
    legs: list[Journey] = Field(description="legs[i] leads to visits[i]; the last one to the day's end. Empty when the day is infeasible.")


class TourTotals(Document):
    visits: Int
    interest: Int
    walk_m: Number
    fares_yen: Number = Field(description="Known fares only.")
    rides_with_unknown_fare: Int
    fees_yen: Int
    cost_yen: Number = Field(description="Known fares plus admission fees.")


class LeftOut(Document):
    poi: str
    name: str
    reason: Literal["closed", "too far", "no time", "budget", "avoided"]
    detail: str


class TourSearch(Document):
    """How good the tour is, as far as the search knows."""

    score: Int = Field(description="The tour's score: POI interest, x3 when it matches the request's interests.")
    candidates: Int = Field(description="POIs the search could choose from.")
    steps: Int
    starts: Int = Field(description="Independent starts (from scratch, and from high-scoring places far apart).")
    restarts: Int
    steps_since_best: Int = Field(description="Steps after the last better tour; with stopped = patience, none of them found a better one.")
    stopped: Literal["patience", "time limit", "nothing to choose"]
    time_s: Number


class Itinerary(Document):
    status: Literal["ok", "infeasible"] = Field(description="infeasible when some day cannot even go from its start to its end within its hours.")
    reason: str | None = Field(description="Why the tour is infeasible (each such day); null when it is not.")
    days: list[TourDay]
    totals: TourTotals
    left_out: list[LeftOut] = Field(description="Wanted POIs not in the tour, and why.")
    notes: list[str]
    search: TourSearch | None = Field(description="How good the tour is and how the search ended; null when there was nothing to search.")
    timings_s: dict[str, Number] = Field(description="Seconds spent: prepare, solve, retime, total.")


class VisitProperties(Document):
    kind: Literal["visit"]
    day: Int
    order: Int = Field(description="1 for the day's first visit.")
    poi: str
    name: str
    arrival: Clock
    visit_start: Clock
    visit_end: Clock


class VisitFeature(Document):
    type: Literal["Feature"]
    geometry: Point
    properties: VisitProperties


class LegProperties(Document):
    kind: Literal["leg"]
    day: Int
    mode: RideMode | Literal["walk"]
    route: str
    from_: str = Field(alias="from")
    to: str
    departure: Clock
    arrival: Clock


class LegFeature(Document):
    type: Literal["Feature"]
    geometry: LineString
    properties: LegProperties


class TourCollection(Document):
    """Visits as Points and every leg as a LineString, day by day."""

    type: Literal["FeatureCollection"]
    features: list[Annotated[Annotated[VisitFeature, Tag("visit")] | Annotated[LegFeature, Tag("leg")], kind_discriminator("visit", otherwise="leg")]]


class TourDocument(Document):
    """The answer of ``POST /v1/tours``."""

    itinerary: Itinerary
    geojson: TourCollection
