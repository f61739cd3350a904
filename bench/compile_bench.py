"""Compile benchmark (issue 2): cold compile time, cache load time and peak memory per feed.

Every measurement runs in a fresh child process (this file, run as a script
with ``--child``), so the numbers are independent of one another:

- **cold compile**: ``compile_feeds(load_feeds(paths))`` — read the files,
  check them (the same checks as ``maas validate``) and compile — with no
  cache involved.  Timed inside the child after its imports; reported as the
  median of ``--compile-repeat`` children (the read and check+compile parts
  are reported separately too).
- **peak memory**: the child's own RSS high-water mark (``VmHWM`` of
  ``/proc/self/status``; not ``ru_maxrss``, which Linux carries over fork and
  exec so that a child reports at least its parent's size), the largest over
  the compile children.  A child that only
  imports the same modules gives the baseline (interpreter + numpy + pandas
  + maas); ``compile_delta`` is the difference.
- **cache load**: ``load_timetable(paths, use_cache=True)`` from a warm cache
  (the entry folder of ``.npy`` arrays, memory-mapped, and its JSON manifest;
  written first by a separate child).  One child loads it ``--load-repeat``
  times: the first load in a fresh process and the median of all loads are
  reported (key computation, which hashes the feed files, included), then the
  median of ``read_entry`` alone (the format's own cost: checks, digests,
  mapping, JSON), with that child's peak RSS and its resident memory split
  into private (``RssAnon``) and file-backed (``RssFile``: the mapped arrays,
  shared between processes through the page cache).
- **pickle load, for comparison**: the cache format before 2026-11-30.  A
  child pickles the same timetable into a temporary file; another fresh child
  times what ``load_timetable`` did then (cache key + ``pickle.load``) and
  ``pickle.load`` alone, with the same memory figures.  The file is deleted
  afterwards.

Targets (issue 2): the largest shared feed (by stop_times: nyc_subway.zip)
compiles in under 30 s and loads from cache in under 1 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from util import CACHE, Skip, check, log, peak_rss_kb, run_child, summary

COMPILE_TARGET_S = 30.0
LOAD_TARGET_S = 1.0


# --- the children ------------------------------------------------------------------
def _child(argv: list[str]) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["baseline", "compile", "warm", "load", "pickle-write", "pickle-load"])
    p.add_argument("paths", nargs="*")
    p.add_argument("--cache-dir")
    p.add_argument("--pickle-file")
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args(argv)
    import pickle

    from maas.timetable.cache import cache_key, entry_path, load_timetable, read_entry, unique_names
    from maas.timetable.compile import compile_feeds, load_feeds

    out: dict = {}
    if a.mode == "compile":
        t0 = time.perf_counter()
        feeds = load_feeds(a.paths)
        t1 = time.perf_counter()
        tt = compile_feeds(feeds, progress=False)
        t2 = time.perf_counter()
        out = {
            "read_s": t1 - t0,
            "check_compile_s": t2 - t1,
            "total_s": t2 - t0,
            "stops": tt.n_stops,
            "routes": tt.n_routes,
            "trips": tt.n_trips,
            "patterns": tt.n_patterns,
            "stop_times": tt.n_stop_times,
            "feeds": [f.name for f in tt.feeds],
            "warnings": sum(f.warnings for f in tt.feeds),
        }
    elif a.mode == "warm":
        key = cache_key(a.paths, unique_names(a.paths))
        entry = entry_path(a.cache_dir, key)
        existed = (entry / "manifest.json").exists()
        t0 = time.perf_counter()
        load_timetable(a.paths, cache_dir=a.cache_dir, use_cache=True, progress=False)
        size = sum(f.stat().st_size for f in entry.iterdir())
        out = {"existed": existed, "seconds": time.perf_counter() - t0, "cache_entry": str(entry), "cache_bytes": size}
    elif a.mode == "load":
        key = cache_key(a.paths, unique_names(a.paths))
        times = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            tt = load_timetable(a.paths, cache_dir=a.cache_dir, use_cache=True, progress=False)
            times.append(time.perf_counter() - t0)
            del tt
        reads = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            tt = read_entry(entry_path(a.cache_dir, key), key)
            reads.append(time.perf_counter() - t0)
        out = {"loads_s": times, "reads_s": reads, **_resident_kb()}
    elif a.mode == "pickle-write":
        tt = load_timetable(a.paths, cache_dir=a.cache_dir, use_cache=True, progress=False)
        with open(a.pickle_file, "wb") as fh:
            pickle.dump(tt, fh, protocol=pickle.HIGHEST_PROTOCOL)  # arrays are written as copies of the mapped data
        out = {"pickle_bytes": Path(a.pickle_file).stat().st_size}
    elif a.mode == "pickle-load":
        times, reads = [], []
        for _ in range(a.repeat):  # what load_timetable did before 2026-11-30: the key, then unpickle
            t0 = time.perf_counter()
            cache_key(a.paths, unique_names(a.paths))
            with open(a.pickle_file, "rb") as fh:
                tt = pickle.load(fh)
            times.append(time.perf_counter() - t0)
            del tt
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            with open(a.pickle_file, "rb") as fh:
                tt = pickle.load(fh)
            reads.append(time.perf_counter() - t0)
        out = {"loads_s": times, "reads_s": reads, **_resident_kb()}
    out["vmhwm_kb"] = peak_rss_kb()
    print(json.dumps(out))


def _resident_kb() -> dict[str, int]:
    """Return this process's resident memory now (KiB): total, private (RssAnon) and file-backed (RssFile)."""
    fields = {"VmRSS:": "rss_kb", "RssAnon:": "rss_anon_kb", "RssFile:": "rss_file_kb"}
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            name = line.split(maxsplit=1)[0] if line else ""
            if name in fields:
                out[fields[name]] = int(line.split()[1])
    except OSError:
        pass
    return out


def _cmd(mode: str, paths: list[Path], **opts) -> list[str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, *map(str, paths)]
    for k, v in opts.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    return cmd


# --- the parent -------------------------------------------------------------------
def bench_feed(label: str, paths: list[Path], compile_repeat: int, load_repeat: int, timeout: float) -> dict:
    """Measure one feed (or one set of feeds compiled together)."""
    log(f"  compile: {label} ({compile_repeat} cold compile(s), {load_repeat} cache loads)")
    runs = []
    for _ in range(compile_repeat):
        c = run_child(_cmd("compile", paths), timeout=timeout)
        d = check(c, f"compiling {label}")
        d["child_maxrss_kb"] = c.maxrss_kb
        runs.append(d)
    warm = check(run_child(_cmd("warm", paths, cache_dir=CACHE), timeout=timeout), f"warming the cache of {label}")
    lc = run_child(_cmd("load", paths, cache_dir=CACHE, repeat=load_repeat), timeout=timeout)
    loaded = check(lc, f"loading {label} from the cache")
    loads = loaded["loads_s"]
    old = _pickle_load(label, paths, load_repeat, timeout)
    first = runs[0]
    totals = [r["total_s"] for r in runs]
    return {
        "label": label,
        "paths": [str(p) for p in paths],
        "size_bytes": sum(_size(p) for p in paths),
        "stops": first["stops"],
        "routes": first["routes"],
        "trips": first["trips"],
        "patterns": first["patterns"],
        "stop_times": first["stop_times"],
        "warnings": first["warnings"],
        "compile_runs": runs,
        "compile_s": summary(totals),
        "compile_median_s": statistics.median(totals),
        "read_median_s": statistics.median(r["read_s"] for r in runs),
        "check_compile_median_s": statistics.median(r["check_compile_s"] for r in runs),
        "compile_peak_rss_kb": max(r["child_maxrss_kb"] for r in runs),
        "cache_bytes": warm["cache_bytes"],
        "cache_load_first_s": loads[0],
        "cache_load_median_s": statistics.median(loads),
        "cache_load_s": summary(loads),
        "cache_read_median_s": statistics.median(loaded["reads_s"]),
        "load_peak_rss_kb": lc.maxrss_kb,
        "load_rss_kb": loaded.get("rss_kb"),
        "load_rss_anon_kb": loaded.get("rss_anon_kb"),
        "load_rss_file_kb": loaded.get("rss_file_kb"),
        "pickle": old,
        "pickle_ratio_load_median": statistics.median(loads) / old["load_median_s"],
        "pickle_ratio_read_median": statistics.median(loaded["reads_s"]) / old["read_median_s"],
    }


def _pickle_load(label: str, paths: list[Path], load_repeat: int, timeout: float) -> dict:
    """Measure the former cache format (a pickle of the same timetable) in a fresh child, for comparison."""
    tmp = Path(tempfile.mkdtemp(prefix="pickle-", dir=CACHE.parent))
    try:
        file = tmp / "timetable.pickle"
        written = check(run_child(_cmd("pickle-write", paths, cache_dir=CACHE, pickle_file=file), timeout=timeout), f"pickling {label}")
        c = run_child(_cmd("pickle-load", paths, pickle_file=file, repeat=load_repeat), timeout=timeout)
        d = check(c, f"unpickling {label}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "pickle_bytes": written["pickle_bytes"],
        "load_first_s": d["loads_s"][0],
        "load_median_s": statistics.median(d["loads_s"]),
        "read_median_s": statistics.median(d["reads_s"]),
        "load_peak_rss_kb": c.maxrss_kb,
        "load_rss_kb": d.get("rss_kb"),
        "load_rss_anon_kb": d.get("rss_anon_kb"),
        "load_rss_file_kb": d.get("rss_file_kb"),
    }


def _size(p: Path) -> int:
    return p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def run(feeds: list[tuple[str, list[Path]]], quick: bool, timeout: float = 900.0) -> dict:
    """Run the compile benchmark over ``(label, paths)`` pairs; return the JSON section."""
    CACHE.mkdir(parents=True, exist_ok=True)
    base = run_child(_cmd("baseline", []), timeout=timeout)
    check(base, "the baseline child")
    results, skipped = [], []
    for label, paths in feeds:
        try:
            results.append(bench_feed(label, paths, 1 if quick else 3, 3 if quick else 7, timeout))
        except (Skip, RuntimeError) as e:
            log(f"  compile: {label} skipped: {e}")
            skipped.append({"label": label, "reason": str(e)})
    for r in results:
        r["compile_delta_rss_kb"] = r["compile_peak_rss_kb"] - base.maxrss_kb
    largest = max((r for r in results if r["label"] != "default"), key=lambda r: r["stop_times"], default=None)
    targets = None
    if largest:
        targets = {
            "feed": largest["label"],
            "compile_target_s": COMPILE_TARGET_S,
            "compile_median_s": largest["compile_median_s"],
            "compile_ok": largest["compile_median_s"] < COMPILE_TARGET_S,
            "load_target_s": LOAD_TARGET_S,
            "cache_load_median_s": largest["cache_load_median_s"],
            "cache_load_first_s": largest["cache_load_first_s"],
            "pickle_load_median_s": largest["pickle"]["load_median_s"],
            "load_ok": max(largest["cache_load_median_s"], largest["cache_load_first_s"]) < LOAD_TARGET_S,
        }
    return {"baseline_rss_kb": base.maxrss_kb, "feeds": results, "skipped": skipped, "targets": targets}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
    else:
        sys.exit("run bench/run.py --only compile")
