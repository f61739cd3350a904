"""Seats: riders take their best option; a full run sends the overflow on to each group's next option.

In rounds: every run over its seats on its fullest leg cuts all its riders by
the same factor (seats / load); the riders cut move to their group's next
option, or are unseated when there is none.  Riders moved in a round are
looked at again in the next round.  The result is the riders per option of
every group, and those left without a seat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from maas.shuttle.model import Run
from maas.shuttle.options import Option


@dataclass(frozen=True)
class Demand:
    """A group's riders and its options, best first."""

    riders: float
    options: Sequence[Option]


@dataclass(frozen=True)
class Seating:
    """Riders per option (same order as the options) and riders left without a seat."""

    allocation: list[float]
    unseated: float


def allocate_seats(runs: Sequence[Run], demands: Sequence[Demand], seats: int, max_rounds: int = 100) -> list[Seating]:
    """Return the seating of every demand (see the module docstring)."""
    n_calls = {r.id: len(r.calls) for r in runs}
    alloc = [[0.0] * len(d.options) for d in demands]
    unseated = [0.0] * len(demands)
    for a, d in zip(alloc, demands):
        if d.options:
            a[0] = d.riders
    for _ in range(max_rounds):
        over = _over_seats(n_calls, demands, alloc, seats)
        if not over:
            break
        for i, d in enumerate(demands):
            unseated[i] = _move_overflow(d.options, alloc[i], over, unseated[i])
    return [Seating(a, u) for a, u in zip(alloc, unseated)]


def _over_seats(n_calls: dict[str, int], demands: Sequence[Demand], alloc: list[list[float]], seats: int) -> dict[str, float]:
    """Return run id → seats / peak load of every run over its seats."""
    load: dict[str, np.ndarray] = {rid: np.zeros(max(n - 1, 1)) for rid, n in n_calls.items()}
    for d, a in zip(demands, alloc):
        for o, riders in zip(d.options, a):
            if riders > 0:
                load[o.run][o.board_pos : o.alight_pos] += riders
    return {rid: float(seats / arr.max()) for rid, arr in load.items() if arr.max() > seats + 1e-9}


def _move_overflow(options: Sequence[Option], alloc: list[float], over: dict[str, float], unseated: float) -> float:
    """Cut the riders of the full runs, move them to the next option; return ``unseated`` plus the riders left without one."""
    before = list(alloc)  # riders moved this round are not cut again in the same round
    for i, o in enumerate(options):
        factor = over.get(o.run)
        if factor is None or before[i] <= 0:
            continue
        excess = before[i] * (1.0 - factor)
        alloc[i] -= excess
        if i + 1 < len(options):
            alloc[i + 1] += excess
        else:
            unseated += excess
    return unseated


__all__ = ["Demand", "Seating", "allocate_seats"]
