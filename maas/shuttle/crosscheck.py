"""The end-to-end check: each group's whole trip planned by the journey planner, trains and shuttle together.

The options are built run by run with separate rail legs; here the planner
sees the scenario's runs as one more mode and plans the whole trip: to work,
an arrive-by query from the origin to the park by ``margin`` before the
shift; home, a range query from the park over ``max_wait_home`` after it.
Both must find the same best departure (to work) or arrival (home) as the
group's best option; every disagreement is listed under the warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from maas.routing.journeys import Journey, Leg
from maas.routing.params import RoutingParams
from maas.routing.planner import JourneyQuery
from maas.shuttle.context import ShuttleContext
from maas.shuttle.legs import RAIL_HORIZON_S
from maas.shuttle.options import TO_WORK, Option
from maas.shuttle.schema import DemandGroup
from maas.shuttle.units import whole_seconds
from maas.when import format_clock

#: Disagreements listed in full; the rest are counted.
SHOWN = 10


@dataclass(frozen=True)
class Trip:
    """A group's trip in one direction and its best option (None: not served)."""

    direction: str
    group: DemandGroup
    best: Option | None


@dataclass(frozen=True)
class CrossCheck:
    """The planner's best journey of each trip (``""`` when none), and the warnings where it disagrees."""

    journeys: list[str]
    warnings: list[str]


def check_with_planner(ctx: ShuttleContext, trips: Sequence[Trip]) -> CrossCheck:
    """Plan each trip with trains and shuttle together; note where it disagrees with the best option."""
    planner = _Planned(ctx)
    journeys: list[str] = []
    bad: list[str] = []
    for trip in trips:
        best = planner.best(trip)
        journeys.append(_journey_line(best) if best is not None else "")
        disagreement = _disagreement(trip, best)
        if disagreement:
            bad.append(disagreement)
    warnings = []
    if bad:
        warnings = [f"{len(bad)} group(s) where the end-to-end journey planner disagrees with the run-by-run options:"] + [f"  {b}" for b in bad[:SHOWN]]
    return CrossCheck(journeys, warnings)


class _Planned:
    """The planner's journeys for each (direction, origin, park, time), planned once."""

    def __init__(self, ctx: ShuttleContext) -> None:
        r = ctx.scenario.rules
        self.ctx = ctx
        self.margin = whole_seconds(r.margin_minutes)
        self.early = whole_seconds(r.max_early_minutes)
        self.wait_home = whole_seconds(r.max_wait_home_minutes)
        self.transfer = whole_seconds(r.transfer_minutes)
        #: Trains and shuttle together, the scenario's walks and transfer time.
        self.params = RoutingParams(walk=ctx.walk, min_transfer_s=self.transfer)
        self._cache: dict[tuple[str, str, str, int], list[Journey]] = {}

    def best(self, trip: Trip) -> Journey | None:
        """Return the planner's best journey with a shuttle ride for the trip, or None."""
        g = trip.group
        if trip.direction == TO_WORK:
            by = g.start - self.margin
            js = [
                j
                for j in self._plan(TO_WORK, g, by)
                if (leg := shuttle_leg(j)) is not None and j.arrival >= g.start - self.early and leg.departure - self.transfer - j.departure <= RAIL_HORIZON_S
            ]
            return max(js, key=lambda j: (j.departure, -j.rides), default=None)
        js = [j for j in self._plan(trip.direction, g, g.end) if (leg := shuttle_leg(j)) is not None and leg.departure <= g.end + self.wait_home]
        return min(js, key=lambda j: (j.arrival, j.rides), default=None)

    def _plan(self, direction: str, g: DemandGroup, time: int) -> list[Journey]:
        key = (direction, g.origin, g.park, time)
        if key not in self._cache:
            c = self.ctx
            origin, park = c.origins[g.origin], c.place(g.park)
            if direction == TO_WORK:
                q = JourneyQuery(origin, park, c.date, time, arrive_by=True, params=self.params)
            else:
                q = JourneyQuery(park, origin, c.date, time, window_s=self.wait_home, params=self.params)
            self._cache[key] = c.planner.plan(q)
        return self._cache[key]


def _disagreement(trip: Trip, best: Journey | None) -> str:
    """Return the warning line when the planner's best time differs from the best option's, else ''."""
    to_work = trip.direction == TO_WORK
    mine = None if trip.best is None else (trip.best.departure if to_work else trip.best.arrival)
    theirs = None if best is None else (best.departure if to_work else best.arrival)
    if mine == theirs:
        return ""
    g = trip.group
    what = "leaves" if to_work else "arrives"
    return (
        f"{trip.direction} {g.park}/{g.shift} from {g.origin}: the single-run options say {what} "
        f"{format_clock(mine) if mine is not None else 'never'}, the journey planner (trains + shuttle) "
        f"{format_clock(theirs) if theirs is not None else 'never'}"
    )


def shuttle_leg(j: Journey) -> Leg | None:
    """Return the journey's first shuttle ride, or None."""
    return next((leg for leg in j.legs if leg.mode == "shuttle"), None)


def _journey_line(j: Journey) -> str:
    parts = []
    for leg in j.legs:
        if leg.is_ride:
            parts.append(
                f"{format_clock(leg.departure)} {leg.origin.display('en')} → {format_clock(leg.arrival)} {leg.destination.display('en')} ({leg.mode} {leg.route})"
            )
    return "; ".join(parts)


__all__ = ["CrossCheck", "Trip", "check_with_planner", "shuttle_leg"]
