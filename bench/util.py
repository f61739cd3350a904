"""Shared helpers of the benchmark harness: paths, child processes with their peak memory, statistics, tables."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "_work"  # gitignored: caches, peer installs, adapted feeds
RESULTS = BENCH / "results"
CACHE = WORK / "cache"  # the benchmark's own timetable cache (never ~/.cache/maas)
DEFAULT_SHARED = ROOT.parent / "shared" / "data"


class Skip(Exception):
    """A benchmark part cannot run here (missing data or tool); the message says why."""


@dataclass
class ChildResult:
    """What a child process printed (its last stdout line, as JSON) and what it cost."""

    data: dict
    wall_s: float
    maxrss_kb: int
    returncode: int
    stderr: str


def run_child(cmd: list[str], timeout: float | None = None, env: dict | None = None) -> ChildResult:
    """Run a command; return its JSON output (last stdout line), wall time and its own peak RSS (KiB).

    Peak RSS is the child's own ``vmhwm_kb`` when it prints one, else the
    ``ru_maxrss`` of ``os.wait4`` for exactly this child.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}, cwd=str(ROOT))
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        chunks[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise Skip(f"timed out after {timeout:.0f} s: {' '.join(map(str, cmd[:4]))} ...")
        time.sleep(0.005)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    text = chunks.get("out", b"").decode("utf-8", "replace")
    data: dict = {}
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines:
        try:
            data = json.loads(lines[-1])
        except json.JSONDecodeError:
            data = {}
    # ru_maxrss keeps the high-water mark across fork/exec, so a child started by
    # a big parent reports at least the parent's size; children that can, report
    # their own VmHWM (see peak_rss_kb), which is exact.
    rss = int(data.get("vmhwm_kb") or usage.ru_maxrss)
    return ChildResult(data, wall, rss, proc.returncode, chunks.get("err", b"").decode("utf-8", "replace"))


def peak_rss_kb() -> int:
    """Return this process's own peak RSS in KiB: VmHWM from /proc (exact), else ru_maxrss.

    ``getrusage`` is not used first because Linux carries ``ru_maxrss`` over
    fork and exec: a small child of a big parent would report the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def check(child: ChildResult, what: str) -> dict:
    """Return the child's data or raise with the tail of its stderr."""
    if child.returncode != 0 or not child.data:
        tail = "\n".join(child.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{what} failed (exit {child.returncode}):\n{tail}")
    return child.data


# --- statistics --------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    """Return the q-th percentile (0..100), linear interpolation between order statistics."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary(seconds: list[float]) -> dict:
    """Return n, median, p95, mean, min, max (seconds) of a list of timings."""
    if not seconds:
        return {"n": 0}
    return {
        "n": len(seconds),
        "median_s": statistics.median(seconds),
        "p95_s": percentile(seconds, 95),
        "mean_s": statistics.fmean(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
    }


# --- machine -------------------------------------------------------------------
def machine_info() -> dict:
    """Return the facts RESULTS.md needs: cores, CPU, RAM, Python, numba, OS."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    try:
        import numba

        numba_version = numba.__version__
    except ImportError:
        numba_version = None
    import numpy

    return {
        "nproc": os.cpu_count(),
        "affinity_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "numba": numba_version,
        "platform": platform.platform(),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--", "maas")),
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# --- output --------------------------------------------------------------------
def ms(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x * 1000:.{digits}f}"


def sec(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def mib(kb: float | None) -> str:
    return "–" if not kb else f"{kb / 1024:.0f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table (also readable as plain text)."""
    cells = [headers] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(line(r) for r in cells[1:])])


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
