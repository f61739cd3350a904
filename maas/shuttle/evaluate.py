"""Evaluate a shuttle timetable: who gets to work on time and home again, how full each run is, how many vehicles.

The evaluation is a pipeline; each step is its own module:

1. :mod:`~maas.shuttle.context` — the scenario's runs joined to the compiled trains, places resolved;
2. :mod:`~maas.shuttle.options` — per (park, shift, origin) group and direction, the runs that get
   its riders there on time, with the train legs of :mod:`~maas.shuttle.legs`, best first;
3. :mod:`~maas.shuttle.seats` — riders take their best option; full runs send the overflow on;
4. :mod:`~maas.shuttle.crosscheck` — the journey planner plans each whole trip and must agree;
5. :mod:`~maas.shuttle.loads` — per run: load on each leg, riders, waits, and the trains met and
   missed (:mod:`~maas.shuttle.meets`);
6. :mod:`~maas.shuttle.fleet` — the fewest vehicles, their duties, hours, km and cost;
7. :mod:`~maas.shuttle.kpis` — the figures per park and shift and in total.

All times are on the scenario's date; "riders" are expected numbers
(employees × rail_shuttle_share × shift share × origin share), not whole
people.  The rules are documented in ``scenarios/README.md``.
"""

from __future__ import annotations

from pathlib import Path

from maas.shuttle.context import ShuttleContext, build_context
from maas.shuttle.crosscheck import Trip, check_with_planner
from maas.shuttle.fleet import scenario_fleet
from maas.shuttle.groups import GroupResult
from maas.shuttle.kpis import shift_results, totals
from maas.shuttle.legs import RailLegs
from maas.shuttle.loads import RunLoad, RunResult, run_result
from maas.shuttle.options import HOME_DIRECTION, TO_WORK_DIRECTION, Direction, Option, TripRules, group_options
from maas.shuttle.results import Evaluation
from maas.shuttle.schema import DemandGroup, Scenario
from maas.shuttle.seats import Demand, allocate_seats
from maas.shuttle.timetable import Timetables, timetables_for


def evaluate_scenario(scenario: Scenario, *, timetables: Timetables | None = None, cache_dir: str | Path | None = None, use_cache: bool = True) -> Evaluation:
    """Evaluate a shuttle timetable against the trains and the shifts.

    The scenario's runs are joined to its rail timetable in memory; the
    journey planner gives the rail part of every rider's trip; riders take
    their best option, seats are allocated, trains met and missed are listed
    and the vehicles counted by matching (see ``scenarios/README.md``).

    Parameters
    ----------
    scenario
        The scenario, as :func:`~maas.shuttle.scenario.load_scenario` reads it.
    timetables
        Keeps the compiled trains between evaluations (pass the same one to
        evaluate many scenarios); default: the process's
        (:func:`~maas.shuttle.timetable.shared_timetables`), or a new one when
        ``cache_dir`` or ``use_cache=False`` is given.
    cache_dir
        The compiled-timetable cache folder (see :func:`maas.load_timetable`).
    use_cache
        False compiles the rail feeds again.

    Returns
    -------
    Evaluation
        Who reaches work on time and gets home, loads, trains met, fleet and
        cost; :meth:`~maas.shuttle.results.Evaluation.to_dict` is its JSON.

    Raises
    ------
    InputError
        The date has no train, a station or origin is unknown, or a runs feed
        is unusable (the message names the field).
    FeedError
        A rail feed has errors.
    """
    timetables = timetables or timetables_for(cache_dir, use_cache)
    return evaluate(build_context(scenario, timetables=timetables))


def evaluate(ctx: ShuttleContext, *, check_planner: bool = True) -> Evaluation:
    """Evaluate the runs of a built scenario (see the module docstring and ``scenarios/README.md``)."""
    s = ctx.scenario
    trips = _trips(ctx, s.demand_groups())
    seating = allocate_seats(ctx.runs, [Demand(g.riders, options) for _, g, options in trips], s.fleet.seats)
    warnings = list(ctx.warnings)
    journeys = [""] * len(trips)
    if check_planner:
        check = check_with_planner(ctx, [Trip(d.name, g, options[0] if options else None) for d, g, options in trips])
        journeys = check.journeys
        warnings += check.warnings
    groups = [GroupResult(d.name, g, options, seats.allocation, seats.unseated, journey) for (d, g, options), seats, journey in zip(trips, seating, journeys)]
    runs = [run_result(ctx, run, _riders_on(run.id, groups)) for run in ctx.runs]
    fleet = scenario_fleet(ctx.runs, ctx.road, s.fleet)
    warnings += list(fleet.notes)
    warnings += [f"run {r.run.id}: {r.peak_wanted:.1f} riders want it but it has {r.seats} seats" for r in runs if r.over_seats]
    return Evaluation(s, s.date, runs, groups, shift_results(s, groups), fleet, totals(groups, runs, fleet), warnings, ctx)


def _trips(ctx: ShuttleContext, demand: list[DemandGroup]) -> list[tuple[Direction, DemandGroup, list[Option]]]:
    """Every group to work and home, with its options best first."""
    rail = RailLegs(ctx)
    parks = frozenset(ctx.scenario.park_ids())
    rules = TripRules.of(ctx.scenario.rules)
    return [(d, g, group_options(ctx.runs, rules, rail, g, parks, d)) for g in demand for d in (TO_WORK_DIRECTION, HOME_DIRECTION)]


def _riders_on(run_id: str, groups: list[GroupResult]) -> list[RunLoad]:
    """The groups' riders on one run, group by group: seated, and wanting it first."""
    out = []
    for g in groups:
        for k, (o, a) in enumerate(zip(g.options, g.allocation)):
            if o.run == run_id:
                out.append(RunLoad(o, a, g.riders if k == 0 else 0.0))
    return out


__all__ = ["RunResult", "evaluate", "evaluate_scenario"]
