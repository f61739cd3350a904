"""Small toolkit to lay out modeled trips along a line.

A Profile gives, for every station of a line in one direction, the running
minutes from the first station, interpolated by straight-line distance between
"key" stations whose running times come from the service facts.  A trip is
made from a first departure, a list of stations it calls at, and dwell minutes
at some of them.  Times are rounded to whole minutes.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field


def rnd(x: float) -> int:
    return math.floor(x + 0.5)


class Profile:
    def __init__(self, names: list[str], km: list[float], keys: dict[str, float]):
        assert names[0] in keys and names[-1] in keys, (names[0], names[-1], keys)
        self.names = names
        self.km = dict(zip(names, km, strict=False))
        self.minutes: dict[str, float] = {}
        key_names = [n for n in names if n in keys]
        for a, b in itertools.pairwise(key_names):
            ka, kb = self.km[a], self.km[b]
            ta, tb = keys[a], keys[b]
            ia, ib = names.index(a), names.index(b)
            for n in names[ia : ib + 1]:
                f = 0.0 if kb == ka else (self.km[n] - ka) / (kb - ka)
                self.minutes[n] = ta + f * (tb - ta)

    def reversed_keys(self) -> dict[str, float]:
        total = self.minutes[self.names[-1]]
        return {n: total - m for n, m in self.minutes.items()}


@dataclass
class Trip:
    trip_id: str
    route_id: str
    service_id: str
    headsign: str
    short_name: str
    direction_id: int
    stops: list[tuple[str, int, int]] = field(default_factory=list)  # (stop_id, arr, dep) minutes
    extra: dict = field(default_factory=dict)


def lay_out(
    profile: Profile,
    calls: list[str],
    t0: float,
    dwell: dict[str, float] | None = None,
    end_time: float | None = None,
    fixed: dict[str, float] | None = None,
) -> list[tuple[str, int, int]]:
    """Return [(station_name, arr, dep)] for a trip leaving calls[0] at t0.

    dwell: minutes stopped at intermediate calls (added to the running time).
    end_time: if given, the running time is scaled so the trip arrives at
    calls[-1] at end_time (used where a fact fixes both ends).
    fixed: arrival times forced at some intermediate calls (facts); running
    time between fixed points is scaled.
    """
    dwell = dwell or {}
    anchors = {calls[0]: t0}
    if fixed:
        anchors.update(fixed)
    if end_time is not None:
        anchors[calls[-1]] = end_time
    base = profile.minutes
    # running budget between consecutive anchors
    out: list[tuple[str, int, int]] = []
    anchor_idx = [i for i, n in enumerate(calls) if n in anchors]
    if anchor_idx[-1] != len(calls) - 1:
        anchor_idx.append(len(calls) - 1)
    t_prev_dep = t0
    for seg_start, seg_end in itertools.pairwise(anchor_idx):
        a_name, b_name = calls[seg_start], calls[seg_end]
        run_base = base[b_name] - base[a_name]
        inner_dwell = sum(dwell.get(calls[i], 0) for i in range(seg_start + 1, seg_end))
        if b_name in anchors:
            budget = anchors[b_name] - t_prev_dep - inner_dwell
            scale = budget / run_base if run_base > 0 else 1.0
        else:
            scale = 1.0
        acc_dwell = 0.0
        if seg_start == 0:
            out.append((a_name, rnd(t0), rnd(t0)))
        for i in range(seg_start + 1, seg_end + 1):
            n = calls[i]
            arr = t_prev_dep + (base[n] - base[a_name]) * scale + acc_dwell
            d = dwell.get(n, 0) if i < len(calls) - 1 else 0
            out.append((n, rnd(arr), rnd(arr) + rnd(d)))
            acc_dwell += d
        t_prev_dep = out[-1][2]
    # monotonic guard (rounding)
    fixed_out = []
    last = -(10**9)
    for n, a, d in out:
        a = max(a, last)
        d = max(d, a)
        fixed_out.append((n, a, d))
        last = d
    return fixed_out
