"""Error responses: 4xx with a JSON body naming the field and the problem, never a 500 for bad input.

Body shape: ``{"error": {"status": 400, "field": "from", "message": "...", "candidates": [...]}}``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.store import StoreError
from maas.errors import FeedError, InputError, MaasError, PlaceNotFoundError

log = logging.getLogger("maas.api")


class HttpError(MaasError):
    """A refusal whose HTTP status the service decides (401/403 access, 429/503 load): status, field, headers."""

    def __init__(self, message: str, status: int, field: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field
        self.headers = headers or {}


def error_body(status: int, message: str, field: str | None = None, **extra: object) -> dict:
    """Return the standard error document."""
    return {"error": {"status": status, "field": field, "message": message, **extra}}


def _plain(msg: object) -> str:
    """pydantic's message without its "Value error, " prefix (our validators' own words)."""
    return str(msg).removeprefix("Value error, ")


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into JSON error responses."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path")]
        field = ".".join(loc) or None
        message = f"{field}: {_plain(first.get('msg'))}" if field else _plain(first.get("msg"))
        details = [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": _plain(e.get("msg"))} for e in exc.errors()]
        return JSONResponse(error_body(422, message, field, details=details), status_code=422)

    @app.exception_handler(PlaceNotFoundError)
    async def place(_: Request, exc: PlaceNotFoundError) -> JSONResponse:
        return JSONResponse(error_body(404, str(exc), exc.field, candidates=exc.candidates), status_code=404)

    @app.exception_handler(InputError)
    async def bad_input(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(error_body(400, str(exc), exc.field), status_code=400)

    @app.exception_handler(FeedError)
    async def bad_feed(_: Request, exc: FeedError) -> JSONResponse:
        return JSONResponse(error_body(400, str(exc), "feed", problems=[p.to_dict() for p in exc.problems[:50]]), status_code=400)

    @app.exception_handler(HttpError)
    async def refused(_: Request, exc: HttpError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, str(exc), exc.field), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StoreError)
    async def store_failed(_: Request, exc: StoreError) -> JSONResponse:
        # The server's fault (database gone, disk full), never the client's; nothing was changed.
        status = getattr(exc, "status", 503)
        retry = getattr(exc, "retry_after", 30)
        return JSONResponse(error_body(status, str(exc), "scenario_store"), status_code=status, headers={"Retry-After": str(retry)})

    @app.exception_handler(MaasError)
    async def other(_: Request, exc: MaasError) -> JSONResponse:
        return JSONResponse(error_body(400, str(exc)), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(exc.status_code, str(exc.detail)), status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse(error_body(500, "internal error: the request could not be completed; it has been logged"), status_code=500)
