"""The on-disk cache of compiled timetables: keyed by content, reused, rebuilt when damaged, never holding errors.

An entry is a folder of ``.npy`` arrays and JSON (see maas.timetable.cache): it
must round-trip every field exactly, load memory-mapped and read-only, and
never run code, whatever a writer of the cache folder puts there.
"""

from __future__ import annotations

import dataclasses
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
from maas.timetable.cache import CacheEntryError, cache_key, default_cache_dir, entry_path, load_timetable, read_entry, unique_names
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


def _rewrite(path: Path, data: bytes) -> None:
    """Overwrite a cache file (entries are written read-only)."""
    if path.exists():
        path.chmod(0o644)
    path.write_bytes(data)


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
        _rewrite(target, {"garbage": b"not an entry at all", "truncated": data[: len(data) // 2], "empty": b""}[damage])
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


# --- the format: exact round trip, memory-mapped, read-only ---------------------------------------


def _round_trip(tmp_path: Path, paths: list[Path]) -> tuple[Timetable, Timetable]:
    """Compile ``paths`` without the cache, then load them through a fresh cache twice; return (compiled, loaded)."""
    compiled = load_timetable(paths, cache_dir=tmp_path / "cache", use_cache=False, progress=False)
    load_timetable(paths, cache_dir=tmp_path / "cache", progress=False)  # compiles and writes the entry
    key = cache_key(paths, unique_names(paths))
    assert (entry_path(tmp_path / "cache", key) / "manifest.json").is_file()
    return compiled, load_timetable(paths, cache_dir=tmp_path / "cache", progress=False)


def _assert_exact_memory_mapped_copy(compiled: Timetable, loaded: Timetable) -> None:
    assert_same_timetable(compiled, loaded)
    for f in dataclasses.fields(Timetable):
        value = getattr(loaded, f.name)
        if isinstance(value, np.ndarray):
            assert type(value) is np.ndarray, f.name  # a plain view, not an np.memmap
            assert is_memory_mapped(value) and not value.flags.writeable, f.name
            with pytest.raises(ValueError, match="read-only"):
                value[...] = 0 if value.size else value[...]


def test_default_data_round_trips_exactly(tmp_path):
    """The default data (jr + bus + techno-shuttle) loads back from its entry equal in every field, memory-mapped and read-only."""
    paths = default_feed_paths()
    if not paths:
        pytest.skip("the default data (gtfs/) is absent")
    compiled, loaded = _round_trip(tmp_path, paths)
    assert any(loaded.stop_names_i18n) and loaded.n_trips > 0
    _assert_exact_memory_mapped_copy(compiled, loaded)


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["jp_donanbus", "jp_mlit_sample_rinkobus"])
def test_shared_feed_round_trips_exactly(name, shared_feeds_dir, tmp_path):
    """A real GTFS-JP feed (zone fares with (origin, destination) keys, translations, agency_jp, office_jp) round-trips exactly."""
    compiled, loaded = _round_trip(tmp_path, [shared_feeds_dir / f"{name}.zip"])
    assert any(loaded.route_zone_fares) and loaded.feeds[0].agencies_official
    pair = next(iter(next(z for z in loaded.route_zone_fares if z)))
    assert type(pair) is tuple
    _assert_exact_memory_mapped_copy(compiled, loaded)


def test_routing_works_on_the_memory_mapped_timetable(tmp_path):
    """Journeys and one-to-all arrivals on the read-only mapped timetable equal those on the compiled one in memory."""
    from maas.network.network import Network
    from maas.routing.journeys import stop_place
    from maas.routing.params import RoutingParams
    from maas.routing.planner import JourneyQuery, Planner
    from maas.when import day_to_date

    paths = default_feed_paths()
    if not paths:
        pytest.skip("the default data (gtfs/) is absent")
    compiled, loaded = _round_trip(tmp_path, paths)
    p = int(np.argmax(np.diff(loaded.pattern_stop_offsets)))  # the longest pattern
    trip = int(loaded.pattern_trips[loaded.pattern_trip_offsets[p]])
    date = day_to_date(loaded.first_day + int(np.argmax(loaded.service_runs[loaded.trip_service[trip]])))
    stops = loaded.pattern_stop_list(p)
    depart = max(0, int(loaded.trip_times(trip)[1][0]) - 600)
    answers = []
    for tt in (compiled, loaded):
        net = Network(tt)
        planner = Planner(net)
        origin, destination = stop_place(net, int(stops[0])), stop_place(net, int(stops[-1]))
        journeys = planner.plan(JourneyQuery(origin, destination, date, depart))
        back = planner.plan(JourneyQuery(origin, destination, date, depart + 4 * 3600, arrive_by=True))
        reach = planner.arrivals(origin, date, depart, RoutingParams())
        answers.append(([j.to_dict() for j in journeys + back], reach.any.tolist()))
    assert answers[0][0], "no journey found: the test chose a bad query"
    assert answers[0] == answers[1]


# --- nothing in the folder is trusted -----------------------------------------------------------


class _Payload:
    """Unpickling this object opens (creates) the marker file: the proof that a pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_the_payload_is_armed(tmp_path):
    """Control: unpickling the payload does create its marker, so the tests below prove something."""
    marker = tmp_path / "control-marker"
    pickle.loads(pickle.dumps(_Payload(marker)))
    assert marker.exists()


@pytest.mark.parametrize("where", ["old pickle file", "entry replaced by a pickle", "manifest.json", "data.json", "stop_time_arr.npy"])
def test_crafted_pickle_is_never_executed(where, feed, tmp_path, compiles):
    """A pickle that runs code when loaded, wherever it is put in the cache folder, never runs; the timetable is rebuilt."""
    cache = tmp_path / "cache"
    marker = tmp_path / "pwned"
    key = cache_key([feed], ["bus"])
    evil = pickle.dumps(_Payload(marker))
    cache.mkdir()
    expected_compiles = 1
    if where == "old pickle file":
        (cache / f"timetable-{key}.pickle").write_bytes(evil)
    elif where == "entry replaced by a pickle":
        entry_path(cache, key).write_bytes(evil)
    else:
        load_timetable([feed], cache_dir=cache, progress=False)
        expected_compiles = 2
        target = entry_path(cache, key) / where
        if where.endswith(".npy"):
            target.chmod(0o644)
            np.save(target, np.array([_Payload(marker)], dtype=object), allow_pickle=True)
        else:
            _rewrite(target, evil)
    tt = load_timetable([feed], cache_dir=cache, progress=False)
    assert not marker.exists()
    assert compiles["calls"] == expected_compiles and tt.n_trips == 2
    assert _entries(cache) == [f"timetable-{key}"]  # the old pickle of this key is deleted, unopened
    compiles["fail"] = True
    assert load_timetable([feed], cache_dir=cache, progress=False).n_trips == 2
    assert not marker.exists()


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


def _retype_header(data: bytes) -> bytes:
    assert b"'<i4'" in data
    return data.replace(b"'<i4'", b"'<f4'", 1)  # same length: only the header's dtype changes


@pytest.mark.parametrize(
    "change",
    {
        "one value changed": _flip_last_byte,
        "truncated": lambda data: data[:-4],
        "bytes appended": lambda data: data + b"\0\0\0\0",
        "header dtype changed": _retype_header,
        "header only": lambda data: data[:128],
    }.items(),
    ids=lambda item: item[0],
)
def test_modified_array_file_is_detected_and_rebuilt(change, feed, tmp_path, compiles):
    """Any change to an array file (a value, its length, its header) is caught by the digest, size or dtype check and rebuilt."""
    cache = tmp_path / "cache"
    good = _in_memory(load_timetable([feed], cache_dir=cache, progress=False))
    target = _entry(cache) / "stop_time_dep.npy"
    _rewrite(target, change[1](target.read_bytes()))
    with pytest.raises(CacheEntryError, match=r"stop_time_dep\.npy: (digest|size|dtype or shape) mismatch"):
        read_entry(_entry(cache), cache_key([feed], ["bus"]))
    assert_same_timetable(good, load_timetable([feed], cache_dir=cache, progress=False))
    assert compiles["calls"] == 2


def test_modified_data_json_is_detected_and_rebuilt(feed, tmp_path, compiles):
    """A valid JSON with one stop renamed does not match the digest in the manifest: rebuilt."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    target = _entry(cache) / "data.json"
    _rewrite(target, target.read_bytes().replace(b'"Ajisu"', b'"Evil!"'))
    assert load_timetable([feed], cache_dir=cache, progress=False).stop_names[0] == "Ajisu"
    assert compiles["calls"] == 2


@pytest.mark.parametrize(
    "field, value",
    [("format", 0), ("format", cache_mod.FORMAT_VERSION + 1), ("format", None), ("compiler", cache_mod.COMPILER_VERSION - 1), ("key", "0" * 32)],
)
def test_manifest_with_wrong_version_or_key_is_rebuilt(field, value, feed, tmp_path, compiles):
    """An entry of another format version, compiler version or key is never used: it is compiled again and replaced."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    manifest = _entry(cache) / "manifest.json"
    content = json.loads(manifest.read_bytes())
    content[field] = value
    _rewrite(manifest, json.dumps(content).encode())
    assert load_timetable([feed], cache_dir=cache, progress=False).n_trips == 2
    assert compiles["calls"] == 2
    assert json.loads(manifest.read_bytes())[field] != value
    compiles["fail"] = True
    load_timetable([feed], cache_dir=cache, progress=False)


def _forged(tt: Timetable, damage: str) -> Timetable:
    """Return ``tt`` with one structural lie, written as a self-consistent entry would be."""
    out_of_range = {
        "pattern_stops": lambda a: np.r_[a[:-1], tt.n_stops].astype(a.dtype),
        "stop_parent": lambda a: np.full_like(a, -2),
        "trip_pattern": lambda a: np.full_like(a, tt.n_patterns),
        "transfer_from": lambda a: a,
        "pattern_trip_offsets": lambda a: np.r_[a[:-1], a[-1] + 1].astype(a.dtype),
        "trip_time_offset": lambda a: a + tt.n_stop_times,
        "stop_lat": lambda a: np.r_[a, a[:1]],
        "trip_route": lambda a: a.astype(np.float64),
        "stop_time_headsign": lambda a: np.full_like(a, len(tt.headsign_texts)),
        "trip_headsign_index": lambda a: np.full_like(a, -2),
        "headsign_names_i18n": lambda a: [*a, {}],
        "trip_short_name_index": lambda a: np.full_like(a, len(tt.short_names_i18n)),
    }
    if damage == "transfer_from":
        return dataclasses.replace(
            tt, transfer_from=np.array([tt.n_stops], np.int32), transfer_to=np.array([0], np.int32), transfer_seconds=np.array([60], np.int32)
        )
    if damage == "stop_ids":
        return dataclasses.replace(tt, stop_ids=tt.stop_ids[:-1])
    return dataclasses.replace(tt, **{damage: out_of_range[damage](getattr(tt, damage))})


@pytest.mark.parametrize(
    "damage",
    [
        "pattern_stops",
        "stop_parent",
        "trip_pattern",
        "transfer_from",
        "pattern_trip_offsets",
        "trip_time_offset",
        "stop_lat",
        "trip_route",
        "stop_ids",
        "stop_time_headsign",
        "trip_headsign_index",
        "headsign_names_i18n",
        "trip_short_name_index",
    ],
)
def test_forged_entry_with_out_of_range_indices_is_rebuilt(damage, feed, tmp_path, compiles):
    """A self-consistent entry (right versions, key and digests) whose indices or sizes lie is rejected before any routing sees it."""
    cache = tmp_path / "cache"
    key = cache_key([feed], ["bus"])
    good = load_timetable([feed], cache_dir=cache, use_cache=False, progress=False)
    cache.mkdir()
    cache_mod.write_entry(entry_path(cache, key), key, _forged(good, damage))
    with pytest.raises(cache_mod.CacheEntryError):
        read_entry(entry_path(cache, key), key)
    assert_same_timetable(good, load_timetable([feed], cache_dir=cache, progress=False))
    assert compiles["calls"] == 2


# --- atomic writes, leftovers, read-only and full folders ---------------------------------------


def test_half_written_entry_is_never_loaded(feed, tmp_path, compiles):
    """An entry folder without its manifest, and a temporary folder left by a crashed writer, are never loaded; old leftovers are swept."""
    cache = tmp_path / "cache"
    key = cache_key([feed], ["bus"])
    good = load_timetable([feed], cache_dir=cache, use_cache=False, progress=False)
    cache.mkdir()
    leftover = cache / f".tmp-timetable-{key}-crashed"
    leftover.mkdir()
    cache_mod.write_entry(leftover / "entry", key, good)
    (leftover / "entry" / "manifest.json").unlink()
    old = time.time() - 2 * cache_mod.STALE_SECONDS
    os.utime(leftover, (old, old))
    cache_mod.write_entry(entry_path(cache, key), key, good)
    (entry_path(cache, key) / "manifest.json").unlink()
    assert_same_timetable(good, load_timetable([feed], cache_dir=cache, progress=False))
    assert compiles["calls"] == 2  # the in-memory compile above, then the rebuild
    assert _entries(cache) == [f"timetable-{key}"]


def test_recent_temporary_folders_of_other_writers_are_left_alone(feed, tmp_path):
    """A temporary folder younger than STALE_SECONDS may be another process writing: it is not removed."""
    cache = tmp_path / "cache"
    busy = cache / ".tmp-timetable-0123-busy"
    busy.mkdir(parents=True)
    load_timetable([feed], cache_dir=cache, progress=False)
    assert busy.is_dir()


def test_full_disk_still_answers_and_leaves_nothing(feed, tmp_path, monkeypatch):
    """When writing fails (disk full), the compiled timetable is returned and no partial entry or temporary folder remains."""
    cache = tmp_path / "cache"

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_mod.np, "save", full)
    assert load_timetable([feed], cache_dir=cache, progress=False).n_trips == 2
    assert _entries(cache) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_cache_folder_still_answers(feed, tmp_path, compiles):
    """A read-only cache folder: an existing entry is used, a missing one compiled without writing."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    other = feed.parent / "other"
    other.mkdir()
    for f in feed.iterdir():
        (other / f.name).write_bytes(f.read_bytes().replace(b"Ajisu", b"Ajisv"))
    cache.chmod(0o555)
    try:
        assert load_timetable([feed], cache_dir=cache, progress=False).n_trips == 2
        assert compiles["calls"] == 1
        assert load_timetable([other], names=["bus"], cache_dir=cache, progress=False).stop_names[0] == "Ajisv"
        assert compiles["calls"] == 2
    finally:
        cache.chmod(0o755)
    assert len(_entries(cache)) == 1


def test_read_only_mounted_cache_folder_still_answers(feed, tmp_path, monkeypatch, compiles):
    """Even as root (where chmod does not stop writes), a folder that refuses new files still gives the timetable."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(cache_mod.tempfile, "mkdtemp", read_only)
    compiles["fail"] = True
    assert load_timetable([feed], cache_dir=cache, progress=False).n_trips == 2
    compiles["fail"] = False
    assert load_timetable([feed], cache_dir=tmp_path / "other-cache", progress=False).n_trips == 2
    assert _entries(tmp_path / "other-cache") == []


@pytest.mark.parametrize("file", ["manifest.json", "data.json", "stop_time_arr.npy"])
@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_entry_files_must_be_plain_files(file, kind, feed, tmp_path, compiles):
    """A FIFO (whose reading would block for ever) or a link in place of an entry file is refused at once: rebuilt."""
    import signal

    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    target = _entry(cache) / file
    copy = tmp_path / f"copy-of-{file}"
    copy.write_bytes(target.read_bytes())
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(copy)

    def hung(*args):
        raise TimeoutError("load_timetable blocked on an entry file")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        assert load_timetable([feed], cache_dir=cache, progress=False).n_trips == 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert compiles["calls"] == 2
    assert (_entry(cache) / file).is_file() and not (_entry(cache) / file).is_symlink()
