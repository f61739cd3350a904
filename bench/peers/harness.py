"""Run the peer planners on the same queries as maas and compare time and answers.

Peers, installed on first use under ``bench/_work`` (gitignored):

- **pyraptor 1.3.10** (PyPI) in its own virtualenv ``bench/_work/pyraptor-venv``
  with ``numpy<2`` and ``attrs``;
- **raptor-journey-planner** (npm) under ``bench/_work/node``.

The query set is the RAPTOR benchmark's (same seed, date, origins,
destinations and departure times), lifted to *stations*: each stop stands for
its adapter station group (see :mod:`peers.adapter`), because pyraptor only
plans between stations.  maas is timed again on exactly these
station-to-station queries (a child process, after warm-up), so every ratio
compares the same questions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

from util import BENCH, CACHE, WORK, Skip, check, log, run_child, summary

PYRAPTOR_VERSION = "1.3.10"
NPM_PACKAGE = "raptor-journey-planner"
NPM_VERSION = "2.2.3"
PYRAPTOR_VENV = WORK / "pyraptor-venv"
NODE_DIR = WORK / "node"
PEERS = Path(__file__).resolve().parent


# --- installation --------------------------------------------------------------------
def pyraptor_python() -> Path:
    """Return the pyraptor venv's python, creating the venv and installing pyraptor when needed."""
    py = PYRAPTOR_VENV / "bin" / "python"
    ok = py.exists() and subprocess.run([str(py), "-c", "import pyraptor, loguru"], capture_output=True).returncode == 0
    if ok:
        return py
    log(f"  peers: installing pyraptor {PYRAPTOR_VERSION} into {PYRAPTOR_VENV} (first run only)")
    venv.EnvBuilder(with_pip=True, clear=True).create(PYRAPTOR_VENV)
    r = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"pyraptor=={PYRAPTOR_VERSION}", "numpy<2", "attrs"],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise Skip(f"pip could not install pyraptor {PYRAPTOR_VERSION}: {r.stderr.strip().splitlines()[-1:]}")
    return py


def npm_modules() -> Path:
    """Return the node_modules folder holding raptor-journey-planner, installing it when needed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise Skip("node/npm not found on PATH")
    modules = NODE_DIR / "node_modules"
    if (modules / NPM_PACKAGE / "package.json").exists():
        return modules
    log(f"  peers: installing {NPM_PACKAGE}@{NPM_VERSION} into {NODE_DIR} (first run only)")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    if not (NODE_DIR / "package.json").exists():
        (NODE_DIR / "package.json").write_text('{"name": "maas-bench-peers", "private": true}\n')
    r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), f"{NPM_PACKAGE}@{NPM_VERSION}"], capture_output=True, text=True)
    if r.returncode != 0 or not (modules / NPM_PACKAGE).exists():
        raise Skip(f"npm could not install {NPM_PACKAGE}: {r.stderr.strip().splitlines()[-1:]}")
    return modules


def node_version() -> str | None:
    node = shutil.which("node")
    if not node:
        return None
    return subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()


# --- the comparison ------------------------------------------------------------------
def station_queries(meta: dict, stop_queries: list[dict], limit: int) -> list[dict]:
    """Lift stop-to-stop queries to station-to-station ones (skipping same-station pairs)."""
    index = {tuple(k): i for i, k in enumerate(meta["stops"])}
    groups, g_of = meta["groups"], meta["stop_group"]
    out = []
    for n, q in enumerate(stop_queries):
        o, d = index.get(tuple(q["origin"])), index.get(tuple(q["destination"]))
        if o is None or d is None or g_of[o] == g_of[d]:
            continue
        go, gd = groups[g_of[o]], groups[g_of[d]]
        out.append(
            {
                "source_query": n,
                "time": q["time"],
                "origin_stop": o,
                "destination_stop": d,
                "origin_station": go["name"],
                "destination_station": gd["name"],
                "origin_keys": [meta["stops"][i] for i in go["stops"]],
                "destination_keys": [meta["stops"][i] for i in gd["stops"]],
                "origin_ids": [f"s{i}" for i in go["stops"]],
                "destination_ids": [f"s{i}" for i in gd["stops"]],
            }
        )
        if len(out) >= limit:
            break
    return out


def load_adapted(folder: Path, meta: dict) -> dict:
    """Read back the adapted trips and walking links, for checking maas's journeys against them."""
    import csv
    from collections import defaultdict

    def secs(text: str) -> int:
        h, m, x = text.split(":")
        return int(h) * 3600 + int(m) * 60 + int(x)

    times: dict[int, list] = defaultdict(list)
    with open(folder / "stop_times.txt", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            times[int(r["trip_id"][1:])].append(
                (int(r["stop_id"][1:]), secs(r["arrival_time"]), secs(r["departure_time"]), r["pickup_type"] == "1", r["drop_off_type"] == "1")
            )
    links = {}
    with open(folder / "transfers.txt", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            links[(int(r["from_stop_id"][1:]), int(r["to_stop_id"][1:]))] = int(r["min_transfer_time"])
    by_trip: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(meta["trips"]):
        by_trip[tuple(key)].append(i)
    return {"times": times, "links": links, "by_trip": by_trip, "stop": {tuple(k): i for i, k in enumerate(meta["stops"])}}


def verify_maas(adapted: dict, q: dict, answer: dict) -> list[str]:
    """Check one maas station-to-station answer against the adapter's independent reading of the feed.

    Rides must be real trips running that day (board/alight times equal, pickup
    and drop-off allowed); walks between two stops must be a walking link of
    exactly that duration (or a walk-only journey between the station's own
    stops); legs must follow one another and start no earlier than asked.
    """
    issues: list[str] = []
    if answer["arrival"] is None:
        return issues
    stop = adapted["stop"]
    origin = {tuple(k) for k in q["origin_keys"]}
    destination = {tuple(k) for k in q["destination_keys"]}
    clock = q["time"]
    legs = answer["legs"]
    for n, (mode, a, b, dep, arr, _route, feed, trip_id) in enumerate(legs):
        if dep < clock:
            issues.append(f"leg {n} ({mode}) departs {dep} before {clock}")
        clock = arr
        if mode == "walk":
            if isinstance(a, list) and isinstance(b, list):
                sa, sb = stop.get(tuple(a)), stop.get(tuple(b))
                if sa is None or sb is None:
                    issues.append(f"walk {a}->{b}: stop not served on the date")
                elif adapted["links"].get((sa, sb)) != arr - dep:
                    issues.append(f"walk {a}->{b} takes {arr - dep} s; the walking link is {adapted['links'].get((sa, sb))}")
            continue
        sa, sb = stop.get(tuple(a)), stop.get(tuple(b))
        ok = False
        for t in adapted["by_trip"].get((feed, trip_id), []):
            seq = adapted["times"][t]
            for i, (s1, _a1, d1, no_pick, _nd) in enumerate(seq):
                if s1 == sa and d1 == dep and not no_pick:
                    if any(s2 == sb and a2 == arr and not no_drop for s2, a2, _d2, _np, no_drop in seq[i + 1 :]):
                        ok = True
        if not ok:
            issues.append(f"ride {feed}:{trip_id} {a} {dep} -> {b} {arr} is not in the feed's timetable for the date")
    if legs:
        first, last = legs[0], legs[-1]
        if isinstance(first[1], list) and tuple(first[1]) not in origin:
            issues.append(f"starts at {first[1]}, not at the origin station")
        if isinstance(last[2], list) and tuple(last[2]) not in destination:
            issues.append(f"ends at {last[2]}, not at the destination station")
        if legs[-1][4] != answer["arrival"]:
            issues.append("arrival differs from the last leg's")
    return issues


def compare(ours: list[dict], theirs: list[dict], queries: list[dict]) -> dict:
    """Compare earliest arrivals query by query; keep examples of each kind of difference."""
    kinds = {"equal": 0, "peer_earlier": 0, "peer_later": 0, "only_maas": 0, "only_peer": 0, "neither": 0}
    examples: dict[str, list] = {k: [] for k in kinds}
    deltas = []
    for q, a, b in zip(queries, ours, theirs):
        x, y = a["arrival"], b["arrival"]
        if x is None and y is None:
            kind = "neither"
        elif x is None:
            kind = "only_peer"
        elif y is None:
            kind = "only_maas"
        elif x == y:
            kind = "equal"
        else:
            kind = "peer_earlier" if y < x else "peer_later"
            deltas.append(y - x)
        kinds[kind] += 1
        if kind != "equal" and len(examples[kind]) < 6:
            examples[kind].append(
                {
                    "query": {k: q[k] for k in ("source_query", "time", "origin_station", "destination_station", "origin_keys", "destination_keys")},
                    "maas": {"arrival": x, "legs": a.get("legs"), "verify": a.get("verify")},
                    "peer": {"arrival": y, "legs": b.get("legs")},
                }
            )
    return {"counts": kinds, "delta_s": summary([float(d) for d in deltas]) if deltas else {"n": 0}, "examples": examples}


def timing_ratio(ours: list[dict], theirs: list[dict]) -> dict:
    """Return the peer/maas ratio of medians and of totals over the same queries (wall clock, and CPU time)."""
    n = min(len(ours), len(theirs))
    if n == 0:
        return {}
    a, b = [x["seconds"] for x in ours[:n]], [x["seconds"] for x in theirs[:n]]
    out = {
        "n": n,
        "maas_median_s": statistics.median(a),
        "peer_median_s": statistics.median(b),
        "ratio_of_medians": statistics.median(b) / statistics.median(a),
        "ratio_of_totals": sum(b) / sum(a),
    }
    if all("cpu_seconds" in x for x in ours[:n] + theirs[:n]):
        ca, cb = [x["cpu_seconds"] for x in ours[:n]], [x["cpu_seconds"] for x in theirs[:n]]
        if statistics.median(ca) > 0 and sum(ca) > 0:
            out.update(
                {
                    "maas_cpu_median_s": statistics.median(ca),
                    "peer_cpu_median_s": statistics.median(cb),
                    "cpu_ratio_of_medians": statistics.median(cb) / statistics.median(ca),
                    "cpu_ratio_of_totals": sum(cb) / sum(ca),
                }
            )
    return out


def _digest(folder: Path) -> str:
    h = hashlib.sha256(f"pyraptor-{PYRAPTOR_VERSION}".encode())
    for name in ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar_dates.txt", "agency.txt"):
        h.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return h.hexdigest()[:24]


def run_pyraptor(folder: Path, date: str, queries: list[dict], rounds: int, fresh: bool, timeout: float) -> dict:
    """Prepare (or reuse a prepared) pyraptor timetable, then time the queries."""
    py = pyraptor_python()
    prepared = WORK / "pyraptor-prepared" / _digest(folder)
    info_file = prepared / "prepare.json"
    if fresh or not info_file.exists() or not (prepared / "timetable.pcl").exists():
        log(f"  peers: pyraptor preprocessing {folder.name} (slow: minutes on the big feeds)")
        prepared.mkdir(parents=True, exist_ok=True)
        out = prepared / "prepare.tmp.json"
        c = run_child([str(py), str(PEERS / "pyraptor_runner.py"), "prepare", str(folder), date.replace("-", ""), str(prepared), str(out)], timeout=timeout)
        if c.returncode != 0 or not out.exists():
            raise RuntimeError("pyraptor preprocessing failed:\n" + "\n".join(c.stderr.strip().splitlines()[-15:]))
        info = json.loads(out.read_text())
        info.update({"measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "child_maxrss_kb": info.get("vmhwm_kb") or c.maxrss_kb})
        info_file.write_text(json.dumps(info))
        out.unlink()
        info["reused"] = False
    else:
        info = json.loads(info_file.read_text())
        info["reused"] = True
        log(f"  peers: pyraptor preprocessing of {folder.name} reused from {info['measured_at']} ({info['preprocess_s']:.0f} s then)")
    spec = WORK / "tmp" / f"pyraptor-{folder.name}.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps({"rounds": rounds, "queries": [[f"s{q['origin_stop']}", f"s{q['destination_stop']}", q["time"]] for q in queries]}))
    result = spec.with_suffix(".out.json")
    log(f"  peers: pyraptor {len(queries)} queries on {folder.name}")
    c = run_child([str(py), str(PEERS / "pyraptor_runner.py"), "query", str(prepared), str(spec), str(result)], timeout=timeout)
    if c.returncode != 0 or not result.exists():
        raise RuntimeError("pyraptor queries failed:\n" + "\n".join(c.stderr.strip().splitlines()[-15:]))
    data = json.loads(result.read_text())
    data["prepare"] = info
    data["query_child_maxrss_kb"] = data.get("vmhwm_kb") or c.maxrss_kb
    return data


def run_npm(folder: Path, date: str, queries: list[dict], range_sample: int, window_s: int, timeout: float) -> dict:
    modules = npm_modules()
    spec = WORK / "tmp" / f"npm-{folder.name}.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(
        json.dumps(
            {
                "date": date,
                "window_s": window_s,
                "range_sample": range_sample,
                "extra_passes": True,
                "queries": [[q["origin_ids"], q["destination_ids"], q["time"]] for q in queries],
            }
        )
    )
    result = spec.with_suffix(".out.json")
    log(f"  peers: {NPM_PACKAGE} {len(queries)} queries on {folder.name}")
    c = run_child(
        ["node", "--max-old-space-size=4096", str(PEERS / "raptor_npm_runner.js"), str(modules), str(folder), str(spec), str(result)],
        timeout=timeout,
        env={"TZ": "UTC"},
    )
    if c.returncode != 0 or not result.exists():
        raise RuntimeError(f"{NPM_PACKAGE} failed:\n" + "\n".join(c.stderr.strip().splitlines()[-15:]))
    data = json.loads(result.read_text())
    data["child_maxrss_kb"] = data.get("vmhwm_kb") or c.maxrss_kb
    return data


def run(
    label: str,
    paths: list[Path],
    raptor: dict,
    n_pyraptor: int,
    n_npm: int,
    npm_range: int,
    use_pyraptor: bool,
    use_npm: bool,
    fresh: bool,
    timeout: float = 3600.0,
) -> dict:
    """Compare maas with the peers on one feed (set); ``raptor`` is that feed's RAPTOR benchmark result."""
    sys.path.insert(0, str(PEERS.parent))
    from maas.timetable.cache import unique_names
    from peers.adapter import adapt

    date = raptor["date"]
    folder = WORK / "adapted" / f"{label}-{date}"
    t0 = time.perf_counter()
    meta = adapt(list(zip(unique_names(paths), paths)), dt.date.fromisoformat(date), folder)
    adapt_s = time.perf_counter() - t0
    n_max = max(n_pyraptor if use_pyraptor else 0, n_npm if use_npm else 0)
    queries = station_queries(meta, raptor["queries"], n_max)
    out: dict = {
        "label": label,
        "date": date,
        "adapter": {"seconds": adapt_s, "folder": str(folder), "counts": meta["counts"]},
        "n_station_queries": len(queries),
        "skipped": [],
    }
    # maas on the station-to-station queries.
    spec = WORK / "tmp" / f"maas-stations-{label}.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    n_range = min(npm_range, n_npm, len(queries)) if use_npm else 0
    spec.write_text(
        json.dumps({"date": date, "range_n": n_range, "window_s": 3600, "queries": [[q["origin_keys"], q["destination_keys"], q["time"]] for q in queries]})
    )
    mc = run_child(
        [sys.executable, str(BENCH / "raptor_bench.py"), "--child", "stations", *map(str, paths), "--cache-dir", str(CACHE), "--queries", str(spec)],
        timeout=timeout,
    )
    mdata = check(mc, f"maas station queries on {label}")
    ours = mdata["queries"]
    out["maas"] = {
        "ea": summary([q["seconds"] for q in ours]),
        "answered": sum(q["arrival"] is not None for q in ours),
        "range": summary([r["seconds"] for r in mdata["range"]]),
        "range_journeys_mean": statistics.fmean([r["journeys"] for r in mdata["range"]]) if mdata["range"] else None,
    }
    adapted = load_adapted(folder, meta)
    checked = [verify_maas(adapted, q, a) for q, a in zip(queries, ours)]
    for a, issues in zip(ours, checked):
        a["verify"] = issues
    out["maas"]["verified"] = {
        "answers": sum(a["arrival"] is not None for a in ours),
        "consistent_with_feed": sum(a["arrival"] is not None and not i for a, i in zip(ours, checked)),
        "problems": [{"query": n, "issues": i, "legs": a["legs"]} for n, (a, i) in enumerate(zip(ours, checked)) if i][:10],
    }
    out["queries"] = [
        {
            "time": q["time"],
            "origin_station": q["origin_station"],
            "destination_station": q["destination_station"],
            "maas_arrival": a["arrival"],
            "maas_s": a["seconds"],
        }
        for q, a in zip(queries, ours)
    ]
    if use_pyraptor:
        try:
            sub = queries[:n_pyraptor]
            pr = run_pyraptor(folder, date, sub, rounds=9, fresh=fresh, timeout=timeout)
            pq = pr["queries"]
            out["pyraptor"] = {
                "version": PYRAPTOR_VERSION,
                "rounds": 9,
                "prepare": pr["prepare"],
                "load_s": pr["load_s"],
                "query_child_maxrss_kb": pr["query_child_maxrss_kb"],
                "ea": summary([q["seconds"] for q in pq]),
                "answered": sum(q["arrival"] is not None for q in pq),
                "ratio": timing_ratio(ours[: len(pq)], pq),
                "answers": compare(ours[: len(pq)], pq, sub),
            }
            for row, q in zip(out["queries"], pq):
                row.update({"pyraptor_arrival": q["arrival"], "pyraptor_s": q["seconds"]})
        except (Skip, RuntimeError) as e:
            log(f"  peers: pyraptor on {label} skipped: {e}")
            out["skipped"].append({"peer": "pyraptor", "reason": str(e)})
    if use_npm:
        try:
            sub = queries[:n_npm]
            nr = run_npm(folder, date, sub, min(npm_range, len(sub)), 3600, timeout)
            nq = nr["queries"]
            out["npm"] = {
                "package": f"{NPM_PACKAGE}@{nr.get('package_version', NPM_VERSION)}",
                "node": nr.get("node"),
                "load_s": nr["load_s"],
                "preprocess_s": nr["preprocess_s"],
                "child_maxrss_kb": nr["child_maxrss_kb"],
                "ea": summary([q["seconds"] for q in nq]),
                "answered": sum(q["arrival"] is not None for q in nq),
                "range": summary([r["seconds"] for r in nr.get("range", [])]),
                "range_journeys_mean": statistics.fmean([r["journeys"] for r in nr["range"]]) if nr.get("range") else None,
                "ratio": timing_ratio(ours[: len(nq)], nq),
                "range_ratio": timing_ratio(mdata["range"], nr.get("range", [])),
                "answers": compare(ours[: len(nq)], nq, sub),
            }
            notes = {
                "nocache": "RouteScanner scan-position cache off (answers cross-check only)",
                "aligned": "scan-position cache off and no walk right after a walk: maas's semantics on the same links (answers cross-check only)",
            }
            out["npm"]["passes"] = {
                name: {"note": notes[name], "ea": summary([q["seconds"] for q in res]), "answers": compare(ours[: len(res)], res, sub)}
                for name, res in (nr.get("passes") or {}).items()
            }
            for row, q in zip(out["queries"], nq):
                row.update({"npm_arrival": q["arrival"], "npm_s": q["seconds"]})
        except (Skip, RuntimeError) as e:
            log(f"  peers: {NPM_PACKAGE} on {label} skipped: {e}")
            out["skipped"].append({"peer": NPM_PACKAGE, "reason": str(e)})
    return out


if __name__ == "__main__":
    sys.exit("run bench/run.py --only peers")
