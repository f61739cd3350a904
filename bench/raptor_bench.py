"""RAPTOR benchmark (issue 3): latency of earliest-arrival and range queries, and throughput.

Each feed runs in a fresh child process (this file with ``--child``):

1. load the compiled timetable from the benchmark's warm cache (timed);
2. pick the service date: the date on which the most trips run
   (``Timetable.service_runs``; the earliest such date on a tie);
3. draw seeded random queries: origin and destination are different stops
   (location_type 0) served by at least one route that runs on that date,
   departure uniformly in 06:00–20:00;
4. build the day views and walking links (timed, they are per-date /
   per-walk-model one-off costs) and time the first query, which includes
   numba's JIT compilation (or loading it from numba's on-disk cache);
5. warm up, then time, per query:

   - **EA (full)**: ``Planner.plan`` with ``window_s=0`` — the forward RAPTOR
     run, then a backward (latest-departure) run per Pareto round, and the
     journeys with names (what ``maas plan`` does);
   - **forward kernel**: one :func:`maas.routing.raptor.run` from the origin
     with target pruning (state allocated outside the timer);
   - **one-to-all**: ``Planner.arrivals`` (no target pruning);
   - **range 60 min**: ``Planner.plan`` with ``window_s=3600`` (rRAPTOR);
   - **batch**: the whole query set back to back, ``plan`` + ``to_dict`` per
     query, as queries per second;

6. check every answer: journeys leave no earlier than asked, legs follow one
   another in time, rides ≤ max_transfers + 1, the forward kernel's and
   ``arrivals``' earliest arrival equal the plan's, a 60-minute range's
   earliest arrival is never before the EA answer.  Violations are listed with
   their query (a reproducer) in the JSON.

A second child mode (``--child stations``) times station-to-station queries
for the comparison with the peers (see ``peers/``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from util import peak_rss_kb, summary

EA_TARGET_S = 0.005
RANGE_TARGET_S = 0.100
WINDOW_S = 3600
MAX_TRANSFERS = 8
T_MIN, T_MAX = 6 * 3600, 20 * 3600


def _load(paths: list[str], cache_dir: str):
    from maas.network.network import Network
    from maas.routing.planner import Planner
    from maas.timetable.cache import MANIFEST, cache_key, entry_path, load_timetable, unique_names

    key = cache_key(paths, unique_names(paths))
    existed = (entry_path(cache_dir, key) / MANIFEST).is_file()  # an entry: a folder of .npy arrays and manifest.json
    t0 = time.perf_counter()
    tt = load_timetable(paths, cache_dir=cache_dir, use_cache=True, progress=False)
    load_s = time.perf_counter() - t0
    net = Network(tt)
    return tt, net, Planner(net), load_s, existed


def busiest_date(tt) -> tuple[dt.date, int]:
    """Return the date on which the most trips run, and that number."""
    import numpy as np

    from maas.when import day_to_date

    per_service = np.bincount(tt.trip_service, minlength=len(tt.service_ids)).astype(np.int64)
    per_day = per_service @ tt.service_runs.astype(np.int64)
    best = int(np.argmax(per_day))
    return day_to_date(tt.first_day + best), int(per_day[best])


def served_stops(tt, view) -> list[int]:
    """Return the stops (location_type 0) that a route of the day view serves."""
    import numpy as np

    served = np.diff(view.stop_route_off) > 0
    return [int(s) for s in np.flatnonzero(served & (tt.stop_location_type == 0))]


def stop_key(tt, s: int) -> list[str]:
    return [tt.feeds[int(tt.stop_feed[s])].name, tt.stop_ids[s]]


def check_journeys(journeys, t: int, max_rides: int) -> list[str]:
    """Return what looks wrong in a depart-at answer (empty when fine)."""
    bad = []
    for j in journeys:
        if j.departure < t:
            bad.append(f"journey departs {j.departure} before the query time {t}")
        if j.arrival < j.departure:
            bad.append(f"journey arrives {j.arrival} before it departs {j.departure}")
        if j.rides > max_rides:
            bad.append(f"{j.rides} rides > {max_rides}")
        clock = None
        for leg in j.legs:
            if leg.arrival < leg.departure:
                bad.append(f"leg {leg.mode} arrives {leg.arrival} before it departs {leg.departure}")
            if clock is not None and leg.departure < clock:
                bad.append(f"leg {leg.mode} departs {leg.departure} before the previous leg arrives {clock}")
            clock = leg.arrival
    arrivals = [j.arrival for j in journeys]
    if arrivals != sorted(arrivals):
        bad.append("journeys not sorted by arrival")
    return bad


def _child_stops(a) -> dict:
    import numpy as np

    from maas.routing.journeys import stop_place
    from maas.routing.kernel import HAVE_NUMBA, INF
    from maas.routing.params import RoutingParams
    from maas.routing.planner import JourneyQuery
    from maas.routing.raptor import SearchState, run

    tt, net, planner, load_s, existed = _load(a.paths, a.cache_dir)
    date, trips_on_date = busiest_date(tt)
    params = RoutingParams(max_transfers=MAX_TRANSFERS)
    walk = params.walk
    t0 = time.perf_counter()
    view = planner.view(date, None)
    planner.view(date, None, reverse=True)
    view_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fp = planner.footpaths(walk)
    planner.footpaths(walk, reverse=True)
    footpaths_s = time.perf_counter() - t0
    stops = served_stops(tt, view)
    rng = random.Random(a.seed)
    queries = []
    while len(queries) < a.n:
        o, d = rng.choice(stops), rng.choice(stops)
        if o != d:
            queries.append((o, d, rng.randint(T_MIN, T_MAX)))
    places = {s: stop_place(net, s) for q in queries for s in q[:2]}
    n = tt.n_stops
    k_max = MAX_TRANSFERS + 1

    def ea_query(o, d, t, window=0):
        return JourneyQuery(places[o], places[d], date, t, window_s=window, params=params)

    # First query: numba JIT (or its on-disk cache) + first use of everything.
    o, d, t = queries[0]
    t0 = time.perf_counter()
    planner.plan(ea_query(o, d, t))
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    planner.plan(ea_query(o, d, t, WINDOW_S))
    first_range_s = time.perf_counter() - t0
    for o, d, t in queries[:5]:  # warm-up
        planner.plan(ea_query(o, d, t))
        planner.plan(ea_query(o, d, t, WINDOW_S))
        planner.arrivals(places[o], date, t, params)

    per_query = []
    problems = []
    ea_s, kernel_s, arrivals_s, range_s = [], [], [], []
    ea_cpu, range_cpu = [], []  # process CPU seconds: less sensitive to other load on the machine
    for i, (o, d, t) in enumerate(queries):
        q = ea_query(o, d, t)
        c0, t0 = time.process_time(), time.perf_counter()
        journeys = planner.plan(q)
        ea_s.append(time.perf_counter() - t0)
        ea_cpu.append(time.process_time() - c0)
        ea = min((j.arrival for j in journeys), default=None)
        rides = min((j.rides for j in journeys if j.arrival == ea), default=None)

        origin = planner.access(places[o], walk)
        dest = planner.access(places[d], walk, reverse=True)
        egress = dest.seconds_by_stop(n)
        state = SearchState(k_max, n, view.n_routes)
        t0 = time.perf_counter()
        run(view, fp, state, origin.stops, t + origin.seconds, egress, 0)
        kernel_s.append(time.perf_counter() - t0)
        fwd = int(state.target_best[1:].min())  # round 0 is not a journey (walk-only is planned apart)

        t0 = time.perf_counter()
        arr = planner.arrivals(places[o], date, t, params)
        arrivals_s.append(time.perf_counter() - t0)
        one_to_all = int(arr.any[d])

        qr = ea_query(o, d, t, WINDOW_S)
        c0, t0 = time.process_time(), time.perf_counter()
        rj = planner.plan(qr)
        range_s.append(time.perf_counter() - t0)
        range_cpu.append(time.process_time() - c0)
        range_ea = min((j.arrival for j in rj), default=None)

        where = {"query": i, "origin": stop_key(tt, o), "destination": stop_key(tt, d), "date": date.isoformat(), "time": t}
        bad = check_journeys(journeys, t, k_max)
        direct = planner.direct_walk(places[o], places[d], walk)
        walk_only = t + direct if direct is not None else None
        candidates = [x for x in (fwd if fwd < INF else None, walk_only) if x is not None]
        fwd_best = min(candidates) if candidates else None
        if ea != fwd_best:
            bad.append(f"plan's earliest arrival {ea} != forward kernel's {fwd_best}")
        if (ea if ea is not None else int(INF)) != one_to_all:
            bad.append(f"plan's earliest arrival {ea} != arrivals() at the destination {one_to_all if one_to_all < INF else None}")
        if range_ea is not None and ea is not None and range_ea < ea:
            bad.append(f"60-min range finds arrival {range_ea} earlier than the EA answer {ea}")
        for rj_ in rj:
            if rj_.departure < t or (rj_.rides and rj_.departure > t + WINDOW_S):
                bad.append(f"range journey departs {rj_.departure} outside [{t}, {t + WINDOW_S}]")
        if bad:
            problems.append({**where, "problems": sorted(set(bad))})
        per_query.append(
            {
                "origin": stop_key(tt, o),
                "destination": stop_key(tt, d),
                "time": t,
                "ea_arrival": ea,
                "ea_rides": rides,
                "ea_journeys": len(journeys),
                "range_journeys": len(rj),
                "ea_s": ea_s[-1],
                "kernel_s": kernel_s[-1],
                "range_s": range_s[-1],
            }
        )

    t0 = time.perf_counter()
    for o, d, t in queries:
        [j.to_dict() for j in planner.plan(ea_query(o, d, t))]
    batch_s = time.perf_counter() - t0

    answered = sum(q["ea_arrival"] is not None for q in per_query)
    return {
        "numba": HAVE_NUMBA,
        "load_s": load_s,
        "cache_existed": existed,
        "stops": tt.n_stops,
        "trips": tt.n_trips,
        "stop_times": tt.n_stop_times,
        "date": date.isoformat(),
        "trips_on_date": trips_on_date,
        "routes_on_date": view.n_routes,
        "served_stops": len(stops),
        "footpath_links": int(len(fp.targets)),
        "view_build_s": view_s,
        "footpaths_build_s": footpaths_s,
        "first_query_s": first_s,
        "first_range_query_s": first_range_s,
        "n_queries": len(queries),
        "seed": a.seed,
        "answered": answered,
        "mean_journeys_ea": float(np.mean([q["ea_journeys"] for q in per_query])),
        "mean_journeys_range": float(np.mean([q["range_journeys"] for q in per_query])),
        "ea": summary(ea_s),
        "ea_cpu": summary(ea_cpu),
        "kernel": summary(kernel_s),
        "arrivals": summary(arrivals_s),
        "range": summary(range_s),
        "range_cpu": summary(range_cpu),
        "batch": {"n": len(queries), "seconds": batch_s, "queries_per_s": len(queries) / batch_s},
        "problems": problems,
        "queries": per_query,
    }


def _child_stations(a) -> dict:
    """Time station-to-station EA queries (the peers' query set); answer with arrivals and legs."""
    from maas.routing.params import RoutingParams
    from maas.routing.places import Place
    from maas.routing.planner import JourneyQuery

    tt, _net, planner, load_s, _ = _load(a.paths, a.cache_dir)
    spec = json.loads(Path(a.queries).read_text())
    date = dt.date.fromisoformat(spec["date"])
    params = RoutingParams(max_transfers=MAX_TRANSFERS)

    def place(keys: list[list[str]], label: str) -> Place:
        idx = []
        for feed, sid in keys:
            idx += [s for s in tt.stops_with_id(f"{feed}:{sid}") if tt.stop_location_type[s] == 0]
        idx = sorted(set(idx))
        return Place("station", label, tt.stop_names[idx[0]], float(tt.stop_lat[idx[0]]), float(tt.stop_lon[idx[0]]), tuple(idx))

    qs = [JourneyQuery(place(o, "origin"), place(d, "destination"), date, int(t), params=params) for o, d, t in spec["queries"]]
    for q in qs[:5]:
        planner.plan(q)
        planner.plan(dataclasses.replace(q, window_s=WINDOW_S))
    out = []
    for q in qs:
        c0, t0 = time.process_time(), time.perf_counter()
        journeys = planner.plan(q)
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - c0
        best = min(journeys, key=lambda j: (j.arrival, j.rides), default=None)
        legs = []
        if best is not None:
            for leg in best.legs:
                ends = [stop_key(tt, p.stops[0]) if p.kind == "stop" else p.kind for p in (leg.origin, leg.destination)]
                legs.append([leg.mode, *ends, leg.departure, leg.arrival, leg.route, leg.feed, leg.trip_id])
        out.append(
            {
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "arrival": best.arrival if best else None,
                "rides": best.rides if best else None,
                "pareto": [[j.arrival, j.rides] for j in journeys],
                "legs": legs,
            }
        )
    ranges = []
    for q in qs[: int(spec.get("range_n", 0))]:
        qr = dataclasses.replace(q, window_s=int(spec.get("window_s", WINDOW_S)))
        c0, t0 = time.process_time(), time.perf_counter()
        rj = planner.plan(qr)
        ranges.append({"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "journeys": len(rj)})
    return {"load_s": load_s, "queries": out, "range": ranges}


def _child_nojit(a) -> dict:
    """EA latency of some queries with numba made unimportable (the pure-Python kernel)."""
    from maas.routing.journeys import stop_place
    from maas.routing.params import RoutingParams
    from maas.routing.planner import JourneyQuery

    tt, net, planner, _, _ = _load(a.paths, a.cache_dir)
    spec = json.loads(Path(a.queries).read_text())
    date = dt.date.fromisoformat(spec["date"])
    params = RoutingParams(max_transfers=MAX_TRANSFERS)
    walk = params.walk
    planner.view(date, None)
    planner.view(date, None, reverse=True)
    planner.footpaths(walk)
    planner.footpaths(walk, reverse=True)
    times, arrivals = [], []
    for o, d, t in spec["queries"]:
        po = stop_place(net, next(s for s in tt.stops_with_id(f"{o[0]}:{o[1]}") if tt.stop_location_type[s] == 0))
        pd_ = stop_place(net, next(s for s in tt.stops_with_id(f"{d[0]}:{d[1]}") if tt.stop_location_type[s] == 0))
        t0 = time.perf_counter()
        js = planner.plan(JourneyQuery(po, pd_, date, int(t), params=params))
        times.append(time.perf_counter() - t0)
        arrivals.append(min((j.arrival for j in js), default=None))
    from maas.routing.kernel import HAVE_NUMBA

    return {"numba": HAVE_NUMBA, "ea": summary(times), "arrivals": arrivals}


def _child(argv: list[str]) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["stops", "stations", "nojit"])
    p.add_argument("paths", nargs="+")
    p.add_argument("--cache-dir", required=True)
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--queries")
    a = p.parse_args(argv)
    if a.mode == "nojit":
        sys.modules["numba"] = None  # type: ignore[assignment]  # "import numba" now raises ImportError
    out = {"stops": _child_stops, "stations": _child_stations, "nojit": _child_nojit}[a.mode](a)
    out["vmhwm_kb"] = peak_rss_kb()
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
    else:
        sys.exit("run bench/run.py --only raptor")
