"""Keep compiled timetables on disk as plain arrays, keyed by the exact bytes of their feeds.

The key is a SHA-256 over each feed's content digest, its short name and the
compiler version, so any change to a feed file recompiles and an unchanged set
loads in a few milliseconds.

An entry is one folder, ``timetable-<key>/``, and nothing in it can run code
when loaded (a pickle could: whoever can write to the cache folder could make
every later run execute theirs):

- ``<field>.npy`` for each numpy array of :class:`Timetable`, opened with
  ``np.load(allow_pickle=False, mmap_mode="r")``: memory-mapped and read-only,
  so processes that load the same entry share one copy in the page cache;
- ``data.json``: every other field (id and name lists, ``{lang: name}`` dicts,
  zone fares, :class:`FeedSummary` records), written and read by the field's
  type annotation so that the round trip is exact (tuples stay tuples; a
  tuple-keyed dict is stored as columns, one per key part and one of values,
  each as its distinct values and a code per item);
- ``manifest.json``: the format version, compiler version and key, the
  SHA-256 of ``data.json``, and each array's dtype, shape, file size and
  SHA-256 (of the array's bytes as mapped, so what is checked is what is used).

Nothing in the folder is trusted.  A load checks the versions, the key, every
digest, dtype and shape (damage of any kind), then the sizes and index ranges
of the arrays (so that even a forged, self-consistent entry cannot send the
compiled routing kernels outside an array); on any mismatch or error the
timetable is compiled again and the entry replaced.  Entries are written into
a temporary folder that is renamed into place, so a crash never leaves a
half-written entry under the entry's name; a replaced entry is renamed aside
before it is deleted, so processes still mapping its files keep them.
Pickle files of earlier versions (``timetable-<key>.pickle``) are never
opened; the one with the key being written is deleted.  Each mapped array
holds a file descriptor while the timetable is alive (about 35 a timetable).

Hashing every array reads every page of the entry into each process that
opens it, so a load after the first trusts a **verification stamp** instead:
``verified.json``, written after a load that checked every digest, records
each file's size, inode, device, modification and change times (ns).  A
later load whose files all still match skips the array digests (everything
else is checked as always: versions, key, ``data.json``'s digest, dtypes,
shapes, sizes, plain files, index ranges), so service and batch workers open
the entry in milliseconds and map only the pages they use.  Any write to a
file changes its change time (which no one but the kernel can set) and a
replaced file has a new inode: a stamp never vouches for a file changed
after it was written.  File times are coarse (a clock tick), so a file
changed within :data:`STAMP_MARGIN_NS` before the stamp would be written is
not stamped (git's "racily clean" rule): its next load checks it in full.
What a stamp does not catch is damage without a write (bit rot on the
disk); whoever fears it deletes the stamps (or the cache) to have every
digest checked again.  A stamp is no more trusted than the manifest: whoever
can write the folder could forge either, and what keeps a forged entry
harmless is the rest (no pickle, index ranges), checked on every load.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from maas.feeds.problems import Problem
from maas.feeds.reader import feed_digest, feed_from_files, feed_name_for, files_digest
from maas.timetable.compile import COMPILER_VERSION, compile_feeds, feed_area, load_feeds
from maas.timetable.model import Timetable

#: Version of the folder layout below; any other value in a manifest is rebuilt.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
DATA = "data.json"
#: The verification stamp of an entry (see the module docstring).
STAMP = "verified.json"
#: A file changed less than this before a stamp is written is left out of it (file times are coarse).
STAMP_MARGIN_NS = 2_000_000_000
#: Leftover temporary folders (a crash while writing) older than this are removed on the next write.
STALE_SECONDS = 3600.0


class CacheEntryError(ValueError):
    """A cache entry that must not be used: damaged, stale or inconsistent."""


def default_cache_dir() -> Path:
    """Return ``$MAAS_CACHE_DIR``, else ``$XDG_CACHE_HOME/maas``, else ``~/.cache/maas``."""
    if os.environ.get("MAAS_CACHE_DIR"):
        return Path(os.environ["MAAS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "maas"


def unique_names(paths: Sequence[str | Path]) -> list[str]:
    """Return each feed's short name, made unique in load order (``bus``, ``bus-2``)."""
    names, used = [], set()
    for p in paths:
        base = feed_name_for(Path(p))
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        names.append(name)
    return names


def cache_key(paths: Sequence[str | Path], names: Sequence[str]) -> str:
    """Return the cache key of a set of feeds (content, names, catalog areas, compiler version)."""
    return _key((name, feed_digest(path), path) for path, name in zip(paths, names))


def feed_files_key(name: str, files: Mapping[str, bytes]) -> str:
    """Return the cache key of one feed given as its files' bytes: :func:`cache_key` of a folder of those files, outside any catalog."""
    return _key([(name, files_digest(files), None)])


def _key(feeds: Iterable[tuple[str, str, str | Path | None]]) -> str:
    """Hash (name, content digest, path: its catalog area) of each feed with the compiler version."""
    h = hashlib.sha256(f"maas-timetable-v{COMPILER_VERSION}".encode())
    for name, digest, path in feeds:
        h.update(name.encode() + b"\0" + digest.encode() + b"\0")
        area = feed_area(path) if path is not None else None
        if area is not None:  # the catalog's area changes what is compiled
            h.update(f"area{area}".encode() + b"\0")
    return h.hexdigest()[:32]


def entry_path(cache_dir: str | Path, key: str) -> Path:
    """Return the folder of the cache entry with ``key`` in ``cache_dir``."""
    return Path(cache_dir) / f"timetable-{key}"


def load_timetable(
    paths: Sequence[str | Path],
    names: Sequence[str] | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool | None = None,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> Timetable:
    """Return the compiled timetable of feed folders or zips, from the on-disk cache when possible.

    The cache key covers each feed's bytes, its short name, its catalog area
    and the compiler version, so an unchanged set loads in milliseconds and
    any change compiles again.  With the cache, the returned arrays are
    read-only memory maps of the entry (also right after compiling, when the
    entry could be written), shared between processes.

    Parameters
    ----------
    paths
        GTFS / GTFS-JP folders or zip files, in load order.
    names
        The feeds' short names (default: from the paths, made unique).
    cache_dir
        The cache folder (default ``MAAS_CACHE_DIR``, else
        ``$XDG_CACHE_HOME/maas``, else ``~/.cache/maas``).
    use_cache
        False compiles and returns without reading or writing the cache.
    progress
        Show a progress bar while compiling (default: when stderr is a terminal).
    on_problems
        Called with each feed's problems (warnings included) when compiling.

    Returns
    -------
    Timetable
        The feeds flattened into arrays (see :class:`~maas.timetable.model.Timetable`).

    Raises
    ------
    FeedError
        A feed cannot be read or has errors (``problems`` lists them; nothing
        is cached then).
    InputError
        No feed is given (field ``feed``).
    """
    names = list(names) if names else unique_names(paths)
    return _cached(cache_key(paths, names), cache_dir, use_cache, lambda: compile_feeds(load_feeds(paths, names), progress=progress, on_problems=on_problems))


def load_feed_files(name: str, files: Mapping[str, bytes], cache_dir: str | Path | None = None, use_cache: bool = True) -> Timetable:
    """Return the compiled timetable of one feed made in memory (``{"stops.txt": b"..."}``), from the cache when possible.

    The entry is the one :func:`load_timetable` uses for a folder of the same
    files under the same name (:func:`feed_files_key`); the files are parsed
    only when it has to be compiled.
    """
    return _cached(feed_files_key(name, files), cache_dir, use_cache, lambda: compile_feeds([feed_from_files(files, name, f"<memory>/{name}")], progress=False))


def _cached(key: str, cache_dir: str | Path | None, use_cache: bool, compile_: Callable[[], Timetable]) -> Timetable:
    """Return the entry ``key`` of the cache, or compile and store it (see :func:`load_timetable`)."""
    directory = Path(cache_dir) if cache_dir else default_cache_dir()
    folder = entry_path(directory, key)
    if use_cache:
        try:
            return read_entry(folder, key)
        except Exception:  # noqa: BLE001, S110 - whatever is wrong with the entry, compiling again answers
            pass
    timetable = compile_()
    if use_cache and _write_entry(folder, key, timetable):
        try:
            return read_entry(folder, key)
        except Exception:  # noqa: BLE001, S110 - e.g. replaced meanwhile by another process: use what we compiled
            pass
    return timetable


# --- reading ------------------------------------------------------------------------


def read_entry(folder: Path, key: str) -> Timetable:
    """Return the timetable stored in ``folder``; raise when it is not a sound entry for ``key``.

    Raises :class:`CacheEntryError` on a version, key, digest, dtype, shape,
    size or index mismatch, and whatever reading the files raises (OSError,
    ValueError, ...) when they are missing or damaged.
    """
    files = [MANIFEST, DATA, *(f"{name}.npy" for name in _field_kinds()[0])]
    seen = _file_stats(folder, files)  # before reading: a change after this point cannot be stamped as checked
    stamped = seen is not None and _stamp_matches(folder, key, seen)
    manifest = json.loads(_read_regular_file(folder / MANIFEST))
    _check_header(manifest, key)
    data_bytes = _read_regular_file(folder / DATA)
    _expect(_sha256(data_bytes) == manifest["data_sha256"], f"{DATA}: digest mismatch")
    hints = _hints(Timetable)
    arrays, others = _field_kinds()
    with _collector_paused():
        data = json.loads(data_bytes)
        _expect(set(manifest["arrays"]) == set(arrays) and set(data) == set(others), "fields differ from Timetable's")
        values: dict[str, Any] = {name: _decode(data[name], hints[name]) for name in others}
    for name in arrays:
        values[name] = _read_array(folder / f"{name}.npy", manifest["arrays"][name], verify=not stamped)
    timetable = Timetable(**values)
    check_structure(timetable)
    if not stamped and seen is not None:
        _write_stamp(folder, key, seen)
    return timetable


#: The wall clock file times are compared with (a name of its own so tests can move it on).
_clock_ns = time.time_ns


def _file_stats(folder: Path, files: Sequence[str]) -> dict[str, list[int]] | None:
    """Return each file's ``[size, inode, device, mtime_ns, ctime_ns]``; None when one is missing."""
    try:
        return {name: _stat_record(os.lstat(folder / name)) for name in files}
    except OSError:
        return None


def _stat_record(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_ino, info.st_dev, info.st_mtime_ns, info.st_ctime_ns]


def _stamp_matches(folder: Path, key: str, seen: dict[str, list[int]]) -> bool:
    """Whether ``folder``'s stamp is for ``key`` and vouches for every file exactly as ``seen`` now."""
    try:
        stamp = json.loads(_read_regular_file(folder / STAMP))
    except (OSError, ValueError, CacheEntryError):
        return False
    return isinstance(stamp, dict) and stamp.get("key") == key and stamp.get("files") == seen


def _write_stamp(folder: Path, key: str, seen: dict[str, list[int]]) -> None:
    """Record that every file was checked in full as ``seen``, unless one changed too recently to tell (best effort)."""
    limit = _clock_ns() - STAMP_MARGIN_NS
    if any(max(record[3], record[4]) >= limit for record in seen.values()):
        return  # changed within the margin: a later change could keep the same coarse times
    tmp = folder / f".{STAMP}.{uuid.uuid4().hex}"
    try:
        tmp.write_text(json.dumps({"key": key, "files": seen}))
        os.replace(tmp, folder / STAMP)
    except OSError:  # a read-only cache: every load checks in full
        _unlink_quietly(tmp)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that form no cycles.

    Zone fares are hundreds of thousands of tuples in dicts: every allocation
    would count towards a collection that finds nothing (a third of the time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_header(manifest: Any, key: str) -> None:  # parsed JSON, checked here
    _expect(isinstance(manifest, dict), "manifest is not an object")
    _expect(manifest.get("format") == FORMAT_VERSION, f"format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
    _expect(manifest.get("compiler") == COMPILER_VERSION, f"compiler {manifest.get('compiler')!r}, expected {COMPILER_VERSION}")
    _expect(manifest.get("key") == key, "written for another key")


def _read_array(file: Path, expected: dict[str, Any], verify: bool = True) -> np.ndarray:
    """Memory-map one array (read-only, never unpickled) and check it against its manifest record.

    ``verify`` False skips the digest (the file is vouched for by the entry's stamp), so the
    mapping's pages are read only when used.
    """
    _expect(_regular_file_size(file) == expected["bytes"], f"{file.name}: size mismatch")
    array: np.ndarray = np.load(file, allow_pickle=False, mmap_mode="r")
    _expect(isinstance(array, np.ndarray), f"{file.name}: not a single array")
    _expect(array.dtype.kind in "biuf" and array.dtype.isnative, f"{file.name}: dtype {array.dtype} not a native number type")
    _expect(array.dtype.str == expected["dtype"] and list(array.shape) == expected["shape"], f"{file.name}: dtype or shape mismatch")
    _expect(not verify or _array_sha256(array) == expected["sha256"], f"{file.name}: digest mismatch")
    # A plain ndarray view of the mapping (it keeps the map open): results of arithmetic on
    # it are ordinary arrays rather than np.memmap instances pointing nowhere.
    return array.view(np.ndarray)


def _regular_file_size(file: Path) -> int:
    """Return the size of ``file``, which must be a plain file: not a link, and not a FIFO or device whose reading could block."""
    info = os.lstat(file)
    _expect(stat.S_ISREG(info.st_mode), f"{file.name}: not a plain file")
    return info.st_size


def _read_regular_file(file: Path) -> bytes:
    _regular_file_size(file)
    return file.read_bytes()


def _array_sha256(array: np.ndarray) -> str:
    """Return the SHA-256 of an array's bytes in its memory order, without copying them."""
    contiguous = array if array.flags.c_contiguous else array.T  # np.load gives C or Fortran order
    return _sha256(np.ascontiguousarray(contiguous).data.cast("B"))


def _sha256(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise CacheEntryError(message)


# --- checking what was read -----------------------------------------------------------

#: Field-name prefixes and the count that the length of such a field must equal.
_LENGTH_BY_PREFIX = (
    ("stop_time_", "stop_times"),
    ("stop_", "stops"),
    ("route_", "routes"),
    ("trip_", "trips"),
    ("service_", "services"),
    ("transfer_", "transfers"),
)
#: Pattern, shape, headsign and short-name fields and the count their length must equal.
_PATTERN_LENGTHS = {
    "headsign_texts": "headsigns",
    "headsign_names_i18n": "headsigns",
    "short_names_i18n": "short_names",
    "shape_ids": "shapes",
    "shape_offsets": "shapes+1",
    "shape_lon": "shape_points",
    "shape_lat": "shape_points",
    "shape_dist": "shape_points",
    "pattern_route": "patterns",
    "pattern_stop_offsets": "patterns+1",
    "pattern_trip_offsets": "patterns+1",
    "pattern_stops": "pattern_stops",
    "pattern_pickup": "pattern_stops",
    "pattern_dropoff": "pattern_stops",
    "pattern_trips": "trips",
}
#: Index fields: the count they index into, and their smallest allowed value.
_INDEX_RANGES = {
    "stop_feed": ("feeds", 0),
    "route_feed": ("feeds", 0),
    "service_feed": ("feeds", 0),
    "stop_parent": ("stops", -1),
    "trip_route": ("routes", 0),
    "trip_service": ("services", 0),
    "trip_pattern": ("patterns", 0),
    "trip_shape": ("shapes", -1),
    "trip_headsign_index": ("headsigns", -1),
    "stop_time_headsign": ("headsigns", -1),
    "trip_short_name_index": ("short_names", -1),
    "pattern_route": ("routes", 0),
    "pattern_stops": ("stops", 0),
    "pattern_trips": ("trips", 0),
    "transfer_from": ("stops", 0),
    "transfer_to": ("stops", 0),
}


def check_structure(tt: Timetable) -> None:
    """Raise :class:`CacheEntryError` unless the sizes agree and every index is inside its array.

    The routing kernels are compiled without bounds checks, so an entry is
    checked as untrusted input before use: per-stop, per-route, per-trip,
    per-service and per-transfer fields have one item each; CSR offsets run
    from 0 to their values' length without decreasing; index fields point at
    existing items; each trip's times lie inside the stop-time arrays.
    """
    counts = {
        "feeds": len(tt.feeds),
        "stops": tt.n_stops,
        "routes": tt.n_routes,
        "trips": tt.n_trips,
        "patterns": tt.n_patterns,
        "patterns+1": tt.n_patterns + 1,
        "pattern_stops": len(tt.pattern_stops),
        "services": len(tt.service_ids),
        "transfers": len(tt.transfer_from),
        "stop_times": tt.n_stop_times,
        "shapes": len(tt.shape_ids),
        "shapes+1": len(tt.shape_ids) + 1,
        "shape_points": len(tt.shape_lon),
        "headsigns": len(tt.headsign_texts),
        "short_names": len(tt.short_names_i18n),
    }
    for f in dataclasses.fields(Timetable):
        count = _PATTERN_LENGTHS.get(f.name) or next((c for p, c in _LENGTH_BY_PREFIX if f.name.startswith(p)), None)
        if count is not None and f.compare:
            _expect(len(getattr(tt, f.name)) == counts[count], f"{f.name}: length is not the number of {count}")
    _expect(tt.service_runs.ndim == 2, "service_runs is not a table")
    for name, (count, low) in _INDEX_RANGES.items():
        _check_range(name, getattr(tt, name), low, counts[count] - 1)
    _check_offsets("pattern_stop_offsets", tt.pattern_stop_offsets, len(tt.pattern_stops))
    _check_offsets("pattern_trip_offsets", tt.pattern_trip_offsets, tt.n_trips)
    _check_offsets("shape_offsets", tt.shape_offsets, len(tt.shape_lon))
    n_stops_of_trip = np.diff(tt.pattern_stop_offsets)[tt.trip_pattern]
    _check_range("trip_time_offset", tt.trip_time_offset, 0, tt.n_stop_times)
    _check_range("trip_time_offset", tt.trip_time_offset + n_stops_of_trip, 0, tt.n_stop_times)


def _check_range(name: str, values: np.ndarray, low: int, high: int) -> None:
    _expect(values.dtype.kind in "iu", f"{name}: not integers")
    _expect(len(values) == 0 or (int(values.min()) >= low and int(values.max()) <= high), f"{name}: index out of range")


def _check_offsets(name: str, offsets: np.ndarray, end: int) -> None:
    _expect(offsets.dtype.kind in "iu" and offsets[0] == 0 and offsets[-1] == end, f"{name}: does not run from 0 to {end}")
    _expect(bool((np.diff(offsets) >= 0).all()), f"{name}: decreases")


# --- writing ------------------------------------------------------------------------


def write_entry(folder: Path, key: str, timetable: Timetable) -> None:
    """Write ``timetable`` into the new folder ``folder`` (arrays, data, then the manifest)."""
    arrays, others = _field_kinds()
    hints = _hints(Timetable)
    folder.mkdir()
    records = {}
    for name in arrays:
        value = getattr(timetable, name)
        if not isinstance(value, np.ndarray):
            raise TypeError(f"Timetable.{name} is {type(value).__name__}, not an ndarray")
        np.save(folder / f"{name}.npy", value, allow_pickle=False)
        written = np.load(folder / f"{name}.npy", allow_pickle=False, mmap_mode="r")
        records[name] = {
            "dtype": written.dtype.str,
            "shape": list(written.shape),
            "bytes": (folder / f"{name}.npy").stat().st_size,
            "sha256": _array_sha256(written),
        }
        del written
    data = json.dumps({name: _encode(getattr(timetable, name), hints[name]) for name in others}, ensure_ascii=False).encode()
    (folder / DATA).write_bytes(data)
    manifest = {"format": FORMAT_VERSION, "compiler": COMPILER_VERSION, "key": key, "data_sha256": _sha256(data), "arrays": records}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1))
    for file in folder.iterdir():
        file.chmod(0o444)  # other processes map these files: they are replaced, never written again


def _write_entry(folder: Path, key: str, timetable: Timetable) -> bool:
    """Write the entry atomically (temporary folder, then rename); return whether it is in place.

    A read-only or full disk must not stop planning: on OSError the entry is
    simply not written.
    """
    directory = folder.parent
    tmp: Path | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _sweep_leftovers(directory)
        tmp = Path(tempfile.mkdtemp(dir=directory, prefix=f".tmp-{folder.name}-"))
        write_entry(tmp / "entry", key, timetable)
        _move_into_place(tmp / "entry", folder)
        _unlink_quietly(directory / f"{folder.name}.pickle")  # the same key's pickle, never opened
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _move_into_place(new: Path, folder: Path) -> None:
    """Rename ``new`` to ``folder``; an existing (damaged or stale) entry is renamed aside first, then deleted."""
    try:
        os.rename(new, folder)
        return
    except OSError:
        if not folder.exists():
            raise
    aside = folder.with_name(f".old-{folder.name}-{uuid.uuid4().hex}")
    os.rename(folder, aside)
    try:
        os.rename(new, folder)  # fails only if another process put its entry there meanwhile: keep that one
    except OSError:
        pass
    _remove_quietly(aside)


def _sweep_leftovers(directory: Path) -> None:
    """Delete temporary and set-aside folders that a crashed writer left behind (older than STALE_SECONDS)."""
    limit = time.time() - STALE_SECONDS
    for pattern in (".tmp-timetable-*", ".old-timetable-*"):
        for path in directory.glob(pattern):
            try:
                if path.lstat().st_mtime < limit:
                    _remove_quietly(path)
            except OSError:
                pass


def _remove_quietly(path: Path) -> None:
    """Delete a folder with its files, or a file or link (whatever was found under an entry's name)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        _unlink_quietly(path)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


# --- fields and their JSON form ----------------------------------------------------------


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.cache
def _field_kinds() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the Timetable fields stored as ``.npy`` arrays and those stored in ``data.json``.

    Fields with ``compare=False`` are derived caches (``_stop_lookup``) and are not stored.
    """
    hints = _hints(Timetable)
    stored = [f.name for f in dataclasses.fields(Timetable) if f.compare]
    arrays = tuple(n for n in stored if hints[n] is np.ndarray)
    return arrays, tuple(n for n in stored if hints[n] is not np.ndarray)


def _encode(value: Any, hint: Any) -> Any:
    """Return ``value`` (of type ``hint``) as JSON-ready data that :func:`_decode` turns back into it."""
    if _is_json_native(hint):
        return value
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        field_hints = _hints(hint)
        return {f.name: _encode(getattr(value, f.name), field_hints[f.name]) for f in dataclasses.fields(hint)}
    if origin in (typing.Union, types.UnionType):
        return None if value is None else _encode(value, _non_none(args))
    if origin is list:
        return [_encode(v, args[0]) for v in value]
    if origin is tuple:
        return [_encode(v, a) for v, a in zip(value, args, strict=True)]
    if origin is dict:  # tuple keys: one column per part of the key, and the values (fast to parse and rebuild)
        arity = _tuple_key_arity(args)
        columns = [list(c) for c in zip(*value)] if value else [[] for _ in range(arity)]
        return {"keys": [_categorical(c) for c in columns], "values": _categorical(list(value.values()))}
    raise TypeError(f"no JSON form for {hint!r}")


def _decode(data: Any, hint: Any) -> Any:
    """Return the value of type ``hint`` that :func:`_encode` wrote as ``data``."""
    if _is_json_native(hint):
        return data
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        field_hints = _hints(hint)
        return hint(**{name: _decode(v, field_hints[name]) for name, v in data.items()})
    if origin in (typing.Union, types.UnionType):
        return None if data is None else _decode(data, _non_none(args))
    if origin is list:
        return [_decode(v, args[0]) for v in data]
    if origin is tuple:
        return tuple(_decode(v, a) for v, a in zip(data, args, strict=True))
    if origin is dict:
        _expect(len(data["keys"]) == _tuple_key_arity(args), "key columns do not match the key type")
        keys = zip(*[_uncategorical(c) for c in data["keys"]], strict=True)
        return dict(zip(keys, _uncategorical(data["values"]), strict=True))
    raise TypeError(f"no JSON form for {hint!r}")


@functools.cache
def _is_json_native(hint: Any) -> bool:
    """Whether values of type ``hint`` come back from JSON unchanged (so need no conversion)."""
    if hint in (str, int, float, bool, type(None)):
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        return _is_json_native(args[0])
    if origin is dict:
        return args[0] is str and _is_json_native(args[1])
    if origin in (typing.Union, types.UnionType):
        return all(_is_json_native(a) for a in args)
    return False


def _categorical(column: list[Any]) -> dict[str, list[Any]]:
    """Return a column as its distinct values and, per item, the position of its value among them.

    Zone ids and fares repeat across thousands of zone pairs: small integers
    parse faster than the strings and floats, and the decoded dicts share one
    object per distinct value.
    """
    distinct = list(dict.fromkeys(column))
    position = {v: i for i, v in enumerate(distinct)}
    return {"distinct": distinct, "codes": [position[v] for v in column]}


def _uncategorical(data: dict[str, list[Any]]) -> list[Any]:
    """Return the column that :func:`_categorical` wrote as ``data``."""
    distinct = data["distinct"]
    return [distinct[i] for i in data["codes"]]


def _tuple_key_arity(args: tuple[Any, ...]) -> int:
    """Return the length of a ``dict[tuple[...], V]``'s keys; TypeError for other non-string keys or values that need conversion."""
    key, value = args
    parts = typing.get_args(key)
    if typing.get_origin(key) is not tuple or Ellipsis in parts or not all(_is_json_native(a) for a in (*parts, value)):
        raise TypeError(f"no JSON form for dict[{key!r}, {value!r}]")
    return len(parts)


def _non_none(args: tuple[Any, ...]) -> Any:
    (hint,) = [a for a in args if a is not type(None)]
    return hint
