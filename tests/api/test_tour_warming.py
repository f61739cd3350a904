"""Each heavy process computes the coming days' tour searches in the background when it starts."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import threading
import time

import pytest

from api.heavy import HeavyPool
from maas.errors import InputError
from maas.feeds.catalog import today_in


def _warmed_dates(state, timeout_s: float) -> list[str]:
    """In the heavy process: the dates whose POI searches it holds, once there are any (bounded wait)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        dates = sorted({key[0].isoformat() for key in state.tours._blocks})
        if dates:
            return dates
        time.sleep(0.2)
    return []


def test_a_heavy_process_warms_todays_tours_before_any_request(service_state):
    today = today_in("Asia/Tokyo")
    try:
        service_state.planner.check_date(today)
    except InputError:
        pytest.skip(f"the default feeds do not serve today ({today}) in Japan: nothing to warm")
    settings = dataclasses.replace(service_state.settings, tour_warm_days=1, heavy_workers=1)
    state = dataclasses.replace(service_state, settings=settings, _tours=None)  # a planner with nothing cached
    _ = state.tours  # built before the process is forked, as the service's lifespan does
    pool = HeavyPool(settings, state)
    try:
        pool.warm()
        dates = asyncio.run(pool.run("test", _warmed_dates, 120.0, deadline_s=180))
    finally:
        pool.close()
    assert dates == [today.isoformat()]
    assert not state.tours._blocks  # computed in the heavy process, not here


def test_warm_ahead_skips_dates_no_feed_serves_and_shares_a_block_being_computed(service_state, monkeypatch):
    from maas.tours import planner as planner_module

    tours = dataclasses.replace(service_state, _tours=None).tours
    calls = []
    real = planner_module.pair_block

    def counted(*args, **kwargs):
        calls.append(1)
        time.sleep(0.3)  # long enough for the other thread to ask for the same block meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(planner_module, "pair_block", counted)
    assert tours.warm_ahead(dt.date(1999, 1, 1), 2) == []  # no feed serves 1999
    date = dt.date(2026, 12, 5)
    threads = [threading.Thread(target=tours.warm, args=(date,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(tours._blocks) == 1
