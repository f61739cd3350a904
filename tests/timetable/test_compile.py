"""Compiling feeds: patterns, no overtaking, frequencies, interpolation, several feeds, services, summaries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from maas.errors import FeedError
from maas.feeds.calendar import service_days
from maas.feeds.parse import format_time, parse_time
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from maas.timetable.cache import load_timetable
from maas.timetable.compile import compile_feeds
from maas.timetable.summary import summarize
from maas.when import date_to_day

ST_HEADER = "trip_id,arrival_time,departure_time,stop_id,stop_sequence"


def _st(*rows: str) -> str:
    return ST_HEADER + "\n" + "\n".join(rows) + "\n"


def _t(text: str) -> int:
    return int(parse_time([text]).values[0])


def _times(tt, trip: int) -> list[tuple[str, str]]:
    a, d = tt.trip_times(trip)
    return [(format_time(x), format_time(y)) for x, y in zip(a, d)]


def _stop_ids(tt, pattern: int) -> list[str]:
    return [tt.stop_ids[s] for s in tt.pattern_stop_list(pattern)]


def _pattern_trip_ids(tt, pattern: int) -> list[str]:
    return [tt.trip_ids[t] for t in tt.pattern_trips[tt.pattern_trip_offsets[pattern] : tt.pattern_trip_offsets[pattern + 1]]]


# --- patterns ----------------------------------------------------------------------------


def test_trips_with_the_same_stops_share_one_pattern_sorted_by_departure(make_feed, compile_feed, check_invariants):
    """Three trips calling at A, B, C (listed out of order) form one pattern, trips sorted by first departure."""
    folder = make_feed(
        stop_times=_st(
            "T3,09:00:00,09:00:00,A,1", "T3,09:10:00,09:11:00,B,2", "T3,09:20:00,09:20:00,C,3",
            "T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:11:00,B,2", "T1,07:20:00,07:20:00,C,3",
            "T2,08:00:00,08:00:00,A,1", "T2,08:10:00,08:11:00,B,2", "T2,08:20:00,08:20:00,C,3",
        )
    )  # fmt: skip
    tt = compile_feed(folder)
    check_invariants(tt)
    assert tt.n_patterns == 1 and tt.n_trips == 3 and tt.n_stop_times == 9
    assert _stop_ids(tt, 0) == ["A", "B", "C"]
    assert _pattern_trip_ids(tt, 0) == ["T1", "T2", "T3"]
    assert tt.pattern_pickup.tolist() == [True, True, True] and tt.pattern_dropoff.tolist() == [True, True, True]
    t2 = tt.trip_ids.index("T2")
    assert _times(tt, t2) == [("08:00:00", "08:00:00"), ("08:10:00", "08:11:00"), ("08:20:00", "08:20:00")]


def test_different_stops_order_or_route_make_different_patterns(make_feed, compile_feed, check_invariants):
    """Another stop list, the reverse direction or another route each start a new pattern."""
    folder = make_feed(
        routes=DEFAULT_ROUTES_TWO,
        trips="route_id,service_id,trip_id\nR1,WD,ABC\nR1,WD,AC\nR1,WD,CBA\nR2,WD,ABC2\n",
        stop_times=_st(
            "ABC,07:00:00,07:00:00,A,1", "ABC,07:10:00,07:10:00,B,2", "ABC,07:20:00,07:20:00,C,3",
            "AC,07:05:00,07:05:00,A,1", "AC,07:20:00,07:20:00,C,2",
            "CBA,08:00:00,08:00:00,C,1", "CBA,08:10:00,08:10:00,B,2", "CBA,08:20:00,08:20:00,A,3",
            "ABC2,07:30:00,07:30:00,A,1", "ABC2,07:40:00,07:40:00,B,2", "ABC2,07:50:00,07:50:00,C,3",
        ),
    )  # fmt: skip
    tt = compile_feed(folder)
    check_invariants(tt)
    assert tt.n_patterns == 4
    got = sorted((tt.route_ids[tt.pattern_route[p]], "".join(_stop_ids(tt, p)), tuple(_pattern_trip_ids(tt, p))) for p in range(4))
    assert got == [("R1", "ABC", ("ABC",)), ("R1", "AC", ("AC",)), ("R1", "CBA", ("CBA",)), ("R2", "ABC", ("ABC2",))]


DEFAULT_ROUTES_TWO = "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A1,1,Ajisu - Ube,3\nR2,A1,2,Ajisu - Ube express,3\n"


def test_pickup_and_drop_off_rules_split_patterns(make_feed, compile_feed, check_invariants):
    """pickup_type/drop_off_type 1 forbid boarding/alighting and make their own pattern; 2 and 3 still allow it."""
    header = ST_HEADER + ",pickup_type,drop_off_type\n"
    rows = [
        "PLAIN,07:00:00,07:00:00,A,1,,", "PLAIN,07:10:00,07:10:00,B,2,,", "PLAIN,07:20:00,07:20:00,C,3,,",
        "PHONE,08:00:00,08:00:00,A,1,0,0", "PHONE,08:10:00,08:10:00,B,2,2,3", "PHONE,08:20:00,08:20:00,C,3,0,0",
        "NOBOARD,09:00:00,09:00:00,A,1,0,1", "NOBOARD,09:10:00,09:10:00,B,2,1,0", "NOBOARD,09:20:00,09:20:00,C,3,1,0",
    ]  # fmt: skip
    tt = compile_feed(make_feed(stop_times=header + "\n".join(rows) + "\n"))
    check_invariants(tt)
    assert tt.n_patterns == 2
    patterns = {tuple(_pattern_trip_ids(tt, p)): p for p in range(2)}
    assert set(patterns) == {("PLAIN", "PHONE"), ("NOBOARD",)}
    p = patterns[("NOBOARD",)]
    s0, s1 = tt.pattern_stop_offsets[p], tt.pattern_stop_offsets[p + 1]
    assert tt.pattern_pickup[s0:s1].tolist() == [True, False, False]
    assert tt.pattern_dropoff[s0:s1].tolist() == [False, True, True]
    q = patterns[("PLAIN", "PHONE")]
    s0, s1 = tt.pattern_stop_offsets[q], tt.pattern_stop_offsets[q + 1]
    assert tt.pattern_pickup[s0:s1].all() and tt.pattern_dropoff[s0:s1].all()


def test_overtaking_trips_are_split_into_patterns(make_feed, compile_feed, check_invariants):
    """An express that leaves later but arrives earlier gets its own pattern; a follower joins the slow trip's."""
    folder = make_feed(
        stop_times=_st(
            "SLOW,07:00:00,07:00:00,A,1", "SLOW,07:30:00,07:31:00,B,2", "SLOW,08:00:00,08:00:00,C,3",
            "EXPRESS,07:10:00,07:10:00,A,1", "EXPRESS,07:20:00,07:20:00,B,2", "EXPRESS,07:30:00,07:30:00,C,3",
            "FOLLOW,07:20:00,07:20:00,A,1", "FOLLOW,07:40:00,07:41:00,B,2", "FOLLOW,08:10:00,08:10:00,C,3",
        )
    )  # fmt: skip
    tt = compile_feed(folder)
    check_invariants(tt)
    assert sorted(tuple(_pattern_trip_ids(tt, p)) for p in range(tt.n_patterns)) == [("EXPRESS",), ("SLOW", "FOLLOW")]
    assert all(_stop_ids(tt, p) == ["A", "B", "C"] for p in range(tt.n_patterns))


def test_overtaking_at_one_stop_only_splits(make_feed, compile_feed, check_invariants):
    """Trips equal except that the later one leaves the middle stop earlier (longer dwell of the first) are split."""
    folder = make_feed(
        stop_times=_st(
            "FIRST,07:00:00,07:00:00,A,1", "FIRST,07:10:00,07:20:00,B,2", "FIRST,07:30:00,07:30:00,C,3",
            "SECOND,07:01:00,07:01:00,A,1", "SECOND,07:11:00,07:12:00,B,2", "SECOND,07:31:00,07:31:00,C,3",
        )
    )  # fmt: skip
    tt = compile_feed(folder)
    check_invariants(tt)
    assert tt.n_patterns == 2


def test_identical_trips_stay_in_one_pattern(make_feed, compile_feed, check_invariants):
    """Two trips with the very same times do not overtake each other: one pattern."""
    rows = [f"{t},07:00:00,07:00:00,A,1" for t in ("X", "Y")] + [f"{t},07:10:00,07:10:00,B,2" for t in ("X", "Y")]
    tt = compile_feed(make_feed(stop_times=_st(*rows)))
    check_invariants(tt)
    assert tt.n_patterns == 1 and tt.n_trips == 2


def test_single_stop_trip_is_dropped(make_feed, compile_feed):
    """A trip with one stop time cannot be ridden: it is not compiled."""
    tt = compile_feed(make_feed(stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2", "LONE,08:00:00,08:00:00,A,1")))
    assert tt.trip_ids == ["T1"] and tt.n_stop_times == 2


# --- frequencies --------------------------------------------------------------------------


def test_frequencies_expand_into_shifted_copies(make_feed, compile_feed, check_invariants):
    """Each frequencies.txt row makes one copy per headway from start_time up to (not including) end_time."""
    folder = make_feed(
        stop_times=_st(
            "F,06:00:00,06:00:00,A,1", "F,06:10:00,06:11:00,B,2", "F,06:20:00,06:20:00,C,3",
            "PLAIN,12:00:00,12:00:00,A,1", "PLAIN,12:10:00,12:11:00,B,2", "PLAIN,12:20:00,12:20:00,C,3",
        ),
        frequencies="trip_id,start_time,end_time,headway_secs,exact_times\nF,08:00:00,08:50:00,900,1\nF,17:00:00,18:00:00,1800,0\n",
    )  # fmt: skip
    tt = compile_feed(folder)
    check_invariants(tt)
    copies = [i for i, t in enumerate(tt.trip_ids) if t == "F"]
    starts = sorted(int(tt.trip_freq_start[i]) for i in copies)
    assert starts == [_t("08:00:00"), _t("08:15:00"), _t("08:30:00"), _t("08:45:00"), _t("17:00:00"), _t("17:30:00")]
    for i in copies:
        s = int(tt.trip_freq_start[i])
        a, d = tt.trip_times(i)
        assert a.tolist() == [s, s + 600, s + 1200]
        assert d.tolist() == [s, s + 660, s + 1200]
    assert tt.trip_freq_start[tt.trip_ids.index("PLAIN")] == -1
    assert tt.n_trips == 7 and tt.n_stop_times == 21  # the 06:00 template itself does not run
    assert tt.n_patterns == 1


def test_frequency_copies_start_from_the_first_departure(make_feed, compile_feed):
    """A template whose first stop has a dwell is shifted so that its first departure is the copy's start."""
    folder = make_feed(
        stop_times=_st("F,05:58:00,06:00:00,A,1", "F,06:10:00,06:10:00,B,2"),
        frequencies="trip_id,start_time,end_time,headway_secs\nF,07:00:00,07:30:00,600\n",
    )
    tt = compile_feed(folder)
    deps = sorted(int(tt.trip_times(i)[1][0]) for i in range(tt.n_trips))
    assert deps == [_t("07:00:00"), _t("07:10:00"), _t("07:20:00")]
    first = int(np.argmin(tt.trip_freq_start))
    assert tt.trip_times(first)[0].tolist() == [_t("06:58:00"), _t("07:10:00")]


# --- interpolation --------------------------------------------------------------------------


def test_missing_time_is_interpolated_by_distance(make_feed, compile_feed, check_invariants):
    """A stop without times gets the departure of the previous timed stop plus its share of the distance to the next one."""
    stops = "stop_id,stop_name,stop_lat,stop_lon\nA,Ajisu,34.00,131.36\nB,Motoyura,34.06,131.36\nC,Techno Park,34.10,131.36\n"
    # B is 60 % of the way from A to C; the bus leaves A at 07:00, reaches C at 07:10 and waits there until 07:20.
    folder = make_feed(stops=stops, stop_times=_st("T,07:00:00,07:00:00,A,1", "T,,,B,2", "T,07:10:00,07:20:00,C,3"))
    assert validate_feed(read_feed(folder)) == []
    tt = compile_feed(folder)
    check_invariants(tt)
    assert _times(tt, 0) == [("07:00:00", "07:00:00"), ("07:06:00", "07:06:00"), ("07:10:00", "07:20:00")]


def test_several_missing_times_in_a_row(make_feed, compile_feed, check_invariants):
    """Two untimed stops between timed ones share the running time in proportion to distance."""
    folder = make_feed(stop_times=_st("T,07:00:00,07:01:00,A,1", "T,,,B,2", "T,,,C,3", "T,07:31:00,07:31:00,D,4"))
    tt = compile_feed(folder)
    check_invariants(tt)
    assert _times(tt, 0) == [("07:00:00", "07:01:00"), ("07:11:00", "07:11:00"), ("07:21:00", "07:21:00"), ("07:31:00", "07:31:00")]


# --- several feeds ------------------------------------------------------------------------------


def _two_feeds(make_feed):
    weekend = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,0,0,0,0,0,1,1,20260103,20260329\n"
    rail_stops = "stop_id,stop_name,stop_lat,stop_lon\nA,Shin-Yamaguchi,34.09,131.40\nB,Yamaguchi,34.17,131.47\n"
    bus = make_feed("bus", stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"))
    rail = make_feed(
        "rail",
        stops=rail_stops,
        calendar=weekend,
        routes="route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A1,,Yamaguchi Line,2\n",
        stop_times=_st("T1,08:00:00,08:00:00,A,1", "T1,08:20:00,08:20:00,B,2"),
    )
    return bus, rail


def test_colliding_ids_of_two_feeds_stay_apart(make_feed, compile_feed, check_invariants):
    """Stop, route, trip and service ids used by two feeds stay two things; FEED:id names exactly one."""
    bus, rail = _two_feeds(make_feed)
    tt = compile_feed(bus, rail)
    check_invariants(tt)
    assert tt.feed_names() == ["bus", "rail"]
    assert len(tt.stops_with_id("A")) == 2
    (bus_a,) = tt.stops_with_id("bus:A")
    (rail_a,) = tt.stops_with_id("rail:A")
    assert bus_a != rail_a
    assert (tt.stop_names[bus_a], tt.stop_names[rail_a]) == ("Ajisu", "Shin-Yamaguchi")
    assert tt.stop_label(rail_a) == "Shin-Yamaguchi [rail:A]"
    assert tt.stops_with_id("bus:Z") == [] and tt.stops_with_id("tram:A") == []
    assert tt.n_routes == 2 and tt.n_trips == 2 and len(tt.service_ids) == 2
    for trip in range(tt.n_trips):
        feed = tt.route_feed[tt.trip_route[trip]]
        assert tt.service_feed[tt.trip_service[trip]] == feed
        assert (tt.stop_feed[tt.pattern_stop_list(tt.trip_pattern[trip])] == feed).all()
    monday, saturday = dt.date(2026, 1, 5), dt.date(2026, 1, 10)
    bus_service = tt.trip_service[tt.route_feed[tt.trip_route] == 0][0]
    rail_service = tt.trip_service[tt.route_feed[tt.trip_route] == 1][0]
    assert tt.services_on(monday)[bus_service] and not tt.services_on(monday)[rail_service]
    assert tt.services_on(saturday)[rail_service] and not tt.services_on(saturday)[bus_service]
    assert tt.route_modes == ["bus", "rail"]


def test_two_feeds_with_the_same_name_are_renamed(make_feed, compile_feed, tmp_path):
    """Two folders both called 'bus' compile as feeds bus and bus-2, each id reachable by its prefix."""
    first = make_feed("bus", where=tmp_path / "x", stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"))
    second = make_feed("bus", where=tmp_path / "y", stop_times=_st("T1,07:00:00,07:00:00,C,1", "T1,07:10:00,07:10:00,D,2"))
    tt = compile_feed(first, second)
    assert tt.feed_names() == ["bus", "bus-2"]
    assert len(tt.stops_with_id("bus:A")) == 1 and len(tt.stops_with_id("bus-2:A")) == 1


def test_feeds_in_different_time_zones_are_refused(make_feed, compile_feed):
    """Feeds in different time zones cannot share one timetable: FeedError naming both zones."""
    bus = make_feed("bus", stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"))
    other = make_feed(
        "other",
        agency="agency_id,agency_name,agency_url,agency_timezone\nA1,Far Bus,https://example.com,Europe/Paris\n",
        stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"),
    )
    with pytest.raises(FeedError, match=r"different time zones.*Asia/Tokyo.*Europe/Paris"):
        compile_feed(bus, other)


# --- services --------------------------------------------------------------------------------


def test_service_matrix_matches_calendar_semantics(make_feed, compile_feed):
    """service_runs has a True exactly on each service's days (weekday flags plus and minus calendar_dates)."""
    calendar = (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WD,1,1,1,1,1,0,0,20260105,20260130\n"
        "SA,0,0,0,0,0,1,0,20260103,20260131\n"
    )
    folder = make_feed(
        calendar=calendar,
        calendar_dates="service_id,date,exception_type\nWD,20260112,2\nSA,20260112,1\nHOL,20260101,1\nHOL,20260102,1\n",
        trips="route_id,service_id,trip_id\nR1,WD,T1\nR1,SA,T2\nR1,HOL,T3\n",
        stop_times=_st(*[f"{t},0{h}:00:00,0{h}:00:00,A,1\n{t},0{h}:10:00,0{h}:10:00,B,2" for t, h in (("T1", 7), ("T2", 8), ("T3", 9))]),
    )
    tt = compile_feed(folder)
    expected = service_days(read_feed(folder))
    assert sorted(tt.service_ids) == sorted(expected) == ["HOL", "SA", "WD"]
    assert tt.first_day == date_to_day(dt.date(2026, 1, 1))
    for s, sid in enumerate(tt.service_ids):
        assert (np.flatnonzero(tt.service_runs[s]) + tt.first_day).tolist() == expected[sid].tolist(), sid
    on = lambda d: sorted(tt.service_ids[s] for s in np.flatnonzero(tt.services_on(d)))  # noqa: E731
    assert on(dt.date(2026, 1, 1)) == ["HOL"]
    assert on(dt.date(2026, 1, 5)) == ["WD"]
    assert on(dt.date(2026, 1, 12)) == ["SA"]  # a Monday holiday: the weekday service is replaced
    assert on(dt.date(2026, 1, 31)) == ["SA"]
    assert on(dt.date(2025, 12, 31)) == [] and on(dt.date(2026, 2, 1)) == []
    assert tt.service_dates() == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def test_service_dates_count_only_services_with_trips(make_feed, compile_feed):
    """A service no trip uses does not widen the dates of service."""
    calendar = (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WD,1,1,1,1,1,0,0,20260105,20260109\nUNUSED,1,1,1,1,1,1,1,20250101,20271231\n"
    )
    tt = compile_feed(make_feed(calendar=calendar, stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2")))
    assert tt.service_dates() == (dt.date(2026, 1, 5), dt.date(2026, 1, 9))


# --- refusing broken feeds ----------------------------------------------------------------------


def test_feed_with_errors_raises_and_caches_nothing(make_feed, tmp_path):
    """A feed with errors raises FeedError listing them, and load_timetable writes nothing to the cache."""
    folder = make_feed(
        stops="stop_id,stop_name,stop_lat,stop_lon\nA,Ajisu,34.00,131.36\nB,Motoyura,north,131.36\n",
        stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"),
    )
    with pytest.raises(FeedError) as info:
        compile_feeds([read_feed(folder)], progress=False)
    assert "feed/stops.txt:3 [stop_lat]: stop_lat 'north' is not a number" in str(info.value)
    assert [(p.code, p.row) for p in info.value.problems if p.severity == "error"] == [("bad_value", 3)]
    cache = tmp_path / "cache"
    with pytest.raises(FeedError):
        load_timetable([folder], cache_dir=cache, progress=False)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_compile_reports_problems_including_warnings(make_feed):
    """on_problems receives every problem of each feed, warnings included, and the count reaches the summary."""
    folder = make_feed(
        stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"),
        routes_jp="route_id,route_update_date,origin_stop,via_stop,destination_stop\nR9,20260101,,,\n",
    )
    seen = []
    tt = compile_feeds([read_feed(folder)], progress=False, on_problems=seen.append)
    assert [[(p.code, p.file) for p in batch] for batch in seen] == [[("dangling_reference", "routes_jp.txt")]]
    assert tt.feeds[0].warnings == 1


# --- modes, fares, transfers ----------------------------------------------------------------------


def test_route_modes_from_route_type_only(make_feed, compile_feed):
    """route_type gives rail, bus, shuttle (711, Shuttle Bus), ferry or other (extended types by range); the feed's name plays no part."""
    routes = (
        "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "TRAM,A1,t,,0\nRAIL,A1,r,,2\nBUS,A1,b,,3\nFERRY,A1,f,,4\nCABLE,A1,c,,6\nHSR,A1,s,,101\nCOACH,A1,x,,200\nTROLLEY,A1,y,,11\nSHUTTLE,A1,z,,711\n"
    )
    names = ("TRAM", "RAIL", "BUS", "FERRY", "CABLE", "HSR", "COACH", "TROLLEY", "SHUTTLE")
    trips = "route_id,service_id,trip_id\n" + "".join(f"{r},WD,{r}-1\n" for r in names)
    st = _st(*[f"{r}-1,07:00:00,07:00:00,A,1\n{r}-1,07:10:00,07:10:00,B,2" for r in names])
    tt = compile_feed(make_feed("region", routes=routes, trips=trips, stop_times=st))
    assert dict(zip(tt.route_ids, tt.route_modes)) == {
        "TRAM": "rail", "RAIL": "rail", "BUS": "bus", "FERRY": "ferry", "CABLE": "other", "HSR": "rail", "COACH": "bus", "TROLLEY": "bus",
        "SHUTTLE": "shuttle",
    }  # fmt: skip
    # A feed named like a shuttle whose route is an ordinary bus (route_type 3) is a bus.
    named = compile_feed(make_feed("techno-shuttle", stop_times=_st("S1,07:14:00,07:14:00,A,1", "S1,07:24:00,07:24:00,B,2")))
    assert named.route_types.tolist() == [3] and named.route_modes == ["bus"]


def test_transfers_of_type_2_between_stops_are_kept(make_feed, compile_feed):
    """transfers.txt type 2 between two different stops becomes a transfer with its minimum time; others are dropped."""
    folder = make_feed(
        stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"),
        transfers="from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,C,2,240\nC,B,0,\nA,A,2,60\nC,D,2,300\n",
    )
    tt = compile_feed(folder)
    got = sorted((tt.stop_ids[a], tt.stop_ids[b], int(s)) for a, b, s in zip(tt.transfer_from, tt.transfer_to, tt.transfer_seconds))
    assert got == [("B", "C", 240), ("C", "D", 300)]


# --- summary and maas info ---------------------------------------------------------------------------


def test_maas_info_json_summarises_the_feed(make_feed, run_cli):
    """`maas info PATH --json` gives agencies, routes by mode, stops, trips, stop times, service dates and bbox."""
    folder = make_feed(
        stop_times=_st(
            "T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2", "T1,07:20:00,07:20:00,C,3",
            "T2,08:00:00,08:00:00,B,1", "T2,08:10:00,08:10:00,D,2",
        )
    )  # fmt: skip
    result = run_cli("info", folder, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["agencies"] == ["Ube City Bus"]
    assert doc["routes_by_mode"] == {"bus": 1}
    assert (doc["stops"], doc["stations"], doc["trips"], doc["stop_times"], doc["patterns"]) == (4, 0, 2, 5, 2)
    assert doc["service_dates"] == {"first": "2026-01-05", "last": "2026-03-27"}
    assert doc["bbox"] == {"min_lon": 131.36, "min_lat": 34.0, "max_lon": 131.36, "max_lat": 34.06}
    assert doc["timezone"] == "Asia/Tokyo"
    (feed,) = doc["feeds"]
    assert (feed["name"], feed["stops"], feed["routes"], feed["trips"], feed["warnings"]) == ("feed", 4, 1, 2, 0)


def test_maas_info_text(make_feed, run_cli):
    """`maas info PATH` prints routes by mode and the dates of service in text."""
    good = make_feed("good", stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"))
    result = run_cli("info", good)
    assert result.exit_code == 0, result.output
    assert "dates of service: 2026-01-05 .. 2026-03-27  (Asia/Tokyo)" in result.stdout
    assert 'routes by mode: {"bus": 1}' in result.stdout


def test_maas_info_on_a_broken_feed_exits_2(make_feed, tmp_path):
    """`maas info` on a feed with errors exits 2 naming the error, no traceback, and caches nothing."""
    broken = make_feed("broken", stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,Z,2"))
    env = {**os.environ, "MAAS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("MAAS_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "maas", "info", str(broken)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "broken/stop_times.txt:3 [stop_id]: stop_id 'Z' is not a stop in stops.txt" in proc.stderr
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").iterdir()) == []


def test_summary_counts_only_routes_with_trips(make_feed, compile_feed):
    """routes_by_mode counts routes that have trips; stations are counted apart from stops."""
    folder = make_feed(
        routes=DEFAULT_ROUTES_TWO.replace("express,3", "express,2"),
        stops=DEFAULTS_STOPS_WITH_STATION,
        stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2"),
    )
    s = summarize(compile_feed(folder))
    assert s["routes_by_mode"] == {"bus": 1}
    assert (s["stops"], s["stations"], s["routes"]) == (2, 1, 1)


DEFAULTS_STOPS_WITH_STATION = (
    "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
    "ST,Ajisu station,34.00,131.36,1,\n"
    "A,Ajisu platform 1,34.0001,131.3601,0,ST\n"
    "B,Motoyura,34.02,131.36,0,\n"
    "E,Entrance,34.0002,131.3602,2,ST\n"
)


def test_stations_and_parents_are_compiled_entrances_are_not(make_feed, compile_feed):
    """Stops and stations are compiled with their parent link; entrances (location_type 2) are left out."""
    tt = compile_feed(make_feed(stops=DEFAULTS_STOPS_WITH_STATION, stop_times=_st("T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:10:00,B,2")))
    assert tt.stop_ids == ["ST", "A", "B"]
    assert tt.stop_location_type.tolist() == [1, 0, 0]
    assert tt.stop_parent.tolist() == [-1, 0, -1]


# --- the shared feeds ----------------------------------------------------------------------------------

SHARED = [
    "cairns",
    "caltrain",
    "hart_tampa",
    "jp_donanbus",
    "jp_kobe_subway",
    "jp_mlit_sample_rinkobus",
    "jp_yamanashi_busmaps",
    "nyc_subway",
    "wmata_rail",
]


def test_the_invariant_check_catches_an_overtaking_trip(make_feed, compile_feed, check_invariants):
    """The check the shared feeds rely on fails when one trip of a pattern passes another (times moved by hand)."""
    folder = make_feed(
        stop_times=_st(
            "T1,07:00:00,07:00:00,A,1", "T1,07:10:00,07:11:00,B,2", "T1,07:20:00,07:20:00,C,3",
            "T2,08:00:00,08:00:00,A,1", "T2,08:10:00,08:11:00,B,2", "T2,08:20:00,08:20:00,C,3",
        )
    )  # fmt: skip
    tt = compile_feed(folder)
    check_invariants(tt)
    assert tt.n_patterns == 1 and _pattern_trip_ids(tt, 0) == ["T1", "T2"]
    arr, dep = tt.stop_time_arr.copy(), tt.stop_time_dep.copy()
    at_c = int(tt.trip_time_offset[tt.trip_ids.index("T1")]) + 2  # T1 at C now 08:30: T2, which left later, is there first
    arr[at_c] = dep[at_c] = parse_time(["08:30:00"]).values[0]
    with pytest.raises(AssertionError, match="trips overtake"):
        check_invariants(dataclasses.replace(tt, stop_time_arr=arr, stop_time_dep=dep))


@pytest.mark.shared_data
@pytest.mark.parametrize("name", SHARED)
def test_shared_feed_patterns_never_overtake(name, shared_feeds_dir, shared_result, check_invariants):
    """Every pattern of every shared feed has sorted, non-overtaking trips and times that never go backwards."""
    tt = shared_result(shared_feeds_dir / f"{name}.zip")["timetable"]
    trips_per_pattern = np.diff(tt.pattern_trip_offsets)
    assert tt.n_patterns > 0 and (trips_per_pattern >= 2).any(), "no pattern with two trips: nothing to compare"
    check_invariants(tt)


@pytest.mark.shared_data
@pytest.mark.parametrize("name", SHARED)
def test_shared_feed_compiled_counts_match_provenance(name, shared_feeds_dir, shared_result, provenance):
    """Compiled trips, stop times (no frequencies in these feeds), routes, stops, stations and latest time match PROVENANCE.md."""
    result = shared_result(shared_feeds_dir / f"{name}.zip")
    tt, figures = result["timetable"], provenance[name]
    assert tt.n_trips == figures["trips"]
    assert tt.n_stop_times == figures["stop_times"]
    assert tt.n_routes == figures["routes"]
    not_compiled = sum(n for lt, n in result["location_types"].items() if lt not in ("0", "1"))
    assert tt.n_stops == figures["stops"] - not_compiled
    assert int(np.sum(tt.stop_location_type == 1)) == figures["parents"]
    latest = max(int(tt.stop_time_arr.max()), int(tt.stop_time_dep.max()))
    assert format_time(latest)[:5] == figures["max_time"]
    assert len(tt.feeds[0].agencies) == figures["agencies"]
    assert (tt.trip_freq_start == -1).all()


@pytest.mark.shared_data
def test_cairns_untimed_stops_are_interpolated(shared_feeds_dir, shared_result):
    """Cairns has 65 stop_times rows without times; compiled, each lies strictly inside its neighbours' times."""
    feed = read_feed(shared_feeds_dir / "cairns.zip")
    st = feed.table("stop_times.txt")
    untimed = st[(st["arrival_time"] == "") & (st["departure_time"] == "")]
    assert len(untimed) == 65
    tt = shared_result(shared_feeds_dir / "cairns.zip")["timetable"]
    checked = 0
    for trip_id in sorted(set(untimed["trip_id"])):
        rows = st[st["trip_id"] == trip_id].copy()
        rows["seq"] = rows["stop_sequence"].astype(int)
        rows = rows.sort_values("seq").reset_index(drop=True)
        (t,) = [i for i, x in enumerate(tt.trip_ids) if x == trip_id]
        a, d = tt.trip_times(t)
        assert len(a) == len(rows)
        for i in np.flatnonzero((rows["arrival_time"] == "").to_numpy()):
            assert d[i - 1] <= a[i] <= a[i + 1], (trip_id, i)
            assert a[i] == d[i]
            checked += 1
    assert checked == 65


@pytest.mark.shared_data
def test_calendar_dates_only_feed_has_its_dates(shared_feeds_dir, shared_result):
    """WMATA (no calendar.txt) runs on dates inside its calendar_dates range 2026-04-29..2026-09-06."""
    tt = shared_result(shared_feeds_dir / "wmata_rail.zip")["timetable"]
    first, last = tt.service_dates()
    assert dt.date(2026, 4, 29) <= first <= last <= dt.date(2026, 9, 6)
