"""One feature per test, on tiny timetables written out in full (in the spirit of OTP's module tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from maas.network.network import Network
from maas.network.walking import WalkModel
from maas.routing.journeys import stop_place
from maas.routing.params import RoutingParams
from maas.routing.planner import JourneyQuery, Planner
from maas.timetable.compile import compile_feeds, load_feeds
from tests.routing.gtfs_builder import basic_tables, calendar_row, fmt, write_feed

DATE = dt.date(2026, 12, 8)  # a Tuesday
H = 3600

# Stops on a line running east; A-B-C about 1 km apart, D 200 m north of B, E far away.
STOPS = [
    ("A", 34.0000, 131.0000),
    ("B", 34.0000, 131.0110),
    ("C", 34.0000, 131.0220),
    ("D", 34.0018, 131.0110),
    ("E", 34.0500, 131.0500),
]


def make(tmp_path, trips: list[tuple[str, str, list[tuple[str, int, int]]]], extra: dict | None = None) -> Planner:
    """trips: (route_id, trip_id, [(stop, arrival_s, departure_s), ...]); pickup/drop-off via extra rows."""
    tables = basic_tables(STOPS)
    tables["calendar"] = [calendar_row("S", "1111111", "20261201", "20261231")]
    tables["routes"] = [{"route_id": r, "agency_id": "A", "route_short_name": r, "route_type": 3} for r in sorted({t[0] for t in trips})]
    tables["trips"] = [{"route_id": r, "service_id": "S", "trip_id": t, "trip_headsign": f"{r} headsign"} for r, t, _ in trips]
    tables["stop_times"] = [
        {"trip_id": t, "arrival_time": fmt(a), "departure_time": fmt(d), "stop_id": s, "stop_sequence": i + 1, "pickup_type": 0, "drop_off_type": 0}
        for _, t, calls in trips
        for i, (s, a, d) in enumerate(calls)
    ]
    for name, rows in (extra or {}).items():
        if name == "stop_times_override":
            for row in rows:
                for st in tables["stop_times"]:
                    if st["trip_id"] == row["trip_id"] and st["stop_id"] == row["stop_id"]:
                        st.update(row)
        else:
            tables[name] = rows
    tt = compile_feeds(load_feeds([write_feed(tmp_path / "feed", tables)]), progress=False)
    return Planner(Network(tt))


def plan(planner: Planner, a: str, b: str, time: int, radius: float = 500.0, **kw) -> list:
    """Plan from stop a to stop b; routing parameters (max_transfers, modes, min_transfer_s) and query fields by keyword."""
    net = planner.network
    s = {sid: i for i, sid in enumerate(net.timetable.stop_ids)}
    routing = {k: kw.pop(k) for k in ("max_transfers", "modes", "min_transfer_s") if k in kw}
    params = RoutingParams(walk=WalkModel(radius_m=radius), **routing)
    q = JourneyQuery(stop_place(net, s[a]), stop_place(net, s[b]), DATE, time, params=params, **kw)
    return planner.plan(q)


def describe(journeys) -> list[str]:
    """Render journeys like 'WALK A-B | R1 B 08:00 C 08:10' for readable assertions."""
    out = []
    for j in journeys:
        parts = []
        for leg in j.legs:
            if leg.mode == "walk":
                parts.append(f"WALK {leg.origin.id}-{leg.destination.id} {leg.arrival - leg.departure}s")
            else:
                parts.append(f"{leg.route} {leg.origin.id} {fmt(leg.departure)} {leg.destination.id} {fmt(leg.arrival)}")
        out.append(" | ".join(parts))
    return out


def test_single_ride(tmp_path):
    """A direct trip is found with its times."""
    p = make(tmp_path, [("R1", "t1", [("A", 8 * H, 8 * H), ("C", 8 * H + 900, 8 * H + 900)])])
    assert describe(plan(p, "A", "C", 7 * H, radius=0)) == ["R1 A 8:00:00 C 8:15:00"]


def test_min_transfer_time_blocks_tight_connection(tmp_path):
    """A 60 s same-stop transfer works with slack 0 and is refused with slack 120."""
    trips = [
        ("R1", "t1", [("A", 8 * H, 8 * H), ("B", 8 * H + 600, 8 * H + 600)]),
        ("R2", "t2", [("B", 8 * H + 660, 8 * H + 660), ("C", 8 * H + 1200, 8 * H + 1200)]),
        ("R2", "t3", [("B", 9 * H, 9 * H), ("C", 9 * H + 540, 9 * H + 540)]),
    ]
    p = make(tmp_path, trips)
    assert describe(plan(p, "A", "C", 7 * H, radius=0)) == ["R1 A 8:00:00 B 8:10:00 | R2 B 8:11:00 C 8:20:00"]
    assert describe(plan(p, "A", "C", 7 * H, radius=0, min_transfer_s=120)) == ["R1 A 8:00:00 B 8:10:00 | R2 B 9:00:00 C 9:09:00"]


def test_walk_transfer_needs_radius(tmp_path):
    """Changing from B to D (200 m) needs a walking link; radius 0 removes it."""
    trips = [
        ("R1", "t1", [("A", 8 * H, 8 * H), ("B", 8 * H + 600, 8 * H + 600)]),
        ("R2", "t2", [("D", 8 * H + 900, 8 * H + 900), ("E", 9 * H, 9 * H)]),
    ]
    p = make(tmp_path, trips)
    got = describe(plan(p, "A", "E", 7 * H, radius=500))
    assert got == ["R1 A 8:00:00 B 8:10:00 | WALK B-D 167s | R2 D 8:15:00 E 9:00:00"]
    assert plan(p, "A", "E", 7 * H, radius=0) == []


def test_pickup_and_drop_off_rules(tmp_path):
    """pickup_type 1 forbids boarding at a stop, drop_off_type 1 forbids alighting."""
    trips = [("R1", "t1", [("A", 8 * H, 8 * H), ("B", 8 * H + 600, 8 * H + 600), ("C", 8 * H + 1200, 8 * H + 1200)])]
    p = make(tmp_path, trips, {"stop_times_override": [{"trip_id": "t1", "stop_id": "B", "pickup_type": 1, "drop_off_type": 1}]})
    assert plan(p, "B", "C", 7 * H, radius=0) == []
    assert plan(p, "A", "B", 7 * H, radius=0) == []
    assert describe(plan(p, "A", "C", 7 * H, radius=0)) == ["R1 A 8:00:00 C 8:20:00"]


def test_previous_day_trip_after_midnight(tmp_path):
    """A trip of the previous service day running at 24:30 is found by a query at 00:10."""
    trips = [("R1", "night", [("A", 24 * H + 1800, 24 * H + 1800), ("C", 25 * H, 25 * H)])]
    p = make(tmp_path, trips)
    got = plan(p, "A", "C", 600, radius=0)
    assert describe(got) == ["R1 A 0:30:00 C 1:00:00"]
    assert got[0].departure == 1800 and got[0].arrival == 3600
    assert got[0].to_dict()["departure"] == "2026-12-08T00:30:00+09:00"


def test_frequencies_expand(tmp_path):
    """A frequency-based trip runs every headway: a 8:07 query boards the 8:10 copy."""
    trips = [("R1", "f", [("A", 8 * H, 8 * H), ("C", 8 * H + 300, 8 * H + 300)])]
    p = make(tmp_path, trips, {"frequencies": [{"trip_id": "f", "start_time": "8:00:00", "end_time": "9:00:00", "headway_secs": 600}]})
    got = plan(p, "A", "C", 8 * H + 420, radius=0)
    assert describe(got) == ["R1 A 8:10:00 C 8:15:00"]


def test_latest_departure_for_same_arrival(tmp_path):
    """Two ways arrive at 9:00; the answer leaves as late as possible (8:30, not 8:00)."""
    trips = [
        ("R1", "early", [("A", 8 * H, 8 * H), ("B", 8 * H + 600, 8 * H + 600)]),
        ("R2", "link", [("B", 8 * H + 2700, 8 * H + 2700), ("C", 9 * H, 9 * H)]),
        ("R1", "late", [("A", 8 * H + 1800, 8 * H + 1800), ("B", 8 * H + 2400, 8 * H + 2400)]),
    ]
    p = make(tmp_path, trips)
    assert describe(plan(p, "A", "C", 7 * H, radius=0)) == ["R1 A 8:30:00 B 8:40:00 | R2 B 8:45:00 C 9:00:00"]


def test_pareto_fewer_rides_or_earlier(tmp_path):
    """A slow direct trip and a faster change both appear: they trade rides against arrival."""
    trips = [
        ("SLOW", "s", [("A", 8 * H, 8 * H), ("C", 10 * H, 10 * H)]),
        ("R1", "a", [("A", 8 * H + 60, 8 * H + 60), ("B", 8 * H + 600, 8 * H + 600)]),
        ("R2", "b", [("B", 8 * H + 700, 8 * H + 700), ("C", 9 * H, 9 * H)]),
    ]
    p = make(tmp_path, trips)
    got = plan(p, "A", "C", 7 * H, radius=0)
    assert [(j.rides, fmt(j.arrival)) for j in got] == [(2, "9:00:00"), (1, "10:00:00")]
    assert [j.transfers for j in got] == [1, 0]
    assert [(j.rides, fmt(j.arrival)) for j in plan(p, "A", "C", 7 * H, radius=0, max_transfers=0)] == [(1, "10:00:00")]


def test_arrive_by(tmp_path):
    """Arrive-by 9:30 takes the latest trip that arrives in time."""
    trips = [("R1", f"t{h}", [("A", h * H, h * H), ("C", h * H + 1200, h * H + 1200)]) for h in (7, 8, 9)]
    p = make(tmp_path, trips)
    assert describe(plan(p, "A", "C", 9 * H + 1800, radius=0, arrive_by=True)) == ["R1 A 9:00:00 C 9:20:00"]


def test_range_query_lists_each_departure(tmp_path):
    """A 2 h window lists every departure in it, latest journey last."""
    trips = [("R1", f"t{h}", [("A", h * H, h * H), ("C", h * H + 1200, h * H + 1200)]) for h in (7, 8, 9, 10)]
    p = make(tmp_path, trips)
    got = plan(p, "A", "C", 7 * H + 1800, radius=0, window_s=2 * H)
    assert [fmt(j.departure) for j in got] == ["8:00:00", "9:00:00"]


def test_transfers_txt_link(tmp_path):
    """A transfers.txt type-2 link joins B and E (far apart) with its min_transfer_time."""
    trips = [
        ("R1", "t1", [("A", 8 * H, 8 * H), ("B", 8 * H + 600, 8 * H + 600)]),
        ("R2", "t2", [("E", 8 * H + 1000, 8 * H + 1000), ("C", 9 * H, 9 * H)]),
    ]
    p = make(tmp_path, trips, {"transfers": [{"from_stop_id": "B", "to_stop_id": "E", "transfer_type": 2, "min_transfer_time": 300}]})
    assert describe(plan(p, "A", "C", 7 * H, radius=0)) == ["R1 A 8:00:00 B 8:10:00 | WALK B-E 300s | R2 E 8:16:40 C 9:00:00"]


def test_no_two_walks_in_a_row(tmp_path):
    """Walking B-D then D-B2 is not allowed: with stops only linked through D, no journey exists."""
    stops_extra = [("F", 34.0036, 131.0110)]  # 200 m north of D, 400 m from B
    global STOPS
    saved = STOPS
    STOPS = saved + stops_extra
    try:
        trips = [
            ("R1", "t1", [("A", 8 * H, 8 * H), ("B", 8 * H + 600, 8 * H + 600)]),
            ("R2", "t2", [("F", 8 * H + 1500, 8 * H + 1500), ("E", 9 * H, 9 * H)]),
        ]
        p = make(tmp_path, trips)
        assert plan(p, "A", "E", 7 * H, radius=250) == []  # B-D and D-F are links, B-F (400 m) is not
        assert len(plan(p, "A", "E", 7 * H, radius=450)) == 1
    finally:
        STOPS = saved


def test_walk_only_journey(tmp_path):
    """Two stops within the radius give a walk-only journey with 0 transfers."""
    p = make(tmp_path, [("R1", "t1", [("A", 8 * H, 8 * H), ("C", 8 * H + 900, 8 * H + 900)])])
    got = plan(p, "B", "D", 8 * H, radius=500)
    assert describe(got) == ["WALK B-D 167s"]
    assert got[0].transfers == 0 and got[0].rides == 0


def test_bad_query_values(tmp_path):
    """Negative transfers, unknown modes and huge windows are refused with the field named."""
    from maas.errors import InputError

    p = make(tmp_path, [("R1", "t1", [("A", 8 * H, 8 * H), ("C", 8 * H + 900, 8 * H + 900)])])
    for kw, field in ((dict(max_transfers=-1), "max_transfers"), (dict(modes=frozenset({"plane"})), "modes"), (dict(window_s=10**6), "window")):
        with pytest.raises(InputError) as err:
            plan(p, "A", "C", 8 * H, **kw)
        assert err.value.field == field


def test_station_transfer_rule_applies_to_platforms(tmp_path):
    """A transfers.txt rule between two stations links their platforms (GTFS: it applies to every stop in them)."""
    trips = [
        ("R1", "t1", [("A", 8 * H, 8 * H), ("B", 8 * H + 600, 8 * H + 600)]),
        ("R2", "t2", [("E", 8 * H + 1000, 8 * H + 1000), ("C", 9 * H, 9 * H)]),
    ]
    p = make(
        tmp_path,
        trips,
        {
            "stops": [
                {
                    "stop_id": sid,
                    "stop_name": sid,
                    "stop_lat": f"{lat:.6f}",
                    "stop_lon": f"{lon:.6f}",
                    "location_type": 0,
                    "parent_station": {"B": "PB", "E": "PE"}.get(sid, ""),
                }
                for sid, lat, lon in STOPS
            ]
            + [
                {"stop_id": "PB", "stop_name": "Station B", "stop_lat": "34.000000", "stop_lon": "131.011000", "location_type": 1, "parent_station": ""},
                {"stop_id": "PE", "stop_name": "Station E", "stop_lat": "34.050000", "stop_lon": "131.050000", "location_type": 1, "parent_station": ""},
            ],
            "transfers": [{"from_stop_id": "PB", "to_stop_id": "PE", "transfer_type": 2, "min_transfer_time": 240}],
        },
    )
    assert describe(plan(p, "A", "C", 7 * H, radius=0)) == ["R1 A 8:00:00 B 8:10:00 | WALK B-E 240s | R2 E 8:16:40 C 9:00:00"]
