"""Plan sightseeing tours: pick, order and time POI visits against the real timetables.

1. Candidates: POIs not avoided, open on a day of the tour long enough for a
   visit (OSM opening hours; visit length scaled by pace), scored by their
   interest, more when they match the visitor's interests; must-visit POIs
   are required.
2. Travel times between the day's start, end and candidates for hourly
   departures (:mod:`maas.tours.travel`); their median per arc (the largest
   over the days of a multi-day tour) feeds the optimiser.
3. The orienteering solver (:mod:`maas.tours.solver`, OR-Tools and local
   search) chooses and orders the visits: one tour per day, time windows from
   opening hours, waiting allowed.
4. Every day is re-timed leg by leg with the journey planner.  A visit that no
   longer fits is dropped and the day re-timed; then left-out POIs are
   inserted where the real timetable allows.  The result is always feasible
   on the real timetable.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import numpy as np

from maas.errors import InputError
from maas.network.walking import WalkModel
from maas.pois import Poi
from maas.routing.journeys import Journey
from maas.routing.params import RoutingParams
from maas.routing.places import Place, PlaceIndex
from maas.routing.planner import JourneyQuery, Planner
from maas.tours.hours import check_opening_hours, visit_window
from maas.tours.itinerary import DayPlan, Itinerary, LeftOut, Visit
from maas.tours.model import Orienteering
from maas.tours.request import PACE_FACTORS, TourRequest
from maas.tours.solver import solve
from maas.tours.travel import UNREACHABLE, TravelTimes, travel_times

#: Score multiplier of POIs matching the visitor's interests (others keep their own interest).
MATCH_BONUS = 3
#: Hourly departure buckets for travel times.
BUCKET_S = 3600
#: Most POIs considered (largest scores first) and most candidates tried when re-inserting.
MAX_CANDIDATES = 120
MAX_INSERT_TRIES = 40


@dataclass
class _Day:
    index: int
    date: dt.date
    start: Place
    end: Place
    t0: int
    t1: int
    windows: dict[int, tuple[int, int]] = field(default_factory=dict)  # poi index -> visit start window
    candidates: list[int] = field(default_factory=list)  # POIs of travel nodes 2.. (0 = start, 1 = end)
    travel: TravelTimes | None = None


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

    # --- public ------------------------------------------------------------------
    def plan(self, req: TourRequest, time_limit_s: float = 2.0, seed: int = 0) -> Itinerary:
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
        # Travel times per day over: start, end, candidates.
        for d in days:
            d.candidates = candidates
            nodes = [d.start, d.end] + [self._poi_place(i) for i in candidates]
            origins = [0] + [2 + k for k, i in enumerate(candidates) if i in d.windows]
            times = list(range(d.t0, d.t1, BUCKET_S))
            d.travel = travel_times(self.planner, nodes, d.date, times, params=RoutingParams(walk=walk), origins=origins)
        prepared = time.perf_counter()
        problem, node_poi = self._problem(days, candidates, scores, visit_s, must)
        solution = solve(problem, time_limit_s=time_limit_s, seed=seed)
        solved = time.perf_counter()
        sequences = [[node_poi[n] for n in tour] for tour in solution.tours]
        plans, dropped = [], set()
        for d, seq in zip(days, sequences):
            plan, removed = self._feasible_day(d, seq, visit_s, walk)
            plans.append(plan)
            dropped |= removed
        plans = self._ensure_must_visit(days, plans, must, scores, visit_s, walk)
        plans = self._insert_more(days, plans, candidates, scores, visit_s, walk)
        budget_dropped: set[int] = set()
        if req.budget is not None:
            plans, budget_dropped = self._fit_budget(days, plans, scores, visit_s, walk, req.budget)
        retimed = time.perf_counter()
        itinerary = Itinerary(
            days=plans,
            left_out=self._left_out(req, days, plans, must, avoid, scores, budget_dropped),
            notes=self._notes(req, plans, must),
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

    def _problem(self, days: list[_Day], candidates: list[int], scores, visit_s, must) -> tuple[Orienteering, dict[int, int]]:
        """Nodes: per day a start and an end node, then the candidates."""
        nd = len(days)
        n = 2 * nd + len(candidates)
        travel = np.full((n, n), UNREACHABLE, np.int64)
        score = np.zeros(n, np.int64)
        service = np.zeros(n, np.int64)
        opens = np.zeros(n, np.int64)
        closes = np.full(n, 2 * 86_400, np.int64)
        allowed = np.zeros((n, nd), bool)
        node_poi = {}
        for k, i in enumerate(candidates):
            node = 2 * nd + k
            node_poi[node] = i
            score[node] = scores[i]
            service[node] = visit_s[i]
            windows = [d.windows[i] for d in days if i in d.windows]
            opens[node] = min(w[0] for w in windows)
            closes[node] = max(w[1] for w in windows)
            for d in days:
                allowed[node, d.index] = i in d.windows
        for d in days:
            typical = d.travel.typical()
            local = [2 * d.index, 2 * d.index + 1] + [2 * nd + k for k in range(len(candidates))]
            allowed[local[0], d.index] = allowed[local[1], d.index] = True
            block = np.ix_(local, local)
            # The largest over days keeps the estimate on the safe side for every day.
            travel[block] = np.where(travel[block] >= UNREACHABLE, typical, np.maximum(travel[block], typical))
        np.fill_diagonal(travel, 0)
        required = frozenset(2 * nd + candidates.index(i) for i in must if i in candidates)
        problem = Orienteering(
            score=score,
            service=service,
            open=opens,
            close=closes,
            travel=np.minimum(travel, UNREACHABLE),
            starts=tuple(2 * d.index for d in days),
            ends=tuple(2 * d.index + 1 for d in days),
            tour_open=tuple(d.t0 for d in days),
            tour_close=tuple(d.t1 for d in days),
            required=required,
            allowed=allowed,
        )
        return problem, node_poi

    # --- re-timing on the real timetable ------------------------------------------------
    def _leg(self, a: Place, b: Place, date: dt.date, depart: int, walk: WalkModel) -> Journey | None:
        """Return the earliest-arriving journey from a to b leaving at or after ``depart`` (memoised)."""
        key = (a.id, b.id, date, depart, walk)
        if key not in self._legs:
            if len(self._legs) > 20_000:  # a long-running service must not grow without bound
                self._legs.clear()
            q = JourneyQuery(a, b, date, depart, params=RoutingParams(max_transfers=4, walk=walk))
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
        seq, removed = list(seq), set()
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

    def _insert_more(self, days: list[_Day], plans: list[DayPlan], candidates: list[int], scores, visit_s, walk: WalkModel) -> list[DayPlan]:
        """Greedily insert left-out candidates (best score first) where the real timetable allows."""
        visited = {v.poi.id for p in plans for v in p.visits}
        tries = 0
        for i in sorted(candidates, key=lambda i: -scores[i]):
            if self.pois[i].id in visited or tries >= MAX_INSERT_TRIES:
                continue
            tries += 1
            best = None
            for d, plan in zip(days, plans):
                if i not in d.windows:
                    continue
                seq = self._visit_indices(plan)
                for pos in self._promising_positions(d, seq, i, visit_s):
                    trial = seq[:pos] + [i] + seq[pos:]
                    got = self._retime(d, trial, visit_s, walk)
                    if isinstance(got, DayPlan):
                        slack = d.t1 - got.back
                        if best is None or slack > best[0]:
                            best = (slack, d.index, got)
                        break
            if best is not None:
                plans[best[1]] = best[2]
                visited.add(self.pois[i].id)
        return plans

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

    def _promising_positions(self, d: _Day, seq: list[int], i: int, visit_s) -> list[int]:
        """Positions where inserting ``i`` adds the least estimated time, best first (at most 3)."""
        cand_index = {poi: k for k, poi in enumerate(d.candidates)}
        if i not in cand_index:
            return []

        def node(x: int | str) -> int:
            if x == "start":
                return 0
            if x == "end":
                return 1
            return 2 + cand_index[x]

        route = ["start", *seq, "end"]
        costs = []
        typical = d.travel.typical()
        for pos in range(len(route) - 1):
            a, b = node(route[pos]), node(route[pos + 1])
            added = typical[a, node(i)] + visit_s[i] + typical[node(i), b] - typical[a, b]
            if typical[a, node(i)] < UNREACHABLE and typical[node(i), b] < UNREACHABLE:
                costs.append((added, pos))
        return [pos for _, pos in sorted(costs)[:3]]

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
    def _left_out(self, req, days, plans, must, avoid, scores, budget_dropped) -> list[LeftOut]:
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
            elif not self._reachable(days, i):
                out.append(LeftOut(p, "too far", self._too_far_detail(p, req.max_walk)))
            else:
                out.append(LeftOut(p, "no time", "other visits scored higher in the time available"))
        return out

    def _too_far_detail(self, poi: Poi, max_walk: float) -> str:
        """Say why a POI cannot be reached: beyond the walking limit from every stop, or no journey in time."""
        _, metres = self.planner.network.stop_index.nearest(poi.lat, poi.lon)
        if len(metres) and metres[0] > max_walk:
            return f"the nearest stop is {metres[0]:,.0f} m away, farther than the {max_walk:,.0f} m walking limit (max_walk)"
        return "no journey reaches it and returns within the day's window"

    def _reachable(self, days: list[_Day], i: int) -> bool:
        for d in days:
            if i not in d.windows or i not in d.candidates:
                continue
            k = 2 + d.candidates.index(i)
            tr = d.travel.by_bucket
            go = tr[:, 0, k].min()
            back = tr[:, k, 1].min()
            if go < UNREACHABLE and back < UNREACHABLE and d.t0 + go + back <= d.t1:
                return True
        return False

    def _notes(self, req, plans, must) -> list[str]:
        notes = ["Timetables of the default data are modeled, not official, except the ＪＲバス中国 (Chugoku JR Bus) feed: that one is the operator's own; opening hours and fees of POIs are modeled unless stated."]
        visited = {v.poi.id for p in plans for v in p.visits}
        missing = [self.pois[i].id for i in must if self.pois[i].id not in visited]
        if missing:
            notes.append("The must-visit POIs cannot all fit: " + ", ".join(missing) + " (see left_out for why).")
        for p in plans:
            if not p.legs:
                notes.append(f"Day {p.index + 1}: no journey links {p.start.name} and {p.end.name} within the day's window.")
        return notes
