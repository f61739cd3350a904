"""Per run: expected load on each leg against its seats, riders boarding and alighting, waits, trains met.

``load`` counts the riders seated on each leg (from one call to the next);
``wanted`` the riders whose best option is the run, seats ignored (a run
wanted by more riders than it has seats shows where the timetable is short).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from maas.shuttle.context import ShuttleContext
from maas.shuttle.meets import MET, MISSED, TrainMeet, train_meets
from maas.shuttle.model import Run
from maas.shuttle.options import HOME, TO_WORK, Option
from maas.shuttle.units import clock, minutes, r1

MIXED = "mixed"


@dataclass(frozen=True)
class RunLoad:
    """Riders of one group on one run: their option and how many of them are seated (``riders``) or want it first (``wanted``)."""

    option: Option
    riders: float
    wanted: float


@dataclass
class RunResult:
    """One run: its calls, km, expected load per leg against seats, riders and the trains it meets."""

    run: Run
    direction: str
    km: float
    seats: int
    load: list[float]
    wanted: list[float]
    boarding: dict[str, float]
    alighting: dict[str, float]
    mean_wait_s: float | None
    meets: list[TrainMeet]

    @property
    def peak_load(self) -> float:
        return max(self.load, default=0.0)

    @property
    def peak_wanted(self) -> float:
        return max(self.wanted, default=0.0)

    @property
    def riders(self) -> float:
        return float(sum(self.boarding.values()))

    @property
    def over_seats(self) -> bool:
        """True when more riders want the run first than it has seats."""
        return self.peak_wanted > self.seats + 1e-9

    def to_dict(self, names: dict[str, str]) -> dict:
        """Return the run's entry of the ``--json`` document (``names``: stop id → display name)."""
        n = len(self.run.calls)
        calls = [
            {
                "stop": c.stop,
                "name": names.get(c.stop, c.stop),
                "arrival": clock(c.arrival),
                "departure": clock(c.departure),
                "load_after": r1(self.load[k]) if k < n - 1 else None,
            }
            for k, c in enumerate(self.run.calls)
        ]
        return {
            "id": self.run.id,
            "name": self.run.name or None,
            "name_en": self.run.name_en or None,
            "direction": self.direction,
            "start": clock(self.run.start),
            "end": clock(self.run.end),
            "minutes": round((self.run.end - self.run.start) / 60, 1),
            "km": round(self.km, 2),
            "seats": self.seats,
            "peak_load": r1(self.peak_load),
            "wanted_peak": r1(self.peak_wanted),
            "riders": r1(self.riders),
            "mean_wait_min": minutes(self.mean_wait_s),
            "boarding": {k: r1(v) for k, v in self.boarding.items()},
            "alighting": {k: r1(v) for k, v in self.alighting.items()},
            "calls": calls,
            "trains_met": [
                {"station": m.station, "kind": m.kind, "time": clock(m.time), "train": m.train, "trip_id": m.trip_id, "wait_min": minutes(m.gap_s)}
                for m in self.meets
                if m.status == MET
            ],
            "missed": [
                {"station": m.station, "kind": m.kind, "time": clock(m.time), "train": m.train, "trip_id": m.trip_id, "short_by_min": minutes(m.gap_s)}
                for m in self.meets
                if m.status == MISSED
            ],
        }


def run_direction(run: Run, parks: set[str]) -> str:
    """``to_work`` when every station comes before every park, ``home`` when after, else ``mixed``."""
    park_pos = [i for i, c in enumerate(run.calls) if c.stop in parks]
    station_pos = [i for i, c in enumerate(run.calls) if c.stop not in parks]
    if park_pos and station_pos and max(station_pos) < min(park_pos):
        return TO_WORK
    if park_pos and station_pos and max(park_pos) < min(station_pos):
        return HOME
    return MIXED


def run_result(ctx: ShuttleContext, run: Run, riders: Sequence[RunLoad]) -> RunResult:
    """Return a run's loads, riders, mean wait and trains met from the groups' riders on it."""
    n = len(run.calls)
    load = np.zeros(max(n - 1, 1))
    wanted = np.zeros(max(n - 1, 1))
    boarding: dict[str, float] = defaultdict(float)
    alighting: dict[str, float] = defaultdict(float)
    wait_sum = 0.0
    seated = 0.0
    for r in riders:
        o = r.option
        if r.wanted:
            wanted[o.board_pos : o.alight_pos] += r.wanted
        if r.riders <= 0:
            continue
        load[o.board_pos : o.alight_pos] += r.riders
        boarding[o.board] += r.riders
        alighting[o.alight] += r.riders
        wait_sum += r.riders * o.wait_s
        seated += r.riders
    return RunResult(
        run=run,
        direction=run_direction(run, set(ctx.scenario.park_ids())),
        km=ctx.road.run_km(run),
        seats=ctx.scenario.fleet.seats,
        load=[float(x) for x in load[: n - 1]],
        wanted=[float(x) for x in wanted[: n - 1]],
        boarding=dict(boarding),
        alighting=dict(alighting),
        mean_wait_s=wait_sum / seated if seated > 1e-9 else None,
        meets=train_meets(ctx, run),
    )


__all__ = ["MIXED", "RunLoad", "RunResult", "run_direction", "run_result"]
