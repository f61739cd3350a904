"""The FastAPI application: routers under ``/v1``, ``/healthz``, OpenAPI at ``/docs``, the web map at ``/``.

Run it with ``maas serve`` (or ``uvicorn api.main:app``).  The network is
loaded once in the lifespan, not at import, and held read-only: workers are
identical and stateless apart from the scenario database.  Heavy requests run
in a bounded pool of their own (:mod:`api.heavy`); every response carries the
security headers and bodies are size-limited (:mod:`api.security`).
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from api import errors
from api.heavy import HeavyPool
from api.models import ALL_ERRORS
from api.routers import catalog, feeds, health, journeys, mapconfig, shuttle, tours
from api.security import BodyLimit, SecurityHeaders, map_image_sources
from api.settings import Settings
from api.state import ServiceState

STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """Route planning for the Yamaguchi central area (山口ゆめ回廊): journeys over JR, buses and
the techno-park shuttle, sightseeing tours, and commuter-shuttle scenarios.

The JR bus timetable (ＪＲバス中国, CC0) is the operator's **official** feed; JR trains and the other buses
are **modeled** from published service patterns, not official (`GET /v1/feeds` gives each feed's kind).
Errors are JSON `{"error": {"status", "field", "message"}}`; bad input never gives a 500.
Names come in Japanese, English, Korean or Chinese (`lang=ja|en|ko|zh-Hans|zh-Hant` or `Accept-Language`),
falling back to English, then to the feed's own name."""


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None, state: ServiceState | None = None) -> FastAPI:
    """Build the application; ``state`` may be given (tests), else it is loaded from ``settings`` at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if getattr(app.state, "maas", None) is None:
            app.state.maas = ServiceState.load(app_settings)
        state = app.state.maas
        _ = state.tours  # built before the heavy processes are forked, so that they inherit it
        app.state.heavy = HeavyPool(state.settings, state)
        app.state.heavy.warm()
        try:
            yield
        finally:
            app.state.heavy.close()

    app = FastAPI(
        title="maas: Yamaguchi central area route planner",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        responses=ALL_ERRORS,  # every 4xx and 5xx is the error document (api.errors)
    )
    app_settings = state.settings if state else (settings or Settings.from_env())
    app.state.maas = state
    errors.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=2000)
    app.add_middleware(BodyLimit, limit=app_settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, img_sources=map_image_sources(app_settings))  # the tiles' origin, if configured
    for router in (health.router, catalog.router, feeds.router, journeys.router, mapconfig.router, tours.router, shuttle.router, shuttle.scenarios):
        app.include_router(router)
    app.mount("/", StaticFiles(directory=STATIC, html=True), name="map")
    return app


app = create_app()
