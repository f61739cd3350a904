"""Travel-time matrices on NYC's subway: one process vs Dask on 2 cores, and the largest matrix in 10 minutes (issue 14).

Usage (from the repository root)::

    .venv/bin/python bench/matrix_bench.py [--feed ../shared/data/feeds/nyc_subway.zip] [--size 1000]
        [--large 10000] [--json FILE]

What it runs, on a seeded sample (seed 14) of ``--size`` of the feed's
``stops.txt`` entries as origins and another as destinations (NYC's subway
has 1,223: platforms and stations), Tuesday 2018-10-02 from 08:00:

1. **one departure** and **a 60-minute window** (percentiles 5, 50, 95),
   each computed three ways through :mod:`maas.batch.runner`:
   in one process; on a ``LocalCluster`` of 2 one-thread worker processes;
   on a scheduler and 2 workers started as separate processes with the
   ``dask scheduler`` / ``dask worker`` commands on 127.0.0.1 (the
   multi-machine path).  Times are the matrix alone (network open, places
   resolved, clusters started and their workers warm), then the whole
   ``maas matrix ... --output .parquet`` command for each way, whose files
   must be byte-identical.
2. **the largest matrix in 10 minutes on 2 cores**: N origins × N
   destinations at positions within 300 m of a random stop (what a study's
   zone centroids look like), a 60-minute window, the median only, on the
   local cluster, for N = 1,000, 2,000, 5,000, 10,000 (up to ``--large``),
   stopping once a run passes 10 minutes or would clearly pass it.
3. **the machine's own ceiling**: two plain processes (no Dask), each
   computing half the origins at the same time, timed to the later one's
   end: what two cores give this work at best, against which the clusters'
   times read (the loss beyond it is Dask's).
4. **memory per worker**: RSS and PSS of each worker process after the run
   (``/proc/PID/smaps_rollup``).

The machine's load average is recorded with the numbers: on a shared machine
they are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_FEED = REPO.parent / "shared" / "data" / "feeds" / "nyc_subway.zip"
DAY = dt.date(2018, 10, 2)
DEPART = 8 * 3600
SEED = 14
BIN = Path(sys.executable).parent
#: The time budget of the largest matrix (issue 14: "the largest matrix that fits in 10 minutes on 2 cores").
LIMIT_S = 600.0
#: The label of two plain processes sharing the work (no Dask).
CEILING = "two plain processes, half each (no Dask)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _memory(client) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    """RSS and PSS (MiB) of every worker process of ``client``'s cluster."""

    def rollup() -> dict[str, float]:
        out = {}
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            out[name.strip()] = int(value.split()[0])
        return {
            "rss_mib": round(out["Rss"] / 1024, 1),
            "pss_mib": round(out["Pss"] / 1024, 1),
            "private_mib": round((out["Private_Clean"] + out["Private_Dirty"]) / 1024, 1),
        }

    return list(client.run(rollup).values())


class Scheduler:
    """``dask scheduler`` and two ``dask worker`` processes on loopback (started here, stopped by pid), with the
    local cluster's Dask settings (``QUIET_DASK`` in a Dask YAML file named by ``DASK_CONFIG``)."""

    def __init__(self, env: dict[str, str]) -> None:
        from maas.batch.runner import QUIET_DASK

        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.config_dir = tempfile.TemporaryDirectory()
        nested: dict = {}
        for key, value in QUIET_DASK.items():  # dotted keys to Dask's YAML (environment variables cannot unset a key)
            *parents, leaf = key.split(".")
            node = nested
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        Path(self.config_dir.name, "maas.yaml").write_text(yaml.safe_dump(nested))
        common = dict(env={**env, "DASK_CONFIG": self.config_dir.name}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        self.procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"], **common)]
        time.sleep(2)
        for _ in range(2):
            self.procs.append(
                subprocess.Popen(
                    [str(BIN / "dask"), "worker", self.address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1", "--no-dashboard"], **common
                )
            )

    def wait(self, client, n: int = 2) -> None:  # type: ignore[no-untyped-def]
        client.wait_for_workers(n, timeout=120)

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        self.config_dir.cleanup()


def _sample(tt, size: int, rng: random.Random) -> list[str]:  # type: ignore[no-untyped-def]
    return [tt.stop_ids[i] for i in sorted(rng.sample(range(tt.n_stops), min(size, tt.n_stops)))]


def _near_stops(tt, n: int, rng: random.Random) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """``n`` positions within 300 m of random stops (seeded)."""
    out = []
    for _ in range(n):
        s = rng.randrange(tt.n_stops)
        r, a = 300 * rng.random() ** 0.5, rng.random() * 2 * np.pi
        lat = float(tt.stop_lat[s]) + r * np.cos(a) / 111_320
        lon = float(tt.stop_lon[s]) + r * np.sin(a) / (111_320 * np.cos(np.radians(float(tt.stop_lat[s]))))
        out.append((round(lat, 6), round(lon, 6)))
    return out


class OneProcess:
    """The in-process runner, in a process of its own (spawned once and kept, like a worker).

    Computing in the process that also hosts the local cluster's scheduler
    and its client delayed the cluster's answers by seconds (observed: tasks
    done in 0.4 s, answers back after 4 s, once the client process had run a
    chunk itself), so "one process" runs elsewhere, and times itself.
    """

    workers = 1

    def __init__(self) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(1, mp_context=__import__("multiprocessing").get_context("spawn"))

    def run(self, source, job, origins) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
        """Return (seconds, matrix) of the in-process runner on ``origins``, timed in the other process."""
        return self.pool.submit(_one_process_run, source, job, origins).result()

    def close(self) -> None:
        self.pool.shutdown()


class TwoProcesses(OneProcess):
    """Two plain worker processes (no Dask), each running half the origins at the same time: the machine's ceiling."""

    workers = 2

    def __init__(self) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(2, mp_context=__import__("multiprocessing").get_context("spawn"))

    def run(self, source, job, origins) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
        """Return (seconds until both halves are back, matrix)."""
        half = len(origins) // 2
        t0 = time.perf_counter()
        futures = [self.pool.submit(_one_process_run, source, job, part) for part in (origins[:half], origins[half:])]
        parts = [f.result()[1] for f in futures]
        return time.perf_counter() - t0, np.concatenate(parts)


def _one_process_run(source, job, origins) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
    from maas.batch.runner import InProcess, split
    from maas.batch.tasks import matrix_chunk

    t0 = time.perf_counter()
    parts = InProcess().map(matrix_chunk, source, job, split(origins, 1))
    return time.perf_counter() - t0, np.concatenate(parts)


def _command_runs(feed: Path, o_ids: list[str], d_ids: list[str], env: dict[str, str], scheduler: str) -> list[dict]:
    """Time the whole ``maas matrix`` command in one process, with ``--workers 2`` and with ``--scheduler``; compare the files."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "o.csv").write_text("place\n" + "\n".join(o_ids) + "\n")
        (Path(tmp) / "d.csv").write_text("place\n" + "\n".join(d_ids) + "\n")
        base = [str(BIN / "maas"), "matrix", "--feed", str(feed), "--origins", f"{tmp}/o.csv", "--destinations", f"{tmp}/d.csv",
                "--date", DAY.isoformat(), "--depart", "08:00", "--window", "60", "--percentiles", "5,50,95"]  # fmt: skip
        outputs = {}
        for how, extra in (("one process", []), ("--workers 2", ["--workers", "2"]), ("--scheduler", ["--scheduler", scheduler])):
            out = Path(tmp) / f"m-{len(outputs)}.parquet"
            t0 = time.perf_counter()
            subprocess.run([*base, *extra, "--output", str(out)], check=True, env=env, cwd=REPO)
            outputs[how] = (round(time.perf_counter() - t0, 2), out.read_bytes())
        first = next(iter(outputs.values()))[1]
        return [{"how": how, "seconds": s, "same_bytes": data == first, "parquet_bytes": len(data)} for how, (s, data) in outputs.items()]


def main() -> None:
    """Run the benchmark; print Markdown tables; optionally write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feed", type=Path, default=DEFAULT_FEED)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000, help="origins and destinations of the large matrix (0: skip)")
    ap.add_argument("--large-sizes", help="comma-separated N of the large matrices to run (default: 1000,2000,5000,10000,... up to --large)")
    ap.add_argument("--only-large", action="store_true", help="run the large matrices only")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of each way (median reported)")
    ap.add_argument("--skip-command", action="store_true", help="leave out the whole-command runs")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not args.feed.exists():
        sys.exit(f"{args.feed}: not found (the shared data)")
    cache_dir = REPO / "bench" / "_work" / "cache"
    os.environ["MAAS_CACHE_DIR"] = str(cache_dir)
    env = {**os.environ, "MAAS_CACHE_DIR": str(cache_dir)}

    from distributed import Client

    from maas.batch.runner import DaskRunner, runner, split
    from maas.batch.source import network_source, open_network
    from maas.batch.tasks import MatrixJob, matrix_chunk
    from maas.routing.locations import points
    from maas.routing.matrix import DepartureWindow
    from maas.routing.params import RoutingParams

    source = network_source([args.feed], None, None)
    opened = open_network(source)
    tt = opened.network.timetable
    rng = random.Random(SEED)
    o_ids, d_ids = _sample(tt, args.size, rng), _sample(tt, args.size, rng)
    origins = tuple(opened.places.resolve(s) for s in o_ids)
    destinations = tuple(opened.places.resolve(s) for s in d_ids)
    jobs = {
        "one departure": MatrixJob("one", destinations, DepartureWindow(DAY, DEPART, 1), RoutingParams(), (50,)),
        "60-min window, p5/p50/p95": MatrixJob("window", destinations, DepartureWindow(DAY, DEPART, 60), RoutingParams(), (5, 50, 95)),
    }
    load_before = os.getloadavg()
    results: dict = {
        "feed": args.feed.name,
        "size": args.size,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "runs": [],
    }

    def timed(run, job) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        parts = run.map(matrix_chunk, source, job, split(origins, run.workers))
        return time.perf_counter() - t0, np.concatenate(parts)

    if args.only_large:
        jobs = {}
    one = OneProcess()
    reference = {name: one.run(source, job, origins)[1] for name, job in jobs.items()}
    sched: Scheduler | None = None  # started for its own rounds: idle, its 5 processes would take CPU from the others'
    two = TwoProcesses()
    try:
        times: dict[tuple[str, str], list[float]] = {}
        same: dict[tuple[str, str], bool] = {}
        for job in jobs.values():  # warm both processes
            two.run(source, job, origins[:8])
        for name, job in jobs.items():
            for _ in range(args.rounds):
                for label, run in (("one process", one), (CEILING, two)):
                    seconds, m = run.run(source, job, origins)
                    times.setdefault((name, label), []).append(round(seconds, 2))
                    same[(name, label)] = same.get((name, label), True) and bool(np.array_equal(m, reference[name]))
        # One client per process at a time: with the local cluster's client and the other
        # scheduler's in the same process, the local cluster's answers came back seconds late.
        for how in ("LocalCluster(2)", "dask scheduler + 2 dask workers"):
            with contextlib.ExitStack() as stack:
                if how == "LocalCluster(2)":
                    way = stack.enter_context(runner(2))
                else:
                    sched = Scheduler(env)
                    client = stack.enter_context(Client(sched.address, timeout="60s"))
                    sched.wait(client)
                    way = DaskRunner(client)
                for job in jobs.values():  # warm: numba, networks opened, destinations prepared
                    way.map(matrix_chunk, source, job, split(origins[:8], way.workers))
                for name, job in jobs.items():
                    for _ in range(args.rounds):  # interleaved with one process, so the others' load falls on both alike
                        for label, run in (("one process", None), (how, way)):
                            seconds, m = one.run(source, job, origins) if run is None else timed(run, job)
                            times.setdefault((name, label), []).append(round(seconds, 2))
                            same[(name, label)] = same.get((name, label), True) and bool(np.array_equal(m, reference[name]))
                results["local_memory" if how == "LocalCluster(2)" else "remote_memory"] = _memory(way.client)
        for name in jobs:
            for label in ("one process", CEILING, "LocalCluster(2)", "dask scheduler + 2 dask workers"):
                rounds = times[(name, label)]
                results["runs"].append({"job": name, "how": label, "seconds": float(np.median(rounds)), "rounds": rounds, "same": same[(name, label)]})
                print(json.dumps(results["runs"][-1]), flush=True)
        if not args.skip_command:
            sched = sched or Scheduler(env)
            results["command"] = _command_runs(args.feed, o_ids, d_ids, env, sched.address)
            print(json.dumps(results["command"]), flush=True)
    finally:
        if sched is not None:
            sched.stop()
        one.close()
        two.close()
    if args.large:
        results["large"] = []
        done: list[tuple[int, float]] = []
        sizes = [int(x) for x in args.large_sizes.split(",")] if args.large_sizes else [x for x in (1000, 2000, 5000, 10000, 20000) if x <= args.large]
        for n in sizes:
            if len(done) >= 2:  # time grows as n ** k; k from the last two runs
                (n1, t1), (n2, t2) = done[-2:]
                k = np.log(t2 / t1) / np.log(n2 / n1)
                if t2 * (n / n2) ** k > 1.5 * LIMIT_S:
                    break  # would clearly pass the limit
            pts = _near_stops(tt, 2 * n, rng)
            o = points([f"o{i}" for i in range(n)], [p[0] for p in pts[:n]], [p[1] for p in pts[:n]])
            d = points([f"d{i}" for i in range(n)], [p[0] for p in pts[n:]], [p[1] for p in pts[n:]])
            job = MatrixJob(f"large-{n}", d.places, DepartureWindow(DAY, DEPART, 60), RoutingParams(), (50,))
            with runner(2) as local:
                local.map(matrix_chunk, source, job, split(o.places[:4], 2))
                t0 = time.perf_counter()
                parts = local.map(matrix_chunk, source, job, split(o.places, 2))
                seconds = time.perf_counter() - t0
                m = np.concatenate(parts)
                row = {
                    "origins": n, "destinations": n, "window_min": 60, "seconds": round(seconds, 1), "within_limit": seconds <= LIMIT_S,
                    "pairs_per_second": round(n * n / seconds), "reached_share": round(float((m != np.iinfo(np.int32).max).mean()), 3),
                    "memory": _memory(local.client), "loadavg": [round(x, 2) for x in os.getloadavg()],
                }  # fmt: skip
            del m, parts
            results["large"].append(row)
            print(f"large: {json.dumps(row)}", flush=True)
            done.append((n, seconds))
            if seconds > LIMIT_S:
                break
    results["loadavg_before"], results["loadavg_after"] = [round(x, 2) for x in load_before], [round(x, 2) for x in os.getloadavg()]
    print(
        f"{results['feed']}, {args.size} × {args.size} stops, {DAY} 08:00; {results['machine']}; load average {results['loadavg_before'][0]} → {results['loadavg_after'][0]}"
    )
    print("| matrix | how | seconds | same answer |\n|---|---|---|---|")
    for r in results["runs"]:
        print(f"| {r['job']} | {r['how']} | {r['seconds']} | {r['same']} |")
    print("\n| whole command (60-min window, Parquet) | seconds | same bytes |\n|---|---|---|")
    for r in results.get("command", []):
        print(f"| {r['how']} | {r['seconds']} | {r['same_bytes']} |")
    print(f"\nworker memory (LocalCluster): {results['local_memory']}; (dask worker): {results['remote_memory']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
