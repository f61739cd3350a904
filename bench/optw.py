#!/usr/bin/env python3
"""OPTW / TOPTW benchmark: the tour solver core on the standard instance sets, gap to the best-known scores.

Runs every (instance, m) row of ../shared/data/optw/bks.csv (or a selection) with the
solver of maas.tours.solver at a fixed time limit per run, verifies every solution
independently with maas.tours.model.check, and writes

  bench/results/optw-<YYYY-MM-DD>.json   every run: score, gap, feasibility, tours, time
  bench/RESULTS-optw.md                  machine, date, and per set / per m: instances,
                                         average and worst gap % to the best-known score
  bench/results/above-bks/<inst>-m<m>-<score>.json
                                         every run above its best-known score (always, also
                                         with --no-save), re-checked by the tests

    .venv/bin/python bench/optw.py                       # everything, 10 s per run, 2 jobs (~16 min)
    .venv/bin/python bench/optw.py --sets cordeau --time-limit 2
    .venv/bin/python bench/optw.py --instances c101,pr01 --m 1,2 --no-md

gap % = 100 · (BKS − score) / BKS.  Each run is a separate task in a pool of --jobs worker
processes (each worker warms up the compiled search once before timing anything).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import util  # noqa: E402 - bench/util.py, found through the sys.path lines above

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "optw"
RESULTS = util.RESULTS
MD = ROOT / "bench" / "RESULTS-optw.md"
#: Solutions that beat their best-known score, kept from every run (``--no-save`` too); tests/tours/test_above_bks.py re-checks each.
ABOVE_BKS = RESULTS / "above-bks"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/optw.py", description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--time-limit", type=float, default=10.0, metavar="S", help="seconds per run (default 10)")
    p.add_argument("--sets", help="comma-separated sets of bks.csv: cordeau, solomon_100, solomon_c2r2rc2_100 (default all)")
    p.add_argument("--instances", help="comma-separated instance names (default all)")
    p.add_argument("--m", help="comma-separated numbers of tours (default all)")
    p.add_argument("--jobs", type=int, default=2, help="parallel worker processes (default 2)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"the optw data folder (default {DEFAULT_DATA})")
    p.add_argument("--name", help="results file name (default optw-<date>)")
    p.add_argument("--no-md", action="store_true", help="do not write bench/RESULTS-optw.md (tuning runs)")
    p.add_argument("--no-save", action="store_true", help="write no files at all, print the table only")
    p.add_argument("--method", choices=("lns", "routing"), default="lns", help="lns (the default search) or routing (OR-Tools routing alone, the reference)")
    p.add_argument("--opt", action="append", default=[], metavar="KEY=VALUE", help="search option passed to the solver (tuning)")
    return p.parse_args(argv)


def machine_info() -> dict:
    """bench/util.py's machine facts, plus the OR-Tools version and the load when the run starts."""
    import ortools

    info = util.machine_info()
    info["ortools"] = ortools.__version__
    try:
        info["load_avg_1min_at_start"] = round(os.getloadavg()[0], 2)
    except OSError:
        info["load_avg_1min_at_start"] = None
    return info


def _parse_opts(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, _, val = item.partition("=")
        try:
            out[key] = json.loads(val)
        except json.JSONDecodeError:
            out[key] = val
    return out


def _warm_up(opts: dict) -> None:
    """Load (or compile) the search kernel before any timed run."""
    import numpy as np

    from maas.tours.model import Orienteering
    from maas.tours.solver import solve

    n = 4
    travel = np.full((n, n), 1, dtype=np.int64)
    prob = Orienteering(
        score=np.array([0, 1, 2, 3]),
        service=np.zeros(n, dtype=np.int64),
        open=np.zeros(n, dtype=np.int64),
        close=np.full(n, 100, dtype=np.int64),
        travel=travel,
        starts=(0,),
        ends=(0,),
        tour_open=(0,),
        tour_close=(100,),
    )
    solve(prob, 0.05, config=opts or None)


def run_one(task: dict) -> dict:
    from maas.tours.model import check
    from maas.tours.optw import read_instance
    from maas.tours.solver import solve

    inst = read_instance(task["path"])
    prob = inst.problem(task["m"])
    t0 = time.perf_counter()
    sol = solve(prob, task["time_limit"], seed=task["seed"], method=task["method"], config=task["opts"] or None)
    wall = time.perf_counter() - t0
    violations = check(prob, sol.tours)
    score = sol.score if not violations else 0
    bks = task["bks"]
    return {
        "instance": task["instance"],
        "set": task["set"],
        "m": task["m"],
        "bks": bks,
        "bks_status": task["status"],
        "score": score,
        "gap_percent": round(100.0 * (bks - score) / bks, 4) if bks else 0.0,
        "feasible": not violations,
        "violations": violations[:5],
        "time_s": round(wall, 3),
        "status": sol.status,
        "tours": sol.tours,
    }


def _worker_init(opts: dict) -> None:
    _warm_up(opts)


def summarise(runs: list[dict]) -> list[dict]:
    """Rows per (set, m group) and per set, plus overall."""

    def group_m(r: dict) -> str:
        return str(r["m"]) if r["m"] <= 4 else "m=v (9-19)"

    def stats(label_set: str, label_m: str, rs: list[dict]) -> dict:
        gaps = [r["gap_percent"] for r in rs]
        return {
            "set": label_set,
            "m": label_m,
            "instances": len(rs),
            "avg_gap": round(statistics.fmean(gaps), 3) if gaps else None,
            "worst_gap": round(max(gaps), 3) if gaps else None,
            "at_bks": sum(1 for r in rs if r["score"] >= r["bks"]),
            "above_bks": sum(1 for r in rs if r["score"] > r["bks"]),
            "infeasible": sum(1 for r in rs if not r["feasible"]),
        }

    rows = []
    sets = sorted({r["set"] for r in runs})
    for s in sets:
        rs = [r for r in runs if r["set"] == s]
        ms = sorted({group_m(r) for r in rs}, key=lambda x: (len(x), x))
        for m in ms:
            rows.append(stats(s, m, [r for r in rs if group_m(r) == m]))
        rows.append(stats(s, "all", rs))
    ms = sorted({group_m(r) for r in runs}, key=lambda x: (len(x), x))
    for m in ms:
        rows.append(stats("all sets", m, [r for r in runs if group_m(r) == m]))
    rows.append(stats("all sets", "all", runs))
    return rows


def table(rows: list[dict]) -> str:
    head = "| set | m | instances | avg gap % | worst gap % | at BKS | above BKS | infeasible |\n|---|---|---:|---:|---:|---:|---:|---:|"
    lines = [head]
    for r in rows:
        bold = "**" if r["m"] == "all" else ""
        lines.append(
            f"| {bold}{r['set']}{bold} | {bold}{r['m']}{bold} | {r['instances']} | {bold}{r['avg_gap']:.2f}{bold} | "
            f"{r['worst_gap']:.2f} | {r['at_bks']} | {r['above_bks']} | {r['infeasible']} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    from maas.tours.optw import instance_path, read_bks

    bks_file = args.data / "bks.csv"
    if not bks_file.is_file():
        print(f"optw benchmark skipped: {bks_file} not found (../shared/data is absent)", file=sys.stderr)
        return 0
    rows = read_bks(bks_file)
    if args.sets:
        keep = set(args.sets.split(","))
        rows = [r for r in rows if r.set in keep]
    if args.instances:
        keep = set(args.instances.split(","))
        rows = [r for r in rows if r.instance in keep]
    if args.m:
        keep_m = {int(x) for x in args.m.split(",")}
        rows = [r for r in rows if r.m in keep_m]
    opts = _parse_opts(args.opt)
    tasks = [
        {
            "path": str(instance_path(args.data, r)),
            "instance": r.instance,
            "set": r.set,
            "m": r.m,
            "bks": r.score,
            "status": r.status,
            "time_limit": args.time_limit,
            "seed": args.seed,
            "opts": opts,
            "method": args.method,
        }
        for r in rows
    ]
    # the biggest first, so that the pool ends evenly
    machine = machine_info()
    started = dt.datetime.now().astimezone()
    print(f"{len(tasks)} runs at {args.time_limit:g} s, {args.jobs} jobs, method {args.method}, options {opts or 'default'}", file=sys.stderr)
    t0 = time.perf_counter()
    runs: list[dict] = []
    ctx = mp.get_context("spawn")
    with ctx.Pool(args.jobs, initializer=_worker_init, initargs=(opts,)) as pool:
        for res in pool.imap_unordered(run_one, tasks):
            runs.append(res)
            flag = "" if res["feasible"] else "  INFEASIBLE"
            print(
                f"[{len(runs):3d}/{len(tasks)}] {res['set']:>20s} {res['instance']:>6s} m={res['m']:<2d} "
                f"score {res['score']:5d} / bks {res['bks']:5d}  gap {res['gap_percent']:6.2f}%  {res['time_s']:5.1f}s{flag}",
                file=sys.stderr,
                flush=True,
            )
    elapsed = time.perf_counter() - t0
    order = {(r.set, r.instance, r.m): i for i, r in enumerate(rows)}
    runs.sort(key=lambda r: order[(r["set"], r["instance"], r["m"])])
    summary = summarise(runs)
    text = table(summary)
    print(text)
    for r in runs:
        if r["feasible"] and r["score"] > r["bks"]:
            print(f"kept {keep_above_bks(r, args.seed, opts).relative_to(ROOT)}: above the best-known score", file=sys.stderr)
    if args.no_save:
        return 0
    doc = {
        "benchmark": "optw",
        "date": started.isoformat(timespec="seconds"),
        "time_limit_s": args.time_limit,
        "jobs": args.jobs,
        "seed": args.seed,
        "method": args.method,
        "selection": {k: v for k, v in (("sets", args.sets), ("instances", args.instances), ("m", args.m)) if v},
        "options": opts,
        "elapsed_s": round(elapsed, 1),
        "machine": machine,
        "summary": summary,
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = args.name or f"optw-{started.date().isoformat()}"
    if not name.startswith("optw-"):
        name = f"optw-{name}"
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {out.relative_to(ROOT)}", file=sys.stderr)
    if not args.no_md:
        MD.write_text(render_md(doc, out))
        print(f"wrote {MD.relative_to(ROOT)}", file=sys.stderr)
    return 0


def keep_above_bks(run: dict, seed: int, opts: dict) -> Path:
    """Write a run that beat its best-known score to :data:`ABOVE_BKS` (instance, m, score, tours, how it was found)."""
    ABOVE_BKS.mkdir(parents=True, exist_ok=True)
    out = ABOVE_BKS / f"{run['instance']}-m{run['m']}-{run['score']}.json"
    keys = ("instance", "set", "m", "bks", "score", "tours", "time_s", "status")
    doc = {k: run[k] for k in keys} | {"seed": seed, "options": opts, "date": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    out.write_text(json.dumps(doc, indent=1) + "\n")
    return out


def _selection(sel: dict | None) -> str:
    if not sel:
        return "every row of `../shared/data/optw/bks.csv`"
    return "the rows of `../shared/data/optw/bks.csv` with " + ", ".join(f"{k} {v}" for k, v in sel.items())


def render_md(doc: dict, out: Path) -> str:
    m = doc["machine"]
    runs = doc["runs"]
    worst = sorted(runs, key=lambda r: -r["gap_percent"])[:10]
    lines = [
        "# OPTW / TOPTW benchmark: the tour solver core",
        "",
        f"Written by `bench/optw.py` from `{out.relative_to(ROOT)}`.",
        "",
        f"- date: {doc['date']}",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Python {m['python']}, "
        f"OR-Tools {m['ortools']}, numpy {m['numpy']}, numba {m['numba']}; load average {m['load_avg_1min_at_start']:.2f} at start",
        f"- {len(runs)} runs ({_selection(doc.get('selection'))}), {doc['time_limit_s']:g} s per run, "
        f"{doc['jobs']} runs in parallel, seed {doc['seed']}, method {doc.get('method', 'lns')}; {doc['elapsed_s'] / 60:.1f} min in all",
        "- every solution re-checked with `maas.tours.model.check` (time windows, tour budget, each vertex at most once);"
        " an infeasible one would count as score 0",
        "- gap % = 100 · (BKS − score) / BKS; BKS from bks.csv (optimal, best-known, or total score where m ≥ v)",
        "",
        table(doc["summary"]),
        "",
        "## The largest gaps",
        "",
        "| instance | set | m | score | BKS | gap % |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in worst:
        lines.append(f"| {r['instance']} | {r['set']} | {r['m']} | {r['score']} | {r['bks']} | {r['gap_percent']:.2f} |")
    lines.append("")
    unproven = [r for r in runs if r["bks_status"].startswith("feasible_lb_only")]
    if unproven:
        lines += ["## Rows whose reference is not a feasible score", "", UNPROVEN_NOTE, ""]
        lines += [f"- {r['instance']} m={r['m']}: score {r['score']} against {r['bks']} in bks.csv" for r in unproven]
        lines.append("")
    return "\n".join(lines)


#: Why the r104 / r108 (m = 1) rows of bks.csv overstate the gap (read from the DSSR logs in
#: ../shared/data/optw/righini_salani_exact_runs/Solomon_OPT.zip, bestPossible/r10[48]_100.dssr.*).
UNPROVEN_NOTE = (
    "bks.csv gives 330 for r104 and r108 with m = 1 (status `feasible_lb_only`), but in Righini & Salani's "
    "run logs 330 is the bound of the *first* DSSR relaxation (a path that repeats customers 5 and 93), not a "
    "feasible tour. The best feasible tours in those logs score 303 (r104) and 294 (r108), and the last "
    "relaxation that finished bounds the optimum by 305 (r104) and 320 (r108). Measured against the best "
    "feasible scores, the gaps of these rows are zero or negative; the table above keeps bks.csv as it is."
)


if __name__ == "__main__":
    sys.exit(main())
