"""The train before and after the shuttle, planned by the journey planner.

To work, riders take the train from their origin station to the run's
station and must be there ``transfer`` minutes before the run leaves: the
latest departure from the origin that makes it (ties: fewest rides).  Home,
they leave the station ``transfer`` minutes after the run arrives: the
earliest arrival at the origin (ties: fewest rides, then the later train).
Trains only (no shuttle, no walking away and back); a train journey counts
when it takes at most :data:`RAIL_HORIZON_S`.  Riders whose origin is within
walking distance of the station walk instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from maas.routing.journeys import Journey, Leg
from maas.routing.params import RoutingParams
from maas.routing.planner import MAX_WINDOW_S, JourneyQuery
from maas.shuttle.context import ShuttleContext
from maas.shuttle.units import whole_seconds

#: Rail legs count when the train journey leaves the origin at most this long before reaching the
#: shuttle's station, or leaves the station at most this long after the shuttle arrives, seconds.
RAIL_HORIZON_S = 3 * 3600
#: Longest shuttle run assumed when sizing the rail search windows, seconds.
RUN_ALLOWANCE_S = 2 * 3600
#: Modes of the rail part of a trip: anything but the shuttle.
NOT_SHUTTLE = frozenset({"rail", "bus", "ferry", "other"})
#: The day's last moment a rail search may start, seconds.
_DAY_END_S = 48 * 3600

#: One train journey of a profile: (departure, arrival, train arrival or departure at the station, train label, rides).
_Train = tuple[int, int, int, str, int]


@dataclass(frozen=True)
class RailLeg:
    """The rail part of a trip with one shuttle run.

    ``origin_time``: to work, the departure from the origin station; home,
    the arrival there.  ``train_time``: the train's arrival at (to work) or
    departure from (home) the shuttle's station, None when riders walk.
    ``train``: the train's label (``Sanyo Line for Shimonoseki``).
    """

    origin_time: int
    train_time: int | None
    train: str
    rides: int


class RailLegs:
    """The rail legs of one scenario, memoised (see the module docstring).

    With ``profiles`` (the default), one range query per origin and station
    gives every Pareto-optimal train journey of the day's window (rRAPTOR), and
    each leg is read off that profile: the latest departure arriving by a time,
    or the earliest arrival leaving after one.  This is the same answer as an
    arrive-by / depart-at query at that time (the profile holds every
    journey that one of them can return), for a fraction of the queries;
    ``profiles=False`` asks the planner point by point (used by the tests to
    check exactly that).
    """

    def __init__(self, ctx: ShuttleContext, *, profiles: bool = True) -> None:
        self.ctx = ctx
        self.profiles = profiles
        r = ctx.scenario.rules
        self.transfer_s = whole_seconds(r.transfer_minutes)
        #: How the rail part is ridden: any mode but the shuttle, the scenario's walks and transfer time.
        self.params = RoutingParams(walk=ctx.walk, modes=NOT_SHUTTLE, min_transfer_s=self.transfer_s)
        groups = ctx.scenario.demand_groups()
        starts = [g.start for g in groups] or [8 * 3600]
        ends = [g.end for g in groups] or [17 * 3600]
        # wide enough for every run that can serve a shift (runs take at most RUN_ALLOWANCE_S)
        lo = max(0, min(starts) - whole_seconds(r.max_early_minutes) - RUN_ALLOWANCE_S - RAIL_HORIZON_S)
        self._to_window = (lo, min(max(starts), lo + MAX_WINDOW_S))
        lo = min(ends)
        hi = max(ends) + whole_seconds(r.max_wait_home_minutes) + RUN_ALLOWANCE_S + RAIL_HORIZON_S
        self._home_window = (lo, min(hi, lo + MAX_WINDOW_S, _DAY_END_S))
        self._legs: dict[tuple[str, str, str, int], RailLeg | None] = {}
        self._walk: dict[tuple[str, str], int | None] = {}
        self._profile: dict[tuple[str, str, str], list[_Train]] = {}

    def leg(self, to_work: bool, origin: str, station: str, shuttle_time: int) -> RailLeg | None:
        """Return :meth:`latest_to` (to work: ``shuttle_time`` is the run's departure) or :meth:`earliest_from` (home: its arrival)."""
        return self.latest_to(origin, station, shuttle_time) if to_work else self.earliest_from(station, origin, shuttle_time)

    def walk_s(self, origin: str, station: str) -> int | None:
        """Seconds to walk from the origin station to a shuttle stop, None beyond the walk radius."""
        key = (origin, station)
        if key not in self._walk:
            c = self.ctx
            self._walk[key] = c.planner.direct_walk(c.origins[origin], c.place(station), c.walk)
        return self._walk[key]

    def latest_to(self, origin: str, station: str, shuttle_departure: int) -> RailLeg | None:
        """Return the rail leg to catch a shuttle leaving ``station`` at ``shuttle_departure``, or None.

        Latest departure (then fewest rides); a walk (origin next to the station) needs no transfer time.
        """
        key = ("to", origin, station, shuttle_departure)
        if key not in self._legs:
            self._legs[key] = self._latest_to(origin, station, shuttle_departure)
        return self._legs[key]

    def _latest_to(self, origin: str, station: str, shuttle_departure: int) -> RailLeg | None:
        best = None
        w = self.walk_s(origin, station)
        if w is not None:
            best = RailLeg(shuttle_departure - w, None, "", 0)
        by = shuttle_departure - self.transfer_s
        if by >= 0:
            for dep, arr, train, label, rides in self._train_journeys(True, origin, station, None if self.profiles else by):
                if arr > by or dep < by - RAIL_HORIZON_S:
                    continue
                if best is None or (dep, -rides) > (best.origin_time, -best.rides):
                    best = RailLeg(dep, train, label, rides)
        return best

    def earliest_from(self, station: str, origin: str, shuttle_arrival: int) -> RailLeg | None:
        """Return the rail leg home after a shuttle reaches ``station`` at ``shuttle_arrival``, or None.

        Earliest arrival (then fewest rides, then the later train).
        """
        key = ("from", origin, station, shuttle_arrival)
        if key not in self._legs:
            self._legs[key] = self._earliest_from(station, origin, shuttle_arrival)
        return self._legs[key]

    def _earliest_from(self, station: str, origin: str, shuttle_arrival: int) -> RailLeg | None:
        options: list[tuple[int, int, int, int | None, str]] = []
        w = self.walk_s(origin, station)
        if w is not None:
            options.append((shuttle_arrival + w, 0, 0, None, ""))
        at = shuttle_arrival + self.transfer_s
        if at <= _DAY_END_S:
            for dep, arr, train, label, rides in self._train_journeys(False, origin, station, None if self.profiles else at):
                if at <= dep <= at + RAIL_HORIZON_S:
                    options.append((arr, rides, -dep, train, label))
        if not options:
            return None
        arr, rides, _, train_time, label = min(options, key=lambda o: o[:3])
        return RailLeg(arr, train_time, label, rides)

    def _train_journeys(self, to_work: bool, origin: str, station: str, clock: int | None) -> list[_Train]:
        """Train journeys to work (origin → station) arriving by ``clock``, or home (station → origin) leaving at ``clock``.

        With ``clock`` None, every journey of the morning (or evening) window,
        planned once as a range query and kept.
        """
        c = self.ctx
        a, b = (c.origins[origin], c.place(station)) if to_work else (c.place(station), c.origins[origin])
        if clock is not None:
            q = JourneyQuery(a, b, c.date, clock, arrive_by=to_work, params=self.params)
            return self._trains(c.planner.plan(q), last=to_work)
        key = ("to" if to_work else "from", origin, station)
        if key not in self._profile:
            lo, hi = self._to_window if to_work else self._home_window
            q = JourneyQuery(a, b, c.date, lo, window_s=hi - lo, params=self.params)
            self._profile[key] = self._trains(c.planner.plan(q), last=to_work)
        return self._profile[key]

    def _trains(self, journeys: list[Journey], last: bool) -> list[_Train]:
        out = []
        for j in journeys:
            rides = [leg for leg in j.legs if leg.is_ride]
            if not rides:
                continue
            leg = rides[-1] if last else rides[0]
            out.append((j.departure, j.arrival, leg.arrival if last else leg.departure, train_label(self.ctx, leg), len(rides)))
        return out


def train_label(ctx: ShuttleContext, leg: Leg) -> str:
    """Return a train's label: its route's English name and where it is going (``Sanyo Line for Shimonoseki``)."""
    head = f" for {ctx.english(leg.headsign)}" if leg.headsign else ""
    return f"{leg.route_names.get('en', leg.route)}{head}"


__all__ = ["NOT_SHUTTLE", "RAIL_HORIZON_S", "RUN_ALLOWANCE_S", "RailLeg", "RailLegs", "train_label"]
