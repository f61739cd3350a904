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
accepted by simulated annealing on the score.  A better tour is polished: a
visit, or two, swapped for an unvisited place scoring more where it still fits
(:func:`_swap_in`), each day re-planned exactly over its visits and a few
unvisited places near them (:func:`_replan_day`, dynamic programming over
subsets: the best choice and order of those places on the real buses),
stretches moved, the time freed refilled.

Sparse buses make regions of good tours far apart (a day in town, or a day
with the cave an hour's ride away), so the search first starts from scratch
and from a few *anchors* per day (high-scoring places far from one another, each
pinned for its start), and goes on from the best of these starts.  It stops
at the time limit or after ``patience`` steps without a better tour, and says which;
the answer's last polish re-plans each day over one place more, the nearest
small sight next door (:data:`FINAL_NODES`), and over the nearest places other
days visit, refilling those days (:meth:`_Search.take_from_other_days`; every
day is then re-planned again), and lets in a highlight worth more than twice
any visit of a day in place of a stretch of its visits
(:meth:`_Search.clear_for_highlight`).

Settings are one frozen, validated :class:`SearchSettings`; the compiled
kernels take grouped arrays (:class:`TimedProblem`, :class:`~maas.tours.profiles.Profiles`,
:class:`Solution` named tuples).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from maas._jit import njit
from maas.errors import InputError
from maas.tours.lns_exact import dp_path
from maas.tours.lns_moves import _keep_smallest
from maas.tours.profiles import Profiles, arrival

INF = np.int64(1) << np.int64(60)
#: Most places of one day's exact re-planning (2**n subsets; 12: about 600,000 arrival lookups).
REPLAN_NODES = 12
#: Re-plannings of one day, each with the next best unvisited places, until one finds a better day.
REPLAN_ROUNDS = 3
#: Unvisited places a day's re-planning may add lie within this distance (metres) of its visits, start or end.
REPLAN_NEAR_M = 2000.0
#: The answer's last polish re-plans a day over one place more (2**13 subsets: a full day of twelve
#: visits can still take a thirteenth), the extras within :data:`FINAL_NEAR_M` of its visits: a small
#: sight next door that fits only when the day is re-ordered (the tourist office by Yuda's footbath).
FINAL_NODES = 13
FINAL_NEAR_M = 500.0
#: Stretches of visits, from each first one, that a highlight may replace: the shortest that let it in
#: (1: Yamaguchi's nature tour stayed at 802 on one seed of 7; 3: 817, the 10 s score, on all 7).
HIGHLIGHT_STRETCHES = 3
#: Tours with a highlight let in (see :meth:`_Search.clear_for_highlight`) that are polished, the best-scoring
#: first (three cost Yamaguchi's nature tour 0.05-0.1 s more for no better worst seed).
HIGHLIGHT_TRIES = 1
#: Share of the time limit kept for the answer's last polish (0.2 s of the default 2 s; it takes 0.05-0.1 s).
FINAL_SHARE = 0.1


@dataclass(frozen=True)
class SearchSettings:
    """How long and how the timed search looks for a better tour; every field is checked.

    Parameters
    ----------
    time_limit_s
        Most seconds of search (0 to 600), its last tenth kept for the answer's last polish
        (:data:`FINAL_SHARE`).
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
    anchors
        Starts from other parts of the region before the main search, per day of the tour (a
        second day has other towns to choose from): each begins with one high-scoring place at
        least ``anchor_gap_m`` from the others' (a remote sight that the greedy fill would never
        choose first, such as a cave an hour's bus ride away), and is searched for
        ``anchor_patience`` steps without a better tour; the main search goes on from the best
        of them and the plain start (0: the plain start only).
    anchor_gap_m
        Least distance (metres) between two anchors.
    anchor_patience
        Steps without a better tour that end the search from one anchor.
    """

    time_limit_s: float = 2.0
    patience: int = 150
    restart_after: int = 60
    removal_share: float = 0.4
    noise: float = 0.2
    temperature: float = 0.5
    seed: int = 0
    anchors: int = 2
    anchor_gap_m: float = 5000.0
    anchor_patience: int = 40

    def __post_init__(self) -> None:
        checks = {
            "time_limit_s": isinstance(self.time_limit_s, (int, float)) and math.isfinite(self.time_limit_s) and 0 <= self.time_limit_s <= 600,
            "patience": isinstance(self.patience, int) and self.patience >= 1,
            "restart_after": isinstance(self.restart_after, int) and self.restart_after >= 1,
            "removal_share": isinstance(self.removal_share, (int, float)) and 0 < self.removal_share <= 1,
            "noise": isinstance(self.noise, (int, float)) and 0 <= self.noise <= 1,
            "temperature": isinstance(self.temperature, (int, float)) and math.isfinite(self.temperature) and self.temperature >= 0,
            "seed": isinstance(self.seed, int) and 0 <= self.seed < 2**32,
            "anchors": isinstance(self.anchors, int) and 0 <= self.anchors <= 20,
            "anchor_gap_m": isinstance(self.anchor_gap_m, (int, float)) and math.isfinite(self.anchor_gap_m) and self.anchor_gap_m >= 0,
            "anchor_patience": isinstance(self.anchor_patience, int) and self.anchor_patience >= 1,
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
    starts: int = 1  # independent starts searched (the plain one and the anchors')


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
    """Move stretches of one to three visits of day k to where the day ends earliest, while that helps.

    Stretches matter on sparse buses: two sights beside one stop (a cave and its visitor
    centre) move together to another bus, which moving either alone never finds.
    """
    improved = True
    while improved:
        improved = False
        L = sol.rlen[k]
        end0 = sol.st[k, L - 1]
        for q in range(L):
            tmp_routes[q] = sol.routes[k, q]
        for seg in range(1, 4):
            if improved:
                break
            for i in range(1, L - seg):  # the stretch routes[i : i + seg]
                if improved:
                    break
                for p in range(1, L - seg):  # its first position in the new route
                    if p == i:
                        continue
                    # the route without the stretch, with the stretch put back before its p-th place
                    w = 0
                    for q in range(L):
                        if i <= q < i + seg:
                            continue
                        if w == p:
                            for r in range(seg):
                                sol.routes[k, w + r] = tmp_routes[i + r]
                            w += seg
                        sol.routes[k, w] = tmp_routes[q]
                        w += 1
                    if _time_route(pb, prof, sol, k) < 0 and sol.st[k, L - 1] < end0:
                        improved = True
                        break
                    for q in range(L):
                        sol.routes[k, q] = tmp_routes[q]
        if not improved:
            _time_route(pb, prof, sol, k)


@njit(cache=True)
def _swap_in(pb, prof, sol, saved):
    """Replace one or two visits of a day by an unvisited place scoring more, where that is on time; repeat while it helps.

    For each unvisited candidate and each visit, or pair of visits, of a day the candidate is
    open that together score less: take them out, put the candidate where it delays the day
    least, and keep the change when it is on time (``saved`` is a scratch Solution).  The
    repair that follows may fill the time left.  Returns the number of swaps made.
    """
    m = sol.rlen.shape[0]
    swaps = 0
    improved = True
    while improved:
        improved = False
        _evaluate(pb, sol)
        for c in range(pb.cand.shape[0]):
            j = pb.cand[c]
            if sol.where[j] >= 0:
                continue
            for k in range(m):
                if improved:
                    break
                if pb.close[k, j] < pb.open_[k, j]:
                    continue
                L = sol.rlen[k]
                for i in range(1, L - 1):
                    if improved:
                        break
                    for i2 in range(i, L - 1):  # i2 == i: i alone
                        out = pb.value[sol.routes[k, i]] + (pb.value[sol.routes[k, i2]] if i2 > i else 0)
                        if out >= pb.value[j]:
                            continue
                        _copy(sol, saved)
                        if i2 > i:
                            _remove(sol, k, i2)
                        _remove(sol, k, i)
                        if _swap_fits(pb, prof, sol, k, j) and _better(sol.key, saved.key):
                            swaps += 1
                            improved = True
                            break
                        _copy(saved, sol)
            if improved:
                break
    return swaps


@njit(cache=True)
def _replan_day(pb, prof, sol, k, nodes, n, tbl, par):
    """Re-plan day k exactly over ``nodes[:n]`` (its visits and a few unvisited places): the best subset and order.

    Dynamic programming over subsets: ``tbl[mask, last]`` is the earliest start of service at
    ``nodes[last]`` having visited ``mask``; earliest is best, since arrival functions are FIFO and
    waiting is allowed.  The day is replaced when the best plan scores more (or the same, ending
    earlier).  ``tbl``/``par`` are scratch of at least ``2**n`` rows and ``n`` columns.  Returns
    whether the day changed.
    """
    full = 1 << n
    a0 = pb.starts[k]
    e = pb.ends[k]
    for mask in range(full):
        for i in range(n):
            tbl[mask, i] = INF
    for i in range(n):
        j = nodes[i]
        t = arrival(prof, k, a0, j, pb.t0[k] + pb.service[a0])
        if t <= pb.close[k, j]:
            tbl[1 << i, i] = max(t, pb.open_[k, j])
            par[1 << i, i] = -1
    best_mask = 0
    best_last = -1
    best_score = np.int64(-1)
    best_end = INF
    t_direct = arrival(prof, k, a0, e, pb.t0[k] + pb.service[a0])
    if t_direct <= pb.t1[k]:
        best_score = np.int64(0)
        best_end = np.int64(t_direct)
    for mask in range(1, full):
        score = np.int64(0)
        for i in range(n):
            if mask & (1 << i):
                score += pb.value[nodes[i]]
        for last in range(n):
            t = tbl[mask, last]
            if t >= INF:
                continue
            a = nodes[last]
            leave = t + pb.service[a]
            end = arrival(prof, k, a, e, leave)
            if end <= pb.t1[k] and (score > best_score or (score == best_score and end < best_end)):
                best_score = score
                best_end = np.int64(end)
                best_mask = mask
                best_last = last
            for nxt in range(n):
                if mask & (1 << nxt):
                    continue
                j = nodes[nxt]
                u = arrival(prof, k, a, j, leave)
                if u > pb.close[k, j]:
                    continue
                if u < pb.open_[k, j]:
                    u = pb.open_[k, j]
                m2 = mask | (1 << nxt)
                if u < tbl[m2, nxt]:
                    tbl[m2, nxt] = u
                    par[m2, nxt] = last
    L = sol.rlen[k]
    score_now = np.int64(0)
    for p in range(1, L - 1):
        score_now += pb.value[sol.routes[k, p]]
    if best_score < score_now or (best_score == score_now and best_end >= sol.st[k, L - 1]):
        return False
    while sol.rlen[k] > 2:
        _remove(sol, k, 1)
    order = np.empty(n, np.int64)
    cnt = dp_path(par, best_mask, best_last, nodes, order)
    for i in range(cnt):  # order holds the visits from last to first
        j = order[cnt - 1 - i]
        L = sol.rlen[k]
        sol.routes[k, L] = sol.routes[k, L - 1]
        sol.routes[k, L - 1] = j
        sol.rlen[k] = L + 1
        sol.where[j] = k
    _time_route(pb, prof, sol, k)
    return True


@njit(cache=True)
def _swap_fits(pb, prof, sol, k, j):
    """Put j where it delays day k least; whether the day is then on time (sol.key evaluated)."""
    if _time_route(pb, prof, sol, k) >= 0:  # without the visits taken out something is late (no triangle inequality)
        return False
    best = INF
    bp = -1
    for pos in range(sol.rlen[k] - 1):
        if sol.st[k, pos] > pb.close[k, j]:
            break
        d = _insertion_delay(pb, prof, sol, k, j, pos)
        if d < best:
            best = d
            bp = pos
    if bp < 0:
        return False
    _insert(pb, prof, sol, k, j, bp)
    _evaluate(pb, sol)
    return _time_route(pb, prof, sol, k) < 0


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
        _keep_smallest(buf, key, nv, q)  # the q nearest first
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


@njit(cache=True)
def _start_at(pb, prof, sol, j):
    """Empty every day and put j (none when j < 0) where it delays its day least (nowhere when it fits no day)."""
    m = sol.rlen.shape[0]
    for k in range(m):
        while sol.rlen[k] > 2:
            _remove(sol, k, 1)
        _time_route(pb, prof, sol, k)
    if j < 0:
        return
    best = INF
    bk = -1
    for k in range(m):
        if pb.close[k, j] >= pb.open_[k, j]:
            d = _insertion_delay(pb, prof, sol, k, j, 0)
            if d < best:
                best = d
                bk = k
    if bk >= 0:
        _insert(pb, prof, sol, bk, j, 0)


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


def anchors(pb: TimedProblem, count: int, gap_m: float) -> list[int]:
    """Up to ``count`` candidates by falling score, each at least ``gap_m`` from the ones before (see SearchSettings)."""
    chosen: list[int] = []
    for j in sorted(pb.cand.tolist(), key=lambda j: (-int(pb.value[j]), j)):
        if len(chosen) >= count:
            break
        if all(math.dist(pb.xy[j], pb.xy[a]) >= gap_m for a in chosen):
            chosen.append(j)
    return chosen


class _Search:
    """One search's solutions, scratch arrays and counters (the compiled kernels do the work)."""

    def __init__(self, pb: TimedProblem, prof: Profiles, settings: SearchSettings) -> None:
        self.base = self.pb = pb
        self.prof, self.settings = prof, settings
        n = prof.n
        self.cur, self.trial, self.best, self.overall, self.saved = (_solution(pb, n) for _ in range(5))
        self.w = np.zeros(2 * max(len(pb.cand), 1))
        self.buf = np.zeros(n + 1, np.int64)
        self.key = np.zeros(n + 1)
        self.tmp = np.zeros(n + 2, np.int64)
        self.counters = np.zeros(2, np.int64)  # steps, steps since the phase's best
        self.by_value = sorted(pb.cand.tolist(), key=lambda j: (-int(pb.value[j]), j))
        self.nodes = np.zeros(FINAL_NODES, np.int64)
        self.dp_tbl = np.zeros((1 << FINAL_NODES, FINAL_NODES), np.int64)
        self.dp_par = np.zeros((1 << FINAL_NODES, FINAL_NODES), np.int64)
        self.restarts = 0
        self.mean = float(np.mean(pb.value[pb.cand])) if len(pb.cand) else 0.0
        self.overall.key[0] = -1

    def start(self, anchor: int) -> None:
        """Begin a phase from scratch (anchor < 0) or from an anchor alone, filled greedily.

        The anchor is pinned for its phase: it carries a bonus larger than every other score
        (as a must-visit place does), so the phase searches the best tours through it.
        """
        self.pb = self.base
        if anchor >= 0:
            value = self.base.value.copy()
            value[anchor] += int(self.base.value.sum()) + 1
            self.pb = self.base._replace(value=value)
        pb, prof, cur = self.pb, self.prof, self.cur
        _start_at(pb, prof, cur, anchor)
        for k in range(len(pb.starts)):
            _fix_route(pb, prof, cur, k)
        _settle(pb, prof, cur, 0.0, 2.0, self.w, self.tmp)
        _copy(cur, self.best)
        self.counters[1] = 0

    def anneal(self, patience: int, deadline: float) -> bool:
        """Search from the current tour until ``patience`` steps bring no better one; False at the deadline."""
        s, pb, prof = self.settings, self.pb, self.prof
        chunk = 10
        while self.counters[1] < patience:
            if time.perf_counter() >= deadline:
                return False
            frac = min(1.0, self.counters[1] / s.restart_after)
            temp = s.temperature * self.mean * (1.0 - frac)
            nv = int(np.sum(self.cur.rlen - 2))
            qmax = max(1, min(nv, int(s.removal_share * nv))) if nv else 1
            n_it = int(min(chunk, patience - self.counters[1]))
            before = self.best.key[0]
            _run(pb, prof, self.cur, self.trial, self.best, n_it, temp, qmax, s.noise, self.counters, self.buf, self.key, self.w, self.tmp)
            if pb is self.base and self.best.key[0] > before:  # a better tour: polish it, go on from there
                self.polish(self.best)
                _copy(self.best, self.cur)
            if self.counters[1] and self.counters[1] % s.restart_after < n_it:  # shake the best tour and go on from there
                _copy(self.best, self.cur)
                nv = int(np.sum(self.cur.rlen - 2))
                if nv:
                    _destroy(pb, prof, self.cur, 0, max(1, nv // 3), self.buf, self.key)
                _settle(pb, prof, self.cur, 0.5, 1.0, self.w, self.tmp)
                self.restarts += 1
        return True

    def polish(self, sol: Solution, final: bool = False) -> None:
        """Swap visits for better unvisited places, re-plan each day exactly, tighten the days, refill (on the real scores).

        ``final``: the answer's own polish, whose re-planning (one round) takes :data:`FINAL_NODES` places,
        the extras the nearest within :data:`FINAL_NEAR_M`; then places exchanged between days (each day
        re-planned again when that helped: the days that gave places away were only refilled greedily),
        and a highlight let in.
        """
        self.replan_days(sol, final)
        if final:
            exchanged = False
            for k in range(len(self.base.starts)):  # every day, whatever the earlier ones gave
                exchanged |= self.take_from_other_days(sol, k)
            if exchanged:
                self.replan_days(sol, final)
            self.clear_for_highlight(sol)

    def replan_days(self, sol: Solution, final: bool) -> None:
        """The polish's single-day moves: swaps with unvisited places, each day re-planned exactly, tightened, refilled."""
        pb, prof = self.base, self.prof
        limit, near_m = (FINAL_NODES, FINAL_NEAR_M) if final else (REPLAN_NODES, REPLAN_NEAR_M)
        _swap_in(pb, prof, sol, self.saved)
        for k in range(len(pb.starts)):
            tried: set[int] = set()
            for _ in range(1 if final else REPLAN_ROUNDS):  # the next best places each round, until one round helps
                n = self.day_nodes(sol, k, tried, limit, near_m, nearest=final)
                visits = int(sol.rlen[k]) - 2
                if n <= visits or _replan_day(pb, prof, sol, k, self.nodes, n, self.dp_tbl, self.dp_par):
                    break
                tried.update(int(j) for j in self.nodes[visits:n])
            _relocate(pb, prof, sol, k, self.tmp)
        _repair(pb, prof, sol, 0.0, 2.0, self.w)
        _evaluate(pb, sol)

    def clear_for_highlight(self, sol: Solution) -> bool:
        """Make room for a highlight: an unvisited place worth more than twice any visit of a day (a cave an
        hour's bus ride away) takes the place of a stretch of the day's visits.

        For each first visit of the stretch, the :data:`HIGHLIGHT_STRETCHES` shortest stretches that let
        the highlight in, the time left refilled; the :data:`HIGHLIGHT_TRIES` best of these polished (the day re-planned around
        the highlight), and the best kept when the tour then scores more.
        """
        pb, prof = self.base, self.prof
        _evaluate(pb, sol)
        tried: list[Solution] = []
        for k in range(len(pb.starts)):
            top = max((int(pb.value[j]) for j in sol.routes[k, 1 : sol.rlen[k] - 1]), default=0)
            for j in self.by_value:
                if pb.value[j] <= 2 * top:
                    break
                if sol.where[j] >= 0 or pb.close[k, j] < pb.open_[k, j]:
                    continue
                for i in range(1, int(sol.rlen[k]) - 1):
                    fits = 0
                    for i2 in range(i, int(sol.rlen[k]) - 1):
                        trial = _solution(pb, prof.n)
                        _copy(sol, trial)
                        for _ in range(i2 - i + 1):
                            _remove(trial, k, i)
                        if _swap_fits(pb, prof, trial, k, j):
                            _repair(pb, prof, trial, 0.0, 2.0, self.w)
                            _evaluate(pb, trial)
                            tried.append(trial)
                            fits += 1
                            if fits == HIGHLIGHT_STRETCHES:
                                break
        tried.sort(key=lambda t: (-int(t.key[0]), int(t.key[1])))
        better = False
        for trial in tried[:HIGHLIGHT_TRIES]:
            self.polish(trial)
            if _better(trial.key, sol.key):
                _copy(trial, sol)
                better = True
        return better

    def take_from_other_days(self, sol: Solution, k: int) -> bool:
        """Re-plan day k over its visits and the nearest places other days visit (within :data:`FINAL_NEAR_M`),
        refill the days they leave, and keep the change when the tour then scores more (or the same, sooner);
        return whether it did.

        The exchange between days no single-day move makes: a town's sights visited on the way on the
        second day fit on the first when it is re-ordered, and the second day has time for others.
        """
        pb, prof = self.base, self.prof
        visits = [int(x) for x in sol.routes[k, 1 : sol.rlen[k] - 1]]
        if len(visits) >= FINAL_NODES:
            return False
        gap = self.near_day(sol, k, (j for j in pb.cand.tolist() if sol.where[j] >= 0 and sol.where[j] != k), FINAL_NEAR_M)
        others = sorted(gap, key=gap.__getitem__)[: FINAL_NODES - len(visits)]
        if not others:
            return False
        _evaluate(pb, sol)
        _copy(sol, self.saved)
        for j in others:
            day = int(sol.where[j])
            if day < 0:  # dropped already: late once an earlier one left its day
                continue
            _remove(sol, day, [int(x) for x in sol.routes[day, : sol.rlen[day]]].index(j))
            _fix_route(pb, prof, sol, day)
        self.nodes[: len(visits) + len(others)] = visits + others
        _replan_day(pb, prof, sol, k, self.nodes, len(visits) + len(others), self.dp_tbl, self.dp_par)
        _repair(pb, prof, sol, 0.0, 2.0, self.w)
        _evaluate(pb, sol)
        if _better(sol.key, self.saved.key):
            return True
        _copy(self.saved, sol)
        return False

    def day_nodes(self, sol: Solution, k: int, tried: set[int], limit: int = REPLAN_NODES, near_m: float = REPLAN_NEAR_M, nearest: bool = False) -> int:
        """Fill ``self.nodes`` with day k's visits and the best-scoring (``nearest``: the nearest) unvisited places
        open that day within ``near_m`` of them, its start or end, not in ``tried``, up to ``limit`` places; return
        how many (0 when the day has more visits)."""
        visits = [int(x) for x in sol.routes[k, 1 : sol.rlen[k] - 1]]
        if len(visits) > limit:
            return 0
        gap = self.near_day(sol, k, (j for j in self.by_value if sol.where[j] < 0 and j not in tried), near_m)
        extra = sorted(gap, key=gap.__getitem__) if nearest else list(gap)
        chosen = visits + extra[: limit - len(visits)]
        self.nodes[: len(chosen)] = chosen
        return len(chosen)

    def near_day(self, sol: Solution, k: int, places: Iterable[int], near_m: float) -> dict[int, float]:
        """Return ``{place: metres}`` of the ``places`` open on day k within ``near_m`` of its visits, start or end, in their order."""
        pb = self.base
        near = [*(int(x) for x in sol.routes[k, 1 : sol.rlen[k] - 1]), int(pb.starts[k]), int(pb.ends[k])]
        gap = {}
        for j in places:
            if pb.close[k, j] >= pb.open_[k, j]:
                metres = min(math.dist(pb.xy[j], pb.xy[v]) for v in near)
                if metres <= near_m:
                    gap[int(j)] = metres
        return gap

    def keep(self) -> None:
        """Polish the phase's best and keep it if it beats every earlier phase's (on the real scores)."""
        self.pb = self.base
        self.polish(self.best)
        if self.overall.key[0] < 0 or _better(self.best.key, self.overall.key):
            _copy(self.best, self.overall)


_compiled = False


def compile_kernels() -> None:
    """Compile the search's kernels (or load them from numba's cache) once per process, on a tiny problem.

    :func:`search` calls it before its clock starts, so that no time limit pays for the compiler
    (seconds the first time, about a second from the cache); the service's heavy processes call
    it when they start.
    """
    global _compiled
    if _compiled:
        return
    _compiled = True
    n = 4  # start, end and two places, ten minutes' walk apart, open all day
    walk = np.full((1, n, n), 600, np.int64)
    walk[0, np.arange(n), np.arange(n)] = 0
    prof = Profiles(n, np.zeros(n * n + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), walk)
    pb = TimedProblem(
        value=np.array([0, 0, 10, 20], np.int64),
        service=np.array([0, 0, 1800, 1800], np.int64),
        open_=np.zeros((1, n), np.int64),
        close=np.full((1, n), 86400, np.int64),
        t0=np.array([32400], np.int64),
        t1=np.array([36000], np.int64),
        starts=np.array([0], np.int64),
        ends=np.array([1], np.int64),
        cand=np.array([2, 3], np.int64),
        xy=np.zeros((n, 2)),
    )
    search(pb, prof, SearchSettings(time_limit_s=600, patience=20, restart_after=5, anchors=1, anchor_patience=5))


def search(pb: TimedProblem, prof: Profiles, settings: SearchSettings = SearchSettings()) -> SearchResult:
    """Return the best tours found for ``pb`` on the arrival functions ``prof`` (see the module docstring).

    First the plain start and the anchors' (:func:`anchors`, ``settings.anchors`` per day), each searched until
    ``anchor_patience`` steps bring nothing better; then the main search from the best of
    them until ``patience`` steps bring nothing better, or :data:`FINAL_SHARE` of the time
    limit before it (which counts the search only: the kernels are compiled first,
    :func:`compile_kernels`); then the answer's last polish (``polish(final=True)``).
    """
    compile_kernels()
    clock = time.perf_counter()
    deadline = clock + settings.time_limit_s * (1.0 - FINAL_SHARE)  # the rest is the answer's last polish's
    _seed(settings.seed)
    run = _Search(pb, prof, settings)
    starts = [-1, *anchors(pb, settings.anchors * len(pb.starts), settings.anchor_gap_m)] if len(pb.cand) else [-1]
    stopped = "nothing to choose" if len(pb.cand) == 0 else "patience"
    since_best = 0
    for i, anchor in enumerate(starts):
        run.start(anchor)
        on_time = run.anneal(settings.anchor_patience, deadline) if len(pb.cand) else True
        run.keep()
        if not on_time:
            stopped = "time limit"
            starts = starts[: i + 1]
            break
    if stopped == "patience":
        _copy(run.overall, run.cur)
        _copy(run.overall, run.best)
        run.counters[1] = 0
        if not run.anneal(settings.patience, deadline):
            stopped = "time limit"
        run.keep()
        since_best = int(run.counters[1])
    if len(pb.cand) and time.perf_counter() < clock + settings.time_limit_s:
        run.polish(run.overall, final=True)
    best = run.overall
    tours = [[int(x) for x in best.routes[k, 1 : best.rlen[k] - 1]] for k in range(len(pb.starts))]
    return SearchResult(tours, int(best.key[0]), int(run.counters[0]), run.restarts, since_best, stopped, time.perf_counter() - clock, len(starts))
