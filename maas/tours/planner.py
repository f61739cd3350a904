"""Plan sightseeing tours: pick, order and time POI visits against the real timetables.

1. Candidates: POIs not avoided, open on a day of the tour long enough for a
   visit (OSM opening hours; visit length scaled by pace), scored by their
   interest, more when they match the visitor's interests; must-visit POIs
   are required.
2. Arrival profiles between the day's start, end and candidates
   (:mod:`maas.tours.profiles`): the timetable's own earliest-arrival function
   per pair of places, from one range search per place and date (POIs' searches
   shared by all requests of that date).
3. The timed search (:mod:`maas.tours.timed_search`) chooses and orders the
   visits on those functions: one tour per day, time windows from opening
   hours, waiting allowed, every timing exact.
4. Every leg is then planned with the journey planner, leaving when the
   profile says: the same arrival (the tests check it).  A visit that would no
   longer fit (never expected) is dropped and the day re-timed.  Must-visit
   POIs are forced in and the budget is kept afterwards.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import numpy as np

from maas.errors import InputError
from maas.network.walking import WalkModel
from maas.pois import Poi
from maas.routing.journeys import Journey
from maas.routing.params import RoutingParams
from maas.routing.places import Place, PlaceIndex
from maas.routing.planner import JourneyQuery, Planner
from maas.tours.hours import check_opening_hours, visit_window
from maas.tours.itinerary import DayPlan, Itinerary, LeftOut, SearchSummary, Visit
from maas.tours.profiles import PairBlock, Profiles, RowCache, arrival, build_profiles, pair_block
from maas.tours.request import PACE_FACTORS, TourRequest
from maas.tours.timed_search import SearchSettings, TimedProblem, compile_kernels, search
from maas.when import format_clock

#: Score multiplier of POIs matching the visitor's interests (others keep their own interest).
MATCH_BONUS = 3
#: Most POIs considered (largest scores first).
MAX_CANDIDATES = 120
#: POI-to-POI profile blocks kept (one per date and walking radius; about 1 MB each).
BLOCKS_KEPT = 8
#: Most transfers of a leg (the journey planner is asked the same).
LEG_MAX_TRANSFERS = 4


def leg_params(walk: WalkModel) -> RoutingParams:
    """The routing parameters of every leg of a tour, in the search and in the journeys returned."""
    return RoutingParams(max_transfers=LEG_MAX_TRANSFERS, walk=walk)


@dataclass
class _Day:
    index: int
    date: dt.date
    start: Place
    end: Place
    t0: int
    t1: int
    windows: dict[int, tuple[int, int]] = field(default_factory=dict)  # poi index -> visit start window
    candidates: list[int] = field(default_factory=list)  # the POIs considered


class TourPlanner:
    """Plans sightseeing tours over a network's POIs with its journey planner.

    See the module docstring for the steps (candidates, travel times,
    orienteering with time windows, re-timing every leg on the real
    timetable).  One planner serves many requests; it remembers the legs it
    has planned.

    Parameters
    ----------
    planner
        The journey planner of the network whose POIs are visited.
    places
        The place index of the same network (starts, ends, POI names).

    Examples
    --------
    >>> tours = maas.TourPlanner(maas.Planner(network), maas.PlaceIndex(network))  # doctest: +SKIP
    >>> tour = tours.plan(maas.tour_request({"start": "Higashi-Hagi", "date": "2026-12-05"}))  # doctest: +SKIP
    >>> print(maas.render_itinerary(tour))  # doctest: +SKIP
    """

    def __init__(self, planner: Planner, places: PlaceIndex) -> None:
        self.planner = planner
        self.places = places
        self.pois: list[Poi] = planner.network.pois
        self._index_of = {p.id: i for i, p in enumerate(self.pois)}
        self._legs: dict[tuple, Journey | None] = {}
        self.rows = RowCache(planner)
        self._blocks: OrderedDict[tuple, PairBlock] = OrderedDict()
        self._blocks_lock = threading.Lock()
        self._pending: dict[tuple, threading.Event] = {}

    def warm(self, date: dt.date, max_walk: float = 800.0) -> None:
        """Compute the range searches from every POI on ``date`` ahead of requests (seconds; requests then reuse them)."""
        self._block(date, leg_params(WalkModel(radius_m=max_walk)))

    def warm_ahead(self, first: dt.date, days: int, max_walk: float = 800.0) -> list[dt.date]:
        """Compile the search and warm ``days`` dates from ``first`` (those the feeds serve); return the dates warmed.

        The service runs this in the background of each heavy process when it starts, so
        that the day's first tours do not wait for the POIs' searches.
        """
        compile_kernels()
        warmed = []
        for i in range(days):
            date = first + dt.timedelta(days=i)
            try:
                self.planner.check_date(date)
            except InputError:
                continue  # no feed serves it: nothing to warm
            self.warm(date, max_walk)
            warmed.append(date)
        return warmed

    def _block(self, date: dt.date, params: RoutingParams) -> PairBlock:
        """The POI-to-POI profiles of a date (the same for every request; a few kept).

        Computed once: a request that needs a block being computed (by the background
        warming, or another request) waits for it instead of computing it again.
        """
        key = (date, params)
        with self._blocks_lock:
            if key in self._blocks:
                self._blocks.move_to_end(key)
                return self._blocks[key]
            other = self._pending.get(key)
            if other is None:
                pending = self._pending[key] = threading.Event()
        if other is not None:
            other.wait()
            return self._block(date, params)  # kept by now (or, should it have failed, computed here)
        try:
            places = [self._poi_place(i) for i in range(len(self.pois))]
            rows = [self.rows.rows(p, date, params) for p in places]
            block = pair_block(self.planner, places, rows, places, params)
            with self._blocks_lock:
                self._blocks[key] = block
                while len(self._blocks) > BLOCKS_KEPT:
                    self._blocks.popitem(last=False)
            return block
        finally:
            with self._blocks_lock:
                del self._pending[key]
            pending.set()

    # --- public ------------------------------------------------------------------
    def plan(self, req: TourRequest, time_limit_s: float = 2.0, seed: int = 0, settings: SearchSettings | None = None) -> Itinerary:
        """Plan the tour a request asks for (see the module docstring).

        Parameters
        ----------
        req
            The request, as :func:`~maas.tours.request.tour_request` builds it.
        time_limit_s
            Seconds the orienteering search may take (preparing and re-timing
            come on top).
        seed
            Seed of the search: the same request, seed and search length give
            the same tour.
        settings
            The search's other settings (:class:`~maas.tours.timed_search.SearchSettings`;
            its defaults when absent); its time limit and seed are the two arguments above.

        Returns
        -------
        Itinerary
            The tour, feasible on the real timetable, with what was left out
            and why; ``status`` ``"infeasible"`` (not an error) when some day
            cannot go from its start to its end within its hours.

        Raises
        ------
        InputError
            A date no feed serves, a start, end or POI that names nothing
            (:class:`~maas.errors.PlaceNotFoundError`), a must-visit POI also
            avoided, or a POI with malformed opening hours.
        """
        clock = time.perf_counter()
        walk = WalkModel(radius_m=req.max_walk)
        days = self._days(req)
        avoid = {self._poi_index(x, "avoid") for x in req.avoid}
        must = [self._poi_index(x, "must_visit") for x in req.must_visit]
        if set(must) & avoid:
            raise InputError("must_visit and avoid name the same POI", "avoid")
        visit_s = [int(round(p.visit_minutes * PACE_FACTORS[req.pace] * 60)) for p in self.pois]
        scores = self._scores(req)
        for d in days:
            for i, p in enumerate(self.pois):
                if i in avoid:
                    continue
                w = visit_window(p.opening_hours, d.date, visit_s[i], d.t0, d.t1)
                if w is not None:
                    d.windows[i] = w
        open_any = sorted({i for d in days for i in d.windows})
        ranked = sorted(open_any, key=lambda i: (-(i in must), -scores[i], self.pois[i].id))[:MAX_CANDIDATES]
        candidates = sorted(ranked)
        for d in days:
            d.candidates = candidates
        params = leg_params(walk)
        prof, node_poi = self._profiles(days, candidates, params)
        problem = self._problem(days, candidates, scores, visit_s, must)
        prepared = time.perf_counter()
        result = search(problem, prof, replace(settings or SearchSettings(), time_limit_s=float(time_limit_s), seed=int(seed)))
        solved = time.perf_counter()
        sequences = [[node_poi[n] for n in tour] for tour in result.tours]
        plans = []
        for d, seq in zip(days, sequences):
            plan, _ = self._feasible_day(d, seq, visit_s, walk)
            plans.append(plan)
        plans = self._ensure_must_visit(days, plans, must, scores, visit_s, walk)
        budget_dropped: set[int] = set()
        if req.budget is not None:
            plans, budget_dropped = self._fit_budget(days, plans, scores, visit_s, walk, req.budget)
        retimed = time.perf_counter()
        summary = SearchSummary(
            score=sum(scores[self._index_of[v.poi.id]] for p in plans for v in p.visits),
            candidates=len(candidates),
            steps=result.steps,
            starts=result.starts,
            restarts=result.restarts,
            steps_since_best=result.since_best,
            stopped=result.stopped,
            time_s=result.time_s,
        )
        itinerary = Itinerary(
            days=plans,
            left_out=self._left_out(req, days, plans, must, avoid, scores, budget_dropped, prof, visit_s),
            notes=[*self._notes(req, plans, must), summary.note()],
            search=summary,
            timings={"prepare": prepared - clock, "solve": solved - prepared, "retime": retimed - solved, "total": retimed - clock},
        )
        return itinerary

    # --- request → days, candidates, scores ------------------------------------------
    def _days(self, req: TourRequest) -> list[_Day]:
        days = []
        for k, ((start, end), (t0, t1)) in enumerate(zip(req.day_places(), req.day_windows())):
            date = req.date + dt.timedelta(days=k)
            self.planner.check_date(date)
            days.append(_Day(k, date, self.places.resolve(start, "start"), self.places.resolve(end, "end"), t0, t1))
        return days

    def _poi_index(self, text: str, field_name: str) -> int:
        if text in self._index_of:
            return self._index_of[text]
        place = self.places.resolve(text, field_name)
        if place.kind == "poi" and place.id in self._index_of:
            return self._index_of[place.id]
        raise InputError(f"{field_name}: '{text}' is not a POI (it is {place.kind} {place.id}); give a POI id or name", field_name)

    def _scores(self, req: TourRequest) -> list[int]:
        wanted = set(req.interests)
        out = []
        for p in self.pois:
            check_opening_hours(p.opening_hours, f"POI {p.id}")
            s = max(int(p.interest), 1)
            if wanted and wanted & set(p.interests):
                s *= MATCH_BONUS
            out.append(s)
        return out

    def _poi_place(self, i: int) -> Place:
        p = self.pois[i]
        return Place("poi", p.id, p.name_ja, p.lat, p.lon, (), {"ja": p.name_ja, "en": p.name_en})

    def _profiles(self, days: list[_Day], candidates: list[int], params: RoutingParams) -> tuple[Profiles, dict[int, int]]:
        """Arrival profiles per day over the nodes: day k's start 2k and end 2k+1, then the candidates."""
        nd = len(days)
        n = 2 * nd + len(candidates)
        nodes: list[list[Place | None]] = []
        rows_of = []
        blocks = []
        node_poi = {2 * nd + k: i for k, i in enumerate(candidates)}
        for d in days:
            block = self._block(d.date, params)
            here: list[Place | None] = [None] * n
            here[2 * d.index], here[2 * d.index + 1] = d.start, d.end
            rows = {2 * d.index: self.rows.rows(d.start, d.date, params)}
            for node, i in node_poi.items():
                if i in d.windows:
                    place = here[node] = self._poi_place(i)
                    rows[node] = self.rows.rows(place, d.date, params)
            nodes.append(here)
            rows_of.append(rows)
            blocks.append((block, {node: i for node, i in node_poi.items() if i in d.windows}))
        return build_profiles(self.planner, rows_of, nodes, params, blocks), node_poi

    def _problem(self, days: list[_Day], candidates: list[int], scores, visit_s, must) -> TimedProblem:
        """Nodes: per day a start and an end node, then the candidates; windows per day."""
        nd = len(days)
        n = 2 * nd + len(candidates)
        value = np.zeros(n, np.int64)
        service = np.zeros(n, np.int64)
        opens = np.zeros((nd, n), np.int64)
        closes = np.full((nd, n), -1, np.int64)
        xy = np.zeros((n, 2), np.float64)
        big = sum(scores[i] for i in candidates) + 1
        for k, i in enumerate(candidates):
            node = 2 * nd + k
            value[node] = scores[i] + (big if i in must else 0)
            service[node] = visit_s[i]
            p = self.pois[i]
            xy[node] = (p.lon * 111_320 * np.cos(np.radians(p.lat)), p.lat * 110_540)
            for d in days:
                if i in d.windows:
                    opens[d.index, node], closes[d.index, node] = d.windows[i]
        return TimedProblem(
            value=value,
            service=service,
            open_=opens,
            close=closes,
            t0=np.array([d.t0 for d in days], np.int64),
            t1=np.array([d.t1 for d in days], np.int64),
            starts=np.array([2 * d.index for d in days], np.int64),
            ends=np.array([2 * d.index + 1 for d in days], np.int64),
            cand=np.arange(2 * nd, n, dtype=np.int64),
            xy=xy,
        )

    # --- re-timing on the real timetable ------------------------------------------------
    def _leg(self, a: Place, b: Place, date: dt.date, depart: int, walk: WalkModel) -> Journey | None:
        """Return the earliest-arriving journey from a to b leaving at or after ``depart`` (memoised)."""
        key = (a.id, b.id, date, depart, walk)
        if key not in self._legs:
            if len(self._legs) > 20_000:  # a long-running service must not grow without bound
                self._legs.clear()
            q = JourneyQuery(a, b, date, depart, params=leg_params(walk))
            journeys = self.planner.plan(q)
            self._legs[key] = min(journeys, key=lambda j: (j.arrival, j.rides)) if journeys else None
        return self._legs[key]

    def _retime(self, d: _Day, seq: list[int], visit_s, walk: WalkModel) -> DayPlan | int:
        """Return the day re-timed on the real timetable, or the position of the first visit that fails."""
        t, here = d.t0, d.start
        visits, legs = [], []
        for k, i in enumerate(seq):
            there = self._poi_place(i)
            j = self._leg(here, there, d.date, t, walk)
            lo, hi = d.windows.get(i, (1, 0))
            if j is None:
                return k
            start = max(j.arrival, lo)
            if start > hi:
                return k
            visits.append(Visit(self.pois[i], j.arrival, start, start + visit_s[i]))
            legs.append(j)
            t, here = start + visit_s[i], there
        j = self._leg(here, d.end, d.date, t, walk)
        if j is None or j.arrival > d.t1:
            return len(seq)
        legs.append(j)
        tz = self.planner.network.timetable.timezone
        return DayPlan(d.index, d.date, tz, d.start, d.end, visits, legs)

    def _feasible_day(self, d: _Day, seq: list[int], visit_s, walk: WalkModel) -> tuple[DayPlan, set[int]]:
        """Drop visits until the day fits the real timetable."""
        seq, removed = list(seq), set[int]()
        while True:
            got = self._retime(d, seq, visit_s, walk)
            if isinstance(got, DayPlan):
                return got, removed
            if not seq:
                # Even going straight from start to end fails: an empty day with no legs.
                tz = self.planner.network.timetable.timezone
                return DayPlan(d.index, d.date, tz, d.start, d.end, [], []), removed
            k = min(got, len(seq) - 1)
            removed.add(seq.pop(k))

    def _visit_indices(self, plan: DayPlan) -> list[int]:
        """The POI indices a day visits, in order."""
        return [self._index_of[v.poi.id] for v in plan.visits]

    def _ensure_must_visit(self, days: list[_Day], plans: list[DayPlan], must: list[int], scores, visit_s, walk: WalkModel) -> list[DayPlan]:
        """Put each missing must-visit POI into the tour, giving up the least interesting visits if needed."""
        protected = set(must)
        for i in must:
            if any(v.poi.id == self.pois[i].id for p in plans for v in p.visits):
                continue
            for d, plan in zip(days, plans):
                if i not in d.windows:
                    continue
                seq = self._visit_indices(plan)
                done = None
                # Try with fewer and fewer of the day's other visits, least interesting dropped first.
                while done is None:
                    for pos in range(len(seq) + 1):
                        got = self._retime(d, seq[:pos] + [i] + seq[pos:], visit_s, walk)
                        if isinstance(got, DayPlan):
                            done = got
                            break
                    if done is None:
                        droppable = [x for x in seq if x not in protected]
                        if not droppable:
                            break
                        seq.remove(min(droppable, key=lambda x: scores[x]))
                if done is not None:
                    plans[d.index] = done
                    break
        return plans

    def _fit_budget(self, days, plans, scores, visit_s, walk, budget: int) -> tuple[list[DayPlan], set[int]]:
        """Drop the visits with the least interest per yen until fares and fees fit the budget."""
        dropped: set[int] = set()
        while True:
            itinerary = Itinerary(plans, [])
            fares, _ = itinerary.fares_yen()
            if fares + itinerary.fees_yen <= budget or not itinerary.visits:
                return plans, dropped
            worst = min(itinerary.visits, key=lambda v: (scores[self._index_of[v.poi.id]] / max(v.poi.fee_yen, 1), -v.poi.fee_yen))
            w = self._index_of[worst.poi.id]
            for k, (d, plan) in enumerate(zip(days, plans)):
                seq = self._visit_indices(plan)
                if w in seq:
                    seq.remove(w)
                    plans[k], _ = self._feasible_day(d, seq, visit_s, walk)
            dropped.add(w)

    # --- explaining the answer ----------------------------------------------------------
    def _left_out(self, req, days, plans, must, avoid, scores, budget_dropped, prof: Profiles, visit_s) -> list[LeftOut]:
        visited = {v.poi.id for p in plans for v in p.visits}
        wanted = list(must)
        if req.interests:
            matching = [i for i, p in enumerate(self.pois) if set(req.interests) & set(p.interests) and i not in avoid]
            wanted += sorted(matching, key=lambda i: -scores[i])[:15]
        out, seen = [], set()
        for i in wanted:
            p = self.pois[i]
            if p.id in visited or p.id in seen:
                continue
            seen.add(p.id)
            if not any(i in d.windows for d in days):
                out.append(LeftOut(p, "closed", f"not open long enough for a {p.visit_minutes}-minute visit within the tour's hours ({p.opening_hours})"))
            elif i in budget_dropped:
                out.append(LeftOut(p, "budget", f"admission {p.fee_yen} yen plus fares would exceed the budget"))
            elif (alone := self._alone(days, i, prof, visit_s)) is None:
                out.append(LeftOut(p, "too far", self._too_far_detail(p, req.max_walk)))
            else:
                day, at = alone
                out.append(
                    LeftOut(
                        p, "no time", f"other visits scored higher in the time available (on its own it fits day {day + 1}, visiting from {format_clock(at)})"
                    )
                )
        return out

    def _too_far_detail(self, poi: Poi, max_walk: float) -> str:
        """Say why a POI cannot be reached: beyond the walking limit from every stop, or no journey in time."""
        _, metres = self.planner.network.stop_index.nearest(poi.lat, poi.lon)
        if len(metres) and metres[0] > max_walk:
            return f"the nearest stop is {metres[0]:,.0f} m away, farther than the {max_walk:,.0f} m walking limit (max_walk)"
        return "no journey reaches it and returns within the day's window"

    def _alone(self, days: list[_Day], i: int, prof: Profiles, visit_s) -> tuple[int, int] | None:
        """The first day on which POI i fits as the day's only visit, and when the visit starts; None if on none."""
        for d in days:
            if i not in d.windows or i not in d.candidates:
                continue
            node = 2 * len(days) + d.candidates.index(i)
            lo, hi = d.windows[i]
            at = max(int(arrival(prof, d.index, 2 * d.index, node, d.t0)), lo)
            if at <= hi and arrival(prof, d.index, node, 2 * d.index + 1, at + visit_s[i]) <= d.t1:
                return d.index, at
        return None

    def _notes(self, req, plans, must) -> list[str]:
        notes = [
            "Timetables of the default data are modeled, not official, except the ＪＲバス中国 (Chugoku JR Bus) feed: that one is the operator's own; opening hours and fees of POIs are modeled unless stated."
        ]
        visited = {v.poi.id for p in plans for v in p.visits}
        missing = [self.pois[i].id for i in must if self.pois[i].id not in visited]
        if missing:
            notes.append("The must-visit POIs cannot all fit: " + ", ".join(missing) + " (see left_out for why).")
        for p in plans:
            if not p.legs:
                notes.append(f"Day {p.index + 1}: no journey links {p.start.name} and {p.end.name} within the day's window.")
        return notes
