"""Timetables written as text, the way a timetable is read.

One trip or run a line: its id, then its calls in order, ``stop HH:MM``
(arrival = departure) or ``stop HH:MM-HH:MM`` (arrives, waits, leaves),
optionally separated by ``·``::

    m1   sta 07:25 · p1 07:35 · p2 07:45
    e2   p2 17:30 · p1 17:40-17:42 · sta 17:52

Blank lines and ``#`` comments are ignored.  :func:`calls` returns the lines
as (id, [(stop, arrival, departure)]) with times as written; the other
helpers turn them into a scenario's ``runs``, GTFS ``stop_times`` rows, or
:class:`~maas.shuttle.model.Run` objects.
"""

from __future__ import annotations

from maas.shuttle.model import Call, Run
from maas.when import parse_clock

Calls = list[tuple[str, list[tuple[str, str, str]]]]


def calls(text: str) -> Calls:
    """Return (id, [(stop, arrival "HH:MM", departure "HH:MM")]) of every line of ``text``."""
    out: Calls = []
    for line in text.splitlines():
        words = [w for w in line.split("#", 1)[0].split() if w != "·"]
        if not words:
            continue
        trip, rest = words[0], words[1:]
        if len(rest) % 2:
            raise ValueError(f"{line!r}: write 'stop HH:MM' pairs after the id")
        stops = []
        for stop, time in zip(rest[::2], rest[1::2]):
            arrival, _, departure = time.partition("-")
            stops.append((stop, arrival, departure or arrival))
        out.append((trip, stops))
    return out


def scenario_runs(text: str) -> list[dict]:
    """Return the runs of ``text`` as a scenario's ``runs`` (``{stop, time[, depart]}`` calls)."""
    return [{"id": run, "calls": [{"stop": s, "time": a, **({"depart": d} if d != a else {})} for s, a, d in stops]} for run, stops in calls(text)]


def stop_times(text: str) -> list[dict]:
    """Return the trips of ``text`` as GTFS stop_times rows (times ``HH:MM:SS``)."""
    return [
        {"trip_id": trip, "arrival_time": f"{a}:00", "departure_time": f"{d}:00", "stop_id": s, "stop_sequence": seq}
        for trip, stops in calls(text)
        for seq, (s, a, d) in enumerate(stops, start=1)
    ]


def runs(text: str) -> list[Run]:
    """Return the runs of ``text`` as :class:`Run` objects (times in seconds)."""
    return [Run(run, tuple(Call(s, parse_clock(a), parse_clock(d)) for s, a, d in stops)) for run, stops in calls(text)]
