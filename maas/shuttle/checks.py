"""The checks of a scenario that its schema cannot express: ids, references, order of times, shares, service days.

:func:`check_scenario` returns ``(field path, message)`` for every problem,
in the order of the scenario's fields, so that a file with several mistakes
is reported completely at once.  Each part of the scenario has its own small
check below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from maas.shuttle.schema import CallSpec, OriginSpec, ParkSpec, RunSpec, Scenario, ShiftSpec
from maas.shuttle.units import WEEKDAYS, clock_text

#: Shares of a list must sum to 1 within this tolerance.
SHARE_TOLERANCE = 1e-6

Issue = tuple[str, str]


def check_scenario(s: Scenario, catalogue_feeds: str) -> list[Issue]:
    """Return (field path, message) for every inconsistency pydantic cannot see (ids, references, order, shares).

    ``catalogue_feeds`` names the feeds stops given by id alone are looked up in (for the message).
    """
    stops: dict[str, int] = {}
    for i, stop in enumerate(s.stops):
        stops.setdefault(stop.id, i)
    known = ", ".join(st.id for st in s.stops)
    return [
        *_check_stops(s, catalogue_feeds),
        *_check_demand(s, stops, known),
        *_check_runs(s, stops, known),
        *_check_road_times(s, stops, known),
        *_check_service(s),
        *_check_optimize(s, stops, known),
    ]


def _check_stops(s: Scenario, catalogue_feeds: str) -> list[Issue]:
    """Stop ids are unique; every stop has a position and a name."""
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for i, stop in enumerate(s.stops):
        if stop.id in seen:
            issues.append((f"stops[{i}].id", f"duplicate stop id '{stop.id}' (also stops[{seen[stop.id]}])"))
        seen.setdefault(stop.id, i)
        if stop.lat is None or stop.lon is None:
            issues.append((f"stops[{i}].id", f"unknown stop '{stop.id}': not a stop of the default feeds ({catalogue_feeds}); give name, lat and lon"))
        elif not stop.name:
            issues.append((f"stops[{i}].name", f"stop '{stop.id}' needs a name"))
    return issues


def _check_demand(s: Scenario, stops: dict[str, int], known: str) -> list[Issue]:
    """Each park is a stop, listed once, with shifts and origins; shares sum to 1; some stop is a station."""
    issues: list[Issue] = []
    parks_seen: dict[str, int] = {}
    for i, park in enumerate(s.demand.parks):
        issues += _check_park(s, park, f"demand.parks[{i}]", stops, known, parks_seen.get(park.stop))
        parks_seen.setdefault(park.stop, i)
    if s.demand.shifts is not None:
        issues += _check_shifts(s.demand.shifts, "demand.shifts")
    if s.demand.origins is not None:
        issues += _check_origins(s.demand.origins, "demand.origins")
    if not s.station_ids():
        issues.append(("stops", "no station: every stop is a park; add the stations where riders change from the train"))
    return issues


def _check_park(s: Scenario, park: ParkSpec, p: str, stops: dict[str, int], known: str, listed_at: int | None) -> list[Issue]:
    """One park of ``demand.parks`` (``listed_at``: the index of an earlier entry for the same stop)."""
    issues: list[Issue] = []
    if park.stop not in stops:
        issues.append((f"{p}.stop", f"unknown park stop '{park.stop}'; the scenario's stops are: {known}"))
    if listed_at is not None:
        issues.append((f"{p}.stop", f"park '{park.stop}' is listed twice (also demand.parks[{listed_at}])"))
    if park.shifts is None and s.demand.shifts is None:
        issues.append((f"{p}.shifts", "no shifts: give the park's shifts or demand.shifts"))
    if park.origins is None and s.demand.origins is None:
        issues.append((f"{p}.origins", "no origin stations: give the park's origins or demand.origins"))
    if park.shifts is not None:
        issues += _check_shifts(park.shifts, f"{p}.shifts")
    if park.origins is not None:
        issues += _check_origins(park.origins, f"{p}.origins")
    return issues


def _check_shifts(shifts: Sequence[ShiftSpec], path: str) -> list[Issue]:
    """Shifts end after they start, have distinct names, and their shares sum to 1."""
    if not shifts:
        return [(path, "at least one shift is needed")]
    issues: list[Issue] = []
    names: set[str] = set()
    for i, sh in enumerate(shifts):
        if sh.end <= sh.start:
            issues.append(
                (
                    f"{path}[{i}].end",
                    f"shift '{sh.name}' ends ({clock_text(sh.end)}) before it starts ({clock_text(sh.start)}); write 24:00+ for after midnight",
                )
            )
        if sh.name in names:
            issues.append((f"{path}[{i}].name", f"duplicate shift name '{sh.name}'"))
        names.add(sh.name)
    return issues + _shares([sh.share for sh in shifts], path, "shift")


def _check_origins(origins: Sequence[OriginSpec], path: str) -> list[Issue]:
    """Origin stations are distinct and their shares sum to 1."""
    if not origins:
        return [(path, "at least one origin station is needed")]
    issues: list[Issue] = []
    names: set[str] = set()
    for i, o in enumerate(origins):
        if o.station in names:
            issues.append((f"{path}[{i}].station", f"station '{o.station}' is listed twice"))
        names.add(o.station)
    return issues + _shares([o.share for o in origins], path, "origin")


def _shares(shares: Sequence[float], path: str, what: str) -> list[Issue]:
    total = math.fsum(shares)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        return [(path, f"{what} shares sum to {total:.6g}; they must sum to 1 (tolerance {SHARE_TOLERANCE:g})")]
    return []


def _check_runs(s: Scenario, stops: dict[str, int], known: str) -> list[Issue]:
    """Exactly one of runs and runs_feed; run ids are unique; every run is sound."""
    issues: list[Issue] = []
    if (s.runs is None) == (s.runs_feed is None):
        issues.append(("runs", "give the shuttle timetable either as runs or as runs_feed (exactly one of them)"))
    parks = s.park_ids()
    seen: dict[str, int] = {}
    for i, run in enumerate(s.runs or []):
        if run.id in seen:
            issues.append((f"runs[{i}].id", f"duplicate run id '{run.id}' (also runs[{seen[run.id]}])"))
        seen.setdefault(run.id, i)
        issues += _check_run(run, f"runs[{i}]", stops, known, parks)
    return issues


def _check_run(run: RunSpec, p: str, stops: dict[str, int], known: str, parks: list[str]) -> list[Issue]:
    """A run's calls are at known stops, times never go backwards, no stop twice in a row; it calls at a park."""
    issues: list[Issue] = []
    previous: CallSpec | None = None
    for j, call in enumerate(run.calls):
        issues += _check_call(run.id, call, previous, f"{p}.calls[{j}]", stops, known)
        previous = call
    if not any(c.stop in parks for c in run.calls):
        issues.append((f"{p}.calls", f"run '{run.id}' calls at no park ({', '.join(parks)})"))
    return issues


def _check_call(run_id: str, call: CallSpec, previous: CallSpec | None, c: str, stops: dict[str, int], known: str) -> list[Issue]:
    """One call, against the call before it."""
    issues: list[Issue] = []
    if call.stop not in stops:
        issues.append((f"{c}.stop", f"unknown park or station '{call.stop}' in run '{run_id}'; the scenario's stops are: {known}"))
    if call.depart is not None and call.depart < call.time:
        issues.append((f"{c}.depart", f"departs at {clock_text(call.depart)}, before it arrives ({clock_text(call.time)})"))
    if previous is not None:
        left = previous.depart if previous.depart is not None else previous.time
        if call.time < left:
            issues.append(
                (
                    f"{c}.time",
                    f"{clock_text(call.time)} at '{call.stop}' is earlier than the call before it ({clock_text(left)} at '{previous.stop}'): times go backwards",
                )
            )
        if call.stop == previous.stop:
            issues.append((f"{c}.stop", f"'{call.stop}' twice in a row; merge the two calls (use depart for a wait)"))
    return issues


def _check_road_times(s: Scenario, stops: dict[str, int], known: str) -> list[Issue]:
    """Known road times join two different known stops."""
    issues: list[Issue] = []
    for i, rt in enumerate(s.fleet.road_times):
        for sid, label in ((rt.from_, "from"), (rt.to, "to")):
            if sid not in stops:
                issues.append((f"fleet.road_times[{i}].{label}", f"unknown stop '{sid}'; the scenario's stops are: {known}"))
        if rt.from_ == rt.to:
            issues.append((f"fleet.road_times[{i}]", "from and to are the same stop"))
    return issues


def _check_service(s: Scenario) -> list[Issue]:
    """The service period is not reversed, and the evaluation date is a service day."""
    sv = s.service
    start, end = sv.start_date or s.date, sv.end_date or s.date
    if end < start:
        return [("service.end_date", f"{end} is before the start date {start}")]
    weekdays = {WEEKDAYS.index(d) for d in sv.weekdays}
    if not (start <= s.date <= end) or s.date.weekday() not in weekdays or s.date in sv.except_dates:
        return [("date", f"the shuttle does not run on {s.date:%a %Y-%m-%d} under service ({start} to {end}, {', '.join(sv.weekdays)}, minus except_dates)")]
    return []


def _check_optimize(s: Scenario, stops: dict[str, int], known: str) -> list[Issue]:
    """The optimizer's stations are known stations; its windows do not end before they start."""
    issues: list[Issue] = []
    o = s.optimize
    parks = s.park_ids()
    for i, st in enumerate(o.stations or []):
        if st not in stops:
            issues.append((f"optimize.stations[{i}]", f"unknown stop '{st}'; the scenario's stops are: {known}"))
        elif st in parks:
            issues.append((f"optimize.stations[{i}]", f"'{st}' is a park, not a station"))
    for attr in ("to_work_window", "home_window"):
        w = getattr(o, attr)
        if w is not None and w[1] < w[0]:
            issues.append((f"optimize.{attr}", f"ends ({clock_text(w[1])}) before it starts ({clock_text(w[0])})"))
    return issues


__all__ = ["SHARE_TOLERANCE", "check_scenario"]
