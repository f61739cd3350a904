"""Propose a better shuttle timetable with OR-Tools CP-SAT (the only shuttle module that imports OR-Tools).

**Candidates.**  Every run the optimizer may choose is generated up front:
for each ordered choice of stations (up to ``max_stations_per_run``, from
``optimize.stations`` or every station stop that has a train platform within
the walk radius) and each ordered choice of parks (up to
``max_parks_per_run``), a run to work (stations, then parks) and a run home
(parks, then stations) leave their first stop at every multiple of
``grid_minutes`` at which they can serve some shift (within
``to_work_window`` / ``home_window`` when given).  Stop-to-stop times come
from the road model (``fleet.road_times``, else distance / road speed) plus
``dwell_minutes`` at intermediate stops.  The input timetable's own runs are
candidates too, so the optimizer can always keep the input.  For each
candidate and each (park, shift, origin station) group, the same rules as
:mod:`maas.shuttle.evaluate` (and the same journey-planner rail legs) say
whether it serves the group on time, with which wait and how early.

**Model.**  Binary ``x[r]``: run ``r`` is operated.  Integer ``y[r, g]``:
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
serves on time keeps at least one run that serves it.

**Objective** (maximised; weights from ``optimize.weights``):

    served × riders carried (to work and home)
  − wait_minute × rider-minutes waiting (train ↔ shuttle; home: also at the park after the shift)
  − early_minute × rider-minutes at work before shift start − margin
  − vehicle × vehicles − run × runs
  − cost_per_1000_yen × running cost of the runs (run hours × hourly rate + run km × km rate) / 1000

**Solving**, within the time limit: (1) the input timetable is scored by the
same model built over its runs alone; (2) the LP relaxation of the whole model (OR-Tools
GLOP) gives an upper bound and the runs worth looking at; (3) CP-SAT solves
the model restricted to those runs and the input's, starting from the input
(small, so it solves well even on a busy machine); (4) CP-SAT solves the full
model starting from that solution, with the time left.  The best solution is
kept; it is reported OPTIMAL when it meets a bound.  Candidates are pruned
before all this to each group's ``candidates_per_group`` best (raise it to
search wider when there is time).  With 2 or more workers CP-SAT is not
deterministic: two runs may propose different timetables of equal or
near-equal score.

The proposal is written as a GTFS feed and re-evaluated end to end
(:func:`optimize` with ``out_dir``), so the model's claims are checked by the
journey planner, not taken on trust.  The model assigns riders to runs
itself; real riders take their best option, so the re-evaluation's *seated*
figures may be a little lower than the model's.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from maas.defaults import data_root
from maas.errors import InputError
from maas.shuttle.context import ShuttleContext, build_context
from maas.shuttle.evaluate import HOME, TO_WORK, Evaluation, Option, RailPart, evaluate, evaluate_scenario, home_option, to_work_option
from maas.shuttle.gtfs import write_shuttle_feed
from maas.shuttle.model import Call, Run
from maas.shuttle.report import comparison_dict, render_comparison
from maas.shuttle.scenario import DemandGroup, Scenario, WeightsSpec, iter_permutations, load_scenario
from maas.when import format_clock

#: Model units per rider (riders are carried in tenths).
SCALE = 10
#: Objective points are multiplied by this and rounded to integers.
POINTS = 100
#: Seconds kept from the time limit for writing and re-evaluating the proposal.
RESERVE_S = 1.5

OBJECTIVE_TEXT = (
    "maximise served × riders carried on time (to work and home, seated) "
    "− wait_minute × rider-minutes waiting (train ↔ shuttle; home also at the park) "
    "− early_minute × rider-minutes at work before shift start − margin "
    "− vehicle × vehicles − run × runs − cost_per_1000_yen × running cost of the runs / 1000"
)


@dataclass(frozen=True)
class Candidate:
    """A run the optimizer may choose, with the groups it serves and how: ``(direction, group index, option)``."""

    run: Run
    source: str  # "input" or "generated"
    serves: tuple[tuple[str, int, Option], ...]


@dataclass
class ModelScore:
    """What the model says about a set of runs (riders in the model's tenths, rounded back)."""

    runs: int
    vehicles: int
    to_work: float
    home: float
    wait_minutes: float
    objective: float

    def to_dict(self) -> dict:
        return {
            "runs": self.runs,
            "vehicles": self.vehicles,
            "to_work_seated": round(self.to_work, 1),
            "home_seated": round(self.home, 1),
            "mean_wait_min": round(self.wait_minutes, 1),
            "objective": round(self.objective, 1),
        }


@dataclass
class OptimizeResult:
    """The proposal, how it was found, and (with ``out_dir``) its end-to-end re-evaluation."""

    scenario: Scenario
    runs: list[Run]
    status: str
    weights: WeightsSpec
    candidates: int
    variables: int
    constraints: int
    solve_s: float
    total_s: float
    time_limit_s: float
    model_input: ModelScore | None
    model_proposal: ModelScore
    best_bound: float
    baseline: Evaluation | None = None
    proposal: Evaluation | None = None
    comparison: dict | None = None
    files: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return the JSON document of ``maas shuttle optimize --json`` (also written as optimize.json)."""
        return {
            "scenario": self.scenario.name,
            "date": self.scenario.date.isoformat(),
            "objective": OBJECTIVE_TEXT,
            "weights": self.weights.model_dump(),
            "solver": {
                "engine": "OR-Tools CP-SAT",
                "status": self.status,
                "time_limit_s": round(self.time_limit_s, 1),
                "solve_s": round(self.solve_s, 2),
                "total_s": round(self.total_s, 2),
                "candidates": self.candidates,
                "variables": self.variables,
                "constraints": self.constraints,
                "best_bound": round(self.best_bound, 1),
            },
            "model": {
                "input": self.model_input.to_dict() if self.model_input else None,
                "proposal": self.model_proposal.to_dict(),
            },
            "proposal": [
                {
                    "id": r.id,
                    "name": r.name or None,
                    "name_en": r.name_en or None,
                    "calls": [{"stop": c.stop, "arrival": format_clock(c.arrival), "departure": format_clock(c.departure)} for c in r.calls],
                }
                for r in self.runs
            ],
            "comparison": self.comparison,
            "files": self.files,
        }

    def render(self) -> str:
        """Return the text summary of ``maas shuttle optimize``."""
        w = self.weights
        mi, mp = self.model_input, self.model_proposal
        lines = [
            f"Shuttle optimizer (CP-SAT) on {self.scenario.name}, {self.scenario.date:%a %Y-%m-%d}: {self.status}, "
            f"{self.candidates} candidate runs, solved in {self.solve_s:.1f} s of {self.time_limit_s:.0f} s ({self.total_s:.1f} s in all)",
            f"Objective: {OBJECTIVE_TEXT}",
            f"Weights: served {w.served:g}, wait_minute {w.wait_minute:g}, early_minute {w.early_minute:g}, vehicle {w.vehicle:g}, run {w.run:g}, cost_per_1000_yen {w.cost_per_1000_yen:g}",
            f"Model score: input {mi.objective:,.0f} → proposal {mp.objective:,.0f} (bound {self.best_bound:,.0f})" if mi else f"Model score: proposal {mp.objective:,.0f} (bound {self.best_bound:,.0f}); the input is infeasible under the model",
            "",
            "Proposed runs:",
        ]
        for r in self.runs:
            calls = " · ".join(f"{format_clock(c.departure if k == 0 else c.arrival)} {c.stop}" for k, c in enumerate(r.calls))
            lines.append(f"  {r.id:<18} {calls}")
        if self.comparison:
            lines += ["", "Re-evaluated end to end (written feed, journey planner):", render_comparison(self.comparison)]
        if self.files:
            lines += ["", "Files:"] + [f"  {k}: {v}" for k, v in self.files.items()]
        return "\n".join(lines)


# --- candidates ------------------------------------------------------------------------------------------


def _calls(stops: tuple[str, ...], t0: int, ctx: ShuttleContext, dwell_s: int) -> tuple[Call, ...]:
    calls = []
    t = t0
    for k, st in enumerate(stops):
        if k > 0:
            t += ctx.road.time_s(stops[k - 1], st)
        arr = t
        dep = t + (dwell_s if 0 < k < len(stops) - 1 else 0)
        calls.append(Call(st, arr, dep))
        t = dep
    return tuple(calls)


def _grid(lo: int, hi: int, step: int) -> range:
    first = -(-lo // step) * step
    return range(first, hi + 1, step)


def generate_candidates(ctx: ShuttleContext, rail: RailPart, groups: list[DemandGroup]) -> list[Candidate]:
    """Return the input runs and every generated run that serves at least one group (see module docstring)."""
    s = ctx.scenario
    o = s.optimize
    r = s.rules
    parks_all = set(s.park_ids())
    stations = [st for st in (o.stations or s.station_ids()) if ctx.rail_stops.get(st)]
    parks = [p for p in s.park_ids() if any(g.park == p for g in groups)]
    starts: dict[str, set[int]] = defaultdict(set)
    ends: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        starts[g.park].add(g.start)
        ends[g.park].add(g.end)
    margin = int(round(r.margin_minutes * 60))
    early = int(round(r.max_early_minutes * 60))
    wait_home = int(round(r.max_wait_home_minutes * 60))
    step = o.grid_minutes * 60
    dwell = int(round(s.fleet.dwell_minutes * 60))
    by_park: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by_park[g.park].append(i)

    out: list[Candidate] = []
    seen: set[tuple] = set()

    def add(run: Run, source: str, direction: str | None = None) -> None:
        key = tuple((c.stop, c.arrival, c.departure) for c in run.calls)
        if key in seen:
            return
        serves = []
        stops = set(run.stops)
        for p in stops & parks_all:
            for i in by_park.get(p, []):
                g = groups[i]
                if direction != HOME and (opt := to_work_option(s, rail, run, g, parks_all)) is not None:
                    serves.append((TO_WORK, i, opt))
                if direction != TO_WORK and (opt := home_option(s, rail, run, g, parks_all)) is not None:
                    serves.append((HOME, i, opt))
        if serves or source == "input":
            seen.add(key)
            out.append(Candidate(run, source, tuple(serves)))

    for run in ctx.runs:
        add(run, "input")
    n = 0
    for st_seq in iter_permutations(stations, o.max_stations_per_run):
        for pk_seq in iter_permutations(parks, o.max_parks_per_run):
            # to work: stations, then parks
            stops = st_seq + pk_seq
            offsets = [c.arrival for c in _calls(stops, 0, ctx, dwell)]
            times: set[int] = set()
            for k, p in enumerate(stops):
                for start in starts.get(p, ()):
                    times.update(_grid(start - early - offsets[k], start - margin - offsets[k], step))
            if o.to_work_window:
                times = {t for t in times if o.to_work_window[0] <= t <= o.to_work_window[1]}
            for t in sorted(times):
                if t < 0:
                    continue
                n += 1
                add(Run(f"cand{n}", _calls(stops, t, ctx, dwell)), "generated", TO_WORK)
            # home: parks, then stations
            stops = pk_seq + st_seq
            dep_offsets = [c.departure for c in _calls(stops, 0, ctx, dwell)]
            times = set()
            for k, p in enumerate(stops):
                for end in ends.get(p, ()):
                    times.update(_grid(end - dep_offsets[k], end + wait_home - dep_offsets[k], step))
            if o.home_window:
                times = {t for t in times if o.home_window[0] <= t <= o.home_window[1]}
            for t in sorted(times):
                if t < 0:
                    continue
                n += 1
                add(Run(f"cand{n}", _calls(stops, t, ctx, dwell)), "generated", HOME)
    return prune_candidates(out, s, o.candidates_per_group)


def prune_candidates(cands: list[Candidate], s: Scenario, per_group: int) -> list[Candidate]:
    """Keep the input runs and, for every group and direction, its ``per_group`` best candidates.

    Best: most points per rider (see the objective), then serving more groups
    (long multi-park runs stay in), then shorter.  Candidates best for no
    group are dropped; this is what keeps the model small enough to solve well.
    """
    margin = int(round(s.rules.margin_minutes * 60))
    w = s.optimize.weights
    ranked: dict[tuple[str, int], list[tuple]] = defaultdict(list)
    for i, cand in enumerate(cands):
        for d, gi, opt in cand.serves:
            ranked[d, gi].append((-_value(opt, w, margin), -len(cand.serves), cand.run.end - cand.run.start, cand.run.start, i))
    keep = {i for i, cand in enumerate(cands) if cand.source == "input"}
    for items in ranked.values():
        items.sort()
        keep.update(item[-1] for item in items[:per_group])
    return [cands[i] for i in sorted(keep)]


# --- the model (CP-SAT, and its LP relaxation with GLOP) -------------------------------------------------------


class _CpSat:
    """The CP-SAT side of :func:`build_model`."""

    def __init__(self) -> None:
        self.model = cp_model.CpModel()

    def bool(self, name: str):
        return self.model.new_bool_var(name)

    def int(self, lo: int, hi: int, name: str):
        return self.model.new_int_var(lo, hi, name)

    def add(self, ct) -> None:
        self.model.add(ct)

    def sum(self, items):
        return cp_model.LinearExpr.sum(list(items))

    def maximize(self, expr) -> None:
        self.model.maximize(expr)


class _Glop:
    """The same model with every variable continuous: its LP relaxation (OR-Tools GLOP)."""

    def __init__(self) -> None:
        self.solver = pywraplp.Solver.CreateSolver("GLOP")

    def bool(self, name: str):
        return self.solver.NumVar(0.0, 1.0, name)

    def int(self, lo: int, hi: int, name: str):
        return self.solver.NumVar(float(lo), float(hi), name)

    def add(self, ct) -> None:
        self.solver.Add(ct)

    def sum(self, items):
        return self.solver.Sum(list(items))

    def maximize(self, expr) -> None:
        self.solver.Maximize(expr)


@dataclass
class _Model:
    backend: _CpSat | _Glop
    x: list
    y: dict[tuple[int, str, int], object]
    vehicles: object
    flows: list

    @property
    def model(self) -> cp_model.CpModel:
        return self.backend.model


def run_cost_yen(ctx: ShuttleContext, run: Run) -> float:
    """Running cost of one run: its hours at the hourly rate plus its km at the km rate (no deadhead, no layover)."""
    f = ctx.scenario.fleet
    return (run.end - run.start) / 3600.0 * f.cost_per_vehicle_hour_yen + ctx.road.run_km(run) * f.cost_per_km_yen


def _value(opt: Option, w: WeightsSpec, margin_s: int) -> float:
    """Points per rider carried with ``opt`` (before scaling)."""
    wait_min = (opt.wait_s + opt.park_wait_s) / 60.0
    early_min = max(0, opt.early_s - margin_s) / 60.0
    return w.served - w.wait_minute * wait_min - w.early_minute * early_min


def build_model(ctx: ShuttleContext, cands: list[Candidate], groups: list[DemandGroup], *, fixed: set[int] | None = None, lp: bool = False) -> _Model:
    """Return the model of the candidates (see the module docstring).

    ``fixed``: exactly these runs (to score the input).  ``lp``: the LP
    relaxation (GLOP) instead of the CP-SAT model.
    """
    s = ctx.scenario
    w = s.optimize.weights
    f = s.fleet
    margin = int(round(s.rules.margin_minutes * 60))
    b = _Glop() if lp else _CpSat()
    x = [b.bool(f"x{c}") for c in range(len(cands))]
    if fixed is not None:
        for c in range(len(cands)):
            b.add(x[c] == (1 if c in fixed else 0))
    units = [int(round(g.riders * SCALE)) for g in groups]
    y: dict[tuple[int, str, int], object] = {}
    coef: dict[tuple[int, str, int], int] = {}
    per_group: dict[tuple[str, int], list] = defaultdict(list)
    per_run: dict[int, list] = defaultdict(list)
    for c, cand in enumerate(cands):
        for d, gi, opt in cand.serves:
            k = int(round(POINTS * _value(opt, w, margin) / SCALE))
            if k <= 0 or units[gi] <= 0:
                continue
            v = b.int(0, units[gi], f"y{c}_{d}_{gi}")
            y[c, d, gi] = v
            coef[c, d, gi] = k
            per_group[d, gi].append(v)
            per_run[c].append(v)
    for (d, gi), vs in per_group.items():
        b.add(b.sum(vs) <= units[gi])
    cap = f.seats * SCALE
    for c, vs in per_run.items():
        b.add(b.sum(vs) <= cap * x[c])
    for (c, _, gi), v in y.items():
        b.add(v <= units[gi] * x[c])  # implied by the seats, but a much tighter LP relaxation
    if s.optimize.keep_served and fixed is None:
        served_by: dict[tuple[str, int], list[int]] = defaultdict(list)
        for c, cand in enumerate(cands):
            for d, gi, _ in cand.serves:
                served_by[d, gi].append(c)
        for cs in served_by.values():
            if any(cands[c].source == "input" for c in cs):
                b.add(b.sum(x[c] for c in cs) >= 1)
    if s.optimize.max_runs is not None and fixed is None:
        b.add(b.sum(x) <= s.optimize.max_runs)
    vehicles, flows = _fleet_flow(b, ctx, cands, x)
    if f.vehicles is not None:
        b.add(vehicles <= f.vehicles)
    run_points = [int(round(POINTS * (w.run + w.cost_per_1000_yen * run_cost_yen(ctx, cand.run) / 1000.0))) for cand in cands]
    b.maximize(
        b.sum(coef[k] * v for k, v in y.items()) - int(round(POINTS * w.vehicle)) * vehicles - b.sum(p * xc for p, xc in zip(run_points, x))
    )
    return _Model(b, x, y, vehicles, flows)


def _fleet_flow(b, ctx: ShuttleContext, cands: list[Candidate], x: list) -> tuple[object, list]:
    """Add the time–space vehicle network; return (vehicles, flow variables)."""
    f = ctx.scenario.fleet
    layover = int(round(f.min_layover_minutes * 60))
    vmax = f.vehicles if f.vehicles is not None else len(cands)
    times: dict[str, set[int]] = defaultdict(set)
    start_locs: set[str] = set()
    end_events: set[tuple[str, int]] = set()
    for cand in cands:
        r = cand.run
        times[r.first_stop].add(r.start)
        start_locs.add(r.first_stop)
        e = (r.last_stop, r.end + layover)
        times[e[0]].add(e[1])
        end_events.add(e)
    nodes: dict[str, list[int]] = {loc: sorted(ts) for loc, ts in times.items()}
    inflow: dict[tuple[str, int], list] = defaultdict(list)
    outflow: dict[tuple[str, int], list] = defaultdict(list)
    flows = []
    for c, cand in enumerate(cands):
        r = cand.run
        outflow[r.first_stop, r.start].append(x[c])
        inflow[r.last_stop, r.end + layover].append(x[c])
    for loc, ts in nodes.items():
        for a, t in zip(ts, ts[1:]):
            v = b.int(0, vmax, f"wait_{loc}_{a}")
            flows.append(v)
            outflow[loc, a].append(v)
            inflow[loc, t].append(v)
    # a vehicle freed at the end of a run may drive empty to any stop where runs start,
    # arriving at the first start there at or after the drive (waiting there is the same as waiting here)
    for loc, e in sorted(end_events):
        for loc2 in sorted(start_locs):
            if loc2 == loc:
                continue
            ts = nodes[loc2]
            i = bisect.bisect_left(ts, e + ctx.road.time_s(loc, loc2))
            if i == len(ts):
                continue
            v = b.int(0, vmax, f"dh_{loc}_{e}_{loc2}")
            flows.append(v)
            outflow[loc, e].append(v)
            inflow[loc2, ts[i]].append(v)
    sources = []
    for loc, ts in nodes.items():
        src = b.int(0, vmax, f"src_{loc}")
        snk = b.int(0, vmax, f"snk_{loc}")
        sources.append(src)
        flows += [src, snk]
        inflow[loc, ts[0]].append(src)
        outflow[loc, ts[-1]].append(snk)
    for loc, ts in nodes.items():
        for t in ts:
            b.add(b.sum(inflow[loc, t]) == b.sum(outflow[loc, t]))
    vehicles = b.int(0, vmax, "vehicles")
    b.add(vehicles == b.sum(sources))
    return vehicles, flows


def _score(sol: cp_model.CpSolver, mod: _Model, cands: list[Candidate], chosen: list[int]) -> ModelScore:
    work = home = 0.0
    wait_sum = 0.0
    for (c, d, gi), v in mod.y.items():
        val = sol.value(v) / SCALE
        if val <= 0:
            continue
        opt = next(o for dd, g, o in cands[c].serves if dd == d and g == gi)
        if d == TO_WORK:
            work += val
        else:
            home += val
        wait_sum += val * (opt.wait_s + opt.park_wait_s) / 60.0
    carried = work + home
    return ModelScore(len(chosen), int(sol.value(mod.vehicles)), work, home, wait_sum / carried if carried else 0.0, sol.objective_value / POINTS)


def _solve(mod: _Model, time_limit_s: float, seed: int, workers: int, hints: dict | None = None) -> tuple[cp_model.CpSolver, int]:
    """Solve a CP-SAT model; ``hints`` maps variables to start values."""
    for v, value in (hints or {}).items():
        mod.model.add_hint(v, value)
    sol = cp_model.CpSolver()
    sol.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    sol.parameters.num_workers = max(1, workers)
    sol.parameters.random_seed = seed
    sol.parameters.linearization_level = 2  # the LP relaxation guides this model far better than the default
    status = sol.solve(mod.model)
    return sol, status


def _hints(sol: cp_model.CpSolver, src: _Model, dst: _Model, index: list[int] | None = None) -> dict:
    """Return a solution of ``src`` as hints for ``dst`` (``index``: dst candidate of each src candidate)."""
    index = index or list(range(len(src.x)))
    out = {dst.x[j]: 0 for j in range(len(dst.x))}
    for i, j in enumerate(index):
        out[dst.x[j]] = sol.value(src.x[i])
    for (c, d, gi), v in src.y.items():
        key = (index[c], d, gi)
        if key in dst.y:
            out[dst.y[key]] = sol.value(v)
    for k, v in dst.y.items():
        out.setdefault(v, 0)
    out[dst.vehicles] = sol.value(src.vehicles)
    if len(src.flows) == len(dst.flows) and index == list(range(len(dst.x))):
        out.update({d: sol.value(s) for s, d in zip(src.flows, dst.flows)})
    return out


def lp_relaxation(ctx: ShuttleContext, cands: list[Candidate], groups: list[DemandGroup], time_limit_s: float) -> tuple[list[float], float] | None:
    """Return the LP relaxation's run values and bound (objective points), or None when GLOP does not finish."""
    mod = build_model(ctx, cands, groups, lp=True)
    solver = mod.backend.solver
    solver.SetTimeLimit(int(max(0.1, time_limit_s) * 1000))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return [v.solution_value() for v in mod.x], solver.Objective().Value() / POINTS


# --- the whole job ------------------------------------------------------------------------------------------


def optimize(
    scenario: Scenario,
    *,
    out_dir: str | Path | None = None,
    time_limit_s: float | None = None,
    seed: int = 0,
    workers: int = 2,
    cache_dir: str | Path | None = None,
) -> OptimizeResult:
    """Propose runs for a scenario; with ``out_dir`` write the feed, the scenario and the comparison there.

    The whole job (candidates, two solves, writing and re-evaluating) is kept
    within ``time_limit_s`` (default: the scenario's ``optimize.time_limit_s``)
    plus the few seconds of the final evaluation: the solver gets what is left
    after the candidates, minus a small reserve.
    """
    t0 = time.perf_counter()
    limit = float(time_limit_s if time_limit_s is not None else scenario.optimize.time_limit_s)

    def left() -> float:
        return limit - (time.perf_counter() - t0) - RESERVE_S

    ctx = build_context(scenario, cache_dir=cache_dir)
    rail = RailPart(ctx)
    groups = scenario.demand_groups()
    cands = generate_candidates(ctx, rail, groups)
    input_idx = {c for c, cand in enumerate(cands) if cand.source == "input"}
    everything = list(range(len(cands)))

    # 1. the input, scored by the model over its own runs: also a complete starting solution
    inputs = sorted(input_idx)
    base = build_model(ctx, [cands[c] for c in inputs], groups, fixed=set(range(len(inputs))))
    base_sol, base_status = _solve(base, min(max(0.5, left() * 0.1), 5.0), seed, workers)
    base_ok = base_status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    model_input = _score(base_sol, base, [cands[c] for c in inputs], inputs) if base_ok else None

    # 2. the LP relaxation (GLOP): an upper bound, and the runs worth looking at first
    lp = lp_relaxation(ctx, cands, groups, min(max(0.5, left() * 0.2), 10.0))
    lp_bound = lp[1] if lp else None

    # 3. CP-SAT on the runs the LP uses (and the input's): small, solved fast and well
    t_solve = time.perf_counter()
    best: tuple[cp_model.CpSolver, _Model, list[int], int] | None = None
    if lp is not None:
        subset = sorted({c for c, v in enumerate(lp[0]) if v > 1e-6} | input_idx)
        sub = build_model(ctx, [cands[c] for c in subset], groups)
        hints = None
        if base_ok:
            pos = {c: i for i, c in enumerate(subset)}
            hints = {sub.x[pos[c]]: 1 if c in input_idx else 0 for c in subset}
        sub_sol, sub_status = _solve(sub, max(0.5, left() * 0.4), seed, workers, hints)
        if sub_status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = (sub_sol, sub, subset, sub_status)

    # 4. CP-SAT on every candidate, starting from the best solution so far
    mod = build_model(ctx, cands, groups)
    if best is not None:
        hints = _hints(best[0], best[1], mod, best[2])
    elif base_ok:
        hints = _hints(base_sol, base, mod, inputs)
    else:
        hints = None
    mod_sol, status = _solve(mod, max(0.5, left()), seed, workers, hints)
    solve_s = time.perf_counter() - t_solve
    full_ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if full_ok and (best is None or mod_sol.objective_value >= best[0].objective_value):
        best = (mod_sol, mod, everything, status)
    if best is None and base_ok:
        best = (base_sol, base, inputs, base_status)  # nothing better found in time: keep the input
    if best is None:
        raise InputError(
            f"{scenario.source}: the optimizer found no timetable within {limit:.0f} s ({mod_sol.status_name(status)}); "
            "loosen fleet.vehicles, optimize.max_runs or keep_served, or give it more time",
            "optimize",
        )
    full_bound = mod_sol.best_objective_bound / POINTS if full_ok else None
    sol, used, index, status = best
    bounds = [b for b in (lp_bound, full_bound) if b is not None]
    bound = min(bounds) if bounds else sol.objective_value / POINTS
    chosen = [index[i] for i in range(len(used.x)) if sol.value(used.x[i])]
    runs = _name_runs([cands[c] for c in chosen], ctx.scenario)
    proto = mod.model.proto
    optimal = (status == cp_model.OPTIMAL and used is mod) or sol.objective_value / POINTS >= bound - 1e-6
    result = OptimizeResult(
        scenario=scenario,
        runs=runs,
        status="OPTIMAL" if optimal else "FEASIBLE",
        weights=scenario.optimize.weights,
        candidates=len(cands),
        variables=len(proto.variables),
        constraints=len(proto.constraints),
        solve_s=solve_s,
        total_s=0.0,
        time_limit_s=limit,
        model_input=model_input,
        model_proposal=_score(sol, used, [cands[c] for c in index], chosen),
        best_bound=bound,
    )
    if out_dir is not None:
        _write_outputs(result, ctx, Path(out_dir), cache_dir)
    result.total_s = time.perf_counter() - t0
    if out_dir is not None:
        (Path(out_dir) / "optimize.json").write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def _name_runs(chosen: list[Candidate], scenario: Scenario) -> list[Run]:
    parks = set(scenario.park_ids())
    keep = {c.run.id for c in chosen if c.source == "input"}
    out = []
    counters = {TO_WORK: 0, HOME: 0}
    for cand in sorted(chosen, key=lambda c: (c.run.start, c.run.id)):
        r = cand.run
        if cand.source == "input":
            out.append(r)
            continue
        d = TO_WORK if r.calls[-1].stop in parks else HOME
        counters[d] += 1
        i = counters[d]
        base = f"opt_work{i}" if d == TO_WORK else f"opt_home{i}"
        rid = base
        while rid in keep:
            rid += "_"
        keep.add(rid)
        name = f"出勤{i}便" if d == TO_WORK else f"帰宅{i}便"
        name_en = f"To work {i}" if d == TO_WORK else f"Home {i}"
        out.append(Run(rid, r.calls, name, name_en))
    return out


def _portable(path: Path) -> str:
    """Return a path relative to the repository when inside it, else absolute."""
    try:
        return path.resolve().relative_to(data_root().resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def proposal_scenario_text(scenario: Scenario, ctx: ShuttleContext, result: OptimizeResult, feed_folder: str) -> str:
    """Return the YAML of the proposal as a scenario (the input with ``runs_feed`` = the written feed)."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.pop("runs", None)
    data["name"] = f"{scenario.name}-optimized"
    data["description"] = (
        f"Timetable proposed by maas shuttle optimize for scenario {scenario.name} "
        f"({result.status}, weights {result.weights.model_dump()}); everything else as in {scenario.source}."
    )
    data["runs_feed"] = feed_folder
    data["rail_feeds"] = [_portable(p) for p in ctx.rail_paths]

    head = (
        f"# Proposed by `maas shuttle optimize` on {dt.date.today().isoformat()} from {scenario.source}.\n"
        "# The runs are in the GTFS feed named by runs_feed; demand, fleet and rules are the input's\n"
        "# (see the input scenario for which values are facts and which are assumptions).\n"
    )
    order = ["name", "description", "date", "rail_feeds", "runs_feed", "service", "stops", "demand", "fleet", "rules", "optimize"]
    ordered = {k: data[k] for k in order if k in data}
    return head + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=120)


def _write_outputs(result: OptimizeResult, ctx: ShuttleContext, out: Path, cache_dir) -> None:
    s = result.scenario
    out.mkdir(parents=True, exist_ok=True)
    feed = write_shuttle_feed(out / "shuttle", s, result.runs, timezone=ctx.timetable.timezone, note=f"proposed by maas shuttle optimize ({result.status})")
    scen_path = out / "scenario.yaml"
    scen_path.write_text(proposal_scenario_text(s, ctx, result, "shuttle"), encoding="utf-8")
    baseline = evaluate(ctx)
    proposal = evaluate_scenario(load_scenario(scen_path), cache_dir=cache_dir)
    comp = comparison_dict(baseline, proposal)
    comp["optimizer"] = {"status": result.status, "model_input": result.model_input.to_dict() if result.model_input else None, "model_proposal": result.model_proposal.to_dict()}
    result.baseline, result.proposal, result.comparison = baseline, proposal, comp
    (out / "comparison.json").write_text(json.dumps(comp, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "comparison.txt").write_text(render_comparison(comp) + "\n", encoding="utf-8")
    result.files = {
        "feed": str(feed),
        "scenario": str(scen_path),
        "comparison_json": str(out / "comparison.json"),
        "comparison_txt": str(out / "comparison.txt"),
        "optimize_json": str(out / "optimize.json"),
    }


__all__ = ["OBJECTIVE_TEXT", "Candidate", "OptimizeResult", "build_model", "generate_candidates", "optimize"]
