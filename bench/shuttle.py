#!/usr/bin/env python3
"""Shuttle planner benchmark: evaluate and optimize on the 2019 trial scenario (issue 5).

Measures, on ``scenarios/trial-2019.yaml`` (or ``--scenario``):

- **evaluate, warm** — ``evaluate_scenario(load_scenario(path))`` in this
  process after one warm-up call (so the compiled timetables are in the cache
  and numba's kernel is loaded): reading and checking the scenario, the
  timetable (since issue 12 the trains kept in the process's default
  ``Timetables`` and the runs joined in memory; before, the rail feeds and the
  runs written as GTFS, loaded as one timetable from the on-disk cache), the
  rail profiles, options, seats, trains met, fleet and the end-to-end planner
  check.  Median, min and max of ``--repeat`` calls.  Target: under 1 s.
- **evaluate, warm, one-shot** — the same with a new
  ``maas.shuttle.timetable.Timetables`` for every call: the trains and the
  runs loaded from the on-disk cache, as one ``maas shuttle evaluate`` command
  does (absent in results made before issue 12).
- **evaluate, cold** — the first call in this process (compiles the timetable
  into a fresh cache folder, loads numba's kernel).
- **CLI** — ``maas shuttle evaluate SCENARIO --json`` as a child process
  (Python start-up and imports included), median of 3, warm cache.
- **optimize** — ``optimize(scenario, out_dir=...)`` at the scenario's default
  time limit (30 s, or ``--time-limit``): wall time, solver status, model score
  and bound, and the end-to-end comparison of the trial and the proposal
  (riders on time, seated, mean wait, vehicles, cost).

Writes ``bench/results/shuttle-<YYYY-MM-DD>.json`` and prints a short table.
The timetable cache is ``bench/_work/cache`` (never ``~/.cache/maas``).

    .venv/bin/python bench/shuttle.py                   # full run (~45 s)
    .venv/bin/python bench/shuttle.py --time-limit 10 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "_work"
RESULTS = ROOT / "bench" / "results"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/shuttle.py", description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "trial-2019.yaml")
    p.add_argument("--repeat", type=int, default=9, help="warm evaluate calls timed (default 9)")
    p.add_argument("--time-limit", type=float, default=None, help="optimize time limit, s (default: the scenario's, 30)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-optimize", action="store_true", help="time evaluate only")
    p.add_argument("--name", help="results file name (default shuttle-<date>)")
    p.add_argument("--no-save", action="store_true")
    return p.parse_args(argv)


def machine() -> dict:
    import numpy
    import ortools

    try:
        import numba

        nb = numba.__version__
    except ImportError:  # pragma: no cover
        nb = None
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "ortools": ortools.__version__,
        "numpy": numpy.__version__,
        "numba": nb,
        "platform": platform.platform(),
        "load_avg_1min": os.getloadavg()[0],
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    cache = WORK / "cache-shuttle"
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True)
    os.environ["MAAS_CACHE_DIR"] = str(cache)

    from maas.shuttle.evaluate import evaluate_scenario
    from maas.shuttle.optimize import optimize
    from maas.shuttle.scenario import load_scenario

    out: dict = {
        "benchmark": "shuttle",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scenario": str(args.scenario.relative_to(ROOT) if args.scenario.is_relative_to(ROOT) else args.scenario),
        "machine": machine(),
    }

    # evaluate: cold, then warm
    t = time.perf_counter()
    ev = evaluate_scenario(load_scenario(args.scenario))
    cold = time.perf_counter() - t
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        ev = evaluate_scenario(load_scenario(args.scenario))
        times.append(time.perf_counter() - t)
    out["evaluate"] = {
        "cold_s": round(cold, 3),
        "warm_median_s": round(statistics.median(times), 4),
        "warm_min_s": round(min(times), 4),
        "warm_max_s": round(max(times), 4),
        "repeat": args.repeat,
        "target_s": 1.0,
        "totals": ev.to_dict()["totals"],
    }
    one_shot = _evaluate_one_shot(args.scenario, args.repeat)
    if one_shot:
        out["evaluate"].update(
            {"one_shot_median_s": round(statistics.median(one_shot), 4), "one_shot_min_s": round(min(one_shot), 4), "one_shot_max_s": round(max(one_shot), 4)}
        )

    # the CLI as a child process
    cli = []
    exe = Path(sys.executable).with_name("maas")
    cmd = (
        [str(exe), "shuttle", "evaluate", str(args.scenario), "--json"]
        if exe.exists()
        else [sys.executable, "-m", "maas", "shuttle", "evaluate", str(args.scenario), "--json"]
    )
    for _ in range(3):
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=os.environ.copy())
        cli.append(time.perf_counter() - t)
        if proc.returncode != 0:
            out["cli_error"] = proc.stderr.strip()[-500:]
            break
    out["cli_evaluate"] = {"median_s": round(statistics.median(cli), 3), "runs": [round(x, 3) for x in cli]}

    if not args.no_optimize:
        folder = Path(tempfile.mkdtemp(prefix="shuttle-opt-", dir=WORK))
        t = time.perf_counter()
        res = optimize(load_scenario(args.scenario), out_dir=folder, time_limit_s=args.time_limit, seed=args.seed)
        wall = time.perf_counter() - t
        comp = res.comparison or {}
        keys = (
            "to_work_on_time",
            "to_work_seated",
            "home_seated",
            "mean_wait_to_work_min",
            "mean_wait_home_min",
            "mean_door_to_door_min",
            "runs",
            "vehicles",
            "vehicle_hours",
            "vehicle_km",
            "cost_yen",
        )
        out["optimize"] = {
            "time_limit_s": res.time_limit_s,
            "wall_s": round(wall, 2),
            "solve_s": round(res.solve_s, 2),
            "status": res.status,
            "candidates": res.candidates,
            "variables": res.variables,
            "constraints": res.constraints,
            "model_input": res.model_input.to_dict() if res.model_input else None,
            "model_proposal": res.model_proposal.to_dict(),
            "bound": round(res.best_bound, 1),
            "trial": {k: comp.get("a", {}).get("totals", {}).get(k) for k in keys},
            "proposal": {k: comp.get("b", {}).get("totals", {}).get(k) for k in keys},
            "runs": [r["calls"] for r in comp.get("b", {}).get("runs", [])],
        }
        shutil.rmtree(folder, ignore_errors=True)

    out["machine"]["load_avg_1min_end"] = os.getloadavg()[0]
    _print(out)
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        name = args.name or f"shuttle-{dt.date.today().isoformat()}"
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


def _evaluate_one_shot(scenario: Path, repeat: int) -> list[float]:
    """Seconds of ``repeat`` evaluations each with a new Timetables (timetables from the disk cache); [] before issue 12."""
    try:
        from maas.shuttle.timetable import Timetables
    except ImportError:
        return []
    from maas.shuttle.evaluate import evaluate_scenario
    from maas.shuttle.scenario import load_scenario

    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        evaluate_scenario(load_scenario(scenario), timetables=Timetables())
        times.append(time.perf_counter() - t)
    return times


def _print(out: dict) -> None:
    e = out["evaluate"]
    print(f"shuttle benchmark — {out['scenario']} — {out['machine']['nproc']} cores, load {out['machine']['load_avg_1min']:.1f}")
    print()
    print("| measure | seconds |")
    print("|---|---|")
    print(f"| evaluate, warm (median of {e['repeat']}) | {e['warm_median_s']:.3f} (min {e['warm_min_s']:.3f}, max {e['warm_max_s']:.3f}; target < 1) |")
    if "one_shot_median_s" in e:
        print(
            f"| evaluate, warm, one-shot (new Timetables each call; median of {e['repeat']}) | {e['one_shot_median_s']:.3f} (min {e['one_shot_min_s']:.3f}, max {e['one_shot_max_s']:.3f}) |"
        )
    print(f"| evaluate, cold (first call, fresh cache) | {e['cold_s']:.2f} |")
    print(f"| `maas shuttle evaluate --json` (child process, median of 3) | {out['cli_evaluate']['median_s']:.2f} |")
    if "optimize" in out:
        o = out["optimize"]
        print(
            f"| optimize (limit {o['time_limit_s']:.0f} s): wall / solver | {o['wall_s']:.1f} / {o['solve_s']:.1f} ({o['status']}, {o['candidates']} candidates) |"
        )
        print()
        print("| trial vs proposal (re-evaluated end to end) | trial | proposal |")
        print("|---|---|---|")
        labels = {
            "to_work_on_time": "riders on time (seats ignored)",
            "to_work_seated": "riders on time, seated",
            "home_seated": "riders home, seated",
            "mean_wait_to_work_min": "mean wait train → shuttle, min",
            "mean_wait_home_min": "mean wait home (park + station), min",
            "mean_door_to_door_min": "mean door-to-door to work, min",
            "runs": "runs",
            "vehicles": "vehicles",
            "vehicle_hours": "paid vehicle-hours",
            "vehicle_km": "vehicle-km",
            "cost_yen": "cost, yen a day",
        }
        for k, label in labels.items():
            print(f"| {label} | {o['trial'].get(k)} | {o['proposal'].get(k)} |")
        mi = o["model_input"]["objective"] if o["model_input"] else None
        print(f"\nmodel score: trial {mi} → proposal {o['model_proposal']['objective']} (bound {o['bound']})")


if __name__ == "__main__":
    sys.exit(main())
