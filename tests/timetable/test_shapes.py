"""Shapes compiled into the timetable and cut per ride (maas.timetable.shapes), on small hand-written feeds.

The hand-written feeds use the conftest DEFAULTS: stops A, B, C, D on the
meridian 131.36 at latitudes 34.00, 34.02, 34.04, 34.06 (about 2.2 km apart).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from maas.geo import haversine_m
from maas.timetable.cache import CacheEntryError, check_structure, load_timetable
from maas.timetable.shapes import MAX_STOP_OFFSET_M, cut_line, metres_along, ride_line

ST_HEADER = "trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled"
LON = 131.36
#: A road from A to D that leaves the meridian between B and C (a bump about 920 m to the east).
ROAD = [(34.00, LON), (34.01, LON), (34.02, LON), (34.025, LON + 0.01), (34.035, LON + 0.01), (34.04, LON), (34.05, LON), (34.06, LON)]


def shapes_txt(shapes: dict[str, list[tuple[float, float]]], km: bool = False) -> str:
    """shapes.txt for ``{shape_id: [(lat, lon), ...]}``; with ``km``, shape_dist_traveled in kilometres."""
    lines = ["shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled"]
    for sid, points in shapes.items():
        lat, lon = np.array(points).T
        dist = metres_along(lon, lat) / 1000.0
        for k, (a, o) in enumerate(points):
            lines.append(f"{sid},{a:.6f},{o:.6f},{k + 1},{dist[k]:.5f}" if km else f"{sid},{a:.6f},{o:.6f},{k + 1},")
    return "\n".join(lines) + "\n"


def stop_times_txt(trips: dict[str, list[str]], dist_km: dict[str, list[float]] | None = None) -> str:
    """stop_times.txt: each trip calls at its stops every 5 minutes from 08:00; optional shape_dist_traveled."""
    lines = [ST_HEADER]
    for tid, stops in trips.items():
        for k, s in enumerate(stops):
            t = f"08:{5 * k:02d}:00"
            d = f"{dist_km[tid][k]:.5f}" if dist_km and tid in dist_km else ""
            lines.append(f"{tid},{t},{t},{s},{k + 1},{d}")
    return "\n".join(lines) + "\n"


def trips_txt(shape_of: dict[str, str]) -> str:
    return "route_id,service_id,trip_id,shape_id\n" + "".join(f"R1,WD,{t},{s}\n" for t, s in shape_of.items())


def positions(tt, trip: int) -> np.ndarray:
    """The trip's stop positions along its shape (metres)."""
    n = len(tt.pattern_stop_list(int(tt.trip_pattern[trip])))
    o = int(tt.trip_time_offset[trip])
    return tt.stop_time_shape_dist[o : o + n].astype(float)


def shape_points(tt, s: int) -> np.ndarray:
    a, b = int(tt.shape_offsets[s]), int(tt.shape_offsets[s + 1])
    return np.column_stack([tt.shape_lon[a:b], tt.shape_lat[a:b]])


def line_length_m(line: np.ndarray) -> float:
    return float(haversine_m(line[:-1, 1], line[:-1, 0], line[1:, 1], line[1:, 0]).sum())


def on_polyline_m(points: np.ndarray, polyline: np.ndarray) -> np.ndarray:
    """Distance in metres of each point from a polyline (local plane; fine at these sizes)."""
    from shapely.geometry import LineString, Point

    lat0 = float(np.mean(polyline[:, 1]))
    scale = np.array([np.cos(np.radians(lat0)), 1.0]) * 111_195.0
    line = LineString(polyline * scale)
    return np.array([line.distance(Point(p)) for p in points * scale])


def index_of(tt, trip_id: str) -> int:
    return tt.trip_ids.index(trip_id)


# --- a ride along its shape -----------------------------------------------------------------


def test_ride_follows_the_shape_between_its_stops(make_feed, compile_feed):
    feed = make_feed(
        stop_times=stop_times_txt({"T1": ["A", "B", "C", "D"]}),
        trips=trips_txt({"T1": "S1"}),
        shapes=shapes_txt({"S1": ROAD}),
    )
    tt = compile_feed(feed)
    t = index_of(tt, "T1")
    assert tt.shape_ids == ["S1"] and tt.trip_shape[t] == 0
    assert np.all(np.diff(positions(tt, t)) > 0)
    line = ride_line(tt, t, 1, 2)  # B -> C, over the bump
    assert line.shape[1] == 2 and len(line) == 4  # B, the bump's two corners, C
    assert haversine_m(line[0, 1], line[0, 0], 34.02, LON) < 1 and haversine_m(line[-1, 1], line[-1, 0], 34.04, LON) < 1
    assert np.allclose(line[1:-1], [[LON + 0.01, 34.025], [LON + 0.01, 34.035]])
    assert line_length_m(line) > 1.4 * haversine_m(34.02, LON, 34.04, LON)
    assert on_polyline_m(line, shape_points(tt, 0)).max() < 0.5


def test_feed_without_shapes_draws_stop_to_stop(make_feed, compile_feed):
    tt = compile_feed(make_feed(stop_times=stop_times_txt({"T1": ["A", "B", "C", "D"]})))
    assert tt.shape_ids == [] and len(tt.shape_lon) == 0 and list(tt.shape_offsets) == [0]
    assert (tt.trip_shape == -1).all() and np.isnan(tt.stop_time_shape_dist).all()
    line = ride_line(tt, 0, 0, 3)
    assert np.allclose(line, [[LON, 34.00], [LON, 34.02], [LON, 34.04], [LON, 34.06]])


def test_shapes_for_some_trips_only(make_feed, compile_feed):
    """A trip without shape_id, or naming a shape that is not in shapes.txt, runs stop to stop; unused shapes are dropped."""
    feed = make_feed(
        stop_times=stop_times_txt({"T1": ["A", "B", "C"], "T2": ["B", "C", "D"], "T3": ["A", "B"]}),
        trips=trips_txt({"T1": "S1", "T2": "", "T3": "missing"}),
        shapes=shapes_txt({"S1": ROAD, "unused": ROAD[:3]}),
    )
    tt = compile_feed(feed)
    assert tt.shape_ids == ["S1"]
    assert [int(tt.trip_shape[index_of(tt, t)]) for t in ("T1", "T2", "T3")] == [0, -1, -1]
    t2 = index_of(tt, "T2")
    assert np.isnan(positions(tt, t2)).all()
    assert np.allclose(ride_line(tt, t2, 0, 2), [[LON, 34.02], [LON, 34.04], [LON, 34.06]])
    assert len(ride_line(tt, index_of(tt, "T1"), 1, 2)) == 4


def test_a_shape_that_does_not_fit_its_stops_is_not_used(make_feed, compile_feed):
    far = [(lat, lon + 0.05) for lat, lon in ROAD]  # about 4.6 km east of every stop
    tt = compile_feed(make_feed(stop_times=stop_times_txt({"T1": ["A", "B", "C"]}), trips=trips_txt({"T1": "S1"}), shapes=shapes_txt({"S1": far})))
    assert 0.05 * 111_195 * np.cos(np.radians(34)) > MAX_STOP_OFFSET_M
    assert tt.trip_shape[0] == -1 and tt.shape_ids == []
    assert len(ride_line(tt, 0, 0, 2)) == 3


def test_malformed_shape_points_are_skipped(make_feed, compile_feed):
    rows = shapes_txt({"S1": ROAD}).splitlines()
    rows.insert(3, "S1,north,131.36,99,")  # a position that does not parse
    rows.insert(4, "S1,34.03,131.36,,")  # no sequence
    rows.append("S2,34.00,131.36,1,")  # a single point: no line
    tt = compile_feed(
        make_feed(
            stop_times=stop_times_txt({"T1": ["A", "B", "C", "D"], "T2": ["A", "B"]}),
            trips=trips_txt({"T1": "S1", "T2": "S2"}),
            shapes="\n".join(rows) + "\n",
        )
    )
    assert tt.shape_ids == ["S1"] and len(tt.shape_lon) == len(ROAD)
    assert tt.trip_shape[index_of(tt, "T2")] == -1


# --- loops and out-and-back lines ------------------------------------------------------------


def test_loop_that_starts_and_ends_at_one_stop(make_feed, compile_feed):
    """The last call at the loop's first stop is placed at the end of the line, not at its start."""
    loop = [(34.00, LON), (34.02, LON), (34.02, LON + 0.02), (34.00, LON + 0.02), (34.00, LON + 0.0001)]
    stops = "stop_id,stop_name,stop_lat,stop_lon\nA,Loop start,34.00,131.36\nB,North,34.02,131.36\nE,East,34.01,131.38\n"
    tt = compile_feed(
        make_feed(stops=stops, stop_times=stop_times_txt({"T1": ["A", "B", "E", "A"]}), trips=trips_txt({"T1": "L"}), shapes=shapes_txt({"L": loop}))
    )
    pos = positions(tt, 0)
    total = float(tt.shape_dist[-1])
    assert pos[0] < 1 and abs(pos[-1] - total) < 15
    last = ride_line(tt, 0, 2, 3)  # East -> back at the start: the loop's last side
    assert line_length_m(last) > 2000 and haversine_m(last[-1, 1], last[-1, 0], 34.00, LON) < 15
    whole = ride_line(tt, 0, 0, 3)
    assert abs(line_length_m(whole) - (pos[-1] - pos[0])) < 1


def test_out_and_back_line_cuts_at_the_right_passage(make_feed, compile_feed):
    """Stops served on the way out and on the way back, on one road, are placed at their own passage."""
    back = [(lat, lon + 0.0002) for lat, lon in reversed(ROAD)]  # the other side of the road, about 18 m
    trips = {"T1": ["A", "B", "C", "D", "C", "B", "A"]}
    tt = compile_feed(make_feed(stop_times=stop_times_txt(trips), trips=trips_txt({"T1": "OB"}), shapes=shapes_txt({"OB": ROAD + back})))
    pos = positions(tt, 0)
    assert np.all(np.diff(pos) > 1000)
    one_way = float(metres_along(np.array(ROAD)[:, 1], np.array(ROAD)[:, 0])[-1])
    assert abs(pos[3] - one_way) < 20  # D, the turning point
    turn = ride_line(tt, 0, 2, 4)  # C -> D -> C: out to the end and back
    assert abs(line_length_m(turn) - 2 * haversine_m(34.04, LON, 34.06, LON)) < 50
    home = ride_line(tt, 0, 5, 6)  # B -> A on the way back: not the way out
    assert abs(line_length_m(home) - haversine_m(34.00, LON, 34.02, LON)) < 30
    assert (home[:, 0] > LON + 0.0001).all()  # on the return side


# --- shape_dist_traveled -------------------------------------------------------------------------


def _dist_feed(make_feed, name: str, with_stop_dist: bool, shift_km: float = 0.0):
    """The out-and-back trip over the bump, shape_dist_traveled in km in shapes.txt, and in stop_times.txt if asked."""
    back = [(lat, lon + 0.0002) for lat, lon in reversed(ROAD)]
    line = ROAD + back
    along = metres_along(np.array(line)[:, 1], np.array(line)[:, 0]) / 1000.0
    # Where each stop is on the line: A, B, C, D at ROAD's vertices 0, 2, 5, 7; then back.
    at = [0, 2, 5, 7, 10, 13, 15]
    dist = {"T1": [float(along[k]) + shift_km for k in at]} if with_stop_dist else None
    trips = {"T1": ["A", "B", "C", "D", "C", "B", "A"]}
    return make_feed(name, stop_times=stop_times_txt(trips, dist), trips=trips_txt({"T1": "OB"}), shapes=shapes_txt({"OB": line}, km=True))


def test_shape_dist_traveled_and_projection_agree(make_feed, compile_feed):
    by_dist = compile_feed(_dist_feed(make_feed, "dist", True))
    projected = compile_feed(_dist_feed(make_feed, "projected", False))
    a, b = positions(by_dist, 0), positions(projected, 0)
    assert np.all(np.diff(a) > 1000)
    assert np.abs(a - b).max() < 1.0
    assert np.allclose(ride_line(by_dist, 0, 1, 5), ride_line(projected, 0, 1, 5), atol=1e-5)


def test_shape_dist_traveled_picks_the_passage(make_feed, compile_feed):
    """A stop midway between the two sides of an out-and-back road is as near to both passages: the feed's distance decides."""
    stops = "stop_id,stop_name,stop_lat,stop_lon\nA,A,34.00,131.36\nM,Middle,34.03,131.3601\n"
    line = [(34.00, LON), (34.06, LON), (34.06, LON + 0.0002), (34.00, LON + 0.0002)]
    along_km = metres_along(np.array(line)[:, 1], np.array(line)[:, 0]) / 1000.0
    out, back = float(along_km[1]) / 2, float(along_km[2] + along_km[3]) / 2
    feeds = {
        name: make_feed(
            name, stops=stops, stop_times=stop_times_txt({"T1": ["A", "M", "A"]}, dist), trips=trips_txt({"T1": "S"}), shapes=shapes_txt({"S": line}, km=True)
        )
        for name, dist in (("back", {"T1": [0.0, back, float(along_km[-1])]}), ("out", {"T1": [0.0, out, float(along_km[-1])]}))
    }
    assert abs(positions(compile_feed(feeds["back"]), 0)[1] - back * 1000) < 5
    assert abs(positions(compile_feed(feeds["out"]), 0)[1] - out * 1000) < 5


def test_stop_times_measured_on_another_scale_are_projected(make_feed, compile_feed):
    """Stop distances 0.4 km off the shape's own (a real feed measured them from its first stop): the stops are projected."""
    shifted = compile_feed(_dist_feed(make_feed, "shifted", True, shift_km=0.4))
    projected = compile_feed(_dist_feed(make_feed, "projected", False))
    assert np.abs(positions(shifted, 0) - positions(projected, 0)).max() < 1.0


# --- the cache ------------------------------------------------------------------------------------


def test_shape_fields_round_trip_through_the_cache(make_feed, tmp_path):
    feed = make_feed(
        stop_times=stop_times_txt({"T1": ["A", "B", "C", "D"], "T2": ["A", "B"]}),
        trips=trips_txt({"T1": "S1", "T2": ""}),
        shapes=shapes_txt({"S1": ROAD}),
    )
    compiled = load_timetable([feed], cache_dir=tmp_path / "cache", progress=False)
    loaded = load_timetable([feed], cache_dir=tmp_path / "cache", progress=False)
    for name in ("shape_offsets", "shape_lon", "shape_lat", "shape_dist", "trip_shape", "stop_time_shape_dist"):
        a, b = getattr(compiled, name), getattr(loaded, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), name
    assert loaded.shape_ids == compiled.shape_ids == ["S1"]
    assert np.array_equal(ride_line(loaded, index_of(loaded, "T1"), 0, 3), ride_line(compiled, index_of(compiled, "T1"), 0, 3))


@pytest.mark.parametrize(
    "damage",
    [
        {"trip_shape": lambda tt: np.full_like(tt.trip_shape, 1)},  # only shape 0 exists
        {"shape_offsets": lambda tt: np.array([0, len(tt.shape_lon) + 1], np.int64)},
        {"shape_lat": lambda tt: tt.shape_lat[:-1]},
        {"shape_ids": lambda tt: []},
    ],
    ids=["trip_shape", "shape_offsets", "shape_lat", "shape_ids"],
)
def test_cache_check_refuses_inconsistent_shapes(make_feed, compile_feed, damage):
    tt = compile_feed(make_feed(stop_times=stop_times_txt({"T1": ["A", "B", "C"]}), trips=trips_txt({"T1": "S1"}), shapes=shapes_txt({"S1": ROAD})))
    check_structure(tt)
    ((name, change),) = damage.items()
    with pytest.raises(CacheEntryError):
        check_structure(dataclasses.replace(tt, **{name: change(tt)}))


# --- cutting ----------------------------------------------------------------------------------


def test_cut_line_keeps_inner_points_and_interpolates_the_ends():
    lon, lat = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 0.0, 0.0, 0.0])
    along = np.array([0.0, 10.0, 20.0, 30.0])
    assert np.allclose(cut_line(lon, lat, along, 5.0, 25.0), [[0.5, 0], [1, 0], [2, 0], [2.5, 0]])
    assert np.allclose(cut_line(lon, lat, along, 10.0, 20.0), [[1, 0], [2, 0]])
    assert len(cut_line(lon, lat, along, 12.0, 12.0)) == 0
