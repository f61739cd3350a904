"""GeoJSON geometries (RFC 7946) as the service writes them: positions are ``[longitude, latitude]``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field

from api.models.base import Document

#: ``[longitude, latitude]``, WGS84 degrees.  Plain floats (the library writes every coordinate as one):
#: :data:`~api.models.base.Number` would keep an int too, at three times the cost on the big layers.
Position = Annotated[list[float], Field(min_length=2, max_length=2, examples=[[131.39657, 34.093255]])]


class Point(Document):
    """A GeoJSON Point."""

    type: Literal["Point"]
    coordinates: Position


class LineString(Document):
    """A GeoJSON LineString."""

    type: Literal["LineString"]
    coordinates: list[Position]


class MultiLineString(Document):
    """A GeoJSON MultiLineString."""

    type: Literal["MultiLineString"]
    coordinates: list[list[Position]]


class Polygon(Document):
    """A GeoJSON Polygon: the outer ring, then any holes."""

    type: Literal["Polygon"]
    coordinates: list[list[Position]]


class MultiPolygon(Document):
    """A GeoJSON MultiPolygon."""

    type: Literal["MultiPolygon"]
    coordinates: list[list[list[Position]]]


class AreaCollection(Document):
    """A GeoJSON GeometryCollection of areas (empty when there is no area at all)."""

    type: Literal["GeometryCollection"]
    geometries: list[Annotated[Polygon | MultiPolygon, Field(discriminator="type")]]


#: An area: one polygon, several, or none (an empty GeometryCollection).
Area = Annotated[Polygon | MultiPolygon | AreaCollection, Field(discriminator="type")]


def kind_discriminator(kind: str, otherwise: str) -> Discriminator:
    """Return the discriminator of a union of two kinds of Feature: ``kind`` when its ``properties.kind`` says so, else ``otherwise``.

    The features carry their kind in their properties, not at the top, so a
    plain field discriminator cannot reach it.  The tag is read from parsed
    JSON (a dict, when validating) and from a model (when serialising).
    """

    def tag(feature: Any) -> str:
        props = feature.get("properties") if isinstance(feature, dict) else getattr(feature, "properties", None)
        found = props.get("kind") if isinstance(props, dict) else getattr(props, "kind", None)
        return kind if found == kind else otherwise

    return Discriminator(tag)
