"""Shared request dependencies: the service state and the response language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request

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
