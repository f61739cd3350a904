"""Shared request dependencies: the service state, the response language, routing parameters, heavy work, planners' access.

They are ``async`` because they only read the request: FastAPI runs a plain ``def`` dependency in
its thread pool, and three such hops cost a journey request more than finding its place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request

from api.heavy import HeavyPool
from api.security import client_address, require_planner
from api.state import ServiceState
from maas.feeds.translations import canonical_language
from maas.routing.params import (
    DEFAULT_PARAMS,
    MAX_MIN_TRANSFER_S,
    MAX_TRANSFERS_LIMIT,
    MAX_WALK_SPEED_M_S,
    MIN_WALK_SPEED_M_S,
    SERVICE_MAX_WALK_RADIUS_M,
    RoutingParams,
)


async def get_state(request: Request) -> ServiceState:
    """Return the state loaded at start-up."""
    return request.app.state.maas


#: Languages names are served in (a name missing in one falls back to English, then to the feed's own).
LANGUAGES = ("ja", "en", "ko", "zh-Hans", "zh-Hant")


async def get_lang(
    lang: Annotated[
        str | None,
        Query(
            description="Language of names: ja, en, ko, zh-Hans or zh-Hant (default: from Accept-Language, else ja). "
            "A name the data lacks in that language is given in English, else as the feed writes it.",
            pattern="^(ja|en|ko|zh-Hans|zh-Hant)$",
        ),
    ] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """Return one of :data:`LANGUAGES`: the ``lang`` parameter, else the most preferred of Accept-Language we serve."""
    if lang:
        return lang
    return language_of_header(accept_language or "")


def language_of_header(header: str) -> str:
    """Return the served language an Accept-Language header prefers most (by q-value, then order), else ``ja``.

    ``zh-CN``/``zh-SG``/``zh-Hans`` and plain ``zh`` mean zh-Hans; ``zh-TW``/``zh-HK``/``zh-Hant`` mean zh-Hant.
    """
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        served = _served(tag.strip())
        if served and q > 0:
            ranked.append((-q, i, served))
    return min(ranked)[2] if ranked else "ja"


def _served(tag: str) -> str | None:
    """The served language for one Accept-Language tag, or None."""
    canonical = canonical_language(tag) if tag and tag != "*" else ""
    if canonical == "zh":
        return "zh-Hans"
    base = canonical.split("-")[0]
    if canonical in LANGUAGES:
        return canonical
    if base in ("ja", "en", "ko"):
        return base
    return None


async def routing_params(
    max_transfers: Annotated[int, Query(ge=0, le=MAX_TRANSFERS_LIMIT, description="Most changes between rides.")] = DEFAULT_PARAMS.max_transfers,
    walk_radius: Annotated[float, Query(ge=0, le=SERVICE_MAX_WALK_RADIUS_M, description="Longest walk in metres.")] = DEFAULT_PARAMS.walk.radius_m,
    walk_speed: Annotated[
        float, Query(gt=MIN_WALK_SPEED_M_S, le=MAX_WALK_SPEED_M_S, description="Walking speed along straight lines, m/s.")
    ] = DEFAULT_PARAMS.walk.speed_m_s,
    modes: Annotated[str | None, Query(description="Comma-separated: rail,bus,shuttle (default all).", max_length=100)] = None,
    min_transfer_time: Annotated[
        int, Query(ge=0, le=MAX_MIN_TRANSFER_S, description="Seconds needed to change between rides.")
    ] = DEFAULT_PARAMS.min_transfer_s,
) -> RoutingParams:
    """Return the routing parameters of the query (the bounds are :mod:`maas.routing.params`'s; unknown modes: 400 naming ``modes``)."""
    return RoutingParams.from_options(
        max_transfers=max_transfers, walk_radius=walk_radius, walk_speed=walk_speed, modes=modes, min_transfer_time=min_transfer_time
    )


State = Annotated[ServiceState, Depends(get_state)]
Lang = Annotated[str, Depends(get_lang)]
#: How a journeys or reach request may travel, from its ``max_transfers``, ``walk_radius``, ``walk_speed``, ``modes``, ``min_transfer_time``.
Routing = Annotated[RoutingParams, Depends(routing_params)]


@dataclass(frozen=True)
class HeavyRunner:
    """Runs heavy work for one client in the service's bounded pool (see :mod:`api.heavy`)."""

    pool: HeavyPool
    client: str

    async def __call__(self, fn: Callable[..., Any], *args: Any, deadline_s: float) -> Any:
        return await self.pool.run(self.client, fn, *args, deadline_s=deadline_s)


async def get_heavy(request: Request) -> HeavyRunner:
    """Return the heavy-work runner for this request's client."""
    return HeavyRunner(request.app.state.heavy, client_address(request, (await get_state(request)).settings))


Heavy = Annotated[HeavyRunner, Depends(get_heavy)]
#: Dependency of the planners' endpoints (a key, or a loopback client when no key is set).
PlannersOnly = Depends(require_planner)
