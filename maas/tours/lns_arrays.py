"""The grouped arrays the fixed-travel-time LNS kernels take: a few named tuples of numpy arrays, by role.

The compiled kernels (:mod:`maas.tours.lns_routes`, :mod:`~maas.tours.lns_moves`,
:mod:`~maas.tours.lns_local`, :mod:`~maas.tours.lns_exact`, :mod:`~maas.tours.lns_accept`)
take these instead of dozens of positional arrays; numba passes a named tuple of arrays
as cheaply as the arrays themselves.  The tuples are fixed but their arrays are not: a
kernel writes into them (the route versions ``State.ver`` too).  :class:`maas.tours.lns.Search`
builds them for one run.

Node j is a row of the problem's arrays, tour k a row of the route arrays; a route is
``routes[k, 0:rlen[k]]``: the tour's start node, its visits, its end node.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Problem(NamedTuple):
    """The problem as the kernels read it (never written during a search).

    - ``service[j]``: visit duration of node j;
    - ``travel[i, j]``: travel time from i to j (need not obey the triangle inequality);
    - ``open_[j]``, ``close[j]``: the window for the start of the service at j;
    - ``t0[k]``, ``endlim[k]``: tour k leaves its start at ``t0[k]`` or later and reaches its end by ``endlim[k]``;
    - ``allowed[j, k]``: node j may be visited on tour k (False for depots and for tours that cannot reach their end in time);
    - ``cand``: the nodes worth visiting (no depot, a positive value, some tour allowed);
    - ``value[j]``: what visiting j collects (its score; a required node's carries a bonus larger than all scores together; 0 for depots);
    - ``weight[j]``: ``value[j]`` as a float, what the greedy insertion ranks by.
    """

    service: np.ndarray
    travel: np.ndarray
    open_: np.ndarray
    close: np.ndarray
    t0: np.ndarray
    endlim: np.ndarray
    allowed: np.ndarray
    cand: np.ndarray
    value: np.ndarray
    weight: np.ndarray


class State(NamedTuple):
    """The current solution: the routes, their timing, and who visits whom.

    - ``routes[k, 0:rlen[k]]``: tour k's start node, visits and end node;
    - ``arr[k, p]``: arrival time at position p; ``st[k, p]``: start of the service there (the arrival or the opening, the later);
    - ``ms[k, p]``: the most the start of service at position p may be delayed with the rest of the route still on time
      (the MaxShift of Vansteenwegen et al. 2009);
    - ``where[j]``: the tour visiting node j, or -1;
    - ``ver[k]``: route k's version, new each time the route is re-timed (``ver[-1]`` counts them): it keys the caches
      of insertion positions and of local optima (:class:`Work`).
    """

    routes: np.ndarray
    rlen: np.ndarray
    arr: np.ndarray
    st: np.ndarray
    ms: np.ndarray
    where: np.ndarray
    ver: np.ndarray


class Work(NamedTuple):
    """Buffers and caches of the moves, kept between calls so that no step allocates.

    Insertion (repair), per candidate ``cand[c]``:

    - ``w[c]``: its weight to the power of the step (with noise);
    - ``bshift[c, k]``, ``bpos[c, k]``: the time its cheapest insertion into tour k takes and the position
      after which it goes (``bpos`` -1: it fits nowhere there);
    - ``cver[c, k]``: ``ver[k]`` when those were found (-1: never);

    Removal (destroy): ``buf``: the visits a removal rule considers, those it removes first;
    ``key``: their sort keys; ``touched[k]``: tour k lost a visit; ``force[0]``: the unvisited node
    a removal made room for (-1: none).

    Local search: ``tmp``: an order of a route being tried; ``ls_ver[k]``: ``ver[k]`` when the local search
    last left route k, a local optimum then (-1: never): an unchanged route is not searched again.

    A step: ``wtmp``: the weights its repair uses (the removed visits' lowered by the tabu factor).
    """

    w: np.ndarray
    bshift: np.ndarray
    bpos: np.ndarray
    cver: np.ndarray
    buf: np.ndarray
    key: np.ndarray
    touched: np.ndarray
    force: np.ndarray
    tmp: np.ndarray
    ls_ver: np.ndarray
    wtmp: np.ndarray


class Kept(NamedTuple):
    """The routes as they were before a step (copies of :class:`State`'s), to undo the step when it is rejected."""

    routes: np.ndarray
    rlen: np.ndarray
    where: np.ndarray
    ver: np.ndarray


class Record(NamedTuple):
    """What the search has found: ``cur`` / ``best`` = [value, travel] of the current and of the best solution,
    the best routes ``best_routes[k, 0:best_rlen[k]]``, and ``counters`` = [steps, steps since the best
    improved, steps accepted]."""

    cur: np.ndarray
    best: np.ndarray
    best_routes: np.ndarray
    best_rlen: np.ndarray
    counters: np.ndarray


class DpTables(NamedTuple):
    """The exact re-planning's tables, for stretches of up to kmax candidate visits (2**kmax subsets).

    ``tbl[mask, x]``: earliest start of service at the x-th candidate after visiting the subset ``mask``
    (ending there); ``par[mask, x]``: the candidate before it; ``msc[mask]``: the subset's value;
    ``nodes``: the candidates (the unvisited ones ranked from position kmax on); ``key``: their ranking keys,
    then the best path, last node first.
    """

    tbl: np.ndarray
    par: np.ndarray
    msc: np.ndarray
    nodes: np.ndarray
    key: np.ndarray
