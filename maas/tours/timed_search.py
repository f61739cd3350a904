"""Choose and order tour visits on the timetable's own arrival functions (time-dependent orienteering).

The real tour planner's search: a large-neighbourhood search whose every
timing goes through :func:`maas.tours.profiles.arrival`, the exact earliest
arrival between two places when leaving at a given second.  No average stands
in for a bus: leaving a visit a minute later may mean the next bus two hours
later, and the search sees it.  (The benchmark search in :mod:`maas.tours.lns`
keeps fixed travel times, which the OPTW/TOPTW sets have.)

A solution is ``routes[k, 0:rlen[k]]`` (start node, visits, end node) with
``st[k, p]`` the start of service at each position (the departure from the
start, the arrival at the end).  Inserting a visit is checked by timing the
rest of the route from the insertion on, stopping as soon as a start of
service is unchanged (arrival functions are FIFO: the rest is then unchanged
too).  A step removes a few visits (at random, a stretch of one day, or the
visits nearest a random one) or empties a day and starts it again from a
unvisited place drawn by its score (to jump to another town), refills greedily by score^p / (added time + 1),
moves visits within their day where that brings the day's end earlier, and is
accepted by simulated annealing on the score.  The search stops at the time
limit or after ``patience`` steps without a better tour, and says which.

Settings are one frozen, validated :class:`SearchSettings`; the compiled
kernels take grouped arrays (:class:`TimedProblem`, :class:`~maas.tours.profiles.Profiles`,
:class:`Solution` named tuples).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from maas._jit import njit
from maas.errors import InputError
from maas.tours.profiles import Profiles, arrival

INF = np.int64(1) << np.int64(60)


@dataclass(frozen=True)
class SearchSettings:
    """How long and how the timed search looks for a better tour; every field is checked.

    Parameters
    ----------
    time_limit_s
        Most seconds of search (0 to 600).
    patience
        Stop after this many steps in a row without a better tour (1 or more); the
        answer then says no better tour was found in that many steps.
    restart_after
        Go back to the best tour, shaken, after this many steps without a better one.
    removal_share
        At most this share of the visits is removed per step (0 to 1].
    noise
        Relative noise on the scores during a repair (0 to 1).
    temperature
        Start temperature as a share of the mean candidate score (0 or more); it falls linearly.
    seed
        Seed of the random numbers: the same problem, settings and seed give the same tour
        when the search stops on ``patience``.
    """

    time_limit_s: float = 2.0
    patience: int = 200
    restart_after: int = 60
    removal_share: float = 0.4
    noise: float = 0.2
    temperature: float = 0.5
    seed: int = 0

    def __post_init__(self) -> None:
        checks = {
            "time_limit_s": isinstance(self.time_limit_s, (int, float)) and math.isfinite(self.time_limit_s) and 0 <= self.time_limit_s <= 600,
            "patience": isinstance(self.patience, int) and self.patience >= 1,
            "restart_after": isinstance(self.restart_after, int) and self.restart_after >= 1,
            "removal_share": isinstance(self.removal_share, (int, float)) and 0 < self.removal_share <= 1,
            "noise": isinstance(self.noise, (int, float)) and 0 <= self.noise <= 1,
            "temperature": isinstance(self.temperature, (int, float)) and math.isfinite(self.temperature) and self.temperature >= 0,
            "seed": isinstance(self.seed, int) and 0 <= self.seed < 2**32,
        }
        for name, ok in checks.items():
            if not ok:
                raise InputError(f"{name}: {getattr(self, name)!r} is outside its limits (see SearchSettings)", name)


class TimedProblem(NamedTuple):
    """Nodes and days of a timed tour problem, as grouped arrays.

    Nodes ``starts[k]`` / ``ends[k]`` are day k's start and end; ``cand`` the POI nodes.
    ``open_[k, j]``..``close[k, j]`` is when a visit to j may start on day k (``close < open``:
    not that day).  Day k leaves its start at ``t0[k]`` or later and reaches its end by ``t1[k]``.
    ``value`` is the score (a must-visit node carries a bonus larger than all others together);
    ``xy`` positions (metres) for "nearby" removals.
    """

    value: np.ndarray
    service: np.ndarray
    open_: np.ndarray
    close: np.ndarray
    t0: np.ndarray
    t1: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    cand: np.ndarray
    xy: np.ndarray


class Solution(NamedTuple):
    """One solution's arrays: ``routes``, ``rlen``, ``st`` (see the module docstring), ``where[j]``
    (the day visiting j, or -1) and ``key`` = [score, total time of the days]."""

    routes: np.ndarray
    rlen: np.ndarray
    st: np.ndarray
    where: np.ndarray
    key: np.ndarray


@dataclass(frozen=True)
class SearchResult:
    """The best tours found (node lists per day), their score, and how the search ended."""

    tours: list[list[int]]
    score: int
    steps: int
    restarts: int
    since_best: int
    stopped: str  # "patience" or "time limit" or "nothing to choose"
    time_s: float


# --- timing ------------------------------------------------------------------------------------------


@njit(cache=True)
def _time_route(pb, prof, sol, k):
    """Time day k as early as possible (fills st); return the first late position, or -1 when the day is on time."""
    L = sol.rlen[k]
    t = pb.t0[k]
    sol.st[k, 0] = t
    a = sol.routes[k, 0]
    bad = -1
    for p in range(1, L):
        b = sol.routes[k, p]
        t = arrival(prof, k, a, b, t + pb.service[a])
        if p == L - 1:
            if t > pb.t1[k] and bad < 0:
                bad = p
        else:
            if t > pb.close[k, b] and bad < 0:
                bad = p
            if t < pb.open_[k, b]:
                t = pb.open_[k, b]
        sol.st[k, p] = t
        a = b
    return bad


@njit(cache=True)
def _fix_route(pb, prof, sol, k):
    """Re-time day k, dropping late visits (the first each time) until it is on time.

    Removing a visit can make a later one late: arrival functions between places need not obey
    the triangle inequality (two walks of up to the walking limit via a place, or one ride more,
    are not one journey).
    """
    bad = _time_route(pb, prof, sol, k)
    while bad >= 0 and sol.rlen[k] > 2:
        if bad == sol.rlen[k] - 1:
            bad -= 1
        _remove(sol, k, bad)
        bad = _time_route(pb, prof, sol, k)


@njit(cache=True)
def _insertion_delay(pb, prof, sol, k, j, pos):
    """The time visiting j after position pos takes: how much later one reaches the next place (INF when something is then late).

    Measured at the next place's arrival, before any wait there, so that a visit filling the
    wait for a sparse bus is not mistaken for a free one.
    """
    a = sol.routes[k, pos]
    t = arrival(prof, k, a, j, sol.st[k, pos] + pb.service[a])
    if t > pb.close[k, j]:
        return INF
    if t < pb.open_[k, j]:
        t = pb.open_[k, j]
    prev = j
    L = sol.rlen[k]
    b = sol.routes[k, pos + 1]
    cost = arrival(prof, k, j, b, t + pb.service[j]) - arrival(prof, k, a, b, sol.st[k, pos] + pb.service[a])
    if cost < 0:
        cost = 0
    for p in range(pos + 1, L):
        b = sol.routes[k, p]
        t = arrival(prof, k, prev, b, t + pb.service[prev])
        if p == L - 1:
            if t > pb.t1[k]:
                return INF
            return cost
        if t > pb.close[k, b]:
            return INF
        if t < pb.open_[k, b]:
            t = pb.open_[k, b]
        if t == sol.st[k, p]:
            return cost  # the rest of the day is unchanged
        prev = b
    return INF


@njit(cache=True)
def _insert(pb, prof, sol, k, j, pos):
    L = sol.rlen[k]
    for p in range(L, pos + 1, -1):
        sol.routes[k, p] = sol.routes[k, p - 1]
    sol.routes[k, pos + 1] = j
    sol.rlen[k] = L + 1
    sol.where[j] = k
    _time_route(pb, prof, sol, k)


@njit(cache=True)
def _remove(sol, k, pos):
    L = sol.rlen[k]
    sol.where[sol.routes[k, pos]] = -1
    for p in range(pos, L - 1):
        sol.routes[k, p] = sol.routes[k, p + 1]
    sol.rlen[k] = L - 1


@njit(cache=True)
def _evaluate(pb, sol):
    """Fill sol.key with (score, total time of the days)."""
    m = sol.rlen.shape[0]
    sc = np.int64(0)
    tt = np.int64(0)
    for k in range(m):
        L = sol.rlen[k]
        for p in range(1, L - 1):
            sc += pb.value[sol.routes[k, p]]
        tt += sol.st[k, L - 1] - sol.st[k, 0]
    sol.key[0] = sc
    sol.key[1] = tt


# --- repair: greedy insertion ----------------------------------------------------------------------------


@njit(cache=True)
def _repair(pb, prof, sol, noise, power, w):
    """Insert the unvisited node with the best score^power / (delay + 1) where it delays its day least, until none fits.

    ``w`` is scratch space of twice the candidates: their noisy weights, then whether each may still fit
    (a node that fits nowhere is not tried again in this repair: the days only fill up).
    """
    m = sol.rlen.shape[0]
    nc = pb.cand.shape[0]
    for c in range(nc):
        x = float(pb.value[pb.cand[c]])
        if noise > 0.0:
            x *= 1.0 + noise * (2.0 * np.random.random() - 1.0)
        w[c] = x**power
    for c in range(nc):
        w[nc + c] = 1.0  # still worth trying: cleared when a node fits nowhere (the days only fill up)
    while True:
        best = -1.0
        bj = -1
        bk = -1
        bp = -1
        for c in range(nc):
            j = pb.cand[c]
            if sol.where[j] >= 0 or w[nc + c] == 0.0:
                continue
            fits = False
            for k in range(m):
                if pb.close[k, j] < pb.open_[k, j]:
                    continue
                for pos in range(sol.rlen[k] - 1):
                    if sol.st[k, pos] > pb.close[k, j]:
                        break
                    d = _insertion_delay(pb, prof, sol, k, j, pos)
                    if d >= INF:
                        continue
                    fits = True
                    r = w[c] / (d + 1.0)
                    if r > best:
                        best = r
                        bj = j
                        bk = k
                        bp = pos
            if not fits:
                w[nc + c] = 0.0
        if bj < 0:
            return
        _insert(pb, prof, sol, bk, bj, bp)


# --- local search: move visits within their day ---------------------------------------------------------------


@njit(cache=True)
def _relocate(pb, prof, sol, k, tmp_routes):
    """Move single visits of day k to the position that ends the day earliest, while that helps."""
    improved = True
    while improved:
        improved = False
        L = sol.rlen[k]
        end0 = sol.st[k, L - 1]
        for i in range(1, L - 1):
            if improved:
                break
            for p in range(1, L - 1):
                if p == i:
                    continue
                for q in range(L):
                    tmp_routes[q] = sol.routes[k, q]
                x = sol.routes[k, i]
                # remove i, insert at p (positions in the route without i)
                if p < i:
                    for q in range(i, p, -1):
                        sol.routes[k, q] = sol.routes[k, q - 1]
                else:
                    for q in range(i, p):
                        sol.routes[k, q] = sol.routes[k, q + 1]
                sol.routes[k, p] = x
                if _time_route(pb, prof, sol, k) < 0 and sol.st[k, L - 1] < end0:
                    improved = True
                    break
                for q in range(L):
                    sol.routes[k, q] = tmp_routes[q]
                _time_route(pb, prof, sol, k)


# --- destroy -------------------------------------------------------------------------------------------------


@njit(cache=True)
def _destroy(pb, prof, sol, kind, q, buf, key):
    """Remove about q visits: at random (kind 0), a stretch of one day (1), or those nearest a random visit (2)."""
    m = sol.rlen.shape[0]
    nv = 0
    for k in range(m):
        for p in range(1, sol.rlen[k] - 1):
            buf[nv] = sol.routes[k, p]
            nv += 1
    if nv == 0:
        return
    if q > nv:
        q = nv
    if kind == 0:
        for i in range(q):
            r = i + np.random.randint(nv - i)
            x = buf[i]
            buf[i] = buf[r]
            buf[r] = x
    elif kind == 1:
        k0 = sol.where[buf[np.random.randint(nv)]]
        nk = sol.rlen[k0] - 2
        ln = q if q < nk else nk
        p0 = 1 + np.random.randint(nk - ln + 1)
        for i in range(ln):
            buf[i] = sol.routes[k0, p0 + i]
        q = ln
    else:
        s = buf[np.random.randint(nv)]
        for i in range(nv):
            v = buf[i]
            dx = pb.xy[s, 0] - pb.xy[v, 0]
            dy = pb.xy[s, 1] - pb.xy[v, 1]
            key[i] = math.sqrt(dx * dx + dy * dy) * (0.8 + 0.4 * np.random.random())
        for i in range(q):  # partial selection sort: the q nearest first
            b = i
            for r in range(i + 1, nv):
                if key[r] < key[b]:
                    b = r
            x = buf[i]
            buf[i] = buf[b]
            buf[b] = x
            y = key[i]
            key[i] = key[b]
            key[b] = y
    for i in range(q):
        j = buf[i]
        k = sol.where[j]
        for p in range(1, sol.rlen[k] - 1):
            if sol.routes[k, p] == j:
                _remove(sol, k, p)
                break
    for k in range(m):
        _fix_route(pb, prof, sol, k)


@njit(cache=True)
def _restart_day(pb, prof, sol):
    """Empty a random day and start it again from a random unvisited node (jumps to another part of the region)."""
    m = sol.rlen.shape[0]
    k = np.random.randint(m)
    while sol.rlen[k] > 2:
        _remove(sol, k, 1)
    _time_route(pb, prof, sol, k)
    total = 0.0
    for c in range(pb.cand.shape[0]):
        j = pb.cand[c]
        if sol.where[j] < 0 and pb.close[k, j] >= pb.open_[k, j] and _insertion_delay(pb, prof, sol, k, j, 0) < INF:
            total += float(pb.value[j])
    if total <= 0.0:
        return
    r = np.random.random() * total  # the seed drawn in proportion to its score
    for c in range(pb.cand.shape[0]):
        j = pb.cand[c]
        if sol.where[j] < 0 and pb.close[k, j] >= pb.open_[k, j] and _insertion_delay(pb, prof, sol, k, j, 0) < INF:
            r -= float(pb.value[j])
            if r < 0.0:
                _insert(pb, prof, sol, k, j, 0)
                return


# --- acceptance and the loop -----------------------------------------------------------------------------------


@njit(cache=True)
def _copy(src, dst):
    dst.routes[:, :] = src.routes
    dst.rlen[:] = src.rlen
    dst.st[:, :] = src.st
    dst.where[:] = src.where
    dst.key[:] = src.key


@njit(cache=True)
def _better(a, b):
    """Whether key a (score, time) beats key b: more score, or the same score in less time."""
    return a[0] > b[0] or (a[0] == b[0] and a[1] < b[1])


@njit(cache=True)
def _settle(pb, prof, sol, noise, power, w, tmp):
    _repair(pb, prof, sol, noise, power, w)
    for k in range(sol.rlen.shape[0]):
        _relocate(pb, prof, sol, k, tmp)
    _repair(pb, prof, sol, 0.0, 2.0, w)
    _evaluate(pb, sol)


@njit(cache=True)
def _run(pb, prof, cur, trial, best, n_iter, temp, qmax, noise, counters, buf, key, w, tmp):
    """Run n_iter destroy-repair steps with simulated-annealing acceptance; counters = [steps, since best]."""
    for _ in range(n_iter):
        _copy(cur, trial)
        kind = np.random.randint(4)
        if kind == 3:
            _restart_day(pb, prof, trial)
        else:
            q = 1 + np.random.randint(qmax)
            _destroy(pb, prof, trial, kind, q, buf, key)
        power = 1.0 if np.random.random() < 0.5 else 2.0
        _settle(pb, prof, trial, noise, power, w, tmp)
        counters[0] += 1
        counters[1] += 1
        if _better(trial.key, cur.key) or (trial.key[0] == cur.key[0] and np.random.random() < 0.5):
            accept = True
        else:
            accept = temp > 0 and np.random.random() < np.exp((trial.key[0] - cur.key[0]) / temp)
        if accept:
            _copy(trial, cur)
            if _better(cur.key, best.key):
                _copy(cur, best)
                counters[1] = 0


@njit(cache=True)
def _seed(s):
    np.random.seed(s)


def _solution(pb: TimedProblem, n: int) -> Solution:
    m = len(pb.starts)
    routes = np.zeros((m, n + 2), np.int64)
    routes[:, 0] = pb.starts
    routes[:, 1] = pb.ends
    return Solution(routes, np.full(m, 2, np.int64), np.zeros((m, n + 2), np.int64), np.full(n, -1, np.int64), np.zeros(2, np.int64))


def search(pb: TimedProblem, prof: Profiles, settings: SearchSettings = SearchSettings()) -> SearchResult:
    """Return the best tours found for ``pb`` on the arrival functions ``prof`` (see the module docstring)."""
    clock = time.perf_counter()
    n = prof.n
    _seed(settings.seed)
    cur, trial, best = (_solution(pb, n) for _ in range(3))
    w = np.zeros(2 * max(len(pb.cand), 1))
    buf = np.zeros(n + 1, np.int64)
    key = np.zeros(n + 1)
    tmp = np.zeros(n + 2, np.int64)
    for k in range(len(pb.starts)):
        _fix_route(pb, prof, cur, k)
    _settle(pb, prof, cur, 0.0, 2.0, w, tmp)
    _copy(cur, best)
    counters = np.zeros(2, np.int64)
    restarts = 0
    stopped = "nothing to choose" if len(pb.cand) == 0 else "patience"
    mean = float(np.mean(pb.value[pb.cand])) if len(pb.cand) else 0.0
    chunk = 10
    while len(pb.cand):
        elapsed = time.perf_counter() - clock
        if elapsed >= settings.time_limit_s:
            stopped = "time limit"
            break
        if counters[1] >= settings.patience:
            break
        frac = min(1.0, counters[1] / settings.restart_after)
        temp = settings.temperature * mean * (1.0 - frac)
        nv = int(np.sum(cur.rlen - 2))
        qmax = max(1, min(nv, int(settings.removal_share * nv))) if nv else 1
        n_it = int(min(chunk, settings.patience - counters[1]))
        _run(pb, prof, cur, trial, best, n_it, temp, qmax, settings.noise, counters, buf, key, w, tmp)
        if counters[1] and counters[1] % settings.restart_after < n_it:  # shake the best tour and go on from there
            _copy(best, cur)
            nv = int(np.sum(cur.rlen - 2))
            if nv:
                _destroy(pb, prof, cur, 0, max(1, nv // 3), buf, key)
            _settle(pb, prof, cur, 0.5, 1.0, w, tmp)
            restarts += 1
    tours = [[int(x) for x in best.routes[k, 1 : best.rlen[k] - 1]] for k in range(len(pb.starts))]
    return SearchResult(tours, int(best.key[0]), int(counters[0]), restarts, int(counters[1]), stopped, time.perf_counter() - clock)
