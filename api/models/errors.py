"""The error document every 4xx and 5xx answer carries (built by :func:`api.errors.error_body`).

``{"error": {"status": 404, "field": "from", "message": "...", "candidates": [...]}}``:
``field`` names the request field at fault (null when none does); the other
keys come with some errors only.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from api.models.base import Document, Int, absent_when_unset


class FieldProblem(Document):
    """One problem with a request field (422)."""

    field: str = Field(description="Where: the location as FastAPI gives it, e.g. query.max_transfers or body.days.")
    message: str


class FeedProblem(Document):
    """One problem found in a feed (as ``maas validate --json`` reports it)."""

    severity: Literal["error", "warning"]
    code: str = Field(description="Stable machine-readable name, e.g. dangling_reference.")
    message: str
    feed: str
    file: str | None
    row: Int | None = Field(description="Line in the file as an editor shows it (the header is line 1); null for the whole file.")
    field: str | None


class ErrorBody(Document):
    """What went wrong, and where."""

    status: Int = Field(description="The HTTP status, repeated.")
    field: str | None = Field(description="The request field at fault, e.g. from, date, body; null when no one field is.")
    message: str = Field(description="For people: names the field and what is wrong with it.")
    candidates: list[str] | SkipJsonSchema[None] = Field(
        None, description="404 for a place: the closest matches, with their ids and modes.", json_schema_extra=absent_when_unset
    )
    details: list[FieldProblem] | SkipJsonSchema[None] = Field(
        None, description="422: every problem with the request, the first of which is in message.", json_schema_extra=absent_when_unset
    )
    problems: list[FeedProblem] | SkipJsonSchema[None] = Field(None, description="400 for a feed: its first 50 problems.", json_schema_extra=absent_when_unset)


class ErrorDocument(Document):
    """An error answer."""

    error: ErrorBody


_WHY = {
    400: "Bad input: a value that cannot be used (date, time, place, modes, scenario, feed ...); `field` names it.",
    401: "A planners' endpoint without a valid key (`Authorization: Bearer <key>`).",
    403: "A planners' endpoint called from another machine while the service has no keys.",
    404: "Not found: an unknown place (with `candidates`), stop or saved scenario.",
    409: "A stop id that several feeds use: ask for FEED:stop_id.",
    413: "The request body is larger than the server's limit.",
    422: "A parameter or body field out of its range or of the wrong type (`details` lists each).",
    429: "Too many heavy requests from this client (`Retry-After`).",
    500: "The server failed; the request has been logged.",
    503: "The server is busy or a part of it is down (`Retry-After`).",
    507: "The scenario database has no room left; nothing was changed.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the ``responses=`` of a route: the error document under each of ``statuses``, with why it happens."""
    return {status: {"model": ErrorDocument, "description": _WHY[status]} for status in statuses}


#: Every route (``FastAPI(responses=...)``): any 4xx or 5xx answer is the error document.
ALL_ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorDocument, "description": "The request cannot be served as sent: the error document says why."},
    "5XX": {"model": ErrorDocument, "description": "The server could not answer: the error document says why."},
}
