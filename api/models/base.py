"""What every response model shares: no unknown keys, numbers kept as they are, and the text formats.

The models describe documents the library already builds (``to_dict``,
``to_geojson``); FastAPI validates each answer against its model and writes
it, so they must let the document through *unchanged*:

- ``extra="forbid"``: a key the model does not know is an error (the
  documents and their schema cannot drift apart unnoticed);
- :data:`Number` keeps an ``int`` an ``int`` and a ``float`` a ``float``
  (pydantic's ``float`` would turn ``0`` into ``0.0``), and :data:`Int`
  refuses a float instead of rounding it;
- keys that some documents have and others do not are optional and left out
  when absent (the routes serialise with ``response_model_exclude_unset``),
  so the schema says "absent", not "null", where a value is never null.

The busiest answers are sent with :func:`unchecked_json` and checked by the
tests against the schema instead: the map's layers (``/v1/stops``,
``/v1/routes``, ``/v1/pois``: checking would add a quarter to over half of
their time), and journeys and reach (``/v1/journeys``, ``/v1/reach``: in a
service worker under load, checking and re-writing a journeys answer took
11 % of its CPU, sampled with py-spy; ``bench/RESULTS.md``, issue 10
section).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, TypeAdapter, WithJsonSchema

#: A JSON number, integral or not, passed through as it is (schema ``number``).
Number = Annotated[StrictInt | StrictFloat, WithJsonSchema({"type": "number"})]
#: A JSON integer (a float is refused, not rounded).
Int = StrictInt
#: A JSON boolean.
Bool = StrictBool
#: A date, ``YYYY-MM-DD``.
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"}, examples=["2026-12-01"])]
#: An instant with the feed's UTC offset, ISO 8601 (``2026-12-01T07:04:00+09:00``).
IsoDateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"}, examples=["2026-12-01T07:04:00+09:00"])]
#: A time of the service day, ``HH:MM``; hours pass 24 after midnight (``24:35``).
Clock = Annotated[str, Field(pattern=r"^[0-9]{2,}:[0-5][0-9]$", examples=["07:04"])]
#: Names by language tag (``ja``, ``en``, ``ja-Hrkt``, ``ko``, ``zh-Hans``, ``zh-Hant``, ...): those the data has.
Names = Annotated[dict[str, str], Field(examples=[{"ja": "新山口", "en": "Shin-Yamaguchi", "ja-Hrkt": "しんやまぐち"}])]
#: A JSON object whose keys are not fixed (a scenario document, as sent).
AnyObject = dict[str, Any]


def absent_when_unset(schema: dict[str, Any]) -> None:
    """Schema of a key that is left out rather than null: no ``default: null`` (use with ``SkipJsonSchema[None]``)."""
    schema.pop("default", None)


_JSON: TypeAdapter[Any] = TypeAdapter(Any)


def unchecked_json(document: dict[str, Any]) -> Response:
    """Return ``document`` as the JSON answer without checking it against the route's response model.

    The bytes are those FastAPI writes for a plain dict (pydantic's
    serialiser); the route's ``response_model`` still documents the answer.
    For big documents that are only formatted, where the check would cost a
    large share of the request (see the module docstring).
    """
    return Response(_JSON.dump_json(document), media_type="application/json")


class Document(BaseModel):
    """A part of a response document: every key declared, none other accepted."""

    model_config = ConfigDict(extra="forbid")
