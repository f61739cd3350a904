"""The journey document (``maas plan --json``, ``GET /v1/journeys``) and the reach isochrone (``GET /v1/reach``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag
from pydantic.json_schema import SkipJsonSchema

from api.models.base import Clock, Document, Int, IsoDate, IsoDateTime, Names, Number, absent_when_unset
from api.models.geojson import Area, LineString, Point, kind_discriminator

#: The modes of a ride (``maas.routing.params.MODES``).
RideMode = Literal["rail", "bus", "shuttle", "ferry", "other"]


class Place(Document):
    """A place: a stop, a station, a POI or a position."""

    id: str = Field(description="Stop id (FEED:stop_id when two feeds share it), POI id, or 'lat,lon'.")
    name: str = Field(description="In the language asked for, else English, else as the data writes it.")
    lat: Number
    lon: Number
    kind: Literal["stop", "station", "poi", "point"]
    names: Names = Field(description="Every name the data has, by language (empty for a position).")


class PassedStop(Place):
    """A stop a ride calls at, with its times."""

    arrival: IsoDateTime
    departure: IsoDateTime


class _Leg(Document):
    """What every leg has."""

    mode: str
    from_: Place = Field(alias="from")
    to: Place
    departure: IsoDateTime
    arrival: IsoDateTime
    duration_s: Int
    route: str = Field(description="The route's name in the language asked for, else English, else as the feed writes it (empty for a walk).")
    trip_id: str = Field(description="Empty for a walk.")
    headsign: str = Field(
        description="Where the ride goes, as shown where it boards (the stop's headsign, else the trip's), in the language asked for, else English, "
        "else as the feed writes it (empty for a walk or when the feed gives none)."
    )
    geometry: LineString = Field(description="Along the trip's shape where the feed has one, else stop to stop; a walk is straight.")


class WalkLeg(_Leg):
    """A walk (straight line, or along streets with an OSM extract)."""

    mode: Literal["walk"]
    distance_m: Number


class RideLeg(_Leg):
    """A ride on one trip."""

    mode: RideMode
    route_id: str
    route_names: Names
    route_long_name: str = Field(description="In the language asked for, else English, else as the feed writes it.")
    route_long_names: Names
    headsign_names: Names
    trip_short_name: str = Field(
        description="The trip's short name (こだま, 各駅停車) in the language asked for, else English, else as the feed writes it (empty when the feed gives none)."
    )
    trip_short_names: Names
    agency: str
    feed: str
    platform: str | None
    fare_yen: Number | None = Field(description="Null when the feed has no fare for it.")
    stops: list[PassedStop] = Field(description="Every stop of the ride, boarding and alighting included.")


def _leg_kind(leg: Any) -> str:
    mode = leg.get("mode") if isinstance(leg, dict) else getattr(leg, "mode", None)
    return "walk" if mode == "walk" else "ride"


#: A leg: a walk or a ride.
Leg = Annotated[Annotated[WalkLeg, Tag("walk")] | Annotated[RideLeg, Tag("ride")], Discriminator(_leg_kind)]


class Journey(Document):
    """One journey, door to door."""

    departure: IsoDateTime
    arrival: IsoDateTime
    transfers: Int
    duration_s: Int
    rides: Int
    walk_m: Number
    fare_yen: Number | None = Field(description="Sum of the rides' fares; null when one is unknown or there is no ride.")
    legs: list[Leg]


class JourneyQuery(Document):
    """The query as understood: places resolved, defaults filled in."""

    from_: Place = Field(alias="from")
    to: Place
    date: IsoDate
    depart: Clock | SkipJsonSchema[None] = Field(None, description="Leaving at (absent with arrive_by).", json_schema_extra=absent_when_unset)
    arrive_by: Clock | SkipJsonSchema[None] = Field(None, description="Arriving by (absent with depart).", json_schema_extra=absent_when_unset)
    window_minutes: Int
    max_transfers: Int
    walk_radius_m: Number
    walk_speed_m_s: Number
    modes: list[RideMode] | None = Field(description="The modes allowed; null for all.")
    min_transfer_time_s: Int


class JourneysDocument(Document):
    """The answer of ``GET /v1/journeys``: the same document as ``maas plan --json``."""

    query: JourneyQuery
    journeys: list[Journey] = Field(description="Pareto-optimal by arrival (departure with arrive_by) and transfers; empty when there is none.")


# --- reach ---------------------------------------------------------------------------------------------


class IsochroneProperties(Document):
    kind: Literal["isochrone"]
    origin: str = Field(description="The origin's id.")
    origin_name: str
    departure: IsoDateTime
    minutes: Int = Field(description="The time budget.")
    area_km2: Number = Field(description="The isochrone's area, km² (3 decimals).")


class IsochroneFeature(Document):
    """The area within the time budget: walking discs around every stop reached."""

    type: Literal["Feature"]
    geometry: Area
    properties: IsochroneProperties


class ReachedStopProperties(Document):
    kind: Literal["stop"]
    id: str
    name: str
    arrival: IsoDateTime
    minutes: Number = Field(description="Minutes after leaving, to 0.1.")


class ReachedStopFeature(Document):
    """A stop reached within the budget."""

    type: Literal["Feature"]
    geometry: Point
    properties: ReachedStopProperties


class ReachCollection(Document):
    """The answer of ``GET /v1/reach``: the isochrone first, then every stop reached, earliest first."""

    type: Literal["FeatureCollection"]
    features: list[
        Annotated[Annotated[IsochroneFeature, Tag("isochrone")] | Annotated[ReachedStopFeature, Tag("stop")], kind_discriminator("isochrone", otherwise="stop")]
    ]
