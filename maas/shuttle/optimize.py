"""Propose a better shuttle timetable: candidates, the model, and the solving steps within the time limit.

The parts: :mod:`~maas.shuttle.candidates` (the runs to choose from),
:mod:`~maas.shuttle.formulation` (the model), :mod:`~maas.shuttle.objective`
(what is maximised), :mod:`~maas.shuttle.solver` (OR-Tools CP-SAT and GLOP,
the only OR-Tools user) and :mod:`~maas.shuttle.outputs` (the files).

**Solving**, within the time limit: (1) the input timetable is scored by the
same model built over its runs alone; (2) the LP relaxation of the whole
model (GLOP) gives an upper bound and the runs worth looking at; (3) CP-SAT
solves the model restricted to those runs and the input's, starting from the
input (small, so it solves well even on a busy machine); (4) CP-SAT solves
the full model starting from that solution, with the time left.  The best
solution is kept; it is reported OPTIMAL when it meets a bound.  With 2 or
more workers CP-SAT is not deterministic: two runs may propose different
timetables of equal or near-equal score.  With one worker and the same seed
every process builds the same models (their variables and constraints come
in the scenario's and the candidates' order, never a set's hash order, so
``PYTHONHASHSEED`` does not matter) and gets the same proposal, as long as
no solve is cut short by its time limit (a wall-clock limit: where it stops
depends on the machine's load).

The proposal is written as a GTFS feed and re-evaluated end to end
(:func:`optimize` with ``out_dir``), so the model's claims are checked by the
journey planner, not taken on trust.  The model assigns riders to runs
itself; real riders take their best option, so the re-evaluation's *seated*
figures may be a little lower than the model's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maas.shuttle import solver
from maas.shuttle.candidates import INPUT, Candidate, generate_candidates
from maas.shuttle.context import ShuttleContext, build_context
from maas.shuttle.evaluate import evaluate, evaluate_scenario
from maas.shuttle.formulation import Model, build_model
from maas.shuttle.legs import RailLegs
from maas.shuttle.model import Run
from maas.shuttle.objective import POINTS, SCALE
from maas.shuttle.options import HOME, TO_WORK
from maas.shuttle.outputs import proposal_scenario_text, write_json, write_shuttle_feed, write_text
from maas.shuttle.proposal import ModelScore, OptimizeResult
from maas.shuttle.report import comparison_dict, render_comparison
from maas.shuttle.scenario import load_scenario
from maas.shuttle.schema import DemandGroup, Scenario
from maas.shuttle.timetable import Timetables, timetables_for

#: Seconds kept from the time limit for writing and re-evaluating the proposal.
RESERVE_S = 1.5


@dataclass(frozen=True)
class _Best:
    """The best solution so far: its answer, model, and the candidate index of each of the model's runs."""

    solved: solver.Solved
    model: Model
    index: list[int]


class _Problem:
    """The candidates and groups of one optimisation, and the models built over them."""

    def __init__(self, ctx: ShuttleContext, cands: list[Candidate], groups: list[DemandGroup]) -> None:
        self.ctx = ctx
        self.cands = cands
        self.groups = groups
        self.inputs = [c for c, cand in enumerate(cands) if cand.source == INPUT]

    def model(self, index: list[int], *, fixed: bool = False, lp: bool = False) -> Model:
        """Build the model over the candidates ``index`` (``fixed``: all of them run; ``lp``: the LP relaxation)."""
        backend = solver.Glop() if lp else solver.CpSat()
        cands = [self.cands[c] for c in index]
        return build_model(backend, self.ctx.scenario, self.ctx.road, cands, self.groups, fixed=set(range(len(index))) if fixed else None)


def optimize(
    scenario: Scenario,
    *,
    out_dir: str | Path | None = None,
    time_limit_s: float | None = None,
    seed: int = 0,
    workers: int = 2,
    cache_dir: str | Path | None = None,
    timetables: Timetables | None = None,
) -> OptimizeResult:
    """Propose better runs for a scenario: candidates, then CP-SAT (see the module docstring).

    The whole job (candidates, the solves, writing and re-evaluating) is kept
    within ``time_limit_s`` plus the few seconds of the final evaluation: the
    solver gets what is left after the candidates, minus a small reserve.

    Parameters
    ----------
    scenario
        The scenario, as :func:`~maas.shuttle.scenario.load_scenario` reads it.
    out_dir
        When given, write the proposal there: its GTFS feed (``shuttle/``),
        ``scenario.yaml`` with that feed, the end-to-end comparison with the
        input (``comparison.json`` / ``.txt``) and ``optimize.json``.
    time_limit_s
        Seconds for the whole job (default: the scenario's ``optimize.time_limit_s``).
    seed
        CP-SAT's random seed.
    workers
        CP-SAT's threads (with 2 or more, two runs may propose different
        timetables of equal or near-equal score).
    cache_dir
        The compiled-timetable cache folder (see :func:`maas.load_timetable`).
    timetables
        Keeps the compiled trains for the input, the candidates and the
        re-evaluation (default: the process's, or a new one with ``cache_dir``).

    Returns
    -------
    OptimizeResult
        The proposal and how it was found; with ``out_dir`` also its
        re-evaluation.  When no timetable meets the constraints (or none is
        found in time) ``feasible`` is False, ``reason`` says why, and nothing
        but ``optimize.json`` is written.

    Raises
    ------
    InputError
        The scenario cannot be evaluated (rail feeds, stations, date).
    FeedError
        A rail feed has errors.
    """
    t0 = time.perf_counter()
    limit = float(time_limit_s if time_limit_s is not None else scenario.optimize.time_limit_s)

    def left() -> float:
        return limit - (time.perf_counter() - t0) - RESERVE_S

    timetables = timetables or timetables_for(cache_dir)
    ctx = build_context(scenario, timetables=timetables)
    groups = scenario.demand_groups()
    problem = _Problem(ctx, generate_candidates(ctx, RailLegs(ctx), groups), groups)
    result = _solve(problem, left, seed, workers, limit)
    if out_dir is not None and result.feasible:
        _write_outputs(result, ctx, Path(out_dir), timetables)
    result.total_s = time.perf_counter() - t0
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)  # without a proposal, optimize.json is the only file
        write_json(Path(out_dir) / "optimize.json", result.to_dict())
    return result


def _solve(p: _Problem, left: Callable[[], float], seed: int, workers: int, limit: float) -> OptimizeResult:
    """Run the solving steps (see the module docstring) and return the proposal."""
    everything = list(range(len(p.cands)))
    # 1. the input, scored by the model over its own runs: also a complete starting solution
    base = p.model(p.inputs, fixed=True)
    base_sol = solver.solve(base, min(max(0.5, left() * 0.1), 5.0), seed, workers)
    model_input = _score(base_sol, base, p, p.inputs) if base_sol.found else None
    # 2. the LP relaxation (GLOP): an upper bound, and the runs worth looking at first
    lp_limit = min(max(0.5, left() * 0.2), 10.0)
    lp = solver.solve_lp(p.model(everything, lp=True), lp_limit)
    lp_bound = lp[1] / POINTS if lp else None
    # 3. CP-SAT on the runs the LP uses (and the input's): small, solved fast and well
    t_solve = time.perf_counter()
    best = None
    if lp is not None:
        best = _solve_subset(p, sorted({c for c, v in enumerate(lp[0]) if v > 1e-6} | set(p.inputs)), base_sol.found, left, seed, workers)
    # 4. CP-SAT on every candidate, starting from the best solution so far
    full = p.model(everything)
    start = best or (_Best(base_sol, base, p.inputs) if base_sol.found else None)
    hints = _hints(start, full) if start else None
    full_sol = solver.solve(full, max(0.5, left()), seed, workers, hints)
    solve_s = time.perf_counter() - t_solve
    if full_sol.found and (best is None or full_sol.objective >= best.solved.objective):
        best = _Best(full_sol, full, everything)
    if best is None and base_sol.found:
        best = _Best(base_sol, base, p.inputs)  # nothing better found in time: keep the input
    if best is None:  # no timetable meets the constraints (or none was found in time): a result, not an error
        proved = full_sol.status == solver.INFEASIBLE
        return _result(
            p,
            full,
            solve_s,
            limit,
            model_input,
            runs=[],
            status=full_sol.status,
            model_proposal=None,
            best_bound=lp_bound,
            reason=(
                "no timetable meets the constraints (CP-SAT proved it); loosen fleet.vehicles, optimize.max_runs or keep_served"
                if proved
                else f"no timetable found within {limit:.0f} s ({full_sol.status}); give it more time, or loosen fleet.vehicles, optimize.max_runs or keep_served"
            ),
        )
    bounds = [b for b in (lp_bound, full_sol.bound / POINTS if full_sol.found else None) if b is not None]
    bound = min(bounds) if bounds else best.solved.objective / POINTS
    chosen = [best.index[i] for i in range(len(best.model.x)) if best.solved.value(best.model.x[i])]
    optimal = (best.solved.status == solver.OPTIMAL and best.model is full) or best.solved.objective / POINTS >= bound - 1e-6
    return _result(
        p,
        full,
        solve_s,
        limit,
        model_input,
        runs=name_runs([p.cands[c] for c in chosen], p.ctx.scenario),
        status=solver.OPTIMAL if optimal else solver.FEASIBLE,
        model_proposal=_score(best.solved, best.model, p, chosen, best.index),
        best_bound=bound,
    )


def _result(
    p: _Problem,
    full: Model,
    solve_s: float,
    limit: float,
    model_input: ModelScore | None,
    *,
    runs: list[Run],
    status: str,
    model_proposal: ModelScore | None,
    best_bound: float | None,
    reason: str | None = None,
) -> OptimizeResult:
    """Return the result of the search: the problem's size (the full model's), the times and the input's score, with the outcome given.

    ``total_s`` is 0 here: :func:`optimize` sets it once the proposal is written.
    """
    variables, constraints = solver.model_size(full)
    scenario = p.ctx.scenario
    return OptimizeResult(
        scenario=scenario,
        runs=runs,
        status=status,
        weights=scenario.optimize.weights,
        candidates=len(p.cands),
        variables=variables,
        constraints=constraints,
        solve_s=solve_s,
        total_s=0.0,
        time_limit_s=limit,
        model_input=model_input,
        model_proposal=model_proposal,
        best_bound=best_bound,
        reason=reason,
    )


def _solve_subset(p: _Problem, subset: list[int], input_found: bool, left: Callable[[], float], seed: int, workers: int) -> _Best | None:
    """Step 3: CP-SAT over ``subset``, starting from the input's runs when the input is feasible."""
    sub = p.model(subset)
    hints = None
    if input_found:
        inputs = set(p.inputs)
        hints = {sub.x[i]: 1 if c in inputs else 0 for i, c in enumerate(subset)}
    sol = solver.solve(sub, max(0.5, left() * 0.4), seed, workers, hints)
    return _Best(sol, sub, subset) if sol.found else None


def _score(sol: solver.Solved, mod: Model, p: _Problem, chosen: list[int], index: list[int] | None = None) -> ModelScore:
    """What the model says about its solution (``index``: candidate of each of the model's runs; default ``chosen``'s model is over ``chosen``)."""
    cands = [p.cands[c] for c in (index if index is not None else chosen)]
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
    return ModelScore(len(chosen), sol.value(mod.vehicles), work, home, wait_sum / carried if carried else 0.0, sol.objective / POINTS)


def _hints(src: _Best, dst: Model) -> dict[Any, int]:
    """Return a solution as start values for ``dst``, a model over every candidate."""
    sol, mod, index = src.solved, src.model, src.index
    out = {dst.x[j]: 0 for j in range(len(dst.x))}
    for i, j in enumerate(index):
        out[dst.x[j]] = sol.value(mod.x[i])
    for (c, d, gi), v in mod.y.items():
        key = (index[c], d, gi)
        if key in dst.y:
            out[dst.y[key]] = sol.value(v)
    for v in dst.y.values():
        out.setdefault(v, 0)
    out[dst.vehicles] = sol.value(mod.vehicles)
    if len(mod.flows) == len(dst.flows) and index == list(range(len(dst.x))):
        out.update({d: sol.value(s) for s, d in zip(mod.flows, dst.flows)})
    return out


def name_runs(chosen: list[Candidate], scenario: Scenario) -> list[Run]:
    """Return the chosen runs by start, the input's with their ids, generated ones named ``opt_work1`` / 出勤1便 …"""
    parks = set(scenario.park_ids())
    keep = {c.run.id for c in chosen if c.source == INPUT}
    out = []
    counters = {TO_WORK: 0, HOME: 0}
    for cand in sorted(chosen, key=lambda c: (c.run.start, c.run.id)):
        r = cand.run
        if cand.source == INPUT:
            out.append(r)
            continue
        d = TO_WORK if r.calls[-1].stop in parks else HOME
        counters[d] += 1
        i = counters[d]
        rid = f"opt_work{i}" if d == TO_WORK else f"opt_home{i}"
        while rid in keep:
            rid += "_"
        keep.add(rid)
        name = f"出勤{i}便" if d == TO_WORK else f"帰宅{i}便"
        name_en = f"To work {i}" if d == TO_WORK else f"Home {i}"
        out.append(Run(rid, r.calls, name, name_en))
    return out


def _write_outputs(result: OptimizeResult, ctx: ShuttleContext, out: Path, timetables: Timetables) -> None:
    """Write the proposal's feed and scenario, re-evaluate it from those files, and write the comparison."""
    s = result.scenario
    out.mkdir(parents=True, exist_ok=True)
    feed = write_shuttle_feed(out / "shuttle", s, result.runs, timezone=ctx.timetable.timezone, note=f"proposed by maas shuttle optimize ({result.status})")
    description = (
        f"Timetable proposed by maas shuttle optimize for scenario {s.name} "
        f"({result.status}, weights {result.weights.model_dump()}); everything else as in {s.source}."
    )
    scen_path = out / "scenario.yaml"
    scen_path.write_text(proposal_scenario_text(s, ctx.rail_paths, description, "shuttle"), encoding="utf-8")
    baseline = evaluate(ctx)
    proposal = evaluate_scenario(load_scenario(scen_path), timetables=timetables)
    comp = comparison_dict(baseline, proposal)
    comp["optimizer"] = {
        "status": result.status,
        "model_input": result.model_input.to_dict() if result.model_input else None,
        "model_proposal": result.model_proposal.to_dict() if result.model_proposal else None,
    }
    result.baseline, result.proposal, result.comparison = baseline, proposal, comp
    write_json(out / "comparison.json", comp)
    write_text(out / "comparison.txt", render_comparison(comp))
    result.files = {
        "feed": str(feed),
        "scenario": str(scen_path),
        "comparison_json": str(out / "comparison.json"),
        "comparison_txt": str(out / "comparison.txt"),
        "optimize_json": str(out / "optimize.json"),
    }


__all__ = ["ModelScore", "OptimizeResult", "name_runs", "optimize"]
