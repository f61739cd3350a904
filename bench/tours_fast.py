#!/usr/bin/env python3
"""Tour answers in the warm service (issue 13): time per request and score against a 10 s search, old solver side by side.

For each request of ``bench/tours.py`` plus one-day tours from more starts: the
planner as the service runs it (network loaded, POIs' range searches of the
date already cached, the default search ending on its own patience or the
2 s limit), ``--repeat`` times (median and p95 seconds); the score of the same
request with a 10 s search that never stops early (the reference); and, with
``--before DIR`` (a ``git worktree`` of the previous solver), the same
requests run by that code in a child process.  Score = the tour planner's
objective (POI interest, ×3 when it matches the request's interests).

    .venv/bin/python bench/tours_fast.py [--repeat 7] [--before /tmp/tours-before]

Writes ``bench/results/tours-fast-<YYYY-MM-DD>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tours import REQUESTS
from util import CACHE, RESULTS, machine_info

MORE = {
    "one day from Mine (nature)": {"start": "Mine", "interests": ["nature"]},
    "one day from Hagi (history), Sunday": {"start": "Hagi", "interests": ["history"], "date": "2026-12-06"},
    "one day from Tsuwano (history)": {"start": "Tsuwano", "interests": ["history"]},
}


def score_of(visits, interests) -> int:
    """The planner's objective over visited POIs (same formula as maas.tours.planner._scores)."""
    wanted = set(interests)
    out = 0
    for p in visits:
        s = max(int(p.interest), 1)
        if wanted and wanted & set(p.interests):
            s *= 3
        out += s
    return out


def run_requests(repeat: int, reference: bool) -> list[dict]:
    from maas.defaults import default_feed_paths, default_pois_path
    from maas.network.network import Network
    from maas.pois import load_pois
    from maas.routing.places import PlaceIndex
    from maas.routing.planner import Planner
    from maas.timetable.cache import load_timetable
    from maas.tours.planner import TourPlanner
    from maas.tours.request import tour_request

    network = Network(load_timetable(default_feed_paths(), cache_dir=CACHE, progress=False), load_pois(default_pois_path()))
    tours = TourPlanner(Planner(network), PlaceIndex(network))
    tours.plan(tour_request({"start": "Yamaguchi", "date": "2026-12-05"}), time_limit_s=0.5)  # JIT and caches warm, as in the service
    rows = []
    for label, extra in (REQUESTS | MORE).items():
        req = tour_request({"date": "2026-12-05", "from": "09:00", "until": "18:00"} | extra)
        tours.plan(req, time_limit_s=0.3)  # the date's searches cached (the service warms them per date)
        times, scores = [], []
        for seed in range(repeat):
            t0 = time.perf_counter()
            it = tours.plan(req, time_limit_s=2.0, seed=seed)
            times.append(time.perf_counter() - t0)
            scores.append(score_of([v.poi for v in it.visits], req.interests))
        row = {
            "request": label,
            "days": req.days,
            "median_s": statistics.median(times),
            "p95_s": sorted(times)[max(0, round(0.95 * len(times)) - 1)],
            "max_s": max(times),
            "score_median": statistics.median(scores),
            "score_min": min(scores),
        }
        if reference:
            from maas.tours.timed_search import SearchSettings

            it = tours.plan(req, time_limit_s=10.0, seed=0, settings=SearchSettings(patience=10**9, restart_after=300))
            row["score_10s"] = score_of([v.poi for v in it.visits], req.interests)
        rows.append(row)
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--before", type=Path, help="a worktree of the previous solver (run in a child process)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        print(json.dumps(run_requests(a.repeat, reference=False)))
        return
    info = machine_info()
    load = os.getloadavg()
    rows = run_requests(a.repeat, reference=True)
    before = None
    if a.before:
        env = dict(os.environ, PYTHONPATH=str(a.before))
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--repeat", str(a.repeat)], env=env, capture_output=True, text=True, cwd=a.before, check=True
        )
        before = {r["request"]: r for r in json.loads(out.stdout.strip().splitlines()[-1])}
    print(f"load average at start {load[0]:.1f}; end {os.getloadavg()[0]:.1f}")
    print("| request | days | median s | p95 s | score (median, min) | score 10 s | share | before: median s | before: score |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        b = before.get(r["request"]) if before else None
        share = r["score_min"] / r["score_10s"] if r["score_10s"] else 1.0
        r["share_of_10s"] = share
        print(
            f"| {r['request']} | {r['days']} | {r['median_s']:.2f} | {r['p95_s']:.2f} | {r['score_median']:.0f}, {r['score_min']} | {r['score_10s']} | {share:.1%} | "
            + (f"{b['median_s']:.2f} | {b['score_median']:.0f} |" if b else "– | – |")
        )
    name = RESULTS / f"tours-fast-{dt.date.today().isoformat()}.json"
    name.write_text(json.dumps({"machine": info, "load_start": load, "rows": rows, "before": before}, indent=1))
    print(f"wrote {name}")


if __name__ == "__main__":
    main()
