"""Stops, routes and POIs as GeoJSON, and a stop's departures board."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.base import Clock, Document, Int, IsoDate, Names
from api.models.geojson import MultiLineString, Point
from api.models.journeys import RideMode


class StopProperties(Document):
    id: str = Field(description="Stop id (FEED:stop_id when two feeds share it).")
    name: str = Field(description="In the language asked for, else English, else as the feed writes it.")
    names: Names
    name_source: Literal["feed", "reading", "generated"] = Field(
        description="Where the English name comes from: the feed, its kana reading romanised, or a reading pykakasi guessed."
    )
    kind: Literal["station", "stop"]
    parent: str | None = Field(description="The station a stop belongs to.")
    feed: str
    modes: list[RideMode] = Field(description="Modes of the routes calling here (a station: at its platforms).")


class StopFeature(Document):
    type: Literal["Feature"]
    geometry: Point
    properties: StopProperties


class StopCollection(Document):
    """The answer of ``GET /v1/stops``."""

    type: Literal["FeatureCollection"]
    features: list[StopFeature]


class RouteProperties(Document):
    id: str
    feed: str
    name: str = Field(description="The short name, else the long one: in the language asked for, else English, else as the feed writes it.")
    names: Names
    long_name: str = Field(description="In the language asked for, else English, else as the feed writes it ('' when the feed gives none).")
    long_names: Names
    mode: RideMode
    color: str | None = Field(description="#RRGGBB, null when the feed gives none.")
    agency: str
    trips: Int = Field(description="Trips in the timetable (every service day).")


class RouteFeature(Document):
    type: Literal["Feature"]
    geometry: MultiLineString = Field(description="One line per stop pattern, along the feed's shapes where it has them (5 decimals).")
    properties: RouteProperties


class RouteCollection(Document):
    """The answer of ``GET /v1/routes``."""

    type: Literal["FeatureCollection"]
    features: list[RouteFeature]


class PoiProperties(Document):
    id: str
    name: str
    names: Names = Field(description="ja and en.")
    category: str
    interests: list[str]
    municipality: str
    visit_minutes: Int
    opening_hours: str = Field(description="OpenStreetMap opening_hours syntax; empty when unknown (read as always open).")
    fee_yen: Int = Field(description="Adult admission; 0 when free.")
    interest: Int = Field(description="1-100 score used to choose among places.")
    position_quality: str
    modeled_fields: list[str] = Field(description="Fields that are modeled, not taken from a source.")


class PoiFeature(Document):
    type: Literal["Feature"]
    geometry: Point
    properties: PoiProperties


class PoiCollection(Document):
    """The answer of ``GET /v1/pois``."""

    type: Literal["FeatureCollection"]
    features: list[PoiFeature]


class BoardStop(Document):
    id: str
    name: str


class Departure(Document):
    time: Clock
    route: str
    route_id: str
    mode: RideMode
    headsign: str = Field(
        description="Where it goes, as shown at this stop (its stop_headsign, else the trip's): in the language asked for, else English, else as the feed writes it."
    )
    trip_id: str
    platform_stop: str = Field(description="The platform (stop) it leaves from.")


class DeparturesBoard(Document):
    """The answer of ``GET /v1/stops/{stop_id}/departures``."""

    stop: BoardStop
    date: IsoDate
    departures: list[Departure]
