"""The optimizer's model, written once for any solver that offers the few calls of :class:`Backend`.

Binary ``x[r]``: candidate run ``r`` is operated.  Integer ``y[r, g]``:
riders of group ``g`` (in tenths) carried by ``r``; ``Σ_r y[r, g] ≤ riders(g)``
and ``Σ_g y[r, g] ≤ seats · x[r]`` (every rider of a generated run is on
board between its last station and first park, so the total is the peak
load).  Vehicles: a time–space network over the stops — a vehicle waits at a
stop, drives a run (start event → end event + ``min_layover``) or deadheads
from the end of a run to any stop where runs start, arriving after the road
time; vehicles enter and leave the network anywhere.  Flow conservation makes
the number of vehicles entering the network exactly the fewest vehicles that
can run the chosen runs (the same rule as :mod:`maas.shuttle.fleet`), and it
is at most ``fleet.vehicles``.  With ``keep_served`` every group the input
serves on time keeps at least one run that serves it.  The objective is
:mod:`maas.shuttle.objective`'s.

:mod:`maas.shuttle.solver` gives the backends: CP-SAT (the model as it is)
and GLOP (every variable continuous: the LP relaxation).
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from maas.shuttle.candidates import INPUT, Candidate, serving_runs
from maas.shuttle.model import RoadModel
from maas.shuttle.objective import POINTS, SCALE, run_cost_yen, value_per_rider
from maas.shuttle.schema import DemandGroup, Scenario
from maas.shuttle.units import whole_seconds

#: A y variable's key: (candidate index, direction, group index).
YKey = tuple[int, str, int]


class Backend(Protocol):
    """What the model needs from a solver: variables, linear constraints and a linear objective to maximise."""

    def bool(self, name: str) -> Any: ...

    def int(self, lo: int, hi: int, name: str) -> Any: ...

    def add(self, constraint: Any) -> None: ...

    def sum(self, items: Iterable[Any]) -> Any: ...

    def maximize(self, expr: Any) -> None: ...


@dataclass
class Model:
    """A built model: its backend and variables (``y`` by (candidate, direction, group), ``flows`` of the vehicle network)."""

    backend: Backend
    x: list[Any]
    y: dict[YKey, Any]
    vehicles: Any
    flows: list[Any]


def build_model(
    backend: Backend,
    scenario: Scenario,
    road: RoadModel,
    cands: Sequence[Candidate],
    groups: Sequence[DemandGroup],
    *,
    fixed: set[int] | None = None,
) -> Model:
    """Return the model of the candidates in ``backend`` (see the module docstring).

    ``fixed``: exactly these runs are operated (to score the input).
    """
    s = scenario
    w = s.optimize.weights
    b = backend
    x = [b.bool(f"x{c}") for c in range(len(cands))]
    if fixed is not None:
        for c in range(len(cands)):
            b.add(x[c] == (1 if c in fixed else 0))
    units = [int(round(g.riders * SCALE)) for g in groups]
    y, coef = _carried(b, s, cands, units)
    _add_capacities(b, s, x, y, units)
    if s.optimize.keep_served and fixed is None:
        for cs in serving_runs(cands).values():
            if any(cands[c].source == INPUT for c in cs):
                b.add(b.sum(x[c] for c in cs) >= 1)
    if s.optimize.max_runs is not None and fixed is None:
        b.add(b.sum(x) <= s.optimize.max_runs)
    vehicles, flows = _fleet_flow(b, s, road, cands, x)
    if s.fleet.vehicles is not None:
        b.add(vehicles <= s.fleet.vehicles)
    run_points = [int(round(POINTS * (w.run + w.cost_per_1000_yen * run_cost_yen(s.fleet, road, cand.run) / 1000.0))) for cand in cands]
    b.maximize(b.sum(coef[k] * v for k, v in y.items()) - int(round(POINTS * w.vehicle)) * vehicles - b.sum(p * xc for p, xc in zip(run_points, x)))
    return Model(b, x, y, vehicles, flows)


def _carried(b: Backend, s: Scenario, cands: Sequence[Candidate], units: list[int]) -> tuple[dict[YKey, Any], dict[YKey, int]]:
    """The riders each candidate may carry of each group it serves, with their points per unit (worthless pairs left out)."""
    margin = whole_seconds(s.rules.margin_minutes)
    w = s.optimize.weights
    y: dict[YKey, Any] = {}
    coef: dict[YKey, int] = {}
    for c, cand in enumerate(cands):
        for d, gi, opt in cand.serves:
            k = int(round(POINTS * value_per_rider(opt, w, margin) / SCALE))
            if k <= 0 or units[gi] <= 0:
                continue
            y[c, d, gi] = b.int(0, units[gi], f"y{c}_{d}_{gi}")
            coef[c, d, gi] = k
    return y, coef


def _add_capacities(b: Backend, s: Scenario, x: list[Any], y: dict[YKey, Any], units: list[int]) -> None:
    """A group's riders at most once; a run's riders within its seats, and only when it runs."""
    per_group: dict[tuple[str, int], list[Any]] = defaultdict(list)
    per_run: dict[int, list[Any]] = defaultdict(list)
    for (c, d, gi), v in y.items():
        per_group[d, gi].append(v)
        per_run[c].append(v)
    for (_, gi), vs in per_group.items():
        b.add(b.sum(vs) <= units[gi])
    cap = s.fleet.seats * SCALE
    for c, vs in per_run.items():
        b.add(b.sum(vs) <= cap * x[c])
    for (c, _, gi), v in y.items():
        b.add(v <= units[gi] * x[c])  # implied by the seats, but a much tighter LP relaxation


@dataclass
class _VehicleNetwork:
    """The time–space network's events: per stop the sorted times at which runs start there or vehicles are free after one.

    ``inflow`` / ``outflow``: the variables entering and leaving each (stop, time) event.
    """

    nodes: dict[str, list[int]]
    start_stops: list[str]
    end_events: list[tuple[str, int]]
    inflow: dict[tuple[str, int], list[Any]]
    outflow: dict[tuple[str, int], list[Any]]

    @classmethod
    def of(cls, cands: Sequence[Candidate], x: list[Any], layover: int) -> _VehicleNetwork:
        times: dict[str, set[int]] = defaultdict(set)
        inflow: dict[tuple[str, int], list[Any]] = defaultdict(list)
        outflow: dict[tuple[str, int], list[Any]] = defaultdict(list)
        for c, cand in enumerate(cands):
            r = cand.run
            times[r.first_stop].add(r.start)
            times[r.last_stop].add(r.end + layover)
            outflow[r.first_stop, r.start].append(x[c])  # a run takes a vehicle from its start...
            inflow[r.last_stop, r.end + layover].append(x[c])  # ...and frees it after the layover
        starts = sorted({cand.run.first_stop for cand in cands})
        ends = sorted({(cand.run.last_stop, cand.run.end + layover) for cand in cands})
        return cls({loc: sorted(ts) for loc, ts in times.items()}, starts, ends, inflow, outflow)

    def arc(self, v: Any, tail: tuple[str, int], head: tuple[str, int]) -> Any:
        """Let ``v`` vehicles go from the event ``tail`` to the event ``head``."""
        self.outflow[tail].append(v)
        self.inflow[head].append(v)
        return v


def _fleet_flow(b: Backend, s: Scenario, road: RoadModel, cands: Sequence[Candidate], x: list[Any]) -> tuple[Any, list[Any]]:
    """Add the time–space vehicle network; return (vehicles, flow variables)."""
    vmax = s.fleet.vehicles if s.fleet.vehicles is not None else len(cands)
    net = _VehicleNetwork.of(cands, x, whole_seconds(s.fleet.min_layover_minutes))
    flows = [net.arc(b.int(0, vmax, f"wait_{loc}_{a}"), (loc, a), (loc, t)) for loc, ts in net.nodes.items() for a, t in itertools.pairwise(ts)]
    flows += _deadheads(b, net, road, vmax)
    sources = []
    for loc, ts in net.nodes.items():  # vehicles enter and leave the network anywhere
        src = b.int(0, vmax, f"src_{loc}")
        snk = b.int(0, vmax, f"snk_{loc}")
        sources.append(src)
        flows += [src, snk]
        net.inflow[loc, ts[0]].append(src)
        net.outflow[loc, ts[-1]].append(snk)
    for loc, ts in net.nodes.items():
        for t in ts:
            b.add(b.sum(net.inflow[loc, t]) == b.sum(net.outflow[loc, t]))
    vehicles = b.int(0, vmax, "vehicles")
    b.add(vehicles == b.sum(sources))
    return vehicles, flows


def _deadheads(b: Backend, net: _VehicleNetwork, road: RoadModel, vmax: int) -> list[Any]:
    """A vehicle freed at the end of a run may drive empty to any stop where runs start.

    It arrives at the first start there at or after the drive (waiting there is the same as waiting here).
    """
    out = []
    for loc, e in net.end_events:
        for loc2 in net.start_stops:
            if loc2 == loc:
                continue
            ts = net.nodes[loc2]
            i = bisect.bisect_left(ts, e + road.time_s(loc, loc2))
            if i < len(ts):
                out.append(net.arc(b.int(0, vmax, f"dh_{loc}_{e}_{loc2}"), (loc, e), (loc2, ts[i])))
    return out


__all__ = ["Backend", "Model", "YKey", "build_model"]
