#!/usr/bin/env python3
"""maas benchmarks: feed compilation, RAPTOR journey planning, and peer planners.

Run through the project's one entry point (it sets up .venv first):

    python3 dev.py bench             # the full run (about 12-20 minutes)
    python3 dev.py bench --quick     # a smoke run (about a minute once the peers are installed)
    python3 dev.py bench --only raptor

Benchmarks:

  compile  for the default data (gtfs/) and every feed in ../shared/data/feeds:
           cold compile time (read + check + compile, no cache), cache load time
           and peak memory, each in a fresh child process.
           Targets (issue 2): largest shared feed compiles < 30 s, loads from cache < 1 s.
  raptor   seeded random queries on the default data, nyc_subway and hart_tampa:
           median / p95 latency of earliest-arrival queries (full Planner.plan and
           the raw forward kernel), of 60-minute range queries, and batch throughput.
           Targets (issue 3): median EA < 5 ms, 60-min range < 100 ms on the largest feed.
  peers    the same queries (lifted to stations) through pyraptor 1.3.10 and the npm
           package raptor-journey-planner, installed automatically into bench/_work;
           reports time ratios and compares the earliest arrivals.  Target (issue 3):
           maas at least 50x faster than pyraptor.

Results: a table on stdout and a JSON file bench/results/<name>-<YYYY-MM-DD>.json.
bench/RESULTS.md is written by hand from those files; this script never touches it.
Parts that need ../shared/data or a tool that is missing are skipped with a message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from util import CACHE, DEFAULT_SHARED, RESULTS, ROOT, Skip, check, log, machine_info, mib, ms, run_child, sec, table

PARTS = ("compile", "raptor", "peers")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="dev.py bench",
        description=__doc__.split("\n\n", 1)[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--quick", action="store_true", help="smoke run: fewer feeds, queries and repetitions")
    p.add_argument("--only", action="append", choices=PARTS, metavar="PART", help="run only this part: compile, raptor or peers (repeatable)")
    p.add_argument("--queries", type=int, metavar="N", help="random queries per feed (default 200; --quick 40)")
    p.add_argument("--seed", type=int, metavar="N", default=1, help="random seed of the queries (default 1)")
    p.add_argument(
        "--raptor-feeds",
        metavar="LIST",
        help="comma-separated feeds for the RAPTOR benchmark: 'default' and/or shared feed names "
        "(default: default,nyc_subway,hart_tampa; --quick: default,nyc_subway)",
    )
    p.add_argument("--peer-feeds", metavar="LIST", help="feeds for the peer comparison (default: same as --raptor-feeds; --quick: default)")
    p.add_argument(
        "--compile-feeds", metavar="LIST", help="feeds for the compile benchmark (default: default and every shared feed; --quick: default,caltrain,nyc_subway)"
    )
    p.add_argument("--pyraptor-queries", type=int, metavar="N", help="queries per feed run through pyraptor (default 20; --quick 5); it is slow")
    p.add_argument("--npm-queries", type=int, metavar="N", help="queries per feed run through raptor-journey-planner (default: all; --quick 40)")
    p.add_argument(
        "--npm-range-queries", type=int, metavar="N", default=20, help="60-minute range queries timed on raptor-journey-planner and maas (default 20)"
    )
    p.add_argument("--no-pyraptor", action="store_true", help="leave pyraptor out of the peers")
    p.add_argument("--no-npm", action="store_true", help="leave raptor-journey-planner out of the peers")
    p.add_argument("--no-jit-queries", type=int, metavar="N", help="EA queries also timed without numba (pure-Python kernel; default 10, --quick 3; 0 skips)")
    p.add_argument("--fresh-peers", action="store_true", help="redo pyraptor's (minutes-long) preprocessing even when a prepared copy of the same input exists")
    p.add_argument("--shared-data", type=Path, metavar="DIR", default=DEFAULT_SHARED, help=f"the shared data folder (default {DEFAULT_SHARED})")
    p.add_argument("--name", metavar="NAME", help="results file name prefix (default 'full' or 'quick', with the parts when --only is used)")
    p.add_argument("--no-save", action="store_true", help="print the tables only; write no JSON file")
    a = p.parse_args(argv)
    a.parts = tuple(a.only) if a.only else PARTS
    q = a.quick
    a.queries = a.queries or (40 if q else 200)
    a.raptor_feeds = _split(a.raptor_feeds or ("default,nyc_subway" if q else "default,nyc_subway,hart_tampa"))
    a.peer_feeds = _split(a.peer_feeds or ("default" if q else ",".join(a.raptor_feeds)))
    a.compile_feeds = _split(a.compile_feeds or ("default,caltrain,nyc_subway" if q else "default,all"))
    a.pyraptor_queries = a.pyraptor_queries if a.pyraptor_queries is not None else (5 if q else 20)
    a.npm_queries = a.npm_queries if a.npm_queries is not None else (40 if q else a.queries)
    a.no_jit_queries = a.no_jit_queries if a.no_jit_queries is not None else (3 if q else 10)
    if not a.name:
        a.name = ("quick" if q else "full") + ("" if a.parts == PARTS else "-" + "-".join(a.parts))
    return a


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


# --- which feeds ---------------------------------------------------------------------
def resolve_feeds(names: list[str], shared: Path, skipped: list[dict], part: str) -> list[tuple[str, list[Path]]]:
    """Turn feed names into ``(label, paths)``; note (and skip) those that are not here."""
    from maas.defaults import data_root, default_feed_paths

    feeds_dir = shared / "feeds"
    out = []
    for name in names:
        if name == "default":
            paths = default_feed_paths()
            if paths:
                out.append(("default", paths))
            else:
                _skip(skipped, part, "default", f"the default data (gtfs/jr, gtfs/bus, gtfs/techno-shuttle) is not there (yet) under {data_root() / 'gtfs'}")
        elif name == "all":
            if feeds_dir.is_dir():
                out += [(p.stem, [p]) for p in sorted(feeds_dir.glob("*.zip"))]
            else:
                _skip(skipped, part, "shared feeds", f"shared data not found: {feeds_dir} (the ../shared/data folder beside the repository)")
        else:
            path = feeds_dir / f"{name}.zip"
            if path.exists():
                out.append((name, [path]))
            else:
                _skip(skipped, part, name, f"shared feed not found: {path} (needs ../shared/data)")
    return out


def _skip(skipped: list[dict], part: str, what: str, reason: str) -> None:
    log(f"SKIPPED {part} / {what}: {reason}")
    skipped.append({"part": part, "what": what, "reason": reason})


# --- the parts ---------------------------------------------------------------------------
def part_compile(a, skipped: list[dict]) -> dict | None:
    import compile_bench

    feeds = resolve_feeds(a.compile_feeds, a.shared_data, skipped, "compile")
    if not feeds:
        return None
    log(f"compile benchmark: {len(feeds)} feed set(s)")
    res = compile_bench.run(feeds, a.quick)
    for s in res["skipped"]:
        _skip(skipped, "compile", s["label"], s["reason"])
    rows = [
        [
            r["label"],
            f"{r['stop_times']:,}",
            sec(r["compile_median_s"]),
            sec(r["read_median_s"]),
            sec(r["check_compile_median_s"]),
            ms(r["cache_load_first_s"], 1),
            ms(r["cache_load_median_s"], 1),
            mib(r["compile_peak_rss_kb"]),
            mib(r["compile_delta_rss_kb"]),
            mib(r["load_peak_rss_kb"]),
        ]
        for r in res["feeds"]
    ]
    print("\n## Compile (cold, no cache) and cache load\n")
    print(
        table(
            [
                "feed",
                "stop_times",
                "compile s",
                "read s",
                "check+compile s",
                "cache load first ms",
                "cache load median ms",
                "peak RSS MiB",
                "Δ baseline MiB",
                "load RSS MiB",
            ],
            rows,
        )
    )
    print(f"\nbaseline RSS (interpreter + imports): {mib(res['baseline_rss_kb'])} MiB")
    t = res["targets"]
    if t:
        print(
            f"targets on the largest shared feed ({t['feed']}): compile {t['compile_median_s']:.2f} s "
            f"(< {t['compile_target_s']:.0f} s: {'MET' if t['compile_ok'] else 'MISSED'}), "
            f"cache load {t['cache_load_median_s'] * 1000:.0f} ms median, {t['cache_load_first_s'] * 1000:.0f} ms first "
            f"(< {t['load_target_s']:.0f} s: {'MET' if t['load_ok'] else 'MISSED'})"
        )
    return res


def part_raptor(a, skipped: list[dict], feeds: list[tuple[str, list[Path]]]) -> dict:
    import compile_bench
    import raptor_bench

    out = {}
    for label, paths in feeds:
        log(f"raptor benchmark: {label} ({a.queries} queries, seed {a.seed})")
        try:  # make sure the timed load is a cache load (compiles once if the cache is cold)
            check(run_child(compile_bench._cmd("warm", paths, cache_dir=CACHE), timeout=1800), f"warming the cache of {label}")
        except (Skip, RuntimeError) as e:
            _skip(skipped, "raptor", label, str(e))
            continue
        cmd = [sys.executable, str(Path(raptor_bench.__file__)), "--child", "stops", *map(str, paths), "--cache-dir", str(CACHE)]
        try:
            c = run_child(cmd + ["--n", str(a.queries), "--seed", str(a.seed)], timeout=1800)
            r = check(c, f"RAPTOR benchmark on {label}")
        except (Skip, RuntimeError) as e:
            _skip(skipped, "raptor", label, str(e))
            continue
        r["child_maxrss_kb"] = c.maxrss_kb
        if a.no_jit_queries:
            spec = CACHE.parent / "tmp" / f"nojit-{label}.json"
            spec.parent.mkdir(parents=True, exist_ok=True)
            sample = r["queries"][: a.no_jit_queries]
            spec.write_text(json.dumps({"date": r["date"], "queries": [[q["origin"], q["destination"], q["time"]] for q in sample]}))
            try:
                nj = run_child(
                    [sys.executable, str(Path(raptor_bench.__file__)), "--child", "nojit", *map(str, paths), "--cache-dir", str(CACHE), "--queries", str(spec)],
                    timeout=1800,
                )
                d = check(nj, f"pure-Python queries on {label}")
                d["same_answers"] = d["arrivals"] == [q["ea_arrival"] for q in sample]
                r["no_jit"] = d
            except (Skip, RuntimeError) as e:
                _skip(skipped, "raptor (no numba)", label, str(e))
        out[label] = r
    if not out:
        return out
    print("\n## RAPTOR (after load and JIT warm-up; milliseconds)\n")
    rows = []
    for label, r in out.items():
        rows.append(
            [
                label,
                r["date"],
                str(r["n_queries"]),
                f"{r['answered']}",
                ms(r["ea"]["median_s"], 3),
                ms(r["ea"]["p95_s"], 3),
                ms(r["ea_cpu"]["median_s"], 3),
                ms(r["kernel"]["median_s"], 3),
                ms(r["arrivals"]["median_s"], 3),
                ms(r["range"]["median_s"], 2),
                ms(r["range"]["p95_s"], 2),
                f"{r['batch']['queries_per_s']:.0f}",
                ms(r["no_jit"]["ea"]["median_s"], 1) if r.get("no_jit") else "–",
            ]
        )
    print(
        table(
            [
                "feed",
                "date",
                "queries",
                "answered",
                "EA median",
                "EA p95",
                "EA CPU median",
                "fwd kernel median",
                "one-to-all median",
                "range60 median",
                "range60 p95",
                "batch q/s",
                "EA no-numba median",
            ],
            rows,
        )
    )
    rows = [
        [
            label,
            sec(r["load_s"], 3),
            ms(r["view_build_s"], 1),
            ms(r["footpaths_build_s"], 1),
            ms(r["first_query_s"], 1),
            mib(r["child_maxrss_kb"]),
            str(len(r["problems"])),
        ]
        for label, r in out.items()
    ]
    print()
    print(table(["feed", "cache load s", "day views ms", "walk links ms", "first query ms (JIT)", "peak RSS MiB", "answers flagged"], rows))
    for label, r in out.items():
        for p in r["problems"][:5]:
            print(f"  ! {label}: query {p['query']} {p['origin']} -> {p['destination']} {p['date']} t={p['time']}: {'; '.join(p['problems'])}")
    return out


def part_peers(a, skipped: list[dict], raptor: dict, feeds: list[tuple[str, list[Path]]]) -> dict:
    from peers import harness

    out = {}
    for label, paths in feeds:
        r = raptor.get(label)
        if r is None:
            log(f"peers: {label}: running the RAPTOR benchmark first to get its date and queries")
            r = part_raptor(argparse.Namespace(**{**vars(a), "no_jit_queries": 0}), skipped, [(label, paths)]).get(label)
            if r is None:
                continue
        log(f"peers: {label} on {r['date']}")
        try:
            out[label] = harness.run(
                label,
                paths,
                r,
                n_pyraptor=a.pyraptor_queries,
                n_npm=a.npm_queries,
                npm_range=a.npm_range_queries,
                use_pyraptor=not a.no_pyraptor,
                use_npm=not a.no_npm,
                fresh=a.fresh_peers,
            )
        except (Skip, RuntimeError) as e:
            _skip(skipped, "peers", label, str(e))
            continue
        for s in out[label]["skipped"]:
            _skip(skipped, "peers", f"{label} / {s['peer']}", s["reason"])
    if not out:
        return out
    print("\n## Peers (same station-to-station queries; milliseconds; ratio = peer / maas)\n")
    rows = []
    for label, p in out.items():
        for key, name in (("pyraptor", "pyraptor 1.3.10"), ("npm", "raptor-journey-planner")):
            if key not in p:
                continue
            x = p[key]
            c = x["answers"]["counts"]
            prep = x["prepare"]["preprocess_s"] if key == "pyraptor" else x["preprocess_s"]
            rows.append(
                [
                    label,
                    name,
                    str(x["ratio"].get("n", 0)),
                    ms(x["ratio"].get("maas_median_s"), 3),
                    ms(x["ratio"].get("peer_median_s"), 1),
                    f"{x['ratio'].get('ratio_of_medians', 0):,.0f}x",
                    f"{x['ratio'].get('ratio_of_totals', 0):,.0f}x",
                    f"{x['ratio']['cpu_ratio_of_medians']:,.0f}x" if "cpu_ratio_of_medians" in x["ratio"] else "–",
                    sec(prep, 1) + (" (reused)" if key == "pyraptor" and x["prepare"].get("reused") else ""),
                    f"{c['equal']}/{c['peer_earlier']}/{c['peer_later']}/{c['only_maas']}/{c['only_peer']}/{c['neither']}",
                ]
            )
    print(
        table(
            [
                "feed",
                "peer",
                "queries",
                "maas median",
                "peer median",
                "ratio medians",
                "ratio totals",
                "CPU ratio medians",
                "peer preprocess s",
                "EA same/peer earlier/peer later/only maas/only peer/neither",
            ],
            rows,
        )
    )
    print()
    for label, p in out.items():
        for name, what in (("nocache", "its route-scan cache off"), ("aligned", "scan cache off, no walk after walk (maas's rules)")):
            x = p.get("npm", {}).get("passes", {}).get(name)
            if x:
                c = x["answers"]["counts"]
                print(
                    f"{label}: raptor-journey-planner, {what}: same {c['equal']}, peer earlier {c['peer_earlier']}, "
                    f"peer later {c['peer_later']}, only maas {c['only_maas']}, only peer {c['only_peer']}, neither {c['neither']}"
                )
        if "maas" in p:
            v = p["maas"]["verified"]
            print(f"{label}: maas answers consistent with the adapter's own reading of the feed: {v['consistent_with_feed']}/{v['answers']}")
        if "npm" in p and p["npm"].get("range_ratio"):
            rr = p["npm"]["range_ratio"]
            print(
                f"\n{label}: 60-min range, raptor-journey-planner {ms(rr['peer_median_s'], 1)} ms vs maas {ms(rr['maas_median_s'], 2)} ms median "
                f"({rr['ratio_of_medians']:,.0f}x, n={rr['n']})"
            )
    return out


def targets(result: dict) -> list[dict]:
    """The issues' targets, checked on the largest shared feed that was measured."""
    out = []
    c = (result.get("compile") or {}).get("targets")
    if c:
        out.append({"what": "cold compile", "feed": c["feed"], "value": f"{c['compile_median_s']:.2f} s", "target": "< 30 s", "met": c["compile_ok"]})
        worst = max(c["cache_load_median_s"], c["cache_load_first_s"])
        out.append({"what": "cache load (first and median)", "feed": c["feed"], "value": f"{worst * 1000:.0f} ms", "target": "< 1 s", "met": c["load_ok"]})
    raptor = {k: v for k, v in (result.get("raptor") or {}).items() if k != "default"}
    if raptor:
        big = max(raptor, key=lambda k: raptor[k]["stop_times"])
        r = raptor[big]
        out.append(
            {"what": "median EA query", "feed": big, "value": f"{r['ea']['median_s'] * 1000:.2f} ms", "target": "< 5 ms", "met": r["ea"]["median_s"] < 0.005}
        )
        out.append(
            {
                "what": "median 60-min range query",
                "feed": big,
                "value": f"{r['range']['median_s'] * 1000:.1f} ms",
                "target": "< 100 ms",
                "met": r["range"]["median_s"] < 0.1,
            }
        )
        p = (result.get("peers") or {}).get(big, {}).get("pyraptor")
        if p and p["ratio"]:
            x = p["ratio"]["ratio_of_medians"]
            out.append({"what": "speed-up over pyraptor (ratio of medians)", "feed": big, "value": f"{x:,.0f}x", "target": ">= 50x", "met": x >= 50})
    return out


# --- main ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    started = time.time()
    stamp = dt.datetime.now(dt.UTC)
    skipped: list[dict] = []
    if not a.shared_data.is_dir():
        log(f"NOTE: shared data not found at {a.shared_data}; everything that needs it is skipped")
    result: dict = {
        "name": a.name,
        "started_utc": stamp.isoformat(timespec="seconds"),
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()},
        "machine": {**machine_info(), "loadavg_start": list(os.getloadavg())},
    }
    try:
        import peers.harness as h

        result["machine"]["node"] = h.node_version()
    except Exception:  # noqa: BLE001, S110 - informational only
        pass
    if "compile" in a.parts:
        result["compile"] = part_compile(a, skipped)
    raptor: dict = {}
    if "raptor" in a.parts:
        raptor = part_raptor(a, skipped, resolve_feeds(a.raptor_feeds, a.shared_data, skipped, "raptor"))
        result["raptor"] = raptor
    if "peers" in a.parts:
        result["peers"] = part_peers(a, skipped, raptor, resolve_feeds(a.peer_feeds, a.shared_data, skipped, "peers"))
    result["targets"] = targets(result)
    if result["targets"]:
        print("\n## Targets\n")
        for t in result["targets"]:
            print(f"- {t['what']} on {t['feed']}: {t['value']} (target {t['target']}): {'MET' if t['met'] else 'MISSED'}")
    result["skipped"] = skipped
    result["duration_s"] = time.time() - started
    result["machine"]["loadavg_end"] = list(os.getloadavg())
    if skipped:
        print("\n## Skipped\n")
        for s in skipped:
            print(f"- {s['part']} / {s['what']}: {s['reason'].splitlines()[0]}")
    if not a.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        file = RESULTS / f"{a.name}-{stamp.date().isoformat()}.json"
        file.write_text(json.dumps(result, indent=1, default=str) + "\n")
        print(f"\nresults written to {file.relative_to(ROOT)} ({result['duration_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Skip as e:
        sys.exit(f"skipped: {e}")
    except KeyboardInterrupt:
        sys.exit(130)
