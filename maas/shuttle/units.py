"""How the shuttle's numbers are written: clock times, minutes and riders to 0.1 (the JSON and text conventions).

Inside the library times are int seconds after noon minus 12 h of the service
day (as in :mod:`maas.timetable`); people and documents read ``"HH:MM"``
(hours may pass 24), durations in minutes to 0.1 and expected riders to 0.1.
"""

from __future__ import annotations

import math

from maas.when import format_clock

#: Days of the week as scenario files write them, Monday first (``datetime.date.weekday()`` order).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clock_text(seconds: int) -> str:
    """Return ``"HH:MM"``, or ``"HH:MM:SS"`` when the time is not a whole minute (the scenario files' form)."""
    seconds = int(seconds)
    return format_clock(seconds) if seconds % 60 == 0 else f"{format_clock(seconds)}:{seconds % 60:02d}"


def clock(seconds: int | None) -> str | None:
    """Return ``"HH:MM"`` (None stays None)."""
    return None if seconds is None else format_clock(seconds)


def minutes(seconds: float | None) -> float | None:
    """Return seconds as minutes to 0.1 (None and NaN become None)."""
    if seconds is None or math.isnan(float(seconds)):
        return None
    return round(float(seconds) / 60.0, 1)


def r1(x: float | None) -> float | None:
    """Return a number to 0.1 (riders, km; None stays None)."""
    return None if x is None else round(float(x), 1)


def whole_seconds(minutes_: float) -> int:
    """Return a duration given in minutes (a scenario field) as whole seconds."""
    return int(round(minutes_ * 60))


__all__ = ["WEEKDAYS", "clock", "clock_text", "minutes", "r1", "whole_seconds"]
