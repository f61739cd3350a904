"""Vehicles for a set of runs: chain runs into vehicle duties with the fewest vehicles.

Run ``j`` can follow run ``i`` on the same vehicle when
``end(i) + min_layover + drive(last stop of i → first stop of j) ≤ start(j)``.
These pairs form a directed acyclic graph (a run only ever follows an earlier
one), and the fewest vehicles that cover every run is its minimum path cover:
``runs − maximum matching`` of the bipartite graph "i's end → j's start"
(König / Fulkerson).  Among the maximum matchings, the one with the least
deadhead distance is chosen (min-cost maximum flow, networkx's network
simplex), so duties and vehicle-km are as short as the fleet size allows.

Paid vehicle time: every run, every deadhead drive, and every gap between two
runs of a duty up to ``paid_layover_max_minutes`` (a longer gap is off duty:
the vehicle and driver are not paid while parked).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from maas.shuttle.model import RoadModel, Run
from maas.shuttle.schema import FleetSpec
from maas.shuttle.units import whole_seconds
from maas.when import format_clock


@dataclass(frozen=True)
class Duty:
    """One vehicle's runs in order, with its deadhead drives and paid time."""

    runs: tuple[str, ...]
    start: int
    end: int
    paid_s: int
    service_km: float
    deadhead_km: float
    deadhead_s: int


@dataclass(frozen=True)
class FleetResult:
    """Vehicles needed for the runs, their duties, vehicle-hours, vehicle-km and cost (yen)."""

    vehicles_needed: int
    vehicles_available: int | None
    duties: tuple[Duty, ...]
    vehicle_hours: float
    vehicle_km: float
    deadhead_km: float
    cost_yen: float
    max_matching: int
    notes: tuple[str, ...] = field(default=())

    @property
    def enough_vehicles(self) -> bool:
        """True when the available vehicles (if limited) can run every run."""
        return self.vehicles_available is None or self.vehicles_needed <= self.vehicles_available

    def to_dict(self) -> dict:
        """Return the ``fleet`` of the ``maas shuttle evaluate --json`` document (hours and km rounded, yen whole)."""
        return {
            "vehicles_needed": self.vehicles_needed,
            "vehicles_available": self.vehicles_available,
            "enough_vehicles": self.enough_vehicles,
            "vehicle_hours": round(self.vehicle_hours, 2),
            "vehicle_km": round(self.vehicle_km, 1),
            "deadhead_km": round(self.deadhead_km, 1),
            "cost_yen": round(self.cost_yen),
            "duties": [
                {
                    "runs": list(d.runs),
                    "start": format_clock(d.start),
                    "end": format_clock(d.end),
                    "paid_hours": round(d.paid_s / 3600, 2),
                    "km": round(d.service_km + d.deadhead_km, 1),
                    "deadhead_km": round(d.deadhead_km, 1),
                }
                for d in self.duties
            ],
        }


def can_follow(a: Run, b: Run, road: RoadModel, min_layover_s: int) -> bool:
    """Return True when one vehicle can run ``b`` after ``a``."""
    return a.end + min_layover_s + road.time_s(a.last_stop, b.first_stop) <= b.start


def chain_runs(
    runs: list[Run],
    road: RoadModel,
    *,
    min_layover_s: int,
    paid_layover_max_s: int,
    cost_per_hour: float,
    cost_per_km: float,
    vehicles_available: int | None = None,
) -> FleetResult:
    """Return the fewest vehicles that run every run, and their duties (see module docstring)."""
    n = len(runs)
    if n == 0:
        return FleetResult(0, vehicles_available, (), 0.0, 0.0, 0.0, 0.0, 0)
    runs = sorted(runs, key=lambda r: (r.start, r.id))
    size, succ = _matching(runs, road, min_layover_s)
    duties = sorted((_duty([runs[k] for k in chain], road, paid_layover_max_s) for chain in _chains(n, succ)), key=lambda d: (d.start, d.runs))
    hours = sum(d.paid_s for d in duties) / 3600.0
    km = sum(d.service_km + d.deadhead_km for d in duties)
    dead = sum(d.deadhead_km for d in duties)
    needed = n - size
    notes = []
    if vehicles_available is not None and needed > vehicles_available:
        notes.append(f"{needed} vehicles are needed to run every run, but only {vehicles_available} are available")
    return FleetResult(needed, vehicles_available, tuple(duties), hours, km, dead, hours * cost_per_hour + km * cost_per_km, size, tuple(notes))


def _matching(runs: list[Run], road: RoadModel, min_layover_s: int) -> tuple[int, dict[int, int]]:
    """Return the maximum matching's size and the run each run is followed by in the least-deadhead maximum matching."""
    n = len(runs)
    bip: nx.Graph = nx.Graph()
    tops = [("out", i) for i in range(n)]
    bip.add_nodes_from(tops, bipartite=0)
    bip.add_nodes_from((("in", j) for j in range(n)), bipartite=1)
    flow: nx.DiGraph = nx.DiGraph()
    flow.add_node("s", demand=0)
    flow.add_node("t", demand=0)
    for i in range(n):
        flow.add_edge("s", ("out", i), capacity=1, weight=0)
        flow.add_edge(("in", i), "t", capacity=1, weight=0)
    for i, a in enumerate(runs):
        for j, b in enumerate(runs):
            if i != j and can_follow(a, b, road, min_layover_s):
                bip.add_edge(("out", i), ("in", j))
                flow.add_edge(("out", i), ("in", j), capacity=1, weight=int(round(road.distance_km(a.last_stop, b.first_stop) * 1000)))
    matching = nx.bipartite.hopcroft_karp_matching(bip, top_nodes=tops)
    size = sum(1 for k in matching if k[0] == "out")
    # least deadhead among the maximum matchings
    flows = nx.max_flow_min_cost(flow, "s", "t")
    succ = {i: j for i in range(n) for (kind, j), f in flows[("out", i)].items() if kind == "in" and f > 0}
    assert len(succ) == size, "min-cost flow and Hopcroft-Karp disagree on the maximum matching"  # noqa: S101 - an invariant of ours, not a check of input
    return size, succ


def _chains(n: int, succ: dict[int, int]) -> list[list[int]]:
    """Return the runs of each vehicle: from every run without a predecessor, following ``succ``."""
    has_pred = set(succ.values())
    chains = []
    for i in range(n):
        if i in has_pred:
            continue
        chain = [i]
        while chain[-1] in succ:
            chain.append(succ[chain[-1]])
        chains.append(chain)
    return chains


def _duty(chain: list[Run], road: RoadModel, paid_layover_max_s: int) -> Duty:
    paid = 0
    service_km = 0.0
    dead_km = 0.0
    dead_s = 0
    for k, run in enumerate(chain):
        paid += run.end - run.start
        service_km += road.run_km(run)
        if k + 1 < len(chain):
            nxt = chain[k + 1]
            drive = road.time_s(run.last_stop, nxt.first_stop)
            dead_s += drive
            dead_km += road.distance_km(run.last_stop, nxt.first_stop)
            idle = nxt.start - run.end - drive
            paid += drive + (idle if idle <= paid_layover_max_s else 0)
    return Duty(tuple(r.id for r in chain), chain[0].start, chain[-1].end, paid, service_km, dead_km, dead_s)


def scenario_fleet(runs: list[Run], road: RoadModel, fleet: FleetSpec) -> FleetResult:
    """Return :func:`chain_runs` of the runs under a scenario's fleet settings (layovers, rates, vehicles)."""
    return chain_runs(
        runs,
        road,
        min_layover_s=whole_seconds(fleet.min_layover_minutes),
        paid_layover_max_s=whole_seconds(fleet.paid_layover_max_minutes),
        cost_per_hour=fleet.cost_per_vehicle_hour_yen,
        cost_per_km=fleet.cost_per_km_yen,
        vehicles_available=fleet.vehicles,
    )


__all__ = ["Duty", "FleetResult", "can_follow", "chain_runs", "scenario_fleet"]
