"""The work of one chunk of origins (or batch rows), as a worker runs it.

Each task is a plain function of a :class:`~maas.batch.source.NetworkSource`
(opened once per process), a job (what every chunk shares: destinations,
window, routing parameters; sent to each worker once) and its chunk.  A
chunk's answer depends on nothing but its inputs, so the same chunk run again
— after a failure, or on another worker after one was lost — gives the same
bytes, and the assembled output does not depend on how the work was split.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from maas.batch.source import NetworkSource, Opened, open_network
from maas.errors import MaasError
from maas.routing.access import reachable
from maas.routing.answer import journeys_document
from maas.routing.matrix import DepartureWindow, Targets, prepare_targets, range_travel_times, summarise
from maas.routing.params import RoutingParams
from maas.routing.places import Place
from maas.routing.planner import JourneyQuery
from maas.when import date_and_time


@dataclass(frozen=True)
class MatrixJob:
    """What every chunk of a matrix shares; ``token`` names the job in a worker's cache of prepared destinations."""

    token: str
    destinations: tuple[Place, ...]
    window: DepartureWindow
    params: RoutingParams
    percentiles: tuple[int, ...]


@dataclass(frozen=True)
class AccessJob:
    """A matrix job reduced per origin to the weight reached within each threshold at one percentile."""

    matrix: MatrixJob
    weights: tuple[float, ...]
    thresholds: tuple[int, ...]
    percentile: int = 50


@dataclass(frozen=True)
class PlanJob:
    """What every chunk of ``maas plan --batch`` shares: the routing parameters and the language of names."""

    params: RoutingParams
    lang: str


_targets: dict[tuple[NetworkSource, str], Targets] = {}
_targets_lock = threading.Lock()


def _prepared(source: NetworkSource, opened: Opened, job: MatrixJob) -> Targets:
    """Return the job's destinations prepared once per process (the last two jobs are kept)."""
    key = (source, job.token)
    with _targets_lock:
        found = _targets.get(key)
        if found is None:
            found = prepare_targets(opened.planner, job.destinations, job.params.walk)
            if len(_targets) >= 2:
                _targets.pop(next(iter(_targets)))
            _targets[key] = found
        return found


def matrix_chunk(source: NetworkSource, job: MatrixJob, origins: Sequence[Place]) -> np.ndarray:
    """Return ``[origins, destinations, percentiles]`` travel-time percentiles (seconds) of a chunk of origins."""
    opened = open_network(source)
    targets = _prepared(source, opened, job)
    out = np.empty((len(origins), targets.size, len(job.percentiles)), np.int32)
    for i, origin in enumerate(origins):
        times = range_travel_times(opened.planner, origin, targets, job.window, params=job.params)
        out[i] = summarise(times, job.percentiles)
    return out


def access_chunk(source: NetworkSource, job: AccessJob, origins: Sequence[Place]) -> np.ndarray:
    """Return ``[origins, thresholds]`` reachable weight of a chunk of origins (only these sums leave the worker)."""
    seconds = matrix_chunk(source, job.matrix, origins)[:, :, job.matrix.percentiles.index(job.percentile)]
    return reachable(seconds, job.weights, job.thresholds)


def plan_chunk(source: NetworkSource, job: PlanJob, rows: Sequence[tuple[int, dict[str, str]]]) -> list[str]:
    """Return one JSON line per batch row ``(line number, {from, to, date, depart})``; a bad row is a line with its error."""
    opened = open_network(source)
    return [plan_row(opened, line, row, job) for line, row in rows]


def plan_row(opened: Opened, line: int, row: dict[str, str], job: PlanJob) -> str:
    """Return the JSON line of one batch row: ``{"row": N, "query": ..., "journeys": [...]}`` or ``{"row", "error", "journeys": []}``."""
    try:
        o = opened.places.resolve(row.get("from") or "", "from")
        d = opened.places.resolve(row.get("to") or "", "to")
        day, t = date_and_time(row.get("date") or None, row.get("depart") or None, opened.network.timetable.timezone, "depart")
        opened.planner.check_date(day)
        q = JourneyQuery(o, d, day, t, params=job.params)
        doc = {"row": line, **journeys_document(q, opened.planner.plan(q), job.lang)}
    except MaasError as exc:
        doc = {"row": line, "error": {"field": getattr(exc, "field", None), "message": str(exc)}, "journeys": []}
    return json.dumps(doc, ensure_ascii=False)
