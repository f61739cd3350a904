"""The timetable a scenario is judged on: its runs made and compiled in memory, joined to the trains, exactly as a joint compile."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from maas.feeds.reader import read_feed
from maas.shuttle.context import build_context
from maas.shuttle.feed import SHUTTLE_FEED, shuttle_feed, shuttle_files, shuttle_tables, table_files
from maas.shuttle.lru import Lru
from maas.shuttle.outputs import write_tables
from maas.shuttle.runs import scenario_runs
from maas.shuttle.scenario import load_scenario, with_runs
from maas.shuttle.timetable import Timetables
from maas.timetable.cache import cache_key, feed_files_key, load_timetable
from maas.timetable.compile import compile_feeds
from maas.timetable.merge import merge_timetables
from maas.timetable.model import Timetable
from tests.routing.gtfs_builder import basic_tables, calendar_row, write_feed
from tests.shuttle import timetables

ROOT = Path(__file__).resolve().parents[2]


def differing_fields(a: Timetable, b: Timetable) -> list[str]:
    """Return the Timetable fields where ``a`` and ``b`` differ (arrays: dtype, shape and values)."""
    out = []
    for f in dataclasses.fields(Timetable):
        if f.name.startswith("_"):
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            same = x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        else:
            same = x == y
        if not same:
            out.append(f.name)
    return out


def test_text_timetables_read_like_timetables():
    """The test helper reads 'stop HH:MM' calls, a wait as 'HH:MM-HH:MM', and ignores separators and comments."""
    text = """
        # two runs
        e2   p2 17:30 · p1 17:40-17:42 · sta 17:52
        m1   sta 07:25   p1 07:35
    """
    assert timetables.calls(text) == [
        ("e2", [("p2", "17:30", "17:30"), ("p1", "17:40", "17:42"), ("sta", "17:52", "17:52")]),
        ("m1", [("sta", "07:25", "07:25"), ("p1", "07:35", "07:35")]),
    ]
    assert timetables.scenario_runs(text)[0]["calls"][1] == {"stop": "p1", "time": "17:40", "depart": "17:42"}
    run = timetables.runs(text)[0]
    assert (run.calls[1].arrival, run.calls[1].departure) == (17 * 3600 + 40 * 60, 17 * 3600 + 42 * 60)
    with pytest.raises(ValueError, match="pairs"):
        timetables.calls("x1  sta 07:00 p1")


def test_feed_in_memory_is_the_written_feed(small_dir, tmp_path):
    """The runs' feed made in memory has exactly the tables and digest of the same files written and read back."""
    s = load_scenario(small_dir / "small.yaml")
    runs = scenario_runs(s)
    memory = shuttle_feed(s, runs, timezone="Asia/Tokyo")
    disk = read_feed(write_tables(tmp_path / SHUTTLE_FEED, shuttle_tables(s, runs, timezone="Asia/Tokyo")))
    assert memory.digest == disk.digest and memory.name == disk.name == SHUTTLE_FEED
    assert sorted(memory.tables) == sorted(disk.tables)
    for name, table in memory.tables.items():
        assert table.equals(disk.tables[name]), name
    assert sorted(p.name for p in (tmp_path / SHUTTLE_FEED).iterdir()) == sorted(table_files(shuttle_tables(s, runs)))


def test_merge_equals_a_joint_compile(small_dir):
    """Trains and runs compiled apart and merged are the timetable of both compiled together, field by field."""
    s = load_scenario(small_dir / "small.yaml")
    rail = read_feed(small_dir / "rail")
    runs = shuttle_feed(s, scenario_runs(s), timezone="Asia/Tokyo")
    joint = compile_feeds([rail, runs], progress=False)
    merged = merge_timetables(compile_feeds([rail], progress=False), compile_feeds([runs], progress=False))
    assert differing_fields(joint, merged) == []
    assert merged.feed_names() == ["rail", SHUTTLE_FEED]


def test_merge_shifts_every_index(tmp_path):
    """Two feeds with transfers, stations, shapes and calendars over different days: every index moves, days widen."""
    feeds = []
    for k, (start, end) in enumerate((("20300105", "20300110"), ("20300101", "20300120"))):
        tables = basic_tables([("a", 34.0, 131.0), ("b", 34.01, 131.0), ("c", 34.02, 131.0)])
        tables["stops"].append({"stop_id": "st", "stop_name": "Station", "stop_lat": "34.0", "stop_lon": "131.0", "location_type": "1"})
        tables["stops"][0]["parent_station"] = "st"
        tables["routes"] = [{"route_id": "L", "agency_id": "A", "route_short_name": f"Line {k}", "route_type": "3"}]
        tables["calendar"] = [calendar_row("wk", "1111111", start, end)]
        tables["shapes"] = [
            {"shape_id": "sh", "shape_pt_lat": lat, "shape_pt_lon": "131.0", "shape_pt_sequence": i} for i, lat in enumerate(("34.0", "34.01", "34.02"))
        ]
        tables["transfers"] = [{"from_stop_id": "b", "to_stop_id": "c", "transfer_type": "2", "min_transfer_time": "120"}]
        trips = timetables.calls("t1  a 07:00 · b 07:10 · c 07:20\nt2  c 08:00 · a 08:20")
        tables["trips"] = [{"route_id": "L", "service_id": "wk", "trip_id": t, "shape_id": "sh" if t == "t1" else ""} for t, _ in trips]
        tables["stop_times"] = timetables.stop_times("t1  a 07:00 · b 07:10 · c 07:20\nt2  c 08:00 · a 08:20")
        feeds.append(read_feed(write_feed(tmp_path / f"f{k}", tables)))
    joint = compile_feeds(feeds, progress=False)
    merged = merge_timetables(compile_feeds(feeds[:1], progress=False), compile_feeds(feeds[1:], progress=False))
    assert differing_fields(joint, merged) == []
    assert len(merged.shape_ids) == 2 and len(merged.transfer_from) == 2 and merged.n_patterns == 4


def test_evaluation_timetable_is_the_joint_compile(small_dir, tmp_path, cache_dir):
    """The timetable an evaluation uses equals compiling the rail feed and the written runs feed together (before: what it did)."""
    s = load_scenario(small_dir / "small.yaml")
    ctx = build_context(s)
    folder = write_tables(tmp_path / SHUTTLE_FEED, shuttle_tables(s, ctx.runs, timezone="Asia/Tokyo"))
    joint = load_timetable([small_dir / "rail", folder], names=["rail", SHUTTLE_FEED], cache_dir=cache_dir, progress=False)
    assert differing_fields(joint, ctx.timetable) == ["feeds"]
    # the runs' entry in the on-disk cache is the one a folder of the same files would have
    assert feed_files_key(SHUTTLE_FEED, shuttle_files(s, ctx.runs, timezone="Asia/Tokyo")) == cache_key([folder], [SHUTTLE_FEED])
    assert [dataclasses.replace(f, source="") for f in joint.feeds] == [dataclasses.replace(f, source="") for f in ctx.timetable.feeds]
    assert set(ctx.timetable.route_modes) == {"rail", "shuttle"}


def test_trains_compiled_once_runs_by_content(small_dir):
    """One Timetables: the trains are the same object for every scenario; the runs are compiled again only when they change."""
    t = Timetables()
    s = load_scenario(small_dir / "small.yaml")
    a, b = build_context(s, timetables=t), build_context(s, timetables=t)
    assert a.rail is b.rail and a.rail.timetable is b.rail.timetable
    fewer = build_context(with_runs(s, [r.to_spec() for r in a.runs if r.id != "m2"]), timetables=t)
    assert fewer.rail is a.rail
    assert fewer.timetable.n_trips == a.timetable.n_trips - 1
    assert t.runs(shuttle_files(s, a.runs, timezone="Asia/Tokyo")) is t.runs(shuttle_files(s, b.runs, timezone="Asia/Tokyo"))


def test_a_held_timetable_is_used_only_when_it_is_the_rail_compile(small_dir, tmp_path):
    """The service hands over its own timetable; it is used for exactly its feeds, never when a feed would be renamed."""
    t = Timetables()
    own = load_timetable([small_dir / "rail"], progress=False)
    assert t.hold([small_dir / "rail"], own)
    assert t.rail([small_dir / "rail"]).timetable is own
    shuttle_named = tmp_path / "my-shuttle"
    shuttle_named.mkdir()
    assert not Timetables().hold([shuttle_named], own)  # names differ: 'rail-my-shuttle' is not 'rail'
    assert not Timetables().hold([small_dir / "rail", small_dir / "rail"], own)


def test_lru_keeps_the_most_recent():
    cache: Lru[str, int] = Lru(max_entries=2)
    made = []

    def make(v: int):
        return lambda: made.append(v) or v

    assert cache.get("a", make(1)) == 1 and cache.get("b", make(2)) == 2
    assert cache.get("a", make(9)) == 1  # kept, and now the most recent
    cache.get("c", make(3))  # drops b, the least recently used
    assert "a" in cache and "c" in cache and "b" not in cache and len(cache) == 2
    assert made == [1, 2, 3]
    with pytest.raises(ValueError):
        Lru(0)
