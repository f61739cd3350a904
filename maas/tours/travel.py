"""Time-of-day travel times between tour places, from one-to-all journey searches.

Buses here are sparse, so the time from A to B depends on when one leaves.
For each origin and each departure bucket (hourly by default) one RAPTOR
search gives the arrival at every other place, waiting included.  The
optimiser gets a per-arc summary (the median over the day's buckets); every
chosen leg is then re-timed on the real timetable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from maas.routing.kernel import INF
from maas.routing.params import DEFAULT_PARAMS, RoutingParams
from maas.routing.places import Place
from maas.routing.planner import Planner
from maas.routing.reach import arrival_times, direct_walks

#: A travel time standing for "not reachable" in integer models (about 11 days).
UNREACHABLE = 10**6


@dataclass(frozen=True)
class TravelTimes:
    """Seconds from place i to place j when leaving at ``times[b]``: ``by_bucket[b, i, j]`` (UNREACHABLE if no way)."""

    times: np.ndarray
    by_bucket: np.ndarray

    def typical(self) -> np.ndarray:
        """Return the median over buckets per arc; UNREACHABLE where most buckets have no way."""
        reachable = self.by_bucket < UNREACHABLE
        finite = reachable.sum(axis=0)
        ordered = np.sort(np.where(reachable, self.by_bucket, UNREACHABLE), axis=0)
        middle = np.take_along_axis(ordered, np.maximum((finite - 1) // 2, 0)[None], axis=0)[0]
        out = np.where(finite * 2 >= len(self.times), middle, UNREACHABLE)
        np.fill_diagonal(out, 0)
        return out.astype(np.int64)

    def at(self, i: int, j: int, depart: int) -> int:
        """Return the estimated travel time leaving at ``depart`` (the next bucket at or after it)."""
        b = int(np.searchsorted(self.times, depart))
        if b >= len(self.times):
            return UNREACHABLE
        wait = int(self.times[b]) - depart
        return min(UNREACHABLE, wait + int(self.by_bucket[b, i, j]))


def travel_times(
    planner: Planner,
    places: Sequence[Place],
    date: dt.date,
    times: Sequence[int],
    *,
    params: RoutingParams = DEFAULT_PARAMS,
    origins: Sequence[int] | None = None,
) -> TravelTimes:
    """Return travel times between ``places`` for departures at ``times`` (seconds of the day).

    Each search rides and walks as ``params`` allow.  ``origins`` limits the
    searches to those place indices (others stay UNREACHABLE).
    """
    n = len(places)
    departures = np.asarray(sorted(times), np.int64)
    out = np.full((len(departures), n, n), UNREACHABLE, np.int64)
    egress = [planner.access(p, params.walk, reverse=True) for p in places]
    for i in origins if origins is not None else range(n):
        direct = direct_walks(planner, places[i], places, params.walk)  # the same at every hour
        for b, t in enumerate(departures):
            arrival = arrival_times(planner, places[i], places, egress, date, int(t), params=params, direct=direct)
            ok = arrival < INF
            out[b, i, ok] = np.minimum(arrival[ok] - t, UNREACHABLE)
        out[:, i, i] = 0
    return TravelTimes(departures, out)
