"""Which days each service runs, from ``calendar.txt`` and ``calendar_dates.txt``."""

from __future__ import annotations

import numpy as np

from maas.feeds.parse import parse_date, parse_number
from maas.feeds.reader import Feed

#: Longest date range of one calendar.txt row taken into account (about a century).
_MAX_SPAN_DAYS = 100 * 366

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def service_days(feed: Feed) -> dict[str, np.ndarray]:
    """Return ``{service_id: sorted day numbers it runs on}`` (days since 1970-01-01).

    Weekday flags over ``start_date..end_date`` give the base; exceptions add
    (type 1) or remove (type 2) single dates.  Unparseable rows are skipped;
    the checker reports them.
    """
    days: dict[str, set[int]] = {}
    cal = feed.tables.get("calendar.txt")
    if cal is not None and len(cal) and {"service_id", "start_date", "end_date"} <= set(cal.columns):
        start = parse_date(cal["start_date"])
        end = parse_date(cal["end_date"])
        flags = np.stack([parse_number(feed.column("calendar.txt", d), integer=True).values == 1 for d in _WEEKDAYS], axis=1)
        for i, sid in enumerate(cal["service_id"].astype(str)):
            run = days.setdefault(sid, set())
            if start.bad[i] or end.bad[i] or start.empty[i] or end.empty[i]:
                continue
            s, e = int(start.values[i]), int(end.values[i])
            if e < s:
                continue
            # Open-ended services are written 20991231 or 99991231: keep the first
            # century from start_date instead of dropping the service.
            e = min(e, s + _MAX_SPAN_DAYS)
            span = np.arange(s, e + 1)
            weekday = (span + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
            run.update(span[flags[i][weekday]].tolist())
    cd = feed.tables.get("calendar_dates.txt")
    if cd is not None and len(cd) and {"service_id", "date", "exception_type"} <= set(cd.columns):
        date = parse_date(cd["date"])
        kind = parse_number(cd["exception_type"], integer=True).values
        for sid, d, bad, k in zip(cd["service_id"].astype(str), date.values, date.bad | date.empty, kind):
            run = days.setdefault(sid, set())
            if bad:
                continue
            if k == 1:
                run.add(int(d))
            elif k == 2:
                run.discard(int(d))
    return {sid: np.array(sorted(v), dtype=np.int64) for sid, v in days.items()}
