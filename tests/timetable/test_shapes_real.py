"""Shapes of real feeds: the official JR bus feed (shapes, no shape_dist_traveled) and HART Tampa (both files give distances)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from maas.geo import haversine_m
from maas.timetable.shapes import MAX_STOP_OFFSET_M, ride_line
from tests.timetable.test_shapes import line_length_m, on_polyline_m, positions, shape_points

JRBUS = "jp_jrbus_chugoku_20260813.zip"
#: The JR bus routes of the Yamaguchi area (PROVENANCE.md): 防長線, スーパーはぎ号, 秋吉線, 秋芳洞循環バス.
AREA_ROUTES = {"2229846746": "防長線", "435934628": "スーパーはぎ号", "2196404353": "秋吉線", "3240589115": "秋芳洞循環バス"}
AKIYOSHIDO_LOOP = "3240589115"


@pytest.fixture
def jrbus(shared_feeds_dir: Path, shared_result):
    result = shared_result(shared_feeds_dir / JRBUS)
    assert result["timetable"] is not None, result["error"]
    return result["timetable"]


def stop_offsets_m(tt, trip: int) -> np.ndarray:
    """Distance from each stop of a trip to its place on the trip's shape."""
    stops = tt.pattern_stop_list(int(tt.trip_pattern[trip]))
    s = int(tt.trip_shape[trip])
    a, b = int(tt.shape_offsets[s]), int(tt.shape_offsets[s + 1])
    pos = positions(tt, trip)
    lon = np.interp(pos, tt.shape_dist[a:b], tt.shape_lon[a:b])
    lat = np.interp(pos, tt.shape_dist[a:b], tt.shape_lat[a:b])
    return haversine_m(tt.stop_lat[stops], tt.stop_lon[stops], lat, lon)


def test_every_jrbus_trip_follows_its_shape(jrbus):
    tt = jrbus
    assert (tt.trip_shape >= 0).all()
    assert len(tt.shape_ids) == len({tt.shape_ids[s] for s in tt.trip_shape})
    for t in range(tt.n_trips):
        pos = positions(tt, t)
        assert np.isfinite(pos).all() and (np.diff(pos) >= 0).all()
    area = [t for t in range(tt.n_trips) if tt.route_ids[tt.trip_route[t]] in AREA_ROUTES]
    offsets = np.concatenate([stop_offsets_m(tt, t) for t in area])
    assert np.percentile(offsets, 90) < 15 and offsets.max() < 40  # stops stand beside the road the shape follows
    every = np.concatenate([stop_offsets_m(tt, t) for t in range(tt.n_trips)])
    assert every.max() <= MAX_STOP_OFFSET_M and np.median(every) < 10


def _ride(tt, route_id: str, board: str, alight: str) -> tuple[int, int, int]:
    """A trip of the route calling at stop names ``board`` then ``alight``: (trip, board position, alight position)."""
    for t in np.flatnonzero(tt.trip_route == tt.route_ids.index(route_id)):
        names = [tt.stop_names[s] for s in tt.pattern_stop_list(int(tt.trip_pattern[t]))]
        if board in names and alight in names[names.index(board) + 1 :]:
            return int(t), names.index(board), len(names) - 1 - names[::-1].index(alight)
    raise AssertionError(f"no trip from {board} to {alight}")


def test_akiyoshi_line_ride_follows_the_road(jrbus):
    """山口駅 → 秋芳洞 on 秋吉線: starts and ends at the stops, every vertex on the shape, longer than the crow flies."""
    tt = jrbus
    t, i, j = _ride(tt, "2196404353", "山口駅", "秋芳洞")
    stops = tt.pattern_stop_list(int(tt.trip_pattern[t]))
    line = ride_line(tt, t, i, j)
    assert len(line) > 10 * (j - i + 1)
    board, alight = stops[i], stops[j]
    assert haversine_m(tt.stop_lat[board], tt.stop_lon[board], line[0, 1], line[0, 0]) < 15
    assert haversine_m(tt.stop_lat[alight], tt.stop_lon[alight], line[-1, 1], line[-1, 0]) < 15
    assert on_polyline_m(line, shape_points(tt, int(tt.trip_shape[t]))).max() < 0.5
    crow = float(haversine_m(tt.stop_lat[board], tt.stop_lon[board], tt.stop_lat[alight], tt.stop_lon[alight]))
    passed = np.column_stack([tt.stop_lon[stops[i : j + 1]], tt.stop_lat[stops[i : j + 1]]])
    assert line_length_m(line) > 1.2 * crow and line_length_m(line) >= line_length_m(passed)


def test_akiyoshido_loop_is_cut_at_the_right_end(jrbus):
    """The loop leaves 秋芳洞 and comes back to the same stop: its last call is at the end of the shape."""
    tt = jrbus
    route = tt.route_ids.index(AKIYOSHIDO_LOOP)
    t = int(np.flatnonzero(tt.trip_route == route)[0])
    stops = tt.pattern_stop_list(int(tt.trip_pattern[t]))
    assert stops[1] == stops[-1] and tt.stop_names[stops[-1]] == "秋芳洞"
    s = int(tt.trip_shape[t])
    length = float(tt.shape_dist[int(tt.shape_offsets[s + 1]) - 1])
    pos = positions(tt, t)
    assert pos[1] < 50 and pos[-1] > length - 50
    back = ride_line(tt, t, len(stops) - 2, len(stops) - 1)  # 秋吉台 → 秋芳洞, the loop's way home
    assert abs(line_length_m(back) - (pos[-1] - pos[-2])) < 1 and line_length_m(back) > 2000
    home = stops[-1]
    assert haversine_m(tt.stop_lat[home], tt.stop_lon[home], back[-1, 1], back[-1, 0]) < 20
    assert on_polyline_m(back, shape_points(tt, s)).max() < 0.5
    whole = ride_line(tt, t, 1, len(stops) - 1)  # once round the loop
    assert line_length_m(whole) > 0.95 * length


# --- a feed that gives shape_dist_traveled ------------------------------------------------------


def _tampa_route(zip_path: Path, folder: Path, route: str, stop_dist: bool) -> Path:
    """Write the HART feed cut to one route; with ``stop_dist`` False, stop_times.txt loses its shape_dist_traveled."""
    folder.mkdir()
    with zipfile.ZipFile(zip_path) as z:

        def table(name: str) -> list[dict]:
            return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig"))))

        trips = [r for r in table("trips.txt") if r["route_id"] == route]
        ids, shape_ids = {r["trip_id"] for r in trips}, {r["shape_id"] for r in trips}
        files = {
            "agency.txt": table("agency.txt"),
            "calendar.txt": table("calendar.txt"),
            "routes.txt": [r for r in table("routes.txt") if r["route_id"] == route],
            "stops.txt": table("stops.txt"),
            "trips.txt": trips,
            "shapes.txt": [r for r in table("shapes.txt") if r["shape_id"] in shape_ids],
            "stop_times.txt": [r | ({} if stop_dist else {"shape_dist_traveled": ""}) for r in table("stop_times.txt") if r["trip_id"] in ids],
        }
    for name, rows in files.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


def test_real_shape_dist_traveled_and_projection_agree(shared_feeds_dir: Path, tmp_path: Path, compile_feed):
    """HART route 31: stops placed by the feed's distances and by projection agree within metres, but for a stop passed twice."""
    zip_path = shared_feeds_dir / "hart_tampa.zip"
    by_dist = compile_feed(_tampa_route(zip_path, tmp_path / "dist", "31", True))
    projected = compile_feed(_tampa_route(zip_path, tmp_path / "projected", "31", False))
    assert by_dist.trip_ids == projected.trip_ids and (by_dist.trip_shape >= 0).all()
    assert np.isfinite(by_dist.stop_time_shape_dist).all()
    diff = np.abs(by_dist.stop_time_shape_dist - projected.stop_time_shape_dist)
    assert np.percentile(diff, 95) < 5 and np.median(diff) < 1
    # Where they differ, both places are as near to the stop (a road the bus takes twice): the feed's distance chose.
    for t in range(by_dist.n_trips):
        far = np.abs(positions(by_dist, t) - positions(projected, t)) > 50
        if far.any():
            assert np.abs(stop_offsets_m(by_dist, t)[far] - stop_offsets_m(projected, t)[far]).max() < 5
