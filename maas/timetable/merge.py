"""Put two compiled timetables side by side: ``merge_timetables(compile(A), compile(B)) == compile(A + B)``.

The compiler keeps every feed to itself (its ids, routes, services, transfers
and shapes are keyed by the feed), so compiling feeds ``A`` and then ``B``
together gives ``A``'s arrays followed by ``B``'s, with ``B``'s indices moved
past ``A``'s and the service calendar widened to cover both.  That lets a
caller compile a large timetable once and join a small one to it many times
(the shuttle planner: the trains once, each scenario's runs in memory) instead
of compiling the large one again.  ``tests/shuttle/test_timetable.py`` checks
the equality field by field against a joint compile.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from maas.errors import FeedError
from maas.timetable.model import Timetable


def merge_timetables(first: Timetable, second: Timetable) -> Timetable:
    """Return the timetable of ``first``'s feeds followed by ``second``'s (see the module docstring).

    Raises :class:`FeedError` when the two use different time zones (the
    compiler refuses such feeds too).
    """
    if first.feeds and second.feeds and first.timezone != second.timezone:
        raise FeedError(f"feeds use different time zones ({first.timezone}, {second.timezone}); compile them separately")
    shift = _Shift.of(first)
    first_day, runs = _service_runs(first, second)
    values: dict[str, Any] = {"timezone": first.timezone if first.feeds else second.timezone, "first_day": first_day, "service_runs": runs}
    for name, rule in _RULES.items():
        values[name] = rule(getattr(first, name), getattr(second, name), shift)
    unknown = {f.name for f in dataclasses.fields(Timetable) if f.init and f.name not in values and not f.name.startswith("_")}
    if unknown:  # a field added to Timetable must be given a rule here
        raise TypeError(f"merge_timetables does not know how to merge Timetable.{', '.join(sorted(unknown))}")
    return Timetable(**values)


@dataclasses.dataclass(frozen=True)
class _Shift:
    """How far ``second``'s indices move: the sizes of ``first``."""

    feeds: int
    stops: int
    routes: int
    trips: int
    patterns: int
    services: int
    stop_times: int
    shapes: int
    headsigns: int
    short_names: int

    @classmethod
    def of(cls, tt: Timetable) -> _Shift:
        return cls(
            len(tt.feeds),
            tt.n_stops,
            tt.n_routes,
            tt.n_trips,
            tt.n_patterns,
            len(tt.service_ids),
            tt.n_stop_times,
            len(tt.shape_ids),
            len(tt.headsign_texts),
            len(tt.short_names_i18n),
        )


_Rule = Callable[[Any, Any, _Shift], Any]


def _concat(a: Any, b: Any, _: _Shift) -> Any:
    """Lists are joined; arrays are joined keeping the first one's dtype."""
    if isinstance(a, list):
        return [*a, *b]
    return np.concatenate([np.asarray(a), np.asarray(b).astype(a.dtype, copy=False)])


def _moved(size: Callable[[_Shift], int], keep_negative: bool = False) -> _Rule:
    """Indices into another kind of array: ``second``'s move by ``first``'s count (-1, "none", stays -1 when asked)."""

    def rule(a: np.ndarray, b: np.ndarray, shift: _Shift) -> np.ndarray:
        b = np.asarray(b)
        moved = b + size(shift)
        if keep_negative:
            moved = np.where(b < 0, b, moved)
        return np.concatenate([np.asarray(a), moved.astype(a.dtype, copy=False)])

    return rule


def _offsets(a: np.ndarray, b: np.ndarray, _: _Shift) -> np.ndarray:
    """CSR offsets: ``second``'s start where ``first``'s end."""
    a, b = np.asarray(a), np.asarray(b)
    return np.concatenate([a, (b[1:] + a[-1]).astype(a.dtype, copy=False)])


_RULES: dict[str, _Rule] = {
    "feeds": _concat,
    "stop_feed": _moved(lambda s: s.feeds),
    "stop_ids": _concat,
    "stop_names": _concat,
    "stop_names_i18n": _concat,
    "stop_name_source": _concat,
    "stop_lat": _concat,
    "stop_lon": _concat,
    "stop_parent": _moved(lambda s: s.stops, keep_negative=True),
    "stop_location_type": _concat,
    "stop_platform_codes": _concat,
    "stop_zones": _concat,
    "route_feed": _moved(lambda s: s.feeds),
    "route_ids": _concat,
    "route_short_names": _concat,
    "route_long_names": _concat,
    "route_names_i18n": _concat,
    "route_long_names_i18n": _concat,
    "route_types": _concat,
    "route_modes": _concat,
    "route_agency": _concat,
    "route_colors": _concat,
    "route_fare_yen": _concat,
    "route_zone_fares": _concat,
    "trip_ids": _concat,
    "trip_freq_start": _concat,
    "trip_route": _moved(lambda s: s.routes),
    "trip_service": _moved(lambda s: s.services),
    "trip_pattern": _moved(lambda s: s.patterns),
    "trip_headsigns": _concat,
    "trip_short_names": _concat,
    "trip_headsign_index": _moved(lambda s: s.headsigns, keep_negative=True),
    "trip_short_name_index": _moved(lambda s: s.short_names, keep_negative=True),
    "trip_time_offset": _moved(lambda s: s.stop_times),
    "stop_time_arr": _concat,
    "stop_time_dep": _concat,
    "stop_time_headsign": _moved(lambda s: s.headsigns, keep_negative=True),
    "headsign_texts": _concat,
    "headsign_names_i18n": _concat,
    "short_names_i18n": _concat,
    "pattern_route": _moved(lambda s: s.routes),
    "pattern_stop_offsets": _offsets,
    "pattern_stops": _moved(lambda s: s.stops),
    "pattern_pickup": _concat,
    "pattern_dropoff": _concat,
    "pattern_trip_offsets": _offsets,
    "pattern_trips": _moved(lambda s: s.trips),
    "service_ids": _concat,
    "service_feed": _moved(lambda s: s.feeds),
    "transfer_from": _moved(lambda s: s.stops),
    "transfer_to": _moved(lambda s: s.stops),
    "transfer_seconds": _concat,
    "shape_ids": _concat,
    "shape_offsets": _offsets,
    "shape_lon": _concat,
    "shape_lat": _concat,
    "shape_dist": _concat,
    "trip_shape": _moved(lambda s: s.shapes, keep_negative=True),
    "stop_time_shape_dist": _concat,
}


def _service_runs(first: Timetable, second: Timetable) -> tuple[int, np.ndarray]:
    """Return ``first_day`` and ``service_runs`` over both calendars: from the first to the last day any service runs.

    As the compiler does, a calendar without a single day starts at day 0 and is one day long.
    """
    spans = [(tt.first_day + int(days[0]), tt.first_day + int(days[-1])) for tt in (first, second) if len(days := np.flatnonzero(tt.service_runs.any(axis=0)))]
    first_day = min(lo for lo, _ in spans) if spans else 0
    n_days = (max(hi for _, hi in spans) if spans else 0) - first_day + 1
    rows = np.zeros((len(first.service_ids) + len(second.service_ids), n_days), bool)
    start = 0
    for tt in (first, second):
        used = np.flatnonzero(tt.service_runs.any(axis=0))
        rows[start : start + len(tt.service_ids), tt.first_day + used - first_day] = tt.service_runs[:, used]
        start += len(tt.service_ids)
    return first_day, rows


__all__ = ["merge_timetables"]
