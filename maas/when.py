"""Clock times and dates as people type them, and "now" in the feeds' time zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from maas.errors import InputError

_EPOCH = dt.date(1970, 1, 1)

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def parse_clock(text: str, field: str = "time") -> int:
    """Return seconds after midnight of ``HH:MM`` or ``HH:MM:SS`` (hours up to 47 for after-midnight)."""
    m = _CLOCK.match(text or "")
    if not m:
        raise InputError(f"{field}: '{text}' is not a time like 07:30 or 07:30:15", field)
    h, mnt, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 47 or mnt > 59 or sec > 59:
        raise InputError(f"{field}: '{text}' is not a valid time", field)
    return h * 3600 + mnt * 60 + sec


def parse_date(text: str, field: str = "date") -> dt.date:
    """Return the date of ``YYYY-MM-DD`` (or ``YYYYMMDD``)."""
    t = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise InputError(f"{field}: '{text}' is not a date like 2026-12-01", field)


def now(timezone: str) -> tuple[dt.date, int]:
    """Return today's date and the seconds since midnight in ``timezone``."""
    t = dt.datetime.now(ZoneInfo(timezone))
    return t.date(), t.hour * 3600 + t.minute * 60 + t.second


def format_clock(seconds: int) -> str:
    """Return ``HH:MM`` (hours past 24 kept, e.g. 24:35)."""
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def date_and_time(date: str | None, clock: str | None, timezone: str, field: str = "depart") -> tuple[dt.date, int]:
    """Return the date and seconds a user gave, defaulting to today and now in ``timezone``."""
    today, current = now(timezone)
    return (parse_date(date) if date else today), (parse_clock(clock, field) if clock else current)


def day_to_date(day: int) -> dt.date:
    """Return the date of a day number (days since 1970-01-01)."""
    return _EPOCH + dt.timedelta(days=int(day))


def date_to_day(date: dt.date) -> int:
    """Return the day number (days since 1970-01-01) of a date."""
    return (date - _EPOCH).days
