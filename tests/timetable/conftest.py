"""Fixtures for the timetable tests: small hand-written feeds, invariants, the shared feeds compiled once."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

#: Defaults of every hand-written feed: one agency, one bus route, weekdays of Jan-Mar 2026,
#: four stops 0.02 degrees of latitude (about 2.2 km) apart on one meridian.
DEFAULTS: dict[str, str] = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA1,Ube City Bus,https://example.com,Asia/Tokyo\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A1,1,Ajisu - Ube,3\n",
    "calendar.txt": ("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260105,20260327\n"),
    "stops.txt": ("stop_id,stop_name,stop_lat,stop_lon\nA,Ajisu,34.00,131.36\nB,Motoyura,34.02,131.36\nC,Techno Park,34.04,131.36\nD,Ube,34.06,131.36\n"),
}

ST_HEADER = "trip_id,arrival_time,departure_time,stop_id,stop_sequence"


def _trips_from_stop_times(stop_times: str) -> str:
    rows = list(csv.DictReader(io.StringIO(stop_times)))
    trips = list(dict.fromkeys(r["trip_id"] for r in rows))
    return "route_id,service_id,trip_id\n" + "".join(f"R1,WD,{t}\n" for t in trips)


@pytest.fixture
def make_feed(tmp_path: Path) -> Callable[..., Path]:
    """Return ``make(name="feed", stop_times=..., **files) -> folder``.

    Files not given take DEFAULTS; trips.txt defaults to one R1/WD trip per
    trip_id of stop_times.txt.  A file given as None is left out.  Keyword
    names are file names without ``.txt``.
    """

    def make(name: str = "feed", where: Path | None = None, **files: str | None) -> Path:
        folder = (where or tmp_path) / name
        folder.mkdir(parents=True, exist_ok=False)
        content: dict[str, str | None] = dict(DEFAULTS)
        content.update({f"{k}.txt": v for k, v in files.items()})
        if "trips.txt" not in content and content.get("stop_times.txt"):
            content["trips.txt"] = _trips_from_stop_times(content["stop_times.txt"])
        for filename, text in content.items():
            if text is not None:
                (folder / filename).write_text(text, encoding="utf-8")
        return folder

    return make


def compile_paths(*paths: Path):
    """Compile feed folders (load_feeds naming) without a progress bar."""
    from maas.timetable.compile import compile_feeds, load_feeds

    return compile_feeds(load_feeds(list(paths)), progress=False)


@pytest.fixture
def compile_feed() -> Callable:
    """Return ``compile(*paths) -> Timetable``."""
    return compile_paths


def trip_by_id(tt, trip_id: str) -> list[int]:
    return [i for i, t in enumerate(tt.trip_ids) if t == trip_id]


@pytest.fixture
def trips_of():
    """Return ``trips_of(tt, trip_id) -> [trip indices]``."""
    return trip_by_id


def check_timetable_invariants(tt) -> None:
    """Assert the compiled layout's promises (the model docstring) hold on ``tt``.

    - every trip is in exactly one pattern, the one trip_pattern names;
    - within a pattern trips are sorted by first departure and never overtake:
      at every stop position arrivals and departures are non-decreasing;
    - within a trip: arrival <= departure, and departure <= next arrival.
    """
    assert len(tt.pattern_trip_offsets) == tt.n_patterns + 1
    assert len(tt.pattern_stop_offsets) == tt.n_patterns + 1
    assert np.array_equal(np.sort(tt.pattern_trips), np.arange(tt.n_trips))
    arr = tt.stop_time_arr.astype(np.int64)
    dep = tt.stop_time_dep.astype(np.int64)
    assert (arr >= 0).all()
    assert (dep >= arr).all(), "a departure before its arrival"
    for p in range(tt.n_patterns):
        trips = tt.pattern_trips[tt.pattern_trip_offsets[p] : tt.pattern_trip_offsets[p + 1]]
        assert len(trips) > 0
        assert (tt.trip_pattern[trips] == p).all()
        n = int(tt.pattern_stop_offsets[p + 1] - tt.pattern_stop_offsets[p])
        assert n >= 2
        idx = tt.trip_time_offset[trips][:, None] + np.arange(n)[None, :]
        a, d = arr[idx], dep[idx]
        assert (a[:, 1:] >= d[:, :-1]).all(), f"pattern {p}: a trip arrives before it left the previous stop"
        assert (np.diff(d[:, 0]) >= 0).all(), f"pattern {p}: trips not sorted by first departure"
        assert (np.diff(a, axis=0) >= 0).all() and (np.diff(d, axis=0) >= 0).all(), f"pattern {p}: trips overtake"
        assert (tt.trip_route[trips] == tt.pattern_route[p]).all()


@pytest.fixture
def check_invariants() -> Callable:
    """Return the invariant checker (see check_timetable_invariants)."""
    return check_timetable_invariants


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Return ``run(*args)`` running ``maas ARGS`` in-process; the cache goes to a tmp dir."""
    from maas.cli.main import app

    monkeypatch.setenv("MAAS_CACHE_DIR", str(tmp_path / "cli-cache"))
    runner = CliRunner()

    def run(*args: object):
        return runner.invoke(app, [str(a) for a in args])

    return run


# --- shared data -------------------------------------------------------------------
