"""Shared request dependencies: the service state, the response language, heavy work, planners' access."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request

from api.heavy import HeavyPool
from api.security import client_address, require_planner
from api.state import ServiceState


def get_state(request: Request) -> ServiceState:
    """Return the state loaded at start-up."""
    return request.app.state.maas


def get_lang(
    lang: Annotated[str | None, Query(description="Language of names: ja or en (default: from Accept-Language, else ja).", pattern="^(ja|en)$")] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """Return ``ja`` or ``en``: the ``lang`` parameter, else the first of Accept-Language we know."""
    if lang:
        return lang
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("ja"):
            return "ja"
    return "ja"


State = Annotated[ServiceState, Depends(get_state)]
Lang = Annotated[str, Depends(get_lang)]


@dataclass(frozen=True)
class HeavyRunner:
    """Runs heavy work for one client in the service's bounded pool (see :mod:`api.heavy`)."""

    pool: HeavyPool
    client: str

    async def __call__(self, fn: Callable[..., Any], *args: Any, deadline_s: float) -> Any:
        return await self.pool.run(self.client, fn, *args, deadline_s=deadline_s)


def get_heavy(request: Request) -> HeavyRunner:
    """Return the heavy-work runner for this request's client."""
    return HeavyRunner(request.app.state.heavy, client_address(request, get_state(request).settings))


Heavy = Annotated[HeavyRunner, Depends(get_heavy)]
#: Dependency of the planners' endpoints (a key, or a loopback client when no key is set).
PlannersOnly = Depends(require_planner)
