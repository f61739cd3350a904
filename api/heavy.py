"""Heavy requests in a bounded pool of their own, so that they cannot starve journeys.

Tours, shuttle optimisation and shuttle evaluation take from a tenth of a
second to many seconds of CPU.  Each service worker runs them in a small pool
of *processes* (forked after the network is loaded, so they share its memory),
at a lower CPU priority: journeys, which run in the worker's own threads,
neither wait for a free thread nor compete for the Python lock, and the
operating system prefers them when both want a core.

A heavy request first passes a per-client rate limit (``limits``; 429 with
``Retry-After``), then waits at most ``MAAS_HEAVY_WAIT`` seconds for a free
slot (503 with ``Retry-After`` otherwise), then runs under a time limit
(503 when it is passed).  Light requests never enter this path.
"""

from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from api.errors import HttpError
from api.settings import Settings
from maas.feeds.catalog import today_in

#: Added to a job's own search limit before the request gives up on it: loading, a tour's first
#: timetable profiles of a date, re-timing, the answer; generous, since the heavy processes run at a
#: lower priority and wait for CPU on a busy machine.  A runaway job is still bounded.
GRACE_S = 60.0


def deadline_for(search_s: float) -> float:
    """The time limit of a request whose search is capped at ``search_s`` seconds."""
    return search_s + GRACE_S


#: Nice value of the heavy processes: the scheduler then prefers the workers serving journeys.
NICENESS = 10

#: The service state the heavy processes work on; set before they are forked, so they inherit it.
_STATE: Any = None


class Busy(HttpError):
    """A heavy request refused for the server's load: 429 (rate limit) or 503 (pool full, too slow), with ``Retry-After``."""

    def __init__(self, message: str, status: int, retry_after_s: float) -> None:
        super().__init__(message, status, None, {"Retry-After": str(max(1, math.ceil(retry_after_s)))})


def _start_heavy_process(parent: int, warm_days: int = 0) -> None:
    """Initializer of each heavy process: lower priority, default signals, end with the worker that forked it, warm tours."""
    # The service worker's handlers (uvicorn's: "exit when idle") were inherited; here a signal must end the process.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.nice(NICENESS)
    except OSError:  # not permitted here: run at normal priority
        pass
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="maas-heavy-watchdog").start()
    if warm_days > 0 and _STATE is not None:
        threading.Thread(target=_warm_tours, args=(_STATE, warm_days), daemon=True, name="maas-tours-warm").start()


def _warm_tours(state: Any, days: int) -> None:
    """Compute the POIs' tour searches of the next ``days`` dates in Japan, in the background of this process.

    Requests of those dates then skip their slowest step; one arriving meanwhile waits for the
    date being computed instead of computing it twice (:meth:`maas.tours.planner.TourPlanner.warm_ahead`).
    A failure here costs only speed: the requests compute what they need.
    """
    try:
        state.tours.warm_ahead(today_in("Asia/Tokyo"), days)
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation; requests compute the same and report errors
        logging.getLogger("maas.heavy").warning("warming the tours of the next %d days failed: %s", days, exc)


def _exit_with_parent(parent: int) -> None:
    """End this process once its parent is gone (it would otherwise keep the parent's listening socket open)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _call(fn: Callable[..., Any], args: tuple) -> Any:
    """Run ``fn(state, *args)`` in a heavy process."""
    return fn(_STATE, *args)


class HeavyPool:
    """A bounded pool for heavy work, a rate limit per client, a wait limit and a time limit."""

    def __init__(self, settings: Settings, state: Any) -> None:
        global _STATE
        _STATE = state
        self.settings = settings
        self.slots = asyncio.Semaphore(settings.heavy_workers)
        self.rate = parse(settings.heavy_rate_limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.executor = self._new_executor()

    def _new_executor(self) -> Executor:
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            initargs = (os.getpid(), self.settings.tour_warm_days)
            return ProcessPoolExecutor(self.settings.heavy_workers, mp_context=context, initializer=_start_heavy_process, initargs=initargs)
        return ThreadPoolExecutor(self.settings.heavy_workers, thread_name_prefix="maas-heavy")

    def warm(self) -> None:
        """Start the processes now (before the service takes requests and starts threads)."""
        list(self.executor.map(_noop, range(self.settings.heavy_workers)))

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def check_rate(self, client: str) -> None:
        """Raise :class:`Busy` (429) when ``client`` has used up its heavy requests for now."""
        if not self.limiter.hit(self.rate, "heavy", client):
            reset = self.limiter.get_window_stats(self.rate, "heavy", client).reset_time
            wait = max(1.0, reset - time.time())
            raise Busy(
                f"too many heavy requests (tours, optimisations, evaluations) from this client: at most {self.settings.heavy_rate_limit}; try again in {math.ceil(wait)} s",
                429,
                wait,
            )

    async def run(self, client: str, fn: Callable[..., Any], *args: Any, deadline_s: float) -> Any:
        """Run ``fn(state, *args)`` in the pool for ``client``; give up on it (503) after ``deadline_s`` seconds."""
        self.check_rate(client)
        wait = self.settings.heavy_wait_s
        try:
            await asyncio.wait_for(self.slots.acquire(), timeout=wait)
        except TimeoutError:
            raise Busy(f"the server is busy with other tours and optimisations; try again in {math.ceil(wait)} s", 503, wait) from None
        loop = asyncio.get_running_loop()
        try:
            future = self.executor.submit(_call, fn, args)
        except (BrokenProcessPool, RuntimeError):
            self.slots.release()
            self.executor = self._new_executor()
            raise Busy("the heavy-work pool had to be restarted; try again", 503, 1.0) from None
        # The slot is given back when the work has really ended, not when the client stops waiting.
        future.add_done_callback(lambda _: _release(loop, self.slots))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout=deadline_s)
        except TimeoutError:
            raise Busy(f"the request took longer than its limit of {deadline_s:g} s and was abandoned", 503, 5.0) from None
        except BrokenProcessPool:
            self.executor = self._new_executor()
            raise Busy("the heavy-work process ended unexpectedly; try again", 503, 1.0) from None


def _release(loop: asyncio.AbstractEventLoop, slots: asyncio.Semaphore) -> None:
    """Give a slot back from the pool's thread (nothing to give back once the service has stopped)."""
    try:
        loop.call_soon_threadsafe(slots.release)
    except RuntimeError:  # the event loop is closed: the service is shutting down
        pass


def _noop(_: int) -> None:
    return None
