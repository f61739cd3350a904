"""RAPTOR against a brute-force reference: random small timetables and random queries on real feeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maas.network.network import Network
from maas.network.walking import WalkModel
from maas.routing.journeys import Journey, stop_place
from maas.routing.params import RoutingParams
from maas.routing.planner import JourneyQuery, Planner
from maas.timetable.compile import compile_feeds, load_feeds
from tests.routing.gtfs_builder import basic_tables, calendar_row, fmt, write_feed
from tests.routing.reference import RefQuery, departure_candidates, reference_pareto, reference_range, running_trips, walking_links

BASE = dt.date(2026, 12, 7)  # a Monday


def planner_answer(planner: Planner, q: RefQuery) -> tuple[set[tuple[int, int, int]], list[Journey]]:
    net = planner.network
    query = JourneyQuery(
        stop_place(net, q.origin),
        stop_place(net, q.destination),
        q.date,
        q.time,
        params=RoutingParams(max_transfers=q.max_rides - 1, walk=WalkModel(speed_m_s=q.speed, radius_m=q.radius_m), min_transfer_s=q.slack),
    )
    journeys = planner.plan(query)
    return {(j.rides, j.arrival, j.departure) for j in journeys}, journeys


def check_journey(planner: Planner, q: RefQuery, j: Journey) -> None:
    """Every leg must be possible: rides on running trips at their times, walks on real links."""
    tt = planner.network.timetable
    links = walking_links(tt, q.radius_m, q.speed)
    clock = j.departure
    previous_was_walk = False
    rides = 0
    for leg in j.legs:
        assert leg.departure >= clock, f"leg leaves at {leg.departure} before {clock}"
        if leg.mode == "walk":
            assert not previous_was_walk, "two walks in a row"
            a, b = leg.origin.stops, leg.destination.stops
            secs = leg.arrival - leg.departure
            if a and b and a[0] != b[0]:
                assert links[a[0]].get(b[0]) == secs, f"walk {a[0]}->{b[0]} takes {secs}, link says {links[a[0]].get(b[0])}"
            previous_was_walk = True
        else:
            rides += 1
            need = clock + (q.slack if rides > 1 else 0)
            assert leg.departure >= need, "boarded before arriving (plus transfer slack)"
            previous_was_walk = False
        clock = leg.arrival
    assert clock == j.arrival
    assert rides == j.rides


# --- random small timetables ---------------------------------------------------------


@st.composite
def small_feed(draw):
    n_stops = draw(st.integers(3, 8))
    rng = random.Random(draw(st.integers(0, 10**6)))
    stops = [(f"S{i}", 34.0 + rng.uniform(0, 0.012), 131.0 + rng.uniform(0, 0.014)) for i in range(n_stops)]
    tables = basic_tables(stops)
    tables["calendar"] = [
        calendar_row("WK", "1111100", "20261201", "20261231"),
        calendar_row("ALT", "1010111", "20261201", "20261231"),
    ]
    tables["calendar_dates"] = [
        {"service_id": "ALT", "date": "20261208", "exception_type": 1},
        {"service_id": "WK", "date": "20261209", "exception_type": 2},
    ]
    routes, trips, stop_times, freqs = [], [], [], []
    n_routes = draw(st.integers(1, 4))
    for r in range(n_routes):
        routes.append({"route_id": f"R{r}", "agency_id": "A", "route_short_name": f"R{r}", "route_type": rng.choice([2, 3])})
        length = rng.randint(2, min(6, n_stops + 1))
        seq = [rng.randrange(n_stops)]
        while len(seq) < length:
            nxt = rng.randrange(n_stops)
            if nxt != seq[-1]:
                seq.append(nxt)
        for t in range(rng.randint(1, 5)):
            tid = f"T{r}_{t}"
            trips.append({"route_id": f"R{r}", "service_id": rng.choice(["WK", "ALT"]), "trip_id": tid, "trip_headsign": f"to S{seq[-1]}"})
            clock = rng.randint(5 * 3600, 26 * 3600)
            for i, s in enumerate(seq):
                arr = clock
                dep = arr + rng.choice([0, 0, 60, 120])
                pick = 1 if rng.random() < 0.12 else 0
                drop = 1 if rng.random() < 0.12 else 0
                stop_times.append(
                    {
                        "trip_id": tid,
                        "arrival_time": fmt(arr),
                        "departure_time": fmt(dep),
                        "stop_id": f"S{s}",
                        "stop_sequence": i + 1,
                        "pickup_type": pick,
                        "drop_off_type": drop,
                    }
                )
                clock = dep + rng.randint(60, 900)
            if rng.random() < 0.15:
                start = rng.randint(6 * 3600, 9 * 3600)
                freqs.append({"trip_id": tid, "start_time": fmt(start), "end_time": fmt(start + 3600), "headway_secs": rng.choice([600, 900, 1200])})
    tables["routes"], tables["trips"], tables["stop_times"] = routes, trips, stop_times
    if freqs:
        tables["frequencies"] = freqs
    if rng.random() < 0.3 and n_stops >= 2:
        tables["transfers"] = [{"from_stop_id": "S0", "to_stop_id": "S1", "transfer_type": 2, "min_transfer_time": rng.choice([0, 90, 300])}]
    return tables, n_stops


@st.composite
def small_query(draw, n_stops):
    return RefQuery(
        origin=draw(st.integers(0, n_stops - 1)),
        destination=draw(st.integers(0, n_stops - 1)),
        date=BASE + dt.timedelta(days=draw(st.integers(0, 3))),
        time=draw(st.integers(4 * 3600, 27 * 3600)),
        max_rides=draw(st.integers(1, 4)),
        radius_m=draw(st.sampled_from([0.0, 300.0, 800.0])),
        slack=draw(st.sampled_from([0, 0, 120])),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_timetables_match_reference(tmp_path_factory, data):
    """On random small timetables, RAPTOR's Pareto set (rides, arrival, latest departure) equals brute force."""
    tables, n_stops = data.draw(small_feed())
    folder = write_feed(tmp_path_factory.mktemp("feed"), tables)
    tt = compile_feeds(load_feeds([folder]), progress=False)
    planner = Planner(Network(tt))
    for _ in range(4):
        q = data.draw(small_query(n_stops))
        # Stop ids S<i> are compiled in file order, so index == i.
        expected = reference_pareto(tt, q)
        got, journeys = planner_answer(planner, q)
        assert got == expected, f"query {q}: planner {sorted(got)} != reference {sorted(expected)}"
        for j in journeys:
            check_journey(planner, q, j)


# --- real feeds ------------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "feeds"
REAL = ["caltrain.zip", "jp_kobe_subway.zip", "jp_mlit_sample_rinkobus.zip", "cairns.zip", "jp_donanbus.zip"]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", REAL)
def test_real_feeds_match_reference(name):
    """Random queries on real feeds give the reference's Pareto journeys."""
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} not found: the shared test data (../shared/data) is absent")
    tt = compile_feeds(load_feeds([path]), progress=False)
    planner = Planner(Network(tt))
    first, last = tt.service_dates()
    rng = random.Random(hash(name) % 1000)
    boardable = np.flatnonzero(np.isin(np.arange(tt.n_stops), tt.pattern_stops))
    for _ in range(12):
        date = first + dt.timedelta(days=rng.randint(0, min((last - first).days, 200)))
        q = RefQuery(
            origin=int(rng.choice(boardable)),
            destination=int(rng.choice(boardable)),
            date=date,
            time=rng.randint(5 * 3600, 22 * 3600),
            max_rides=3,
            radius_m=rng.choice([0.0, 500.0]),
            slack=rng.choice([0, 60]),
        )
        expected = reference_pareto(tt, q)
        got, journeys = planner_answer(planner, q)
        assert got == expected, f"{name} {q}: planner {sorted(got)} != reference {sorted(expected)}"
        for j in journeys:
            check_journey(planner, q, j)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_range_queries_match_reference(tmp_path_factory, data):
    """Range RAPTOR lists exactly the reference's Pareto journeys (departure, arrival, rides) in the window."""
    tables, n_stops = data.draw(small_feed())
    folder = write_feed(tmp_path_factory.mktemp("feed"), tables)
    tt = compile_feeds(load_feeds([folder]), progress=False)
    planner = Planner(Network(tt))
    net = planner.network
    for _ in range(3):
        q = data.draw(small_query(n_stops))
        if q.origin == q.destination:
            continue
        # Start shortly before a real departure from the origin so that windows hold journeys.
        links = walking_links(tt, q.radius_m, q.speed)
        leaving = departure_candidates(tt, dataclasses.replace(q, time=0), links, running_trips(tt, q.date))
        if leaving:
            q = dataclasses.replace(q, time=max(0, data.draw(st.sampled_from(leaving)) - data.draw(st.integers(0, 1800))))
        window = data.draw(st.sampled_from([1800, 3600, 3 * 3600]))
        query = JourneyQuery(
            stop_place(net, q.origin),
            stop_place(net, q.destination),
            q.date,
            q.time,
            window_s=window,
            params=RoutingParams(max_transfers=q.max_rides - 1, walk=WalkModel(speed_m_s=q.speed, radius_m=q.radius_m), min_transfer_s=q.slack),
        )
        journeys = [j for j in planner.plan(query) if j.rides > 0]
        got = {(j.rides, j.arrival, j.departure) for j in journeys}
        expected = reference_range(tt, q, window)
        assert got == expected, f"query {q} window {window}: planner {sorted(got)} != reference {sorted(expected)}"
        for j in journeys:
            check_journey(planner, q, j)
