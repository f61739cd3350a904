"""The key figures of an evaluation: per park and shift, and in total.

Riders are expected numbers (employees × rail_shuttle_share × shift share ×
origin share); means are weighted by seated riders.  "on time" (to work) and
"reached" (home) count riders who have an option, seats ignored; "seated"
those who also get a seat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from maas.shuttle.fleet import FleetResult
from maas.shuttle.groups import GroupResult
from maas.shuttle.loads import RunResult
from maas.shuttle.options import HOME, TO_WORK
from maas.shuttle.schema import Scenario
from maas.shuttle.units import clock, minutes, r1

#: What "riders" means, printed with every report.
RIDERS_NOTE = (
    "riders are expected numbers: employees × rail_shuttle_share × shift share × origin share; "
    "shares, shifts and origins are scenario assumptions, not observations"
)


@dataclass(frozen=True)
class ShiftResult:
    """Totals for one park and shift, both directions (times and waits in seconds)."""

    park: str
    shift: str
    start: int
    end: int
    riders: float
    to_work_reached: float
    to_work_seated: float
    home_reached: float
    home_seated: float
    mean_wait_s: float | None
    mean_early_s: float | None
    mean_door_to_door_s: float | None
    mean_home_wait_s: float | None
    mean_home_park_wait_s: float | None
    mean_home_door_to_door_s: float | None

    def to_dict(self) -> dict:
        """Return the shift's entry of a park in the ``--json`` document."""
        return {
            "shift": self.shift,
            "start": clock(self.start),
            "end": clock(self.end),
            "riders": r1(self.riders),
            "to_work": {
                "on_time": r1(self.to_work_reached),
                "seated": r1(self.to_work_seated),
                "mean_wait_min": minutes(self.mean_wait_s),
                "mean_early_min": minutes(self.mean_early_s),
                "mean_door_to_door_min": minutes(self.mean_door_to_door_s),
            },
            "home": {
                "reached": r1(self.home_reached),
                "seated": r1(self.home_seated),
                "mean_park_wait_min": minutes(self.mean_home_park_wait_s),
                "mean_station_wait_min": minutes(self.mean_home_wait_s),
                "mean_door_to_door_min": minutes(self.mean_home_door_to_door_s),
            },
        }


@dataclass(frozen=True)
class Totals:
    """The whole timetable's figures (riders expected, waits in seconds, money in yen).

    :meth:`to_dict` is the ``totals`` of the ``--json`` document: some keys
    are named for readers there (``to_work_on_time`` for ``to_work_reached``,
    minutes for seconds) and numbers are rounded.
    """

    riders: float
    to_work_reached: float
    to_work_seated: float
    home_reached: float
    home_seated: float
    served_share: float | None
    mean_wait_s: float | None
    mean_wait_to_work_s: float | None
    mean_wait_home_s: float | None
    mean_door_to_door_s: float | None
    runs: int
    max_load: float
    max_wanted: float
    runs_over_seats: int
    vehicles: int
    vehicle_hours: float
    vehicle_km: float
    cost_yen: float
    cost_per_seated_trip_yen: float | None

    def to_dict(self) -> dict:
        """Return the ``totals`` of the ``--json`` document."""
        return {
            "riders": r1(self.riders),
            "to_work_on_time": r1(self.to_work_reached),
            "to_work_seated": r1(self.to_work_seated),
            "home_reached": r1(self.home_reached),
            "home_seated": r1(self.home_seated),
            "served_share": None if self.served_share is None else round(self.served_share, 3),
            "mean_wait_min": minutes(self.mean_wait_s),
            "mean_wait_to_work_min": minutes(self.mean_wait_to_work_s),
            "mean_wait_home_min": minutes(self.mean_wait_home_s),
            "mean_door_to_door_min": minutes(self.mean_door_to_door_s),
            "runs": self.runs,
            "runs_over_seats": self.runs_over_seats,
            "max_load": r1(self.max_load),
            "max_wanted": r1(self.max_wanted),
            "vehicles": self.vehicles,
            "vehicle_hours": round(self.vehicle_hours, 2),
            "vehicle_km": round(self.vehicle_km, 1),
            "cost_yen": round(self.cost_yen),
            "cost_per_seated_trip_yen": None if self.cost_per_seated_trip_yen is None else round(self.cost_per_seated_trip_yen),
        }


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Return the mean of the values weighted by riders, from (riders, value) pairs; None without riders."""
    w = sum(a for a, _ in pairs)
    return sum(a * v for a, v in pairs) / w if w > 1e-9 else None


def _values(groups: Sequence[GroupResult], value: str) -> list[tuple[float, float]]:
    """(seated riders, the option's ``value``) of every seated option of the groups."""
    return [(a, getattr(o, value)) for g in groups for a, o in g.seated_options()]


def _home_waits(groups: Sequence[GroupResult]) -> list[tuple[float, float]]:
    """(seated riders, wait at the park + at the station) of every seated option home."""
    return [(a, o.wait_s + o.park_wait_s) for g in groups for a, o in g.seated_options()]


def shift_results(s: Scenario, groups: Sequence[GroupResult]) -> list[ShiftResult]:
    """Return the figures of every park and shift, in the scenario's order."""
    by: dict[tuple[str, str], list[GroupResult]] = defaultdict(list)
    for g in groups:
        by[(g.group.park, g.group.shift)].append(g)
    out = []
    for park in s.demand.parks:
        for shift in s.shifts_of(park):
            gs = by.get((park.stop, shift.name), [])
            work = [g for g in gs if g.direction == TO_WORK]
            home = [g for g in gs if g.direction == HOME]
            out.append(
                ShiftResult(
                    park=park.stop,
                    shift=shift.name,
                    start=shift.start,
                    end=shift.end,
                    riders=sum(g.riders for g in work),
                    to_work_reached=sum(g.reached for g in work),
                    to_work_seated=sum(g.seated for g in work),
                    home_reached=sum(g.reached for g in home),
                    home_seated=sum(g.seated for g in home),
                    mean_wait_s=weighted_mean(_values(work, "wait_s")),
                    mean_early_s=weighted_mean(_values(work, "early_s")),
                    mean_door_to_door_s=weighted_mean(_values(work, "door_to_door_s")),
                    mean_home_wait_s=weighted_mean(_values(home, "wait_s")),
                    mean_home_park_wait_s=weighted_mean(_values(home, "park_wait_s")),
                    mean_home_door_to_door_s=weighted_mean(_values(home, "door_to_door_s")),
                )
            )
    return out


def totals(groups: Sequence[GroupResult], runs: Sequence[RunResult], fleet: FleetResult) -> Totals:
    """Return the whole timetable's figures."""
    work = [g for g in groups if g.direction == TO_WORK]
    home = [g for g in groups if g.direction == HOME]
    riders = sum(g.riders for g in work)
    seated_trips = sum(g.seated for g in groups)
    return Totals(
        riders=riders,
        to_work_reached=sum(g.reached for g in work),
        to_work_seated=sum(g.seated for g in work),
        home_reached=sum(g.reached for g in home),
        home_seated=sum(g.seated for g in home),
        served_share=(sum(g.seated for g in work) / riders) if riders > 0 else None,
        mean_wait_s=weighted_mean(_values(groups, "wait_s")),
        mean_wait_to_work_s=weighted_mean(_values(work, "wait_s")),
        mean_wait_home_s=weighted_mean(_home_waits(home)),
        mean_door_to_door_s=weighted_mean(_values(work, "door_to_door_s")),
        runs=len(runs),
        max_load=max((r.peak_load for r in runs), default=0.0),
        max_wanted=max((r.peak_wanted for r in runs), default=0.0),
        runs_over_seats=sum(1 for r in runs if r.over_seats),
        vehicles=fleet.vehicles_needed,
        vehicle_hours=fleet.vehicle_hours,
        vehicle_km=fleet.vehicle_km,
        cost_yen=fleet.cost_yen,
        cost_per_seated_trip_yen=(fleet.cost_yen / seated_trips) if seated_trips > 1e-9 else None,
    )


__all__ = ["RIDERS_NOTE", "ShiftResult", "Totals", "shift_results", "totals", "weighted_mean"]
