"""The shuttle's plain data: runs with their calls, and road times between stops.

These are the small, immutable objects the evaluation, the fleet chaining and
the optimizer work on.  Times are int seconds after noon-minus-12 h of the
service day; distances km.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from maas.geo import haversine_m
from maas.shuttle.schema import RunSpec, Scenario
from maas.shuttle.units import clock_text
from maas.when import format_clock


@dataclass(frozen=True)
class Call:
    """A run's stop at ``stop`` (scenario stop id): arrives ``arrival``, leaves ``departure`` (seconds)."""

    stop: str
    arrival: int
    departure: int


@dataclass(frozen=True)
class Run:
    """A shuttle run: id, name and its calls in order."""

    id: str
    calls: tuple[Call, ...]
    name: str = ""
    name_en: str = ""

    @property
    def start(self) -> int:
        """Departure from the first stop, seconds."""
        return self.calls[0].departure

    @property
    def end(self) -> int:
        """Arrival at the last stop, seconds."""
        return self.calls[-1].arrival

    @property
    def first_stop(self) -> str:
        return self.calls[0].stop

    @property
    def last_stop(self) -> str:
        return self.calls[-1].stop

    @property
    def stops(self) -> tuple[str, ...]:
        return tuple(c.stop for c in self.calls)

    def label(self) -> str:
        """Return ``id (07:14 ajisu → 07:53 ube_techno_park)``."""
        return f"{self.id} ({format_clock(self.start)} {self.first_stop} → {format_clock(self.end)} {self.last_stop})"

    def to_spec(self) -> RunSpec:
        """Return the scenario form of the run."""
        calls = []
        for c in self.calls:
            d = {"stop": c.stop, "time": clock_text(c.arrival)}
            if c.departure != c.arrival:
                d["depart"] = clock_text(c.departure)
            calls.append(d)
        data: dict[str, object] = {"id": self.id, "calls": calls}
        if self.name:
            data["name"] = self.name
        if self.name_en:
            data["name_en"] = self.name_en
        return RunSpec.model_validate(data)


def runs_from_specs(specs: list[RunSpec]) -> list[Run]:
    """Return the runs of a scenario's ``runs`` list."""
    out = []
    for r in specs:
        calls = tuple(Call(c.stop, c.time, c.depart if c.depart is not None else c.time) for c in r.calls)
        out.append(Run(r.id, calls, r.name or "", r.name_en or ""))
    return out


@dataclass(frozen=True)
class RoadModel:
    """Driving times (seconds) and road distances (km) between every pair of shuttle stops.

    A pair without a known time takes ``ceil(km / speed × 60)`` whole minutes,
    where ``km`` is the straight-line distance × the detour factor.
    """

    ids: tuple[str, ...]
    seconds: np.ndarray  # int64 [n, n]
    km: np.ndarray  # float64 [n, n]

    def index(self, stop: str) -> int:
        return self.ids.index(stop)

    def time_s(self, a: str, b: str) -> int:
        """Return the driving time from ``a`` to ``b``, seconds."""
        return int(self.seconds[self.ids.index(a), self.ids.index(b)])

    def distance_km(self, a: str, b: str) -> float:
        """Return the road distance from ``a`` to ``b``, km."""
        return float(self.km[self.ids.index(a), self.ids.index(b)])

    def run_km(self, run: Run) -> float:
        """Return the road km of a run, stop to stop."""
        return sum(self.distance_km(a.stop, b.stop) for a, b in zip(run.calls, run.calls[1:]))

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> RoadModel:
        """Build the road model of a scenario's stops and fleet settings."""
        f = scenario.fleet
        ids = tuple(s.id for s in scenario.stops)
        lat = np.array([s.lat for s in scenario.stops], float)
        lon = np.array([s.lon for s in scenario.stops], float)
        straight = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) / 1000.0
        km = straight * f.road_detour
        minutes = np.ceil(km / f.road_speed_kmh * 60.0 - 1e-9)
        seconds = (minutes * 60).astype(np.int64)
        for rt in f.road_times:
            i, j = ids.index(rt.from_), ids.index(rt.to)
            pairs = [(i, j), (j, i)] if rt.both_ways else [(i, j)]
            for a, b in pairs:
                seconds[a, b] = int(math.ceil(rt.minutes * 60 - 1e-9))
                if rt.km is not None:
                    km[a, b] = rt.km
        np.fill_diagonal(seconds, 0)
        np.fill_diagonal(km, 0.0)
        return cls(ids, seconds, km)
