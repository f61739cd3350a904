"""The departures board on the default data, checked against the timetable read directly (not the day view)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from maas.errors import InputError
from maas.network.network import Network
from maas.routing.departures import Departure, board_stops, departures
from maas.routing.planner import Planner
from maas.timetable.compile import compile_feeds, load_feeds
from maas.timetable.model import Timetable
from tests.routing.gtfs_builder import basic_tables, calendar_row, fmt, write_feed

DAY = 86_400


def reference_board(tt: Timetable, stop: int, date: dt.date, time: int) -> list[tuple[int, int, int, int]]:
    """(time, trip, route, platform) of every boardable call at the stop or its platforms, from the timetable's own arrays.

    Trips of the date, and the day before's trips that arrive after midnight
    (their times less 24 h); no call at a trip's last stop; pickup allowed.
    """
    platforms = {stop} | {int(s) for s in np.flatnonzero(tt.stop_parent == stop)}
    today, before = tt.services_on(date), tt.services_on(date - dt.timedelta(days=1))
    rows = []
    for trip in range(tt.n_trips):
        p = int(tt.trip_pattern[trip])
        a, b = int(tt.pattern_stop_offsets[p]), int(tt.pattern_stop_offsets[p + 1])
        arr, dep = tt.trip_times(trip)
        shifts = [0] if today[tt.trip_service[trip]] else []
        if before[tt.trip_service[trip]] and arr[-1] >= DAY:
            shifts.append(-DAY)
        for shift in shifts:
            for i in range(b - a - 1):
                s = int(tt.pattern_stops[a + i])
                if s in platforms and tt.pattern_pickup[a + i] and dep[i] + shift >= time:
                    rows.append((int(dep[i]) + shift, trip, int(tt.trip_route[trip]), s))
    return sorted(rows)


def stop_index(tt: Timetable, stop_id: str) -> int:
    (s,) = tt.stops_with_id(stop_id)
    return s


def as_rows(board) -> list[tuple[int, int, int, int]]:
    return [(d.time, d.trip, d.route, d.stop) for d in board.departures]


@pytest.mark.parametrize(
    "stop_id,date,time",
    [
        ("st_shinyamaguchi", dt.date(2026, 12, 1), 7 * 3600),
        ("st_shinyamaguchi", dt.date(2026, 12, 5), 0),
        ("st_yamaguchi", dt.date(2026, 12, 1), 6 * 3600),
        ("jr:ajisu", dt.date(2019, 12, 10), 6 * 3600),
        ("st_ajisu", dt.date(2019, 12, 10), 17 * 3600),
    ],
)
def test_board_equals_the_timetable_read_directly(default_planner, stop_id, date, time):
    """Every boardable call from the time on, in time order, and nothing else."""
    tt = default_planner.network.timetable
    s = stop_index(tt, stop_id)
    board = departures(default_planner, s, date, time)
    expected = reference_board(tt, s, date, time)
    assert expected, "the test chose a stop and time without departures"
    assert as_rows(board) == expected
    assert (board.stop, board.date, board.time) == (s, date, time)


def test_every_station_after_midnight_and_late(default_planner):
    """For every station of the default data, at 00:30 and at 23:00 the board is the timetable's."""
    tt = default_planner.network.timetable
    date = dt.date(2026, 12, 4)
    stations = [int(s) for s in np.flatnonzero(tt.stop_location_type == 1)]
    assert len(stations) > 20
    for s in stations:
        for time in (1800, 23 * 3600):
            assert as_rows(departures(default_planner, s, date, time)) == reference_board(tt, s, date, time), tt.stop_ids[s]


def test_a_station_board_lists_its_platforms(default_planner):
    """A station's departures leave from its platforms; a platform's board is the part of the station's from it."""
    tt = default_planner.network.timetable
    station = stop_index(tt, "st_shinyamaguchi")
    platforms = set(board_stops(tt, station)) - {station}
    assert platforms and all(tt.stop_parent[p] == station for p in platforms)
    date, time = dt.date(2026, 12, 1), 7 * 3600
    whole = departures(default_planner, station, date, time).departures
    assert {d.stop for d in whole} <= platforms | {station}
    for p in platforms:
        assert departures(default_planner, p, date, time).departures == tuple(d for d in whole if d.stop == p)


def test_limit_keeps_the_earliest(default_planner):
    """``limit`` keeps the first departures of the full board."""
    tt = default_planner.network.timetable
    s = stop_index(tt, "st_shinyamaguchi")
    full = departures(default_planner, s, dt.date(2026, 12, 1), 6 * 3600).departures
    assert len(full) > 5
    assert departures(default_planner, s, dt.date(2026, 12, 1), 6 * 3600, limit=5).departures == full[:5]
    assert all(isinstance(d, Departure) and d.time >= 6 * 3600 for d in full)
    assert [d.time for d in full] == sorted(d.time for d in full)
    with pytest.raises(InputError) as err:
        departures(default_planner, s, dt.date(2026, 12, 1), 6 * 3600, limit=-1)
    assert err.value.field == "limit"


def test_a_date_no_feed_serves_is_refused(default_planner):
    """No timetable that day: InputError naming the date, with the feeds' dates."""
    tt = default_planner.network.timetable
    with pytest.raises(InputError) as err:
        departures(default_planner, stop_index(tt, "st_shinyamaguchi"), dt.date(2031, 1, 1), 0)
    assert err.value.field == "date" and "no timetable for 2031-01-01" in str(err.value)


def test_previous_days_trips_after_midnight(tmp_path):
    """A night trip 23:50 A → 24:20 B → 24:40 C: on its own day B lists 24:20; the next day at 00:00, 00:20."""
    tables = basic_tables([("A", 34.0, 131.0), ("B", 34.0, 131.02), ("C", 34.0, 131.04)])
    tables["calendar"] = [calendar_row("S", "1000000", "20261201", "20261231")]
    tables["routes"] = [{"route_id": "N", "agency_id": "A", "route_short_name": "N", "route_type": 3}]
    tables["trips"] = [{"route_id": "N", "service_id": "S", "trip_id": "night"}]
    calls = [("A", 23 * 3600 + 3000), ("B", 24 * 3600 + 1200), ("C", 24 * 3600 + 2400)]
    tables["stop_times"] = [
        {"trip_id": "night", "arrival_time": fmt(t), "departure_time": fmt(t), "stop_id": s, "stop_sequence": i + 1} for i, (s, t) in enumerate(calls)
    ]
    planner = Planner(Network(compile_feeds(load_feeds([write_feed(tmp_path / "feed", tables)]), progress=False)))
    tt = planner.network.timetable
    a, b, c = (stop_index(tt, x) for x in "ABC")
    monday, tuesday = dt.date(2026, 12, 7), dt.date(2026, 12, 8)
    assert [d.time for d in departures(planner, b, monday, 23 * 3600).departures] == [24 * 3600 + 1200]
    assert [d.time for d in departures(planner, b, tuesday, 0).departures] == [1200]
    assert departures(planner, a, tuesday, 0).departures == ()  # 23:50 of Monday is -00:10 on Tuesday
    assert departures(planner, c, monday, 0).departures == ()  # the last stop: nobody boards there
    for stop in (a, b, c):
        for date in (monday, tuesday):
            assert as_rows(departures(planner, stop, date, 0)) == reference_board(tt, stop, date, 0)


def test_position_is_the_stop_in_the_trip_and_tells_its_headsign(default_planner):
    """Each departure's position is where the trip calls at the board's stop; the headsign there is the feed's stop_headsign.

    The JR bus loop 秋芳洞循環バス calls at 秋芳洞 twice and its headsign changes on the way, so the
    position, not the stop, says which call and which headsign.
    """
    tt = default_planner.network.timetable
    date = dt.date(2026, 12, 5)  # a Saturday: the loop runs
    seen = set()
    for stop_id in ("60028 1", "60028 2", "60103 1", "60103 2", "60103 4", "60103 99"):  # 山口駅, 秋芳洞
        s = stop_index(tt, stop_id)
        for d in departures(default_planner, s, date, 0).departures:
            assert int(tt.pattern_stop_list(int(tt.trip_pattern[d.trip]))[d.position]) == d.stop
            seen.add((tt.route_name(d.route, "en"), tt.headsign(d.trip, d.position), tt.headsign(d.trip, d.position, "en")))
    assert ("Akiyoshi Line", "秋吉", "Akiyoshi") in seen
    assert {("Akiyoshido Loop Bus", "秋芳洞", "Akiyoshido"), ("Akiyoshido Loop Bus", "黒谷口", "Kurotaniguchi")} <= seen
