"""The JSON document of a journey query, shared by ``maas plan --json`` and ``GET /v1/journeys``."""

from __future__ import annotations

from typing import Any

from maas.routing.journeys import Journey
from maas.routing.planner import JourneyQuery
from maas.when import format_clock


def journeys_document(q: JourneyQuery, journeys: list[Journey], lang: str | None = None) -> dict[str, Any]:
    """Return the JSON document of a journey query: ``{"query": {...}, "journeys": [...]}``.

    The contract of ``maas plan --json`` and ``GET /v1/journeys`` (README,
    "Journey semantics and the JSON contract"): the query as understood
    (places, date, time, routing parameters), then each journey with its
    legs; times ISO 8601 with the feed's UTC offset.

    Parameters
    ----------
    q
        The query that was planned.
    journeys
        Its journeys, as :meth:`maas.Planner.plan` returns them.
    lang
        Language of place and route names (``ja``, ``en``, ``ko``,
        ``zh-Hans``, ``zh-Hant``; English where missing); None for each
        name as the data writes it.

    Returns
    -------
    dict
        JSON-ready data.
    """
    return {
        "query": {
            "from": q.origin.to_dict(lang),
            "to": q.destination.to_dict(lang),
            "date": q.date.isoformat(),
            ("arrive_by" if q.arrive_by else "depart"): format_clock(q.time),
            "window_minutes": q.window_s // 60,
            "max_transfers": q.max_transfers,
            "walk_radius_m": q.walk.radius_m,
            "walk_speed_m_s": q.walk.speed_m_s,
            "modes": sorted(q.modes) if q.modes else None,
            "min_transfer_time_s": q.min_transfer_s,
        },
        "journeys": [j.to_dict(lang) for j in journeys],
    }
