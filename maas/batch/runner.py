"""Run batch chunks in this process or on a Dask cluster, and give the answers back in order.

Batch work (matrices, accessibility, ``maas plan --batch``) is split into
chunks of origins or rows; a :class:`Runner` maps a task of
:mod:`maas.batch.tasks` over the chunks and returns their answers in chunk
order, so the output is the same however the work was split or scheduled.

- :class:`InProcess` runs the chunks one after the other here (the default:
  nothing to start, nothing to serialise).
- :class:`DaskRunner` runs them on a Dask cluster (Rocklin 2015; the field's
  distributed engine, not a home-made one): a local cluster of N worker
  processes (``workers=N``) or an existing one (``scheduler="tcp://HOST:PORT"``,
  e.g. ``dask scheduler`` and ``dask worker`` started on each machine).  Each
  worker opens the network once from its paths (:class:`OpenNetwork`, a worker
  plugin; the timetable itself never travels); the job every chunk shares is
  sent to each worker once; a chunk whose task fails is retried
  (:data:`RETRIES`), and a chunk lost with a worker that died is run again
  elsewhere by the scheduler, while the answers already gathered are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from distributed.diagnostics.plugin import WorkerPlugin

from maas.batch.source import NetworkSource, open_network
from maas.errors import InputError

T = TypeVar("T")
#: Times a failed chunk is run again before the run fails.
RETRIES = 3
#: Chunks per worker: small enough to balance and to lose little with a worker, large enough to pay the overhead.
CHUNKS_PER_WORKER = 8
#: Largest chunk.
MAX_CHUNK = 256
#: Dask settings of a local cluster, for workers that compute and a dashboard nobody watches:
#:
#: - glibc's own memory management: Dask's nanny starts each worker with
#:   ``MALLOC_TRIM_THRESHOLD_=65536`` (to hand freed memory back to the system), which also turns
#:   off glibc's adaptive mmap threshold, so every array above 128 KiB, allocated and freed once
#:   per origin, is a fresh ``mmap`` whose pages fault in again: 8× the page faults and about
#:   7 % more time on a matrix (measured, ``bench/RESULTS.md``).  Dask's other variables stay
#:   (one thread per numerical library).
#: - no statistical profiler sampling the task's stack every 10 ms, a system monitor every 5 s
#:   instead of 0.5 s, memory checks and the event-loop tick once a second: idle, a worker then
#:   uses 0.7 % of a core instead of 3.5 %, the scheduler 1.3 % instead of 5 %.
#:
#: On a cluster of your own, put the same keys in a Dask YAML file on every machine (``DASK_CONFIG``;
#: environment variables cannot unset a key).
QUIET_DASK = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,  # None: not set (Dask's convention)
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.tick.interval": "1s",
}

Task = Callable[[NetworkSource, Any, Any], T]


class Runner(Protocol):
    """Maps a task over chunks; answers in chunk order."""

    @property
    def workers(self) -> int:
        """How many processes run the chunks."""
        ...

    def map(self, task: Task[T], source: NetworkSource, job: Any, chunks: Sequence[Any], progress: Callable[[int], object] | None = None) -> list[T]:
        """Return ``[task(source, job, chunk) for chunk in chunks]``; ``progress(len(chunk))`` after each one."""
        ...


def split(items: Sequence[T], workers: int) -> list[tuple[T, ...]]:
    """Return ``items`` in consecutive chunks: about :data:`CHUNKS_PER_WORKER` per worker, at most :data:`MAX_CHUNK` each.

    With more than one worker the last round of chunks (the last ``workers`` to ``workers + 1``
    chunks' worth of items) is cut in quarters: the chunks run in order, so the workers then finish within a quarter
    chunk of each other instead of up to a whole one (guided self-scheduling, Polychronopoulos
    and Kuck 1987, in its simplest form).  The chunks only decide who computes what: the
    answers are put back in order, so the output is the same however the items were split.
    """
    if not items:
        return []
    workers = max(workers, 1)
    size = max(1, min(MAX_CHUNK, math.ceil(len(items) / (workers * CHUNKS_PER_WORKER))))
    body = max(0, len(items) - workers * size) // size * size if workers > 1 else len(items)
    small = max(1, math.ceil(size / 4))
    return [tuple(items[i : i + size]) for i in range(0, body, size)] + [tuple(items[i : i + small]) for i in range(body, len(items), small)]


class InProcess:
    """Runs the chunks here, one after the other."""

    workers = 1

    def map(self, task: Task[T], source: NetworkSource, job: Any, chunks: Sequence[Any], progress: Callable[[int], object] | None = None) -> list[T]:
        """Return each chunk's answer in order."""
        out = []
        for chunk in chunks:
            out.append(task(source, job, chunk))
            if progress is not None:
                progress(len(chunk))
        return out


class DaskRunner:
    """Runs the chunks on a Dask cluster through ``client``; answers in chunk order."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._plugins: set[NetworkSource] = set()

    @property
    def workers(self) -> int:
        """Return the number of workers the cluster has now (at least 1)."""
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    def map(self, task: Task[T], source: NetworkSource, job: Any, chunks: Sequence[Any], progress: Callable[[int], object] | None = None) -> list[T]:
        """Submit one task per chunk (retried on failure), gather answers as they finish, return them in order."""
        from distributed import as_completed

        if source not in self._plugins:
            name = "maas-network-" + hashlib.sha256(repr(source).encode()).hexdigest()[:12]
            self.client.register_plugin(OpenNetwork(source), name=name)
            self._plugins.add(source)
        shared = self.client.scatter(job, broadcast=True, hash=False)
        run = uuid.uuid4().hex[:8]
        futures = [
            self.client.submit(task, source, shared, chunk, key=f"{task.__name__}-{run}-{i}", retries=RETRIES, pure=False) for i, chunk in enumerate(chunks)
        ]
        position = {f.key: i for i, f in enumerate(futures)}
        out: list[Any] = [None] * len(futures)
        for future in as_completed(futures):
            i = position[future.key]
            out[i] = future.result()  # gathered here: a worker lost later takes nothing of it along
            future.release()
            if progress is not None:
                progress(len(chunks[i]))
        del shared
        return out


class OpenNetwork(WorkerPlugin):
    """A Dask worker plugin: open the network from its paths when the worker starts (once per worker process)."""

    idempotent = True

    def __init__(self, source: NetworkSource) -> None:
        self.source = source

    def setup(self, worker: Any) -> None:
        """Open the network now, so the first task does not wait for it."""
        open_network(self.source)

    def teardown(self, worker: Any) -> None:
        """Nothing to close: the timetable is a read-only memory map."""


@contextlib.contextmanager
def runner(workers: int = 1, scheduler: str | None = None) -> Iterator[Runner]:
    """Yield the runner for ``--workers N`` / ``--scheduler ADDRESS``: in-process for 1 worker and no scheduler.

    A local cluster has ``workers`` processes of one thread each (the kernel
    holds the GIL-free numba loop, but one process per core shares nothing
    and scales best), listening on loopback only, without a dashboard and
    with Dask's monitoring turned down (:data:`QUIET_DASK`); it is closed
    when the block ends.  Raises InputError for a scheduler that
    cannot be reached (naming the address).
    """
    if workers < 1:
        raise InputError(f"--workers must be 1 or more, not {workers}", "workers")
    if scheduler is None and workers == 1:
        yield InProcess()
        return
    from distributed import Client

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})", "scheduler") from None
        with client:
            yield DaskRunner(client)
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield DaskRunner(client)


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """Yield a Dask ``LocalCluster`` of ``workers`` one-thread processes on loopback, without a dashboard,
    running with :data:`QUIET_DASK`; closed when the block ends.

    The settings are set only while the cluster starts: its scheduler and nannies read them then
    (a nanny keeps them for a worker it restarts), and the caller's own Dask settings stay as they were.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set(QUIET_DASK):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its HTTP server (health, metrics) on a free loopback port
            silence_logs=logging.CRITICAL,  # workers shutting down log lost heartbeats; task errors reach the client anyway
        )
    with cluster:
        yield cluster
