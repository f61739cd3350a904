"""Range travel-time matrices: one rRAPTOR search per origin equals a fresh search per minute.

The reference is the one-departure search of :func:`maas.routing.reach.arrival_times`
(a new search state per minute) and, for a sample of pairs, the journey
planner's earliest arrival; both must agree to the second on every minute of
a 30-minute window, for random stop, station, POI and ``lat,lon`` origins and
destinations of the default data.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from maas.errors import InputError
from maas.routing.kernel import INF
from maas.routing.matrix import (
    UNREACHED,
    DepartureWindow,
    check_percentiles,
    direct_walks,
    prepare_targets,
    range_travel_times,
    summarise,
    travel_time_matrix,
)
from maas.routing.params import RoutingParams
from maas.routing.places import stop_ref
from maas.routing.planner import JourneyQuery
from maas.routing.reach import arrival_times

DAY = dt.date(2026, 12, 1)
POINTS = ("34.1598,131.4601", "34.0505,131.3620", "34.3900,131.4000")


@pytest.fixture(scope="module")
def sample(default_network, default_places):
    """Seeded random origins and destinations: stops, stations, POIs and positions."""
    tt = default_network.timetable
    rng = random.Random(14)
    boardable = [i for i in range(tt.n_stops) if tt.stop_location_type[i] == 0]
    pois = [p.id for p in default_network.pois]
    o_text = [stop_ref(default_network, s) for s in rng.sample(boardable, 6)] + ["Shin-Yamaguchi", rng.choice(pois), POINTS[0]]
    d_text = [stop_ref(default_network, s) for s in rng.sample(boardable, 40)] + ["Yamaguchi", *rng.sample(pois, 5), *POINTS]
    origins = [default_places.resolve(t, "origins") for t in o_text]
    destinations = [default_places.resolve(t, "destinations") for t in d_text]
    return origins, destinations


def test_range_matrix_equals_a_search_per_minute(default_planner, sample):
    """Every minute of a 30-minute window: the range search's travel time is the fresh search's, exactly."""
    origins, destinations = sample
    params = RoutingParams()
    window = DepartureWindow(DAY, 7 * 3600 + 40 * 60, 30)
    targets = prepare_targets(default_planner, destinations, params.walk)
    egress = [default_planner.access(d, params.walk, reverse=True) for d in destinations]
    reached = 0
    for origin in origins:
        times = range_travel_times(default_planner, origin, targets, window, params=params)
        assert times.shape == (30, len(destinations))
        for i, t in enumerate(window.times()):
            fresh = arrival_times(default_planner, origin, destinations, egress, DAY, int(t), params=params)
            expected = np.where(fresh < INF, fresh - t, UNREACHED)
            assert np.array_equal(times[i], expected), (origin.id, i)
        reached += int((times != UNREACHED).sum())
    assert reached > 1000  # the sample is not trivially unreachable


def test_range_matrix_agrees_with_the_journey_planner(default_planner, sample):
    """The earliest arrival of the planner's journeys, leaving at a minute of the window, is the matrix's."""
    origins, destinations = sample
    params = RoutingParams(max_transfers=3, min_transfer_s=60)
    window = DepartureWindow(DAY, 8 * 3600, 30)
    targets = prepare_targets(default_planner, destinations[::4], params.walk)
    checked = 0
    for origin in origins[::2]:
        times = range_travel_times(default_planner, origin, targets, window, params=params)
        for i in (0, 11, 29):
            t = int(window.times()[i])
            for j, d in enumerate(targets.places):
                q = JourneyQuery(origin, d, DAY, t, params=params)
                arrivals = [j_.arrival for j_ in default_planner.plan(q)]
                expected = min(arrivals) - t if arrivals else UNREACHED
                assert times[i, j] == expected, (origin.id, d.id, i)
                checked += expected != UNREACHED
    assert checked > 20


def test_direct_walks_are_the_planners(default_planner, sample):
    """The vectorised walk without riding equals Planner.direct_walk for every pair."""
    origins, destinations = sample
    params = RoutingParams()
    targets = prepare_targets(default_planner, destinations, params.walk)
    for origin in origins:
        got = direct_walks(default_planner, origin, default_planner.access(origin, params.walk), targets, params.walk)
        expected = [default_planner.direct_walk(origin, d, params.walk) for d in destinations]
        assert got.tolist() == [-1 if e is None else e for e in expected]


def test_percentiles_are_nearest_rank_with_unreached_last():
    """R5's definition: the value at ceil(p/100 × n) - 1 of the sorted times; unreached minutes sort last."""
    times = np.array([[300], [100], [UNREACHED], [200]], np.int32)
    assert summarise(times, (0, 25, 50, 75, 100)).tolist() == [[100, 100, 200, 300, UNREACHED]]
    assert summarise(times, (5, 95)).tolist() == [[100, UNREACHED]]


def test_matrix_result(default_planner, sample):
    """The matrix holds one value per origin, destination and percentile, increasing with the percentile."""
    origins, destinations = sample
    m = travel_time_matrix(default_planner, origins[:3], destinations, DepartureWindow(DAY, 8 * 3600, 20), percentiles=(95, 5, 50))
    assert m.percentiles == (5, 50, 95)
    assert m.seconds.shape == (3, len(destinations), 3)
    assert bool((np.diff(m.seconds.astype(np.int64), axis=2) >= 0).all())
    minutes = m.minutes()
    assert np.isnan(minutes[m.seconds == UNREACHED]).all() and np.isfinite(minutes[m.seconds != UNREACHED]).all()


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: DepartureWindow(DAY, 8 * 3600, 0), "window"),
        (lambda: DepartureWindow(DAY, 47 * 3600 + 50 * 60, 30), "depart"),
        (lambda: check_percentiles([5, 101]), "percentiles"),
        (lambda: check_percentiles([]), "percentiles"),
    ],
)
def test_bad_input_names_the_field(call, field):
    """Windows, options and percentiles out of range are InputErrors naming their field."""
    with pytest.raises(InputError) as exc:
        call()
    assert exc.value.field == field


def test_date_without_service_is_refused(default_planner, sample):
    """A date no feed serves is refused with the feeds' dates, as journeys are."""
    origins, destinations = sample
    with pytest.raises(InputError, match="no timetable for 2031-01-01"):
        travel_time_matrix(default_planner, origins[:1], destinations[:1], DepartureWindow(dt.date(2031, 1, 1), 8 * 3600))
