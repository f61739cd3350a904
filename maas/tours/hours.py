"""When a POI is open on a given day, from OpenStreetMap ``opening_hours`` text.

Parsing and evaluation are done by the ``opening-hours-py`` library (the
reference OSM opening_hours grammar); this module only turns its intervals
into seconds of the service day, the unit the tour planner works in.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import opening_hours

from maas.errors import InputError

DAY = 86_400


@lru_cache(maxsize=512)
def _parsed(text: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(text)


def check_opening_hours(text: str, where: str = "opening_hours") -> None:
    """Raise InputError when ``text`` is not valid OSM opening_hours syntax."""
    if not text:
        return
    try:
        _parsed(text)
    except opening_hours.ParserError as exc:  # type: ignore[attr-defined]  # raised, but missing from the package's stubs
        raise InputError(f"{where}: '{text}' is not OSM opening_hours syntax ({exc})", "opening_hours") from None


def open_intervals(text: str, date: dt.date) -> list[tuple[int, int]]:
    """Return the open intervals of ``date`` as (start, end) seconds after midnight.

    An empty text means always open.  Intervals are merged when they touch.
    """
    if not text:
        return [(0, DAY)]
    oh = _parsed(text)
    start = dt.datetime(date.year, date.month, date.day)
    out: list[tuple[int, int]] = []
    for a, b, state, _comment in oh.intervals(start, start + dt.timedelta(days=1)):
        if state != opening_hours.State.OPEN:
            continue
        s, e = int((a - start).total_seconds()), int((b - start).total_seconds())
        if out and out[-1][1] >= s:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def visit_window(text: str, date: dt.date, visit_s: int, day_from: int, day_until: int) -> tuple[int, int] | None:
    """Return the earliest and latest start of a visit of ``visit_s`` seconds on ``date``.

    The visit must fit inside one open interval and inside ``[day_from, day_until]``;
    the longest fitting interval is used.  None when the POI cannot be visited that day.
    """
    best: tuple[int, int] | None = None
    for a, b in open_intervals(text, date):
        lo, hi = max(a, day_from), min(b, day_until) - visit_s
        if hi >= lo and (best is None or hi - lo > best[1] - best[0]):
            best = (lo, hi)
    return best
