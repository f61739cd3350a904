#!/usr/bin/env python3
"""Load test of the running service on loopback with wrk: journeys and tours at 1, 8 and 32 clients.

    python bench/load.py [--workers 2] [--duration 20] [--port 8790]
    python bench/load.py --isolation [--code DIR]   # 16 journey clients alone, then with 8 tour clients

``--isolation`` measures whether heavy work starves light work: journeys alone,
then the same journeys while 8 clients ask for tours on the same server, as
ratios, with every tour answer counted by status (200, 429, 503, other).  All
clients come from one address, so the per-client rate limit of heavy requests
is raised to 1000/minute for it (``MAAS_HEAVY_RATE_LIMIT`` when set wins): the
heavy pool is what is measured.
``--code DIR`` serves another checkout of maas (e.g. the previous version, via
``git worktree add``) with this environment, for a before/after in one run.

Starts ``maas serve --workers N`` on 127.0.0.1, waits for /healthz, drives it
with wrk (Debian package ``wrk``; installed with apt-get when missing and
allowed) using a Lua script that cycles through seeded journey queries (and
tour requests), and prints requests/s with p50/p95 latency.  Results go to
``bench/results/load-<date>.json``.  Only loopback is ever targeted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PAIRS = [
    ("Shin-Yamaguchi", "Ajisu"),
    ("Shin-Yamaguchi", "Yamaguchi"),
    ("Yamaguchi", "Tsuwano"),
    ("Shin-Yamaguchi", "Hagi"),
    ("Ube", "Shin-Yamaguchi"),
    ("Hofu", "Ube-Shinkawa"),
    ("Shin-Yamaguchi", "Akiyoshido"),
    ("st_yudaonsen", "Shin-Yamaguchi"),
    ("Asa", "Tokuyama"),
    ("Ube-Shinkawa", "Kusae"),
    ("Motoyura", "Yamaguchi Techno Park"),
    ("Higashi-Hagi", "Shoin Shrine"),
]

LUA = r"""
local paths = {PATHS}
local bodies = {BODIES}
local method = "{METHOD}"
local i = 0
request = function()
  i = i + 1
  if method == "POST" then
    local b = bodies[(i % #bodies) + 1]
    return wrk.format("POST", "/v1/tours?time_limit=1", {["Content-Type"] = "application/json"}, b)
  end
  return wrk.format("GET", paths[(i % #paths) + 1])
end
counts = {}  -- a global: done() reads it from each thread
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  local key = tostring(status)
  counts[key] = (counts[key] or 0) + 1
end
done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format("\"%s\":%d", k, v)) end
  io.write("STATUS{" .. table.concat(parts, ",") .. "}\n")
  io.write(string.format("JSON{\"requests\":%d,\"duration_us\":%d,\"errors\":%d,\"non2xx\":%d,\"p50_us\":%d,\"p95_us\":%d,\"p99_us\":%d}\n",
    summary.requests, summary.duration, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def journey_paths(n: int = 200, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a, b = rng.choice(PAIRS)
        if rng.random() < 0.5:
            a, b = b, a
        hh, mm = rng.randint(6, 19), rng.choice([0, 10, 20, 30, 40, 50])
        q = urllib.parse.urlencode({"from": a, "to": b, "date": "2026-12-01", "depart": f"{hh:02d}:{mm:02d}"})
        out.append(f"/v1/journeys?{q}")
    return out


def tour_bodies() -> list[str]:
    starts = ["Shin-Yamaguchi", "Yamaguchi", "Higashi-Hagi", "Ube-Shinkawa"]
    interests = [["history"], ["nature"], ["history", "nature"], ["onsen", "food"]]
    return [json.dumps({"start": s, "date": "2026-12-05", "from": "09:00", "until": "17:00", "interests": i}) for s in starts for i in interests]


def lua_list(items: list[str]) -> str:
    return "{" + ",".join(json.dumps(x) for x in items) + "}"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.call(["apt-get", "install", "-y", "-qq", "wrk"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed (apt-get install wrk)")
    return found


def wait_healthy(base: str, timeout_s: float = 120) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("the service did not become healthy")


def run_wrk(wrk: str, base: str, script: Path, clients: int, duration: int) -> dict:
    threads = min(clients, 2)
    out = subprocess.run(
        [wrk, f"-t{threads}", f"-c{clients}", f"-d{duration}s", "--timeout", "30s", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(r"JSON(\{.*\})", out)
    data = json.loads(m.group(1))
    statuses = json.loads(re.search(r"STATUS(\{.*\})", out).group(1))
    secs = data["duration_us"] / 1e6
    return {
        "clients": clients,
        "requests": data["requests"],
        "rps": round(data["requests"] / secs, 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "errors": data["errors"],
        "non2xx": data["non2xx"],
        "statuses": dict(sorted(statuses.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="service worker processes (default 2: one per core)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (default 20)")
    parser.add_argument("--tour-duration", type=int, default=20, help="seconds per tour run (default 20)")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--clients", default="1,8,32", help="comma-separated client counts")
    parser.add_argument("--skip-tours", action="store_true")
    parser.add_argument("--isolation", action="store_true", help="16 journey clients alone, then with 8 tour clients (heavy work must not starve journeys)")
    parser.add_argument("--code", type=Path, help="serve the maas checkout in this folder instead of this one (before/after runs)")
    args = parser.parse_args()
    wrk = ensure_wrk()
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, **({"PYTHONPATH": str(args.code.resolve())} if args.code else {})}
    if args.isolation:  # the heavy pool, not the per-client rate limit (all clients here are one address), is measured
        env.setdefault("MAAS_HEAVY_RATE_LIMIT", "1000/minute")
    server = subprocess.Popen(
        [sys.executable, "-m", "maas", "serve", "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so the workers stop with it
        cwd=args.code or ROOT,
        env=env,
    )
    code = str(args.code or "this checkout")
    results: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "workers": args.workers,
        "code": code,
        "machine": machine(),
        "journeys": [],
        "tours": [],
    }
    try:
        wait_healthy(base)
        with tempfile.TemporaryDirectory() as tmp:
            jscript = Path(tmp) / "journeys.lua"
            jscript.write_text(LUA.replace("{PATHS}", lua_list(journey_paths())).replace("{BODIES}", "{}").replace("{METHOD}", "GET"))
            tscript = Path(tmp) / "tours.lua"
            tscript.write_text(LUA.replace("{PATHS}", "{}").replace("{BODIES}", lua_list(tour_bodies())).replace("{METHOD}", "POST"))
            run_wrk(wrk, base, jscript, 2, 5)  # warm-up: JIT and day views in every worker
            if args.isolation:
                results["isolation"] = isolation(wrk, base, jscript, tscript, args.duration)
                return
            for c in (int(x) for x in args.clients.split(",")):
                r = run_wrk(wrk, base, jscript, c, args.duration)
                results["journeys"].append(r)
                print(
                    f"journeys  clients={c:<3} {r['rps']:>7} req/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  errors {r['errors']} non2xx {r['non2xx']}",
                    flush=True,
                )
            if not args.skip_tours:
                for c in (int(x) for x in args.clients.split(",")):
                    r = run_wrk(wrk, base, tscript, c, args.tour_duration)
                    results["tours"].append(r)
                    print(
                        f"tours     clients={c:<3} {r['rps']:>7} req/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  errors {r['errors']} non2xx {r['non2xx']}",
                        flush=True,
                    )
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        save(results, "isolation" if args.isolation else "load")


def save(results: dict, kind: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{kind}-{dt.date.today().isoformat()}{'-' + Path(results['code']).name if results['code'] != 'this checkout' else ''}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")


def isolation(wrk: str, base: str, jscript: Path, tscript: Path, duration: int) -> dict:
    """Journeys (16 clients) alone, then while 8 clients ask for tours; the ratios the issue asks for."""
    from concurrent.futures import ThreadPoolExecutor

    alone = run_wrk(wrk, base, jscript, 16, duration)
    print(f"journeys alone      {alone['rps']:>7} req/s  p95 {alone['p95_ms']} ms  statuses {alone['statuses']}", flush=True)
    with ThreadPoolExecutor(1) as pool:
        tours = pool.submit(run_wrk, wrk, base, tscript, 8, duration + 6)
        time.sleep(3)  # the tour clients are busy before journeys are measured
        mixed = run_wrk(wrk, base, jscript, 16, duration)
        heavy = tours.result()
    print(f"journeys with tours {mixed['rps']:>7} req/s  p95 {mixed['p95_ms']} ms  statuses {mixed['statuses']}", flush=True)
    print(
        f"tours (8 clients)   {heavy['rps']:>7} req/s  p50 {heavy['p50_ms']} ms  p95 {heavy['p95_ms']} ms  statuses {heavy['statuses']}  socket errors {heavy['errors']}",
        flush=True,
    )
    ratios = {
        "throughput_with_tours_over_alone": round(mixed["rps"] / alone["rps"], 3),
        "p95_with_tours_over_alone": round(mixed["p95_ms"] / alone["p95_ms"], 3),
    }
    print(f"ratios: throughput {ratios['throughput_with_tours_over_alone']} (goal >= 0.5), p95 {ratios['p95_with_tours_over_alone']} (goal <= 2)", flush=True)
    return {"journeys_alone": alone, "journeys_with_tours": mixed, "tours": heavy, **ratios}


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


if __name__ == "__main__":
    import urllib.parse

    main()
