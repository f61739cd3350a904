#!/usr/bin/env python3
"""Tour planner speed on the default data (issue 4): one-day and two-day tours over every POI.

Each request considers all default POIs (93) as candidates and includes the
travel-time preparation (hourly one-to-all searches), the orienteering search
(``--time-limit`` seconds, default 2) and the re-timing on the real timetable.
Targets: one day under 5 s, two days under 15 s.  The network is loaded once
(as in the service); each request uses a fresh TourPlanner, so nothing is
reused between requests.

    .venv/bin/python bench/tours.py [--time-limit 2] [--repeat 3]

Writes ``bench/results/tours-<YYYY-MM-DD>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from util import CACHE, RESULTS, machine_info

REQUESTS = {
    "one day from Shin-Yamaguchi (history)": {"start": "Shin-Yamaguchi", "interests": ["history"]},
    "one day from Yamaguchi (nature)": {"start": "Yamaguchi", "interests": ["nature"]},
    "one day from Higashi-Hagi (history)": {"start": "Higashi-Hagi", "interests": ["history"], "until": "17:00"},
    "one day from Ube-Shinkawa (family, nature)": {"start": "Ube-Shinkawa", "interests": ["family", "nature"]},
    "two days from Yamaguchi (history, nature)": {"start": "Yamaguchi", "interests": ["history", "nature"], "days": 2},
    "two days Yamaguchi→Hagi→Tsuwano (08:30–19:00)": {
        "start": ["Yamaguchi", "Hagi"],
        "end": ["Hagi", "Tsuwano"],
        "days": 2,
        "from": "08:30",
        "until": "19:00",
        "interests": ["history", "nature"],
        "must_visit": ["akiyoshido_cave"],
    },
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--time-limit", type=float, default=2.0, help="seconds of orienteering search per request (default 2)")
    p.add_argument("--repeat", type=int, default=3, help="runs per request (default 3)")
    a = p.parse_args()

    from maas.defaults import default_feed_paths, default_pois_path
    from maas.network.network import Network
    from maas.pois import load_pois
    from maas.routing.places import PlaceIndex
    from maas.routing.planner import Planner
    from maas.timetable.cache import load_timetable
    from maas.tours.planner import TourPlanner
    from maas.tours.request import tour_request

    network = Network(load_timetable(default_feed_paths(), cache_dir=CACHE, progress=False), load_pois(default_pois_path()))
    planner, places = Planner(network), PlaceIndex(network)
    TourPlanner(planner, places).plan(tour_request({"start": "Yamaguchi", "date": "2026-12-05"}), time_limit_s=0.5)  # JIT warm-up
    rows = []
    for label, extra in REQUESTS.items():
        req = tour_request({"date": "2026-12-05", "from": "09:00", "until": "18:00"} | extra)
        totals, parts = [], []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            it = TourPlanner(planner, places).plan(req, time_limit_s=a.time_limit)
            totals.append(time.perf_counter() - t0)
            parts.append(it.timings)
        days = req.days
        target = 5.0 if days == 1 else 15.0
        row = {
            "request": label,
            "days": days,
            "candidates": len(network.pois),
            "median_s": round(statistics.median(totals), 2),
            "max_s": round(max(totals), 2),
            "prepare_s": round(statistics.median(p["prepare"] for p in parts), 2),
            "solve_s": round(statistics.median(p["solve"] for p in parts), 2),
            "retime_s": round(statistics.median(p["retime"] for p in parts), 2),
            "visits": len(it.visits),
            "interest": it.interest,
            "target_s": target,
            "met": max(totals) < target,
        }
        rows.append(row)
        print(
            f"{label:<45} {row['median_s']:>6.2f} s (max {row['max_s']:.2f}; prepare {row['prepare_s']}, solve {row['solve_s']}, retime {row['retime_s']})  {row['visits']} visits  target < {target:.0f} s: {'MET' if row['met'] else 'MISSED'}",
            flush=True,
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"tours-{dt.date.today().isoformat()}.json"
    out.write_text(
        json.dumps(
            {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine_info(), "time_limit_s": a.time_limit, "rows": rows},
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
