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
  (the pickled timetable; written first by a separate child).  One child
  loads it ``--load-repeat`` times: the first load in a fresh process and the
  median of all loads are reported, with that child's peak RSS.

Targets (issue 2): the largest shared feed (by stop_times: nyc_subway.zip)
compiles in under 30 s and loads from cache in under 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from util import CACHE, Skip, check, log, peak_rss_kb, run_child, summary  # noqa: E402

COMPILE_TARGET_S = 30.0
LOAD_TARGET_S = 1.0


# --- the children ------------------------------------------------------------------
def _child(argv: list[str]) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["baseline", "compile", "warm", "load"])
    p.add_argument("paths", nargs="*")
    p.add_argument("--cache-dir")
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args(argv)
    from maas.timetable.cache import cache_key, load_timetable, unique_names
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
        file = Path(a.cache_dir) / f"timetable-{key}.pickle"
        existed = file.exists()
        t0 = time.perf_counter()
        load_timetable(a.paths, cache_dir=a.cache_dir, use_cache=True, progress=False)
        out = {"existed": existed, "seconds": time.perf_counter() - t0, "cache_file": str(file), "cache_bytes": file.stat().st_size}
    elif a.mode == "load":
        times = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            tt = load_timetable(a.paths, cache_dir=a.cache_dir, use_cache=True, progress=False)
            times.append(time.perf_counter() - t0)
            del tt
        out = {"loads_s": times}
    out["vmhwm_kb"] = peak_rss_kb()
    print(json.dumps(out))


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
    loads = check(lc, f"loading {label} from the cache")["loads_s"]
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
        "load_peak_rss_kb": lc.maxrss_kb,
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
            "load_ok": max(largest["cache_load_median_s"], largest["cache_load_first_s"]) < LOAD_TARGET_S,
        }
    return {"baseline_rss_kb": base.maxrss_kb, "feeds": results, "skipped": skipped, "targets": targets}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
    else:
        sys.exit("run bench/run.py --only compile")
