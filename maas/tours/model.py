"""The tour-optimisation problem and its solutions, free of any solver.

:class:`Orienteering` is the team orienteering problem with time windows
(TOPTW): choose which nodes to visit, on which tour and in which order, to
collect the largest total score, with a time window at every node and one
time budget per tour.  It serves both the real tour planner (POIs, one tour
per day) and the OPTW/TOPTW benchmark sets.

Timing rules (the same in :func:`check`, :func:`evaluate` and the solver):

* a tour ``k`` leaves its start node ``starts[k]`` at a time
  ``t >= max(tour_open[k], open[start])``; the start node's ``service`` is
  spent there before leaving (normally 0);
* it travels ``travel[i, j]`` from node ``i`` to the next node ``j``;
  arriving early at a visit it waits until ``open[j]``; service must *start*
  no later than ``close[j]`` and lasts ``service[j]``;
* it reaches its end node ``ends[k]`` no later than
  ``min(tour_close[k], close[end])`` (waiting until ``open[end]`` if early).

Times are integers in one unit chosen by the caller (seconds, minutes, or
tenths of a distance unit for the benchmarks).  Nodes that are a start or an
end of any tour are *depots* and are never visited as stops.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from maas.errors import InputError


def _int_vector(name: str, value, n: int | None) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim != 1:
        raise InputError(f"{name}: expected a 1-D array, got shape {arr.shape}", field=name)
    if n is not None and arr.shape[0] != n:
        raise InputError(f"{name}: expected {n} values (one per node), got {arr.shape[0]}", field=name)
    return _as_int64(name, arr)


def _as_int64(name: str, arr: np.ndarray) -> np.ndarray:
    if arr.size and arr.dtype.kind not in "iub":
        if arr.dtype.kind != "f" or not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise InputError(f"{name}: expected integers, got {arr.dtype} values", field=name)
    out = np.ascontiguousarray(arr, dtype=np.int64)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class Orienteering:
    """Team orienteering with time windows (TOPTW); all times/durations are integers in one unit."""

    score: np.ndarray  # int64 per node (0 for depots)
    service: np.ndarray  # int64 visit duration per node
    open: np.ndarray  # int64 earliest start of service per node
    close: np.ndarray  # int64 latest start of service per node
    travel: np.ndarray  # int64 [n, n] travel time from i to j (may be asymmetric; need not obey the triangle inequality)
    starts: tuple[int, ...]  # start node of each tour (one tour per vehicle/day)
    ends: tuple[int, ...]  # end node of each tour
    tour_open: tuple[int, ...]  # each tour leaves its start no earlier than this
    tour_close: tuple[int, ...]  # and reaches its end no later than this
    required: frozenset[int] = frozenset()  # nodes that must be visited if at all possible
    allowed: np.ndarray | None = None  # bool [n, n_tours]: node may be visited on that tour (None = all)

    def __post_init__(self) -> None:
        score = _int_vector("score", self.score, None)
        n = score.shape[0]
        if n == 0:
            raise InputError("score: the problem has no nodes", field="score")
        set_ = object.__setattr__
        set_(self, "score", score)
        for name in ("service", "open", "close"):
            set_(self, name, _int_vector(name, getattr(self, name), n))
        travel = np.asarray(self.travel)
        if travel.shape != (n, n):
            raise InputError(f"travel: expected shape ({n}, {n}), got {travel.shape}", field="travel")
        set_(self, "travel", _as_int64("travel", travel))
        for name in ("score", "service", "travel"):
            arr = getattr(self, name)
            if arr.size and arr.min() < 0:
                where = np.unravel_index(int(np.argmin(arr)), arr.shape)
                raise InputError(f"{name}: values must be non-negative, found {int(arr.min())} at {tuple(int(i) for i in where)}", field=name)
        bad = np.flatnonzero(self.open > self.close)
        if bad.size:
            i = int(bad[0])
            raise InputError(f"open/close: node {i} opens at {int(self.open[i])} after it closes at {int(self.close[i])}", field="open")

        for name in ("starts", "ends", "tour_open", "tour_close"):
            try:
                values = tuple(int(v) for v in getattr(self, name))
            except (TypeError, ValueError):
                raise InputError(f"{name}: expected a sequence of integers", field=name) from None
            set_(self, name, values)
        n_tours = len(self.starts)
        if n_tours == 0:
            raise InputError("starts: at least one tour is needed", field="starts")
        for name in ("ends", "tour_open", "tour_close"):
            if len(getattr(self, name)) != n_tours:
                raise InputError(f"{name}: expected {n_tours} values (one per tour), got {len(getattr(self, name))}", field=name)
        for name in ("starts", "ends"):
            for k, v in enumerate(getattr(self, name)):
                if not 0 <= v < n:
                    raise InputError(f"{name}: tour {k} uses node {v}, outside 0..{n - 1}", field=name)
        for k, (a, b) in enumerate(zip(self.tour_open, self.tour_close)):
            if a > b:
                raise InputError(f"tour_open/tour_close: tour {k} opens at {a} after it closes at {b}", field="tour_open")

        try:
            required = frozenset(int(v) for v in self.required)
        except (TypeError, ValueError):
            raise InputError("required: expected a set of node numbers", field="required") from None
        depots = set(self.starts) | set(self.ends)
        for v in sorted(required):
            if not 0 <= v < n:
                raise InputError(f"required: node {v} is outside 0..{n - 1}", field="required")
            if v in depots:
                raise InputError(f"required: node {v} is a tour start or end, not a visit", field="required")
        set_(self, "required", required)

        if self.allowed is not None:
            allowed = np.asarray(self.allowed)
            if allowed.shape != (n, n_tours):
                raise InputError(f"allowed: expected shape ({n}, {n_tours}), got {allowed.shape}", field="allowed")
            if allowed.dtype != np.bool_:
                if allowed.dtype.kind not in "iub" or not np.isin(allowed, (0, 1)).all():
                    raise InputError("allowed: expected booleans", field="allowed")
            allowed = np.ascontiguousarray(allowed, dtype=np.bool_)
            allowed.setflags(write=False)
            set_(self, "allowed", allowed)

    @property
    def n(self) -> int:
        """Number of nodes (depots included)."""
        return int(self.score.shape[0])

    @property
    def n_tours(self) -> int:
        return len(self.starts)

    @property
    def depots(self) -> frozenset[int]:
        """Nodes that start or end a tour; they are never visited as stops."""
        return frozenset(self.starts) | frozenset(self.ends)

    def customers(self) -> list[int]:
        """The nodes that may be visited (every node that is not a depot), in order."""
        depots = self.depots
        return [i for i in range(self.n) if i not in depots]

    def may_visit(self, node: int, tour: int) -> bool:
        return self.allowed is None or bool(self.allowed[node, tour])


@dataclass
class TourSolution:
    """A solution: per tour the visited nodes in order (depots excluded) and their start-of-service times."""

    tours: list[list[int]]
    starts: list[list[int]]
    score: int
    status: str
    feasible: bool
    #: required nodes the solution leaves out (they could not all be fitted).
    missing_required: list[int] = field(default_factory=list)
    #: wall-clock seconds spent in the solver.
    time_s: float = 0.0

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "tours": [list(t) for t in self.tours],
            "starts": [list(s) for s in self.starts],
            "status": self.status,
            "feasible": self.feasible,
            "missing_required": list(self.missing_required),
            "time_s": self.time_s,
        }


def schedule(problem: Orienteering, k: int, tour: list[int]) -> tuple[list[int], int, list[str]]:
    """Time tour ``k`` visiting ``tour`` as early as possible.

    Returns the start-of-service time of each visit, the arrival at the end
    node, and the timing violations found (empty when the timing is feasible).
    Visits that are late are still timed (at their arrival) so that later
    visits get a time too.
    """
    p = problem
    errors: list[str] = []
    s = p.starts[k]
    t = max(p.tour_open[k], int(p.open[s]))
    if t > p.close[s]:
        errors.append(f"tour {k}: start node {s} closes at {int(p.close[s])}, before the tour opens at {p.tour_open[k]}")
    prev = s
    times: list[int] = []
    for j in tour:
        arrive = t + int(p.service[prev]) + int(p.travel[prev, j])
        t = max(arrive, int(p.open[j]))
        if t > p.close[j]:
            errors.append(f"tour {k}: node {j} is reached at {arrive}, after it closes at {int(p.close[j])}")
        times.append(t)
        prev = j
    e = p.ends[k]
    arrive = t + int(p.service[prev]) + int(p.travel[prev, e])
    end = max(arrive, int(p.open[e]))
    latest = min(p.tour_close[k], int(p.close[e]))
    if end > latest:
        errors.append(f"tour {k}: reaches its end node {e} at {end}, after {latest}")
    return times, end, errors


def check(problem: Orienteering, tours: list[list[int]]) -> list[str]:
    """Every way ``tours`` breaks the rules of ``problem``; an empty list means feasible.

    Checks, independently of any solver: one list per tour, node numbers in
    range, no depot visited as a stop, each node at most once over all tours,
    the ``allowed`` matrix, time windows (waiting allowed, service times
    counted) and each tour's open/close times.
    """
    p = problem
    errors: list[str] = []
    if len(tours) != p.n_tours:
        return [f"expected {p.n_tours} tours, got {len(tours)}"]
    depots = p.depots
    seen: dict[int, int] = {}
    for k, tour in enumerate(tours):
        ok_nodes = True
        for j in tour:
            if isinstance(j, bool) or not isinstance(j, (int, np.integer)):
                errors.append(f"tour {k}: {j!r} is not a node number")
                ok_nodes = False
                continue
            j = int(j)
            if not 0 <= j < p.n:
                errors.append(f"tour {k}: node {j} is outside 0..{p.n - 1}")
                ok_nodes = False
                continue
            if j in depots:
                errors.append(f"tour {k}: node {j} is a depot (a tour start or end), not a stop")
            if j in seen:
                errors.append(f"node {j} is visited more than once (tours {seen[j]} and {k})")
            else:
                seen[j] = k
            if not p.may_visit(j, k):
                errors.append(f"tour {k}: node {j} is not allowed on this tour")
        if ok_nodes:
            errors.extend(schedule(p, k, [int(j) for j in tour])[2])
    return errors


def evaluate(problem: Orienteering, tours: list[list[int]]) -> tuple[int, list[list[int]]]:
    """The total score of ``tours`` (each node counted once) and each visit's earliest start of service.

    Does not check feasibility; use :func:`check` for that.
    """
    visited = {int(j) for tour in tours for j in tour}
    score = int(sum(int(problem.score[j]) for j in visited))
    starts = [schedule(problem, k, [int(j) for j in tour])[0] for k, tour in enumerate(tours)]
    return score, starts


def travel_cost(problem: Orienteering, tours: list[list[int]]) -> int:
    """Total travel time of ``tours``, from each start to each end."""
    total = 0
    for k, tour in enumerate(tours):
        path = [problem.starts[k], *tour, problem.ends[k]]
        total += int(sum(int(problem.travel[a, b]) for a, b in itertools.pairwise(path)))
    return total


def unusable_tours(problem: Orienteering) -> list[int]:
    """Tours that cannot even go straight from their start to their end within their window."""
    p = problem
    out = []
    for k in range(p.n_tours):
        s, e = p.starts[k], p.ends[k]
        t = max(p.tour_open[k], int(p.open[s]))
        if t > p.close[s]:
            out.append(k)
            continue
        t = max(t + int(p.service[s]) + int(p.travel[s, e]), int(p.open[e]))
        if t > min(p.tour_close[k], int(p.close[e])):
            out.append(k)
    return out


def clean_tours(problem: Orienteering, tours) -> list[list[int]]:
    """Make ``tours`` valid: keep one list per tour, drop unknown nodes, depots, repeats and visits the tour may not make,
    then drop late visits (the first one each time) until every tour is on time."""
    p = problem
    depots = p.depots
    seen: set[int] = set()
    out: list[list[int]] = []
    bad_tours = set(unusable_tours(p))
    tours = list(tours or [])[: p.n_tours]
    tours += [[] for _ in range(p.n_tours - len(tours))]
    for k, tour in enumerate(tours):
        keep = []
        for j in tour:
            if isinstance(j, bool) or not isinstance(j, (int, np.integer)):
                continue
            j = int(j)
            if not 0 <= j < p.n or j in depots or j in seen or not p.may_visit(j, k) or k in bad_tours:
                continue
            seen.add(j)
            keep.append(j)
        while keep:
            times, _, errors = schedule(p, k, keep)
            if not errors:
                break
            late = next((i for i, (j, t) in enumerate(zip(keep, times)) if t > p.close[j]), len(keep) - 1)
            del keep[late]
        out.append(keep)
    return out
