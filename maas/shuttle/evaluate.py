"""Evaluate a shuttle timetable: who gets to work on time and home again, how full each run is, how many vehicles.

What is computed (all times on the scenario's date; "riders" are expected
numbers, employees × rail_shuttle_share × shift share × origin share, so they
are not whole):

**To work**, per (park, shift, origin station): every run that calls at the
park, arriving between ``max_early`` and ``margin`` minutes before the shift
starts, after calling at a station, is an *option*.  The rail part is planned
by the journey planner: the latest departure from the origin station that
reaches the run's station ``transfer`` minutes before the run leaves (trains
only; read off a range query's profile, which equals an arrive-by query; a
train journey longer than ``RAIL_HORIZON_S``, 3 h, does not count).  The best option leaves the origin latest
(ties: shortest wait).  As a check, an end-to-end arrive-by query from the
origin to the park (trains and the scenario's shuttle compiled together) must
find the same departure; disagreements are listed under ``warnings``.

**Home**, per (park, shift, origin): every run that leaves the park within
``max_wait_home`` minutes after the shift ends and then calls at a station is
an option; the rail part is the earliest arrival at the origin leaving the
station ``transfer`` minutes (and at most 3 h) after the run arrives
(depart-at query, read off a profile likewise).  The
best option arrives home first (ties: fewest rides, then the later run).
Checked end to end by a range query from the park.

**Seats**: riders take their best option; when a run's peak load exceeds its
seats, the riders of every group on it are cut by the same factor and the
overflow moves to each group's next option (repeated until no run is over its
seats); riders without a further option are not seated.  ``on time`` counts
riders with an option, ``seated`` those who also get a seat.

**Per run**: expected load on each leg, the trains met at each station (train
arrivals up to ``meet_window`` before the run leaves, with the wait; or
departures up to ``meet_window`` after it arrives) and the missed connections
(trains arriving too late, up to ``missed_window`` after the run has left; or
leaving before riders can make it).

**Fleet**: :func:`maas.shuttle.fleet.chain_runs`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from maas.geo import haversine_m
from maas.routing.journeys import Journey
from maas.routing.planner import MAX_WINDOW_S, JourneyQuery
from maas.shuttle.context import ShuttleContext, build_context
from maas.shuttle.fleet import FleetResult, chain_runs
from maas.shuttle.model import Run
from maas.shuttle.scenario import DemandGroup, Scenario
from maas.when import format_clock

TO_WORK = "to_work"
HOME = "home"
#: Rail legs count when the train journey leaves the origin at most this long before reaching the
#: shuttle's station, or leaves the station at most this long after the shuttle arrives, seconds.
RAIL_HORIZON_S = 3 * 3600
#: Longest shuttle run assumed when sizing the rail search windows, seconds.
RUN_ALLOWANCE_S = 2 * 3600

NOT_SHUTTLE = frozenset({"rail", "bus", "ferry", "other"})


@dataclass(frozen=True)
class Option:
    """One way for a group of riders to make the trip with one shuttle run.

    To work: ``departure`` from the origin station, ``arrival`` at the park.
    Home: ``departure`` is the run leaving the park, ``arrival`` at the origin
    station.  ``train_time`` is the train's arrival at (to work) or departure
    from (home) the shuttle's station, ``wait_s`` the time between train and
    shuttle there; ``park_wait_s`` the wait after the shift (home);
    ``early_s`` the time at the park before the shift starts (to work).
    """

    run: str
    board: str
    alight: str
    board_pos: int
    alight_pos: int
    shuttle_departure: int
    shuttle_arrival: int
    departure: int
    arrival: int
    train_time: int | None
    train: str
    wait_s: int
    park_wait_s: int
    early_s: int
    rides: int

    @property
    def door_to_door_s(self) -> int:
        return self.arrival - self.departure


@dataclass
class GroupResult:
    """Riders of one park, shift and origin station in one direction: their options and seats."""

    direction: str
    group: DemandGroup
    options: list[Option]
    allocation: list[float]
    unseated: float
    planner_check: str = ""

    @property
    def riders(self) -> float:
        return self.group.riders

    @property
    def reached(self) -> float:
        """Riders who have an option (seats ignored)."""
        return self.group.riders if self.options else 0.0

    @property
    def seated(self) -> float:
        return float(sum(self.allocation))


@dataclass(frozen=True)
class TrainMeet:
    """A train at a run's station: met (riders can change) or missed (just too late / too early)."""

    station: str
    kind: str  # "arrival" (to work) or "departure" (home)
    time: int
    train: str
    trip_id: str
    gap_s: int  # met: the wait; missed: how much the connection falls short
    status: str  # "met" or "missed"


@dataclass
class RunResult:
    """One run: its calls, km, expected load per leg against seats, riders and the trains it meets."""

    run: Run
    direction: str
    km: float
    seats: int
    load: list[float]
    wanted: list[float]
    boarding: dict[str, float]
    alighting: dict[str, float]
    mean_wait_s: float | None
    meets: list[TrainMeet]

    @property
    def peak_load(self) -> float:
        return max(self.load, default=0.0)

    @property
    def peak_wanted(self) -> float:
        return max(self.wanted, default=0.0)

    @property
    def riders(self) -> float:
        return float(sum(self.boarding.values()))


@dataclass
class ShiftResult:
    """Totals for one park and shift, both directions."""

    park: str
    shift: str
    start: int
    end: int
    riders: float
    to_work_reached: float
    to_work_seated: float
    home_reached: float
    home_seated: float
    mean_wait_s: float | None
    mean_early_s: float | None
    mean_door_to_door_s: float | None
    mean_home_wait_s: float | None
    mean_home_park_wait_s: float | None
    mean_home_door_to_door_s: float | None


@dataclass
class Evaluation:
    """Everything :func:`evaluate` found; :meth:`to_dict` is the ``--json`` document."""

    scenario: Scenario
    date: dt.date
    runs: list[RunResult]
    groups: list[GroupResult]
    shifts: list[ShiftResult]
    fleet: FleetResult
    totals: dict[str, float | int | None]
    warnings: list[str] = field(default_factory=list)
    context: ShuttleContext | None = field(default=None, repr=False, compare=False)

    def run(self, run_id: str) -> RunResult:
        """Return the result of one run."""
        for r in self.runs:
            if r.run.id == run_id:
                return r
        raise KeyError(run_id)

    def to_dict(self) -> dict:
        """Return the JSON document (times ``HH:MM``, durations minutes, riders to 0.1)."""
        from maas.shuttle.report import evaluation_dict

        return evaluation_dict(self)


# --- the evaluation ------------------------------------------------------------------------------------


def evaluate_scenario(scenario: Scenario, *, cache_dir=None, use_cache: bool = True) -> Evaluation:
    """Build the scenario's timetable and evaluate it (see :func:`evaluate`)."""
    return evaluate(build_context(scenario, cache_dir=cache_dir, use_cache=use_cache))


def evaluate(ctx: ShuttleContext, *, check_planner: bool = True) -> Evaluation:
    """Evaluate the runs of a built scenario (see the module docstring for the rules)."""
    s = ctx.scenario
    rules = s.rules
    rail = RailPart(ctx)
    groups = s.demand_groups()
    results: list[GroupResult] = []
    for g in groups:
        results.append(GroupResult(TO_WORK, g, to_work_options(ctx, rail, g), [], 0.0))
        results.append(GroupResult(HOME, g, home_options(ctx, rail, g), [], 0.0))
    allocate_seats(ctx.runs, results, s.fleet.seats)
    warnings = list(ctx.warnings)
    if check_planner:
        warnings += _check_with_planner(ctx, results)
    runs = [_run_result(ctx, run, results) for run in ctx.runs]
    f = s.fleet
    fleet = chain_runs(
        ctx.runs,
        ctx.road,
        min_layover_s=int(round(f.min_layover_minutes * 60)),
        paid_layover_max_s=int(round(f.paid_layover_max_minutes * 60)),
        cost_per_hour=f.cost_per_vehicle_hour_yen,
        cost_per_km=f.cost_per_km_yen,
        vehicles_available=f.vehicles,
    )
    warnings += list(fleet.notes)
    for r in runs:
        if r.peak_wanted > r.seats + 1e-9:
            warnings.append(f"run {r.run.id}: {r.peak_wanted:.1f} riders want it but it has {r.seats} seats")
    shifts = _shift_results(s, results)
    totals = _totals(results, runs, fleet, rules.max_early_minutes)
    return Evaluation(s, s.date, runs, results, shifts, fleet, totals, warnings, ctx)


class RailPart:
    """The rail legs before and after the shuttle, planned by the journey planner (memoised).

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
        self.transfer_s = int(round(r.transfer_minutes * 60))
        groups = ctx.scenario.demand_groups()
        starts = [g.start for g in groups] or [8 * 3600]
        ends = [g.end for g in groups] or [17 * 3600]
        # wide enough for every run that can serve a shift (runs take at most RUN_ALLOWANCE_S)
        lo = max(0, min(starts) - int(round(r.max_early_minutes * 60)) - RUN_ALLOWANCE_S - RAIL_HORIZON_S)
        hi = max(starts)
        self._to_window = (lo, min(hi, lo + MAX_WINDOW_S))
        lo = min(ends)
        hi = max(ends) + int(round(r.max_wait_home_minutes * 60)) + RUN_ALLOWANCE_S + RAIL_HORIZON_S
        self._home_window = (lo, min(hi, lo + MAX_WINDOW_S, 48 * 3600))
        self._cache: dict[tuple, tuple | None] = {}
        self._walk: dict[tuple[str, str], int | None] = {}
        self._profile: dict[tuple, list[tuple[int, int, int, str, int]]] = {}

    def walk_s(self, origin: str, station: str) -> int | None:
        """Seconds to walk from the origin station to a shuttle stop, None beyond the walk radius."""
        key = (origin, station)
        if key not in self._walk:
            c = self.ctx
            self._walk[key] = c.planner.direct_walk(c.origins[origin], c.place(station), c.walk)
        return self._walk[key]

    def _train_journeys(self, to_work: bool, origin: str, station: str, clock: int | None) -> list[tuple[int, int, int, str, int]]:
        """(departure, arrival, train arrival or departure at the station, label, rides) of train journeys.

        To work (origin → station) arriving by ``clock``, or home (station → origin) leaving
        at ``clock``.  With ``clock`` None, every journey of the morning (or evening) window, planned once
        as a range query and kept.
        """
        c = self.ctx
        a, b = (c.origins[origin], c.place(station)) if to_work else (c.place(station), c.origins[origin])
        rules = {"modes": NOT_SHUTTLE, "walk": c.walk, "min_transfer_s": self.transfer_s}
        if clock is not None:
            q = JourneyQuery(a, b, c.date, clock, arrive_by=to_work, **rules)
            return self._legs(c.planner.plan(q), last=to_work)
        key = ("to" if to_work else "from", origin, station)
        if key not in self._profile:
            lo, hi = self._to_window if to_work else self._home_window
            q = JourneyQuery(a, b, c.date, lo, window_s=hi - lo, **rules)
            self._profile[key] = self._legs(c.planner.plan(q), last=to_work)
        return self._profile[key]

    def _legs(self, journeys: list[Journey], last: bool) -> list[tuple[int, int, int, str, int]]:
        out = []
        for j in journeys:
            rides = [leg for leg in j.legs if leg.is_ride]
            if not rides:
                continue
            leg = rides[-1] if last else rides[0]
            out.append((j.departure, j.arrival, leg.arrival if last else leg.departure, _train_label(self.ctx, leg), len(rides)))
        return out

    def latest_to(self, origin: str, station: str, shuttle_departure: int) -> tuple[int, int | None, str, int] | None:
        """Return (departure from origin, train arrival, train label, rides) to catch a shuttle leaving ``station``.

        Latest departure (then fewest rides); a walk (origin next to the station) needs no transfer time.
        """
        key = ("to", origin, station, shuttle_departure)
        if key in self._cache:
            return self._cache[key]
        best = None
        w = self.walk_s(origin, station)
        if w is not None:
            best = (shuttle_departure - w, None, "", 0)
        by = shuttle_departure - self.transfer_s
        if by >= 0:
            for dep, arr, train, label, rides in self._train_journeys(True, origin, station, None if self.profiles else by):
                if arr > by or dep < by - RAIL_HORIZON_S:
                    continue
                cand = (dep, train, label, rides)
                if best is None or (dep, -rides) > (best[0], -best[3]):
                    best = cand
        self._cache[key] = best
        return best

    def earliest_from(self, station: str, origin: str, shuttle_arrival: int) -> tuple[int, int | None, str, int] | None:
        """Return (arrival at origin, train departure, train label, rides) after a shuttle reaches ``station``.

        Earliest arrival (then fewest rides, then the later train).
        """
        key = ("from", origin, station, shuttle_arrival)
        if key in self._cache:
            return self._cache[key]
        options = []
        w = self.walk_s(origin, station)
        if w is not None:
            options.append((shuttle_arrival + w, 0, 0, None, ""))
        at = shuttle_arrival + self.transfer_s
        if at <= 48 * 3600:
            for dep, arr, train, label, rides in self._train_journeys(False, origin, station, None if self.profiles else at):
                if at <= dep <= at + RAIL_HORIZON_S:
                    options.append((arr, rides, -dep, train, label))
        if options:
            arr, rides, _, train, label = min(options, key=lambda o: o[:3])
            best = (arr, train, label, rides)
        else:
            best = None
        self._cache[key] = best
        return best


def _train_label(ctx: ShuttleContext, leg) -> str:
    head = f" for {ctx.english(leg.headsign)}" if leg.headsign else ""
    return f"{leg.route_names.get('en', leg.route)}{head}"


def to_work_options(ctx: ShuttleContext, rail: RailPart, g: DemandGroup) -> list[Option]:
    """Return a group's options to reach its park on time, best first (one per run)."""
    parks = set(ctx.scenario.park_ids())
    out = [o for run in ctx.runs if (o := to_work_option(ctx.scenario, rail, run, g, parks)) is not None]
    out.sort(key=lambda o: (-o.departure, o.rides, o.wait_s, o.run))
    return out


def to_work_option(s: Scenario, rail: RailPart, run: Run, g: DemandGroup, parks: set[str]) -> Option | None:
    """Return the best way for group ``g`` to reach its park on time with ``run``, or None.

    The run must call at the park between ``max_early`` and ``margin`` before
    the shift starts, after a station; of the stations before the park the one
    that lets riders leave their origin latest is taken (ties: shortest wait).
    """
    latest = g.start - int(round(s.rules.margin_minutes * 60))
    earliest = g.start - int(round(s.rules.max_early_minutes * 60))
    for k, call in enumerate(run.calls):
        if call.stop != g.park:
            continue
        if not (earliest <= call.arrival <= latest):
            return None
        best = None
        for b in range(k):
            st = run.calls[b]
            if st.stop in parks:
                continue
            leg = rail.latest_to(g.origin, st.stop, st.departure)
            if leg is None:
                continue
            dep, train_arr, label, rides = leg
            wait = st.departure - train_arr if train_arr is not None else 0
            opt = Option(run.id, st.stop, g.park, b, k, st.departure, call.arrival, dep, call.arrival, train_arr, label, wait, 0, g.start - call.arrival, rides + 1)
            if best is None or (opt.departure, -opt.wait_s) > (best.departure, -best.wait_s):
                best = opt
        return best  # a run calls at a park once
    return None


def home_options(ctx: ShuttleContext, rail: RailPart, g: DemandGroup) -> list[Option]:
    """Return a group's options to get home after the shift, best first (one per run)."""
    parks = set(ctx.scenario.park_ids())
    out = [o for run in ctx.runs if (o := home_option(ctx.scenario, rail, run, g, parks)) is not None]
    out.sort(key=lambda o: (o.arrival, o.rides, -o.departure, o.run))
    return out


def home_option(s: Scenario, rail: RailPart, run: Run, g: DemandGroup, parks: set[str]) -> Option | None:
    """Return the best way for group ``g`` to get home with ``run``, or None.

    The run must leave the park within ``max_wait_home`` after the shift ends
    and call at a station afterwards; of those stations the one giving the
    earliest arrival at the origin is taken (ties: shortest wait).
    """
    last = g.end + int(round(s.rules.max_wait_home_minutes * 60))
    for k, call in enumerate(run.calls):
        if call.stop != g.park:
            continue
        if not (g.end <= call.departure <= last):
            return None
        best = None
        for b in range(k + 1, len(run.calls)):
            st = run.calls[b]
            if st.stop in parks:
                continue
            leg = rail.earliest_from(st.stop, g.origin, st.arrival)
            if leg is None:
                continue
            arr, train_dep, label, rides = leg
            wait = train_dep - st.arrival if train_dep is not None else 0
            opt = Option(run.id, g.park, st.stop, k, b, call.departure, st.arrival, call.departure, arr, train_dep, label, wait, call.departure - g.end, 0, rides + 1)
            if best is None or (opt.arrival, opt.wait_s) < (best.arrival, best.wait_s):
                best = opt
        return best
    return None


def allocate_seats(runs: list[Run], groups: list[GroupResult], seats: int, max_rounds: int = 100) -> None:
    """Give riders seats: best option first; overflow of a full run moves to each group's next option.

    In rounds: every run over its seats on its fullest leg cuts all its riders
    by the same factor (seats / load); the riders cut move to their group's
    next option, or are unseated when there is none.  Riders moved in a round
    are looked at again in the next round.  Sets ``allocation`` (riders per
    option) and ``unseated`` of every group.
    """
    n_calls = {r.id: len(r.calls) for r in runs}
    for g in groups:
        g.allocation = [0.0] * len(g.options)
        g.unseated = 0.0
        if g.options:
            g.allocation[0] = g.riders
    for _ in range(max_rounds):
        load: dict[str, np.ndarray] = {rid: np.zeros(max(n - 1, 1)) for rid, n in n_calls.items()}
        for g in groups:
            for o, a in zip(g.options, g.allocation):
                if a > 0:
                    load[o.run][o.board_pos : o.alight_pos] += a
        over = {rid: float(seats / arr.max()) for rid, arr in load.items() if arr.max() > seats + 1e-9}
        if not over:
            return
        for g in groups:
            before = list(g.allocation)  # riders moved this round are not cut again in the same round
            for i, o in enumerate(g.options):
                factor = over.get(o.run)
                if factor is None or before[i] <= 0:
                    continue
                excess = before[i] * (1.0 - factor)
                g.allocation[i] -= excess
                if i + 1 < len(g.options):
                    g.allocation[i + 1] += excess
                else:
                    g.unseated += excess


def _run_result(ctx: ShuttleContext, run: Run, groups: list[GroupResult]) -> RunResult:
    n = len(run.calls)
    load = np.zeros(max(n - 1, 1))
    wanted = np.zeros(max(n - 1, 1))
    boarding: dict[str, float] = defaultdict(float)
    alighting: dict[str, float] = defaultdict(float)
    wait_sum = 0.0
    riders = 0.0
    for g in groups:
        if g.options and g.options[0].run == run.id:
            o = g.options[0]
            wanted[o.board_pos : o.alight_pos] += g.riders
        for o, a in zip(g.options, g.allocation):
            if o.run != run.id or a <= 0:
                continue
            load[o.board_pos : o.alight_pos] += a
            boarding[o.board] += a
            alighting[o.alight] += a
            wait_sum += a * o.wait_s
            riders += a
    parks = set(ctx.scenario.park_ids())
    park_pos = [i for i, c in enumerate(run.calls) if c.stop in parks]
    station_pos = [i for i, c in enumerate(run.calls) if c.stop not in parks]
    if park_pos and station_pos and max(station_pos) < min(park_pos):
        direction = TO_WORK
    elif park_pos and station_pos and max(park_pos) < min(station_pos):
        direction = HOME
    else:
        direction = "mixed"
    return RunResult(
        run=run,
        direction=direction,
        km=ctx.road.run_km(run),
        seats=ctx.scenario.fleet.seats,
        load=[float(x) for x in load[: n - 1]],
        wanted=[float(x) for x in wanted[: n - 1]],
        boarding=dict(boarding),
        alighting=dict(alighting),
        mean_wait_s=wait_sum / riders if riders > 1e-9 else None,
        meets=train_meets(ctx, run),
    )


# --- trains at the stations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _RailEvent:
    stop: int
    arrival: int | None
    departure: int | None
    trip_id: str
    label: str


def rail_events(ctx: ShuttleContext, station: str) -> list[_RailEvent]:
    """Return the trains calling at the platforms near a shuttle station on the scenario's date."""
    cache = ctx.memo.setdefault("rail_events", {})
    if station in cache:
        return cache[station]
    tt = ctx.timetable
    stops = set(ctx.rail_stops.get(station, []))
    running = tt.services_on(ctx.date)
    out = []
    if stops:
        for p in range(tt.n_patterns):
            seq = tt.pattern_stop_list(p)
            hit = [i for i, s in enumerate(seq) if int(s) in stops]
            if not hit:
                continue
            if tt.route_feed[tt.pattern_route[p]] not in ctx.rail_feeds:
                continue
            po = tt.pattern_stop_offsets[p]
            for t in tt.pattern_trips[tt.pattern_trip_offsets[p] : tt.pattern_trip_offsets[p + 1]]:
                if not running[tt.trip_service[t]]:
                    continue
                arr, dep = tt.trip_times(int(t))
                route = int(tt.trip_route[t])
                head = tt.trip_headsigns[t]
                label = tt.route_name(route, "en") + (f" for {ctx.english(head)}" if head else "")
                for i in hit:
                    a = int(arr[i]) if i > 0 and tt.pattern_dropoff[po + i] else None
                    d = int(dep[i]) if i < len(seq) - 1 and tt.pattern_pickup[po + i] else None
                    out.append(_RailEvent(int(seq[i]), a, d, tt.trip_ids[t], label))
    cache[station] = out
    return out


def train_meets(ctx: ShuttleContext, run: Run) -> list[TrainMeet]:
    """Return the trains each station call of ``run`` meets and misses (see module docstring)."""
    s = ctx.scenario
    r = s.rules
    parks = set(s.park_ids())
    transfer = int(round(r.transfer_minutes * 60))
    window = int(round(r.meet_window_minutes * 60))
    missed_w = int(round(r.missed_window_minutes * 60))
    out: list[TrainMeet] = []
    for k, call in enumerate(run.calls):
        if call.stop in parks:
            continue
        boards = any(c.stop in parks for c in run.calls[k + 1 :])
        alights = any(c.stop in parks for c in run.calls[:k])
        st = s.stop(call.stop)
        tt = ctx.timetable
        for ev in rail_events(ctx, call.stop):
            walk = int(ctx.walk.seconds(float(haversine_m(st.lat, st.lon, tt.stop_lat[ev.stop], tt.stop_lon[ev.stop]))))
            if boards and ev.arrival is not None:
                ready = ev.arrival + walk + transfer
                if ready <= call.departure and ev.arrival >= call.departure - window:
                    out.append(TrainMeet(call.stop, "arrival", ev.arrival, ev.label, ev.trip_id, call.departure - ev.arrival, "met"))
                elif ready > call.departure and ev.arrival <= call.departure + missed_w:
                    out.append(TrainMeet(call.stop, "arrival", ev.arrival, ev.label, ev.trip_id, ready - call.departure, "missed"))
            if alights and ev.departure is not None:
                ready = call.arrival + walk + transfer
                if ev.departure >= ready and ev.departure <= call.arrival + window:
                    out.append(TrainMeet(call.stop, "departure", ev.departure, ev.label, ev.trip_id, ev.departure - call.arrival, "met"))
                elif ev.departure < ready and ev.departure >= call.arrival - missed_w:
                    out.append(TrainMeet(call.stop, "departure", ev.departure, ev.label, ev.trip_id, ready - ev.departure, "missed"))
    out.sort(key=lambda m: (m.station, m.time, m.trip_id))
    # one line per train (a train may call at two platforms of the same station)
    seen = set()
    unique = []
    for m in out:
        key = (m.station, m.kind, m.trip_id, m.status)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique


# --- the end-to-end check ---------------------------------------------------------------------------------


def _check_with_planner(ctx: ShuttleContext, groups: list[GroupResult]) -> list[str]:
    """Plan each group's whole trip with trains and shuttle together; note where it disagrees."""
    r = ctx.scenario.rules
    margin = int(round(r.margin_minutes * 60))
    early = int(round(r.max_early_minutes * 60))
    wait_home = int(round(r.max_wait_home_minutes * 60))
    transfer = int(round(r.transfer_minutes * 60))
    cache: dict[tuple, list[Journey]] = {}
    bad = []
    for gr in groups:
        g = gr.group
        origin = ctx.origins[g.origin]
        park = ctx.place(g.park)
        if gr.direction == TO_WORK:
            key = (TO_WORK, g.origin, g.park, g.start - margin)
            if key not in cache:
                cache[key] = ctx.planner.plan(JourneyQuery(origin, park, ctx.date, g.start - margin, arrive_by=True, walk=ctx.walk, min_transfer_s=transfer))
            js = [
                j
                for j in cache[key]
                if (leg := _shuttle_leg(j)) is not None and j.arrival >= g.start - early and leg.departure - transfer - j.departure <= RAIL_HORIZON_S
            ]
            best = max(js, key=lambda j: (j.departure, -j.rides), default=None)
            mine = gr.options[0].departure if gr.options else None
            theirs = best.departure if best is not None else None
        else:
            key = (HOME, g.origin, g.park, g.end)
            if key not in cache:
                cache[key] = ctx.planner.plan(JourneyQuery(park, origin, ctx.date, g.end, window_s=wait_home, walk=ctx.walk, min_transfer_s=transfer))
            js = [j for j in cache[key] if (leg := _shuttle_leg(j)) is not None and leg.departure <= g.end + wait_home]
            best = min(js, key=lambda j: (j.arrival, j.rides), default=None)
            mine = gr.options[0].arrival if gr.options else None
            theirs = best.arrival if best is not None else None
        if best is not None:
            gr.planner_check = _journey_line(best)
        if mine != theirs:
            what = "leaves" if gr.direction == TO_WORK else "arrives"
            bad.append(
                f"{gr.direction} {g.park}/{g.shift} from {g.origin}: the single-run options say {what} "
                f"{format_clock(mine) if mine is not None else 'never'}, the journey planner (trains + shuttle) "
                f"{format_clock(theirs) if theirs is not None else 'never'}"
            )
    if bad:
        return [f"{len(bad)} group(s) where the end-to-end journey planner disagrees with the run-by-run options:"] + [f"  {b}" for b in bad[:10]]
    return []


def _shuttle_leg(j: Journey):
    for leg in j.legs:
        if leg.mode == "shuttle":
            return leg
    return None


def _journey_line(j: Journey) -> str:
    parts = []
    for leg in j.legs:
        if leg.is_ride:
            parts.append(f"{format_clock(leg.departure)} {leg.origin.display('en')} → {format_clock(leg.arrival)} {leg.destination.display('en')} ({leg.mode} {leg.route})")
    return "; ".join(parts)


# --- totals ------------------------------------------------------------------------------------------------


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    w = sum(a for a, _ in pairs)
    return sum(a * v for a, v in pairs) / w if w > 1e-9 else None


def _shift_results(s: Scenario, groups: list[GroupResult]) -> list[ShiftResult]:
    by: dict[tuple[str, str], list[GroupResult]] = defaultdict(list)
    for g in groups:
        by[(g.group.park, g.group.shift)].append(g)
    out = []
    for park in s.demand.parks:
        for shift in s.shifts_of(park):
            gs = by.get((park.stop, shift.name), [])
            work = [g for g in gs if g.direction == TO_WORK]
            home = [g for g in gs if g.direction == HOME]

            def pairs(items, attr):
                return [(a, getattr(o, attr)) for g in items for o, a in zip(g.options, g.allocation) if a > 0]

            out.append(
                ShiftResult(
                    park=park.stop,
                    shift=shift.name,
                    start=shift.start,
                    end=shift.end,
                    riders=sum(g.riders for g in work),
                    to_work_reached=sum(g.reached for g in work),
                    to_work_seated=sum(g.seated for g in work),
                    home_reached=sum(g.reached for g in home),
                    home_seated=sum(g.seated for g in home),
                    mean_wait_s=_mean(pairs(work, "wait_s")),
                    mean_early_s=_mean(pairs(work, "early_s")),
                    mean_door_to_door_s=_mean(pairs(work, "door_to_door_s")),
                    mean_home_wait_s=_mean(pairs(home, "wait_s")),
                    mean_home_park_wait_s=_mean(pairs(home, "park_wait_s")),
                    mean_home_door_to_door_s=_mean(pairs(home, "door_to_door_s")),
                )
            )
    return out


def _totals(groups: list[GroupResult], runs: list[RunResult], fleet: FleetResult, max_early_minutes: float) -> dict:
    work = [g for g in groups if g.direction == TO_WORK]
    home = [g for g in groups if g.direction == HOME]
    seated = [(a, o) for g in groups for o, a in zip(g.options, g.allocation) if a > 0]
    riders = sum(g.riders for g in work)
    return {
        "riders": riders,
        "to_work_reached": sum(g.reached for g in work),
        "to_work_seated": sum(g.seated for g in work),
        "home_reached": sum(g.reached for g in home),
        "home_seated": sum(g.seated for g in home),
        "served_share": (sum(g.seated for g in work) / riders) if riders > 0 else None,
        "mean_wait_s": _mean([(a, o.wait_s) for a, o in seated]),
        "mean_wait_to_work_s": _mean([(a, o.wait_s) for g in work for o, a in zip(g.options, g.allocation) if a > 0]),
        "mean_wait_home_s": _mean([(a, o.wait_s + o.park_wait_s) for g in home for o, a in zip(g.options, g.allocation) if a > 0]),
        "mean_door_to_door_s": _mean([(a, o.door_to_door_s) for g in work for o, a in zip(g.options, g.allocation) if a > 0]),
        "runs": len(runs),
        "max_load": max((r.peak_load for r in runs), default=0.0),
        "max_wanted": max((r.peak_wanted for r in runs), default=0.0),
        "runs_over_seats": sum(1 for r in runs if r.peak_wanted > r.seats + 1e-9),
        "vehicles": fleet.vehicles_needed,
        "vehicle_hours": fleet.vehicle_hours,
        "vehicle_km": fleet.vehicle_km,
        "cost_yen": fleet.cost_yen,
        "cost_per_seated_trip_yen": (fleet.cost_yen / s) if (s := sum(g.seated for g in groups)) > 1e-9 else None,
    }


def minutes(seconds: float | None) -> float | None:
    """Return seconds as minutes to 0.1 (None stays None)."""
    if seconds is None or math.isnan(float(seconds)):
        return None
    return round(float(seconds) / 60.0, 1)


__all__ = [
    "HOME",
    "TO_WORK",
    "Evaluation",
    "GroupResult",
    "Option",
    "RunResult",
    "ShiftResult",
    "TrainMeet",
    "allocate_seats",
    "evaluate",
    "evaluate_scenario",
    "home_option",
    "home_options",
    "to_work_option",
    "to_work_options",
    "train_meets",
]
