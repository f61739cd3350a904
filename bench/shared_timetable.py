"""Open time and memory of N service workers sharing one memory-mapped timetable (issue 14, point 1).

Usage (from the repository root)::

    .venv/bin/python bench/shared_timetable.py [--feed ../shared/data/feeds/nyc_subway.zip] [--workers 1,2,4] [--json FILE]

Each worker is a fresh process doing what a service worker does at start
(``api.state.ServiceState.load``: the timetable from the cache, POIs, the
network, the planner and the place index) and then 20 journeys, so the pages
a worker really uses are in memory.  Three ways of opening the cache entry:

- ``copy``: ``np.load`` without ``mmap_mode`` (each worker reads the arrays
  into private memory: what every worker held before memory mapping);
- ``mmap+digests``: memory-mapped, every array's SHA-256 checked on open
  (which reads every page into the worker);
- ``mmap``: memory-mapped, the entry's verification stamp trusted (no
  digests: only the pages used are read).

For each, the time to open the timetable (``read_entry`` of the cache entry,
in the page cache, the median of 7 opens after a first one in the same
process so that imports are not counted) and, per worker, RSS and PSS from ``/proc/PID/smaps_rollup``
(PSS divides each shared page among the processes mapping it, so the sum of
PSS is the machine's real cost), private memory, and the RSS/PSS of the
timetable's own file mappings from ``/proc/PID/smaps``.  On a machine shared
with other Python processes, total RSS and PSS move with them (the shared
libraries' pages are divided among every process mapping them); private
memory and the timetable's own mappings are the figures to compare.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_FEED = REPO.parent / "shared" / "data" / "feeds" / "nyc_subway.zip"
MODES = ("copy", "mmap+digests", "mmap")


def _patch(mode: str) -> None:
    """Make this process open cache entries the way ``mode`` says."""
    import numpy as np

    import maas.timetable.cache as cache

    if mode == "copy":
        real = np.load
        np.load = lambda file, allow_pickle=False, mmap_mode=None: real(file, allow_pickle=allow_pickle)  # type: ignore[assignment]
    if mode == "mmap+digests":
        cache._stamp_matches = lambda *a, **k: False  # type: ignore[assignment]
        cache._write_stamp = lambda *a, **k: None  # type: ignore[assignment]


def _worker(mode: str, feed: str, cache_dir: str, db: str, ready, done) -> None:  # type: ignore[no-untyped-def]
    """One service worker: open, load like the service, plan 20 journeys, report, wait to be measured."""
    os.environ["MAAS_CACHE_DIR"] = cache_dir
    _patch(mode)
    import datetime as dt
    import random

    from api.settings import Settings
    from api.state import ServiceState
    from maas.routing.planner import JourneyQuery
    from maas.timetable.cache import cache_key, entry_path, read_entry, unique_names

    key = cache_key([Path(feed)], unique_names([Path(feed)]))
    _ = read_entry(entry_path(Path(cache_dir), key), key).n_stops  # imports and first-use costs out of the timing
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        read_entry(entry_path(Path(cache_dir), key), key)
        times.append((time.perf_counter() - t0) * 1000)
    open_ms = statistics.median(times)
    state = ServiceState.load(Settings(feeds=(Path(feed),), pois=None, database_url=f"sqlite:///{db}"))
    tt = state.network.timetable
    first = tt.first_day
    day = dt.date(1970, 1, 1) + dt.timedelta(days=int(first) + 7)
    rng = random.Random(os.getpid() % 7)
    stops = [i for i in range(tt.n_stops) if tt.stop_location_type[i] == 0]
    for _ in range(20):
        a, b = rng.sample(stops, 2)
        q = JourneyQuery(state.places.resolve(tt.stop_ids[a]), state.places.resolve(tt.stop_ids[b]), day, 8 * 3600)
        state.planner.plan(q)
    ready.put((os.getpid(), open_ms))
    done.wait(120)


def _rollup(pid: int) -> dict[str, int]:
    """Return the kB fields of /proc/PID/smaps_rollup."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        out[name.strip()] = int(value.split()[0])
    return out


def _mapped(pid: int, folder: str) -> dict[str, int]:
    """Return RSS and PSS (kB) of this process's mappings of files under ``folder``."""
    rss = pss = 0
    inside = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            inside = len(head) >= 6 and head[5].startswith(folder)
        elif inside and head and head[0] == "Rss:":
            rss += int(head[1])
        elif inside and head and head[0] == "Pss:":
            pss += int(head[1])
    return {"rss": rss, "pss": pss}


def measure(mode: str, n: int, feed: Path, cache_dir: Path, entry: Path) -> dict:
    """Start ``n`` workers opening the timetable the ``mode`` way; return their open times and memory."""
    ctx = mp.get_context("spawn")
    ready, done = ctx.Queue(), ctx.Event()
    with tempfile.TemporaryDirectory() as tmp:
        procs = [ctx.Process(target=_worker, args=(mode, str(feed), str(cache_dir), f"{tmp}/db{i}.sqlite", ready, done)) for i in range(n)]
        for p in procs:
            p.start()
        reports = [ready.get(timeout=300) for _ in procs]
        memory = [{**_rollup(pid), "timetable": _mapped(pid, str(entry))} for pid, _ in reports]
        done.set()
        for p in procs:
            p.join(30)
    mib = lambda kb: round(kb / 1024, 1)  # noqa: E731
    return {
        "mode": mode,
        "workers": n,
        "open_ms": [round(ms, 1) for _, ms in reports],
        "open_ms_median": round(statistics.median(ms for _, ms in reports), 1),
        "rss_mib_per_worker": mib(statistics.mean(m["Rss"] for m in memory)),
        "pss_mib_per_worker": mib(statistics.mean(m["Pss"] for m in memory)),
        "pss_mib_total": mib(sum(m["Pss"] for m in memory)),
        "private_mib_per_worker": mib(statistics.mean(m["Private_Clean"] + m["Private_Dirty"] for m in memory)),
        "timetable_rss_mib_per_worker": mib(statistics.mean(m["timetable"]["rss"] for m in memory)),
        "timetable_pss_mib_total": mib(sum(m["timetable"]["pss"] for m in memory)),
    }


def main() -> None:
    """Run every mode for every worker count; print a Markdown table and optionally write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feed", type=Path, default=DEFAULT_FEED)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not args.feed.exists():
        sys.exit(f"{args.feed}: not found (the shared data)")
    from maas.timetable.cache import cache_key, entry_path, load_timetable, unique_names

    cache_dir = REPO / "bench" / "_work" / "cache"
    load_timetable([args.feed], cache_dir=cache_dir, progress=False)
    entry = entry_path(cache_dir, cache_key([args.feed], unique_names([args.feed])))
    age = time.time() - max(f.stat().st_ctime for f in entry.iterdir())
    if age < 2.5:
        time.sleep(2.5 - age)  # old enough to be stamped (maas.timetable.cache.STAMP_MARGIN_NS)
    load_timetable([args.feed], cache_dir=cache_dir, progress=False)  # a full check that writes the stamp
    size_mib = sum(f.stat().st_size for f in entry.glob("*.npy")) / 2**20
    rows = [measure(mode, int(n), args.feed, cache_dir, entry) for n in args.workers.split(",") for mode in MODES]
    print(
        f"{args.feed.name}: arrays {size_mib:.1f} MiB; {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}"
    )
    print(
        "| mode | workers | open ms (median) | RSS MiB/worker | PSS MiB/worker | PSS MiB total | private MiB/worker | timetable RSS MiB/worker | timetable PSS MiB total |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['mode']} | {r['workers']} | {r['open_ms_median']} | {r['rss_mib_per_worker']} | {r['pss_mib_per_worker']} | {r['pss_mib_total']} | "
            f"{r['private_mib_per_worker']} | {r['timetable_rss_mib_per_worker']} | {r['timetable_pss_mib_total']} |"
        )
    if args.json:
        doc = {"feed": args.feed.name, "arrays_mib": round(size_mib, 2), "date": time.strftime("%Y-%m-%d"), "loadavg": os.getloadavg(), "rows": rows}
        args.json.write_text(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
