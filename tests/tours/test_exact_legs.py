"""Tours are timed exactly: every leg is what the journey planner answers from the same place at the same time.

The search chooses and orders visits on arrival profiles (one range search per
place); these tests re-plan, with a fresh :meth:`Planner.plan` query each,
every leg of many random tours on the default data (weekdays, a Saturday, a
Sunday without some bus lines) and random pairs of places at random times.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from maas.errors import PlaceNotFoundError
from maas.network.walking import WalkModel
from maas.routing.planner import JourneyQuery
from maas.tours.planner import TourPlanner, leg_params
from maas.tours.profiles import INF, RowCache, arrival, build_profiles
from maas.tours.request import tour_request
from maas.tours.timed_search import SearchSettings

STARTS = ["Shin-Yamaguchi", "Yamaguchi", "Higashi-Hagi", "Ube-Shinkawa", "Hagi", "Tsuwano", "Ogori"]
INTERESTS = ["history", "nature", "family", "onsen", "food"]
DATES = ["2026-12-05", "2026-12-06", "2026-12-08"]


@pytest.fixture(scope="module")
def tours(default_planner, default_places) -> TourPlanner:
    return TourPlanner(default_planner, default_places)


def earliest(planner, a, b, date, depart, walk):
    journeys = planner.plan(JourneyQuery(a, b, date, depart, params=leg_params(walk)))
    return min(j.arrival for j in journeys) if journeys else None


def test_every_leg_of_random_tours_is_the_planners_answer(tours, default_places):
    """30 random tours: the search's tour is the answer, and each leg leaves when the previous visit ends and arrives exactly when a fresh query says."""
    rng = random.Random(13)
    starts = [s for s in STARTS if _resolves(default_places, s)]
    checked = 0
    for _ in range(30):
        data = {
            "start": rng.choice(starts),
            "date": rng.choice(DATES),
            "from": rng.choice(["08:00", "09:00", "10:30"]),
            "until": rng.choice(["16:00", "18:00", "20:00"]),
            "interests": rng.sample(INTERESTS, rng.randint(0, 2)),
            "max_walk": rng.choice([500, 800, 1200]),
            "pace": rng.choice(["relaxed", "normal", "brisk"]),
        }
        req = tour_request(data)
        it = tours.plan(req, time_limit_s=0.3, seed=rng.randrange(1000))
        walk = WalkModel(radius_m=req.max_walk)
        scores = tours._scores(req)
        # The search's tours survive planning on the real timetable untouched: its score is the answer's.
        assert it.search.score == sum(scores[tours._index_of[v.poi.id]] for v in it.visits), data
        for day in it.days:
            here, t = day.start, req.day_windows()[day.index][0]
            places = [tours._poi_place(tours._index_of[v.poi.id]) for v in day.visits] + [day.end]
            for k, (leg, there) in enumerate(zip(day.legs, places)):
                assert earliest(tours.planner, here, there, day.date, t, walk) == leg.arrival, (data, day.index, k)
                checked += 1
                if k < len(day.visits):
                    v = day.visits[k]
                    assert v.arrival == leg.arrival and v.start >= v.arrival
                    here, t = there, v.end
    assert checked > 100


def test_profiles_equal_fresh_searches_at_random_times(default_planner, default_places, tours):
    """Between random POIs and stations, at random seconds of the day: the profile's arrival is the planner's."""
    rng = random.Random(7)
    walk = WalkModel(radius_m=800)
    params = leg_params(walk)
    pois = [tours._poi_place(i) for i in rng.sample(range(len(tours.pois)), 12)]
    stations = [default_places.resolve(s, "start") for s in STARTS if _resolves(default_places, s)]
    nodes = stations[:3] + pois
    cache = RowCache(default_planner)
    for date in (dt.date(2026, 12, 6), dt.date(2026, 12, 8)):
        rows = {i: cache.rows(p, date, params) for i, p in enumerate(nodes)}
        prof = build_profiles(default_planner, [rows], [nodes], params)
        for _ in range(60):
            i, j = rng.sample(range(len(nodes)), 2)
            t = rng.randrange(6 * 3600, 21 * 3600)
            got = int(arrival(prof, 0, i, j, t))
            want = earliest(default_planner, nodes[i], nodes[j], date, t, walk)
            assert (None if got >= INF else got) == want, (nodes[i].id, nodes[j].id, date, t)


def test_search_settings_are_checked():
    from maas.errors import InputError

    for bad in ({"patience": 0}, {"time_limit_s": -1}, {"removal_share": 0}, {"noise": 2}, {"seed": -1}):
        with pytest.raises(InputError) as e:
            SearchSettings(**bad)
        assert e.value.field == next(iter(bad))


def test_the_answer_says_how_good_it_is(tours):
    it = tours.plan(tour_request({"start": "Yamaguchi", "date": "2026-12-05", "interests": ["history"]}), time_limit_s=5.0)
    assert it.search is not None and it.search.steps > 0
    note = it.notes[-1]
    assert note.startswith("Search: score ") and ("no better tour found" in note or "time limit" in note)
    search = it.to_dict()["search"]
    assert search["score"] == it.search.score > 0 and search["starts"] >= 1 and search["candidates"] > 0
    assert search["stopped"] in {"patience", "time limit"} and f"score {search['score']:,} " in note
    if search["stopped"] == "patience":
        assert search["steps_since_best"] >= SearchSettings().patience and f"last {search['steps_since_best']:,} of" in note
    for lo in it.left_out:
        assert lo.reason in {"closed", "too far", "no time", "budget"}
        if lo.reason == "no time":
            assert "on its own it fits day" in lo.detail


def _resolves(places, name: str) -> bool:
    try:
        places.resolve(name, "start")
        return True
    except PlaceNotFoundError:
        return False


def test_profile_points_are_pareto(default_planner, tours):
    """Stored points: departures and arrivals both strictly increasing per pair."""
    params = leg_params(WalkModel(radius_m=800))
    nodes = [tours._poi_place(i) for i in range(10)]
    rows = {i: RowCache(default_planner).rows(p, dt.date(2026, 12, 5), params) for i, p in enumerate(nodes)}
    prof = build_profiles(default_planner, [rows], [nodes], params)
    for p in range(len(prof.off) - 1):
        d, a = prof.dep[prof.off[p] : prof.off[p + 1]], prof.arr[prof.off[p] : prof.off[p + 1]]
        assert np.all(np.diff(d) > 0) and np.all(np.diff(a) > 0) and np.all(a >= d)
