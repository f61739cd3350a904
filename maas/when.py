"""Clock times and dates as people type them, and "now" in the feeds' time zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from maas.errors import InputError

_EPOCH = dt.date(1970, 1, 1)

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def parse_clock(text: str, field: str = "time") -> int:
    """Return the seconds after midnight of a clock time typed as ``HH:MM`` or ``HH:MM:SS``.

    Hours run up to 47, as in GTFS, for times after midnight of the same
    service day (``25:10`` is 1:10 the next morning).  Query and timetable
    times in maas are such seconds of the service day.

    Parameters
    ----------
    text
        The clock time, e.g. ``"07:30"`` or ``"07:30:15"``.
    field
        The field or option the text came from, named in the error.

    Returns
    -------
    int
        Seconds after midnight (``"07:30"`` is 27,000).

    Raises
    ------
    InputError
        The text is not a clock time, or not a valid one (minutes past 59).

    Examples
    --------
    >>> parse_clock("07:30")
    27000
    >>> parse_clock("25:10:05")
    90605
    """
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
    """Return seconds of the service day as ``HH:MM``, seconds dropped, hours past 24 kept.

    Parameters
    ----------
    seconds
        Seconds after midnight of the service day (may pass 86,400).

    Returns
    -------
    str
        The clock time, e.g. ``"07:30"`` or ``"24:35"``.

    Examples
    --------
    >>> format_clock(27_059)
    '07:30'
    >>> format_clock(88_500)
    '24:35'
    """
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
