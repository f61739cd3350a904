"""The on-disk cache of compiled timetables: keyed by content, reused, rebuilt when damaged, never holding errors.

An entry is a folder of ``.npy`` arrays and JSON (see maas.timetable.cache): it
must round-trip every field exactly, load memory-mapped and read-only, and
never run code, whatever a writer of the cache folder puts there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pytest

import maas.timetable.cache as cache_mod
from maas.defaults import default_feed_paths
from maas.errors import FeedError
from maas.timetable.cache import cache_key, default_cache_dir, entry_path, load_timetable, read_entry, unique_names
from maas.timetable.model import Timetable

ST = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,07:00:00,07:00:00,A,1\nT1,07:10:00,07:11:00,B,2\nT1,07:20:00,07:20:00,C,3\n"
    "T2,08:00:00,08:00:00,A,1\nT2,08:10:00,08:11:00,B,2\nT2,08:20:00,08:20:00,C,3\n"
)


def assert_same_value(a: object, b: object, where: str = "Timetable") -> None:
    """Assert ``a`` and ``b`` are the same value of the same type, recursively.

    Arrays: dtype, shape and values (NaN equal to NaN); dataclasses: every
    compared field; lists, tuples and dicts: element by element, in order.
    """
    assert type(a) is type(b) or (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)), f"{where}: {type(a)} vs {type(b)}"
    if isinstance(a, np.ndarray):
        assert (a.dtype, a.shape) == (b.dtype, b.shape), f"{where}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}"
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), f"{where}: values differ"
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            if f.compare:
                assert_same_value(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), f"{where}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_value(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys differ"
        for k in a:
            assert_same_value(k, next(key for key in b if key == k), f"{where} key {k!r}")
            assert_same_value(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, float) and a != a:
        assert b != b, f"{where}: NaN vs {b!r}"
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def assert_same_timetable(a: Timetable, b: Timetable) -> None:
    """Assert two timetables are equal field by field (arrays by value and dtype, everything else by type and value)."""
    assert type(a) is type(b) is Timetable
    assert_same_value(a, b)


def is_memory_mapped(array: np.ndarray) -> bool:
    """Whether ``array`` is a view of a memory-mapped file."""
    base = array
    while base is not None:
        if isinstance(base, np.memmap):
            return True
        base = getattr(base, "base", None)
    return False


@pytest.fixture
def feed(make_feed) -> Path:
    """A small valid feed folder (two trips A-B-C)."""
    return make_feed("bus", stop_times=ST)


@pytest.fixture
def compiles(monkeypatch) -> dict:
    """Count calls of compile_feeds made by the cache; set ``fail`` to make further calls fail."""
    state = {"calls": 0, "fail": False}
    real = cache_mod.compile_feeds

    def counted(*args, **kwargs):
        state["calls"] += 1
        if state["fail"]:
            raise AssertionError("compile_feeds called although the cache should have answered")
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_mod, "compile_feeds", counted)
    return state


def _entries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _in_memory(tt: Timetable) -> Timetable:
    """A copy of ``tt`` whose arrays are in memory, not mapped from an entry that the test then damages in place."""
    return dataclasses.replace(tt, **{f.name: np.array(getattr(tt, f.name)) for f in dataclasses.fields(tt) if isinstance(getattr(tt, f.name), np.ndarray)})


def _entry(directory: Path) -> Path:
    """The one entry folder in ``directory``."""
    (entry,) = [p for p in directory.iterdir() if p.name.startswith("timetable-")]
    return entry


def test_second_load_comes_from_the_cache(feed, tmp_path, compiles):
    """The second load of unchanged feeds returns an equal timetable without compiling."""
    cache = tmp_path / "cache"
    first = load_timetable([feed], cache_dir=cache, progress=False)
    assert compiles["calls"] == 1
    key = cache_key([feed], ["bus"])
    assert _entries(cache) == [f"timetable-{key}"]
    compiles["fail"] = True
    second = load_timetable([feed], cache_dir=cache, progress=False)
    assert compiles["calls"] == 1
    assert_same_timetable(first, second)
    assert second.stops_with_id("bus:A") == first.stops_with_id("bus:A") == [0]


def test_one_changed_byte_changes_the_key_and_recompiles(feed, tmp_path, compiles):
    """Changing one byte of one feed file gives another key, and the next load compiles the new content."""
    cache = tmp_path / "cache"
    before = cache_key([feed], ["bus"])
    old = load_timetable([feed], cache_dir=cache, progress=False)
    stops = feed / "stops.txt"
    stops.write_bytes(stops.read_bytes().replace(b"Ajisu", b"Ajisv"))
    after = cache_key([feed], ["bus"])
    assert after != before
    new = load_timetable([feed], cache_dir=cache, progress=False)
    assert compiles["calls"] == 2
    assert (old.stop_names[0], new.stop_names[0]) == ("Ajisu", "Ajisv")
    assert _entries(cache) == sorted([f"timetable-{before}", f"timetable-{after}"])


def test_key_depends_on_names_content_and_compiler_version(feed, make_feed, monkeypatch):
    """The key changes with the feed names and the compiler version, not with the folder's location."""
    twin = make_feed("bus", where=feed.parent / "elsewhere", stop_times=ST)
    assert cache_key([feed], ["bus"]) == cache_key([twin], ["bus"])
    assert cache_key([feed], ["bus"]) != cache_key([feed], ["rail"])
    assert cache_key([feed, twin], ["bus", "bus-2"]) != cache_key([feed], ["bus"])
    before = cache_key([feed], ["bus"])
    monkeypatch.setattr(cache_mod, "COMPILER_VERSION", cache_mod.COMPILER_VERSION + 1)
    assert cache_key([feed], ["bus"]) != before


def test_unique_names_follow_load_order(tmp_path):
    """Feeds with the same folder name are named bus, bus-2, ... in the cache key as when compiling."""
    assert unique_names([tmp_path / "a" / "bus", tmp_path / "b" / "bus.zip", tmp_path / "jr"]) == ["bus", "bus-2", "jr"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "missing"])
@pytest.mark.parametrize("file", ["manifest.json", "data.json", "stop_time_arr.npy", "service_runs.npy"])
def test_damaged_cache_file_is_rebuilt(file, damage, feed, tmp_path, compiles):
    """A cache entry with a damaged or missing file is compiled again and rewritten, then served from the cache."""
    cache = tmp_path / "cache"
    good = _in_memory(load_timetable([feed], cache_dir=cache, progress=False))
    target = _entry(cache) / file
    data = target.read_bytes()
    if damage == "missing":
        target.unlink()
    else:
        target.write_bytes({"garbage": b"not an entry at all", "truncated": data[: len(data) // 2], "empty": b""}[damage])
    rebuilt = load_timetable([feed], cache_dir=cache, progress=False)
    assert compiles["calls"] == 2
    assert_same_timetable(good, rebuilt)
    assert_same_timetable(good, read_entry(_entry(cache), cache_key([feed], ["bus"])))
    compiles["fail"] = True
    assert_same_timetable(good, load_timetable([feed], cache_dir=cache, progress=False))


def test_feed_with_errors_is_never_cached(make_feed, tmp_path, compiles):
    """A feed with errors raises FeedError on every load and leaves the cache folder empty."""
    broken = make_feed("broken", stop_times=ST.replace("T2,08:10:00,08:11:00,B", "T2,08:10:00,08:05:00,B"))
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(FeedError, match="time"):
            load_timetable([broken], cache_dir=cache, progress=False)
    assert compiles["calls"] == 2
    assert _entries(cache) == []


def test_use_cache_false_neither_reads_nor_writes(feed, tmp_path, compiles):
    """use_cache=False compiles every time and writes nothing."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, use_cache=False, progress=False)
    load_timetable([feed], cache_dir=cache, use_cache=False, progress=False)
    assert compiles["calls"] == 2
    assert _entries(cache) == []


def test_cache_write_leaves_no_temporary_files(feed, tmp_path):
    """After a write the cache folder holds only the entry (the write is atomic via a renamed temp file)."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    assert [n for n in _entries(cache) if not n.startswith("timetable-")] == []


def test_unwritable_cache_still_answers(feed, tmp_path):
    """When the cache folder cannot be created (a file is in the way), the timetable is still returned."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    tt = load_timetable([feed], cache_dir=blocker / "cache", progress=False)
    assert tt.n_trips == 2
    assert blocker.read_text() == "a file, not a folder"


def test_default_cache_dir_from_environment(monkeypatch, tmp_path):
    """MAAS_CACHE_DIR wins, then XDG_CACHE_HOME/maas, then ~/.cache/maas."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(tmp_path / "m"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_cache_dir() == tmp_path / "m"
    monkeypatch.delenv("MAAS_CACHE_DIR")
    assert default_cache_dir() == tmp_path / "x" / "maas"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "maas"


def test_load_without_cache_dir_uses_maas_cache_dir(feed, tmp_path, monkeypatch):
    """load_timetable without cache_dir writes to $MAAS_CACHE_DIR."""
    monkeypatch.setenv("MAAS_CACHE_DIR", str(tmp_path / "env-cache"))
    load_timetable([feed], progress=False)
    assert _entries(tmp_path / "env-cache") == [f"timetable-{cache_key([feed], ['bus'])}"]


def test_maas_info_uses_the_cache(feed, run_cli, compiles, tmp_path):
    """Two `maas info` runs compile once; the second answers the same summary from the cache."""
    first = run_cli("info", feed, "--json")
    assert first.exit_code == 0, first.output
    compiles["fail"] = True
    second = run_cli("info", feed, "--json")
    assert second.exit_code == 0, second.output
    assert compiles["calls"] == 1
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert json.loads(second.stdout)["trips"] == 2
    assert len(_entries(tmp_path / "cli-cache")) == 1


def test_maas_info_no_cache_recompiles(feed, run_cli, compiles):
    """`maas info --no-cache` compiles even when a cache entry exists."""
    assert run_cli("info", feed).exit_code == 0
    assert run_cli("info", feed, "--no-cache").exit_code == 0
    assert compiles["calls"] == 2
