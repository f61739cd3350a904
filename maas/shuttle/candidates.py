"""The runs the optimizer may choose: the input's, and runs generated on a grid, each with the groups it serves.

For every ordered choice of stations (up to ``max_stations_per_run``, from
``optimize.stations`` or every station stop with a train platform within the
walk radius) and of parks (up to ``max_parks_per_run``), a run to work
(stations, then parks) and a run home (parks, then stations) leave their
first stop at every multiple of ``grid_minutes`` at which they can serve
some shift (within ``to_work_window`` / ``home_window`` when given).
Stop-to-stop times come from the road model plus ``dwell_minutes`` at
intermediate stops.  Which groups a candidate serves, and how, is decided by
the evaluation's own rules (:func:`maas.shuttle.options.run_option`, the same
rail legs).  Candidates are then pruned to each group's best few.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from maas.shuttle.context import ShuttleContext
from maas.shuttle.legs import RailLegs
from maas.shuttle.model import Call, RoadModel, Run
from maas.shuttle.objective import value_per_rider
from maas.shuttle.options import DIRECTIONS, HOME, TO_WORK, Direction, Option, TripRules, option_at, park_position
from maas.shuttle.schema import DemandGroup, Scenario
from maas.shuttle.units import whole_seconds

INPUT = "input"
GENERATED = "generated"


@dataclass(frozen=True)
class Candidate:
    """A run the optimizer may choose, with the groups it serves and how: ``(direction, group index, option)``."""

    run: Run
    source: str  # "input" or "generated"
    serves: tuple[tuple[str, int, Option], ...]


def iter_permutations(items: Sequence[str], max_len: int) -> list[tuple[str, ...]]:
    """Return every ordering of every non-empty subset of ``items`` of at most ``max_len`` elements."""
    out: list[tuple[str, ...]] = []
    for k in range(1, min(max_len, len(items)) + 1):
        out.extend(itertools.permutations(items, k))
    return out


def run_calls(stops: tuple[str, ...], t0: int, road: RoadModel, dwell_s: int) -> tuple[Call, ...]:
    """Return the calls of a run over ``stops`` leaving at ``t0``: road times, ``dwell_s`` at intermediate stops."""
    calls = []
    t = t0
    for k, st in enumerate(stops):
        if k > 0:
            t += road.time_s(stops[k - 1], st)
        dep = t + (dwell_s if 0 < k < len(stops) - 1 else 0)
        calls.append(Call(st, t, dep))
        t = dep
    return tuple(calls)


def _grid(lo: int, hi: int, step: int) -> range:
    """Multiples of ``step`` from ``lo`` to ``hi``, both included."""
    first = -(-lo // step) * step
    return range(first, hi + 1, step)


class _Serving:
    """Which groups a run serves, by the evaluation's rules; remembers the runs already seen."""

    def __init__(self, ctx: ShuttleContext, rail: RailLegs, groups: list[DemandGroup]) -> None:
        self.rules = TripRules.of(ctx.scenario.rules)
        self.rail = rail
        self.groups = groups
        self.parks = frozenset(ctx.scenario.park_ids())
        #: The parks in ``demand.parks`` order: the order the groups a run serves are listed in (never a set's hash order).
        self.park_order = tuple(dict.fromkeys(ctx.scenario.park_ids()))
        self.by_park: dict[str, list[int]] = defaultdict(list)
        for i, g in enumerate(groups):
            self.by_park[g.park].append(i)
        self.candidates: list[Candidate] = []
        self._seen: set[tuple[tuple[str, int, int], ...]] = set()

    def add(self, run: Run, source: str, direction: str | None = None) -> None:
        """Keep ``run`` when it serves a group (``direction``: only that way) or is the input's, unless seen already."""
        key = tuple((c.stop, c.arrival, c.departure) for c in run.calls)
        if key in self._seen:
            return
        serves = self.serves(run, [DIRECTIONS[d] for d in (TO_WORK, HOME) if direction in (None, d)])
        if serves or source == INPUT:
            self._seen.add(key)
            self.candidates.append(Candidate(run, source, tuple(serves)))

    def serves(self, run: Run, directions: list[Direction]) -> list[tuple[str, int, Option]]:
        """Return (direction, group index, option) of every group the run serves, parks in ``demand.parks`` order.

        The order is the scenario's, not a set's: it is the order of the
        model's variables, so it must not change with ``PYTHONHASHSEED``.
        """
        out = []
        calls = set(run.stops)
        for p in (p for p in self.park_order if p in calls):
            k = park_position(run, p)
            for i in self.by_park.get(p, []):
                for d in directions:
                    if (opt := option_at(run, k, self.rules, self.rail, self.groups[i], self.parks, d)) is not None:
                        out.append((d.name, i, opt))
        return out


@dataclass(frozen=True)
class _Grid:
    """What the departure times of generated runs depend on (seconds)."""

    starts: dict[str, set[int]]
    ends: dict[str, set[int]]
    margin: int
    early: int
    wait_home: int
    step: int
    dwell: int
    to_work_window: tuple[int, int] | None
    home_window: tuple[int, int] | None

    @classmethod
    def of(cls, s: Scenario, groups: list[DemandGroup]) -> _Grid:
        starts: dict[str, set[int]] = defaultdict(set)
        ends: dict[str, set[int]] = defaultdict(set)
        for g in groups:
            starts[g.park].add(g.start)
            ends[g.park].add(g.end)
        r, o = s.rules, s.optimize
        return cls(
            starts,
            ends,
            whole_seconds(r.margin_minutes),
            whole_seconds(r.max_early_minutes),
            whole_seconds(r.max_wait_home_minutes),
            o.grid_minutes * 60,
            whole_seconds(s.fleet.dwell_minutes),
            o.to_work_window,
            o.home_window,
        )

    def times(self, stops: tuple[str, ...], road: RoadModel, to_work: bool) -> list[int]:
        """Departure times from the first stop at which a run over ``stops`` can serve some shift, sorted."""
        calls = run_calls(stops, 0, road, self.dwell)
        times: set[int] = set()
        for k, p in enumerate(stops):
            if to_work:  # at the park between max_early and margin before the shift starts
                off = calls[k].arrival
                for start in self.starts.get(p, ()):
                    times.update(_grid(start - self.early - off, start - self.margin - off, self.step))
            else:  # leaving the park within max_wait_home after the shift ends
                off = calls[k].departure
                for end in self.ends.get(p, ()):
                    times.update(_grid(end - off, end + self.wait_home - off, self.step))
        window = self.to_work_window if to_work else self.home_window
        if window:
            times = {t for t in times if window[0] <= t <= window[1]}
        return [t for t in sorted(times) if t >= 0]


def generate_candidates(ctx: ShuttleContext, rail: RailLegs, groups: list[DemandGroup]) -> list[Candidate]:
    """Return the input runs and the generated runs that serve a group, pruned (see the module docstring)."""
    s = ctx.scenario
    o = s.optimize
    stations = [st for st in (o.stations or s.station_ids()) if ctx.rail_stops.get(st)]
    parks = [p for p in s.park_ids() if any(g.park == p for g in groups)]
    grid = _Grid.of(s, groups)
    serving = _Serving(ctx, rail, groups)
    for run in ctx.runs:
        serving.add(run, INPUT)
    n = 0
    for st_seq in iter_permutations(stations, o.max_stations_per_run):
        for pk_seq in iter_permutations(parks, o.max_parks_per_run):
            for stops, direction in ((st_seq + pk_seq, TO_WORK), (pk_seq + st_seq, HOME)):
                for t in grid.times(stops, ctx.road, direction == TO_WORK):
                    n += 1
                    serving.add(Run(f"cand{n}", run_calls(stops, t, ctx.road, grid.dwell)), GENERATED, direction)
    return prune_candidates(serving.candidates, s, o.candidates_per_group)


def prune_candidates(cands: Sequence[Candidate], s: Scenario, per_group: int) -> list[Candidate]:
    """Keep the input runs and, for every group and direction, its ``per_group`` best candidates.

    Best: most points per rider (see :mod:`maas.shuttle.objective`), then
    serving more groups (long multi-park runs stay in), then shorter.
    Candidates best for no group are dropped; this is what keeps the model
    small enough to solve well.
    """
    margin = whole_seconds(s.rules.margin_minutes)
    w = s.optimize.weights
    ranked: dict[tuple[str, int], list[tuple[float, int, int, int, int]]] = defaultdict(list)
    for i, cand in enumerate(cands):
        for d, gi, opt in cand.serves:
            ranked[d, gi].append((-value_per_rider(opt, w, margin), -len(cand.serves), cand.run.end - cand.run.start, cand.run.start, i))
    keep = {i for i, cand in enumerate(cands) if cand.source == INPUT}
    for items in ranked.values():
        items.sort()
        keep.update(item[-1] for item in items[:per_group])
    return [cands[i] for i in sorted(keep)]


def serving_runs(cands: Iterable[Candidate]) -> dict[tuple[str, int], list[int]]:
    """Return (direction, group index) → the candidates (indices) that serve it."""
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    for c, cand in enumerate(cands):
        for d, gi, _ in cand.serves:
            out[d, gi].append(c)
    return out


__all__ = ["GENERATED", "INPUT", "Candidate", "generate_candidates", "iter_permutations", "prune_candidates", "run_calls", "serving_runs"]
