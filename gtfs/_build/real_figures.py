"""Figures for gtfs/README.md: how much of the default data is real.

Usage (from the repository root, with the project's environment):

    .venv/bin/python gtfs/_build/real_figures.py [--weekday 2026-12-01] [--saturday 2026-12-05] [--sunday 2026-12-06]

Compiles the default data exactly as maas loads it (catalog order and the
catalog's ``area`` filter; no cache is written) and prints, as Markdown:

- trips per day by feed and kind (official / modeled / trial) on a weekday, a
  Saturday and a Sunday: a trip counts on a date when its service runs that
  service day;
- how many POIs of pois/pois.geojson lie within 800 m (great-circle, maas.geo)
  of a stop with real service, i.e. a stop of an official feed at which at
  least one of its compiled trips calls, and the same for any stop, for
  comparison.

Unlike the feed builders this script needs maas itself (it reuses maas.geo and
the compiler), not only the standard library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from maas.defaults import default_feed_paths, default_pois_path  # noqa: E402
from maas.feeds.catalog import entry_for_feed  # noqa: E402
from maas.geo import haversine_m  # noqa: E402
from maas.pois import load_pois  # noqa: E402
from maas.timetable.cache import load_timetable  # noqa: E402

RADIUS_M = 800.0


def trips_per_day(tt, dates: dict[str, dt.date], kinds: list[str]) -> list[str]:
    names = tt.feed_names()
    trip_feed = tt.route_feed[tt.trip_route]
    rows = ["| feed | kind | " + " | ".join(f"{label} {d.isoformat()}" for label, d in dates.items()) + " |", "|---|---|" + "---:|" * len(dates)]
    totals = {k: Counter() for k in ("official", "modeled", "trial")}
    for f, name in enumerate(names):
        counts = []
        for label, d in dates.items():
            n = int(np.count_nonzero(tt.services_on(d)[tt.trip_service] & (trip_feed == f)))
            counts.append(n)
            totals.setdefault(kinds[f], Counter())[label] += n
        rows.append(f"| `{name}` | {kinds[f]} | " + " | ".join(f"{n:,}" for n in counts) + " |")
    for kind, per_day in totals.items():
        if per_day:
            rows.append(f"| **all {kind}** | | " + " | ".join(f"**{per_day[label]:,}**" for label in dates) + " |")
    return rows


def pois_near(tt, pois, stops: np.ndarray) -> tuple[int, Counter]:
    """Return how many POIs lie within RADIUS_M of any of ``stops``, and how many per municipality."""
    lat, lon = tt.stop_lat[stops], tt.stop_lon[stops]
    near = Counter()
    n = 0
    for p in pois:
        if len(stops) and float(np.min(haversine_m(p.lat, p.lon, lat, lon))) <= RADIUS_M:
            n += 1
            near[p.municipality] += 1
    return n, near


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weekday", type=dt.date.fromisoformat, default=dt.date(2026, 12, 1))
    ap.add_argument("--saturday", type=dt.date.fromisoformat, default=dt.date(2026, 12, 5))
    ap.add_argument("--sunday", type=dt.date.fromisoformat, default=dt.date(2026, 12, 6))
    a = ap.parse_args(argv)
    paths = default_feed_paths()
    tt = load_timetable(paths, use_cache=False, progress=False)
    kinds = []
    for path in paths:
        entry = entry_for_feed(path)
        kinds.append(entry.kind if entry else "unknown")
    dates = {"weekday": a.weekday, "Saturday": a.saturday, "Sunday": a.sunday}
    print(f"Default data: {', '.join(f'{n} ({k})' for n, k in zip(tt.feed_names(), kinds, strict=False))}\n")
    print("Trips per day:\n")
    print("\n".join(trips_per_day(tt, dates, kinds)))

    official = [f for f, k in enumerate(kinds) if k == "official"]
    called = np.zeros(tt.n_stops, bool)
    trip_feed = tt.route_feed[tt.trip_route]
    for p in np.unique(tt.trip_pattern[np.isin(trip_feed, official)]):
        called[tt.pattern_stop_list(int(p))] = True
    real = np.flatnonzero(called)
    everything = np.flatnonzero(tt.stop_location_type == 0)
    pois = load_pois(default_pois_path())
    n_real, by_town = pois_near(tt, pois, real)
    n_all, _ = pois_near(tt, pois, everything)
    print(
        f"\nPOIs within {RADIUS_M:.0f} m of a stop with real service ({len(real)} stops of "
        f"{', '.join(tt.feed_names()[f] for f in official)} called at by its trips): "
        f"**{n_real} of {len(pois)}**"
    )
    print("by municipality: " + ", ".join(f"{m} {n}" for m, n in sorted(by_town.items(), key=lambda x: (-x[1], x[0]))))
    print(f"POIs within {RADIUS_M:.0f} m of any stop (all feeds, {len(everything)} stops): {n_all} of {len(pois)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
