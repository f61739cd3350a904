"""Fixtures of the shuttle tests: a private timetable cache, and a small world whose answers are known by hand.

The small world (``small_world``) is one rail line ``home`` → ``sta`` and a
shuttle from ``sta`` to two parks ``p1`` (2 km north of ``sta``) and ``p2``
(4 km north), on Tuesday 2030-01-08.  Its trains (:data:`TRAINS`) and runs
(:data:`RUNS`) are written as text timetables (see ``timetables.py``):

    demand   p1: 100 employees × 10 % = 10 riders, shift 08:00–17:00, all from home
             p2:  50 employees × 20 % = 10 riders, shift 08:30–17:30, all from home
    road     sta↔p1 10 min, p1↔p2 10 min (given); p2↔sta by distance:
             4.0 km × 1.3 / 30 km/h = 10.4 → 11 min
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from tests.routing.gtfs_builder import basic_tables, calendar_row, write_feed
from tests.shuttle import timetables

DATE = "2030-01-08"

#: The trains of the small world's rail feed.
TRAINS = """
T1   home 07:00 · sta  07:20
T3   home 07:10 · sta  07:24
T2   home 07:30 · sta  07:50
R0   sta  17:21 · home 17:41
R1   sta  17:40 · home 18:00
R2   sta  18:30 · home 18:50
"""

#: The small world's shuttle runs.
RUNS = """
m1   sta 07:25 · p1 07:35 · p2 07:45
m2   sta 07:55 · p1 08:05 · p2 08:15
e1   p1  17:10 · sta 17:20
e2   p2  17:30 · p1 17:40 · sta 17:50
"""

SMALL_SCENARIO = {
    "name": "small",
    "description": "hand-made test world",
    "date": DATE,
    "rail_feeds": ["rail"],
    "stops": [
        {"id": "sta", "name": "Station", "name_en": "Station", "lat": 34.0, "lon": 131.1},
        {"id": "p1", "name": "Park 1", "name_en": "Park 1", "lat": 34.018, "lon": 131.1},
        {"id": "p2", "name": "Park 2", "name_en": "Park 2", "lat": 34.036, "lon": 131.1},
    ],
    "runs": timetables.scenario_runs(RUNS),
    "service": {"start_date": "2030-01-07", "end_date": "2030-01-11", "weekdays": ["mon", "tue", "wed", "thu", "fri"]},
    "demand": {
        "parks": [
            {
                "stop": "p1",
                "employees": 100,
                "rail_shuttle_share": 0.1,
                "shifts": [{"name": "day", "start": "08:00", "end": "17:00", "share": 1.0}],
            },
            {
                "stop": "p2",
                "employees": 50,
                "rail_shuttle_share": 0.2,
                "shifts": [{"name": "day", "start": "08:30", "end": "17:30", "share": 1.0}],
            },
        ],
        "origins": [{"station": "home", "share": 1.0}],
    },
    "fleet": {
        "vehicles": 2,
        "seats": 28,
        "cost_per_vehicle_hour_yen": 6000,
        "cost_per_km_yen": 50,
        "road_speed_kmh": 30,
        "road_detour": 1.3,
        "dwell_minutes": 0,
        "min_layover_minutes": 3,
        "paid_layover_max_minutes": 60,
        "road_times": [{"from": "sta", "to": "p1", "minutes": 10}, {"from": "p1", "to": "p2", "minutes": 10}],
    },
    "rules": {
        "margin_minutes": 5,
        "max_early_minutes": 60,
        "transfer_minutes": 2,
        "max_wait_home_minutes": 60,
        "meet_window_minutes": 30,
        "missed_window_minutes": 15,
        "walk_radius_m": 300,
    },
    "optimize": {"grid_minutes": 5, "time_limit_s": 5},
}


def write_rail_feed(folder: Path) -> Path:
    """Write the small world's rail feed (see the module docstring)."""
    tables = basic_tables([("home", 34.0, 131.0), ("sta", 34.0, 131.1)])
    tables["routes"] = [{"route_id": "L", "agency_id": "A", "route_short_name": "Line", "route_type": "2"}]
    tables["calendar"] = [calendar_row("wk", "1111100", "20300101", "20301231")]
    tables["stop_times"] = timetables.stop_times(TRAINS)
    tables["trips"] = [{"route_id": "L", "service_id": "wk", "trip_id": t, "trip_headsign": stops[-1][0]} for t, stops in timetables.calls(TRAINS)]
    return write_feed(folder, tables)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(cache_dir):
    """Every shuttle test (and module fixture) compiles into the session's private cache, never ~/.cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAAS_CACHE_DIR", str(cache_dir))
        yield


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory) -> Path:
    """A folder with the small world's rail feed (``rail/``) and scenario (``small.yaml``)."""
    folder = tmp_path_factory.mktemp("small-world")
    write_rail_feed(folder / "rail")
    (folder / "small.yaml").write_text(yaml.safe_dump(SMALL_SCENARIO, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture
def small_data() -> dict:
    """A fresh copy of the small world's scenario as data (to modify in a test)."""
    return copy.deepcopy(SMALL_SCENARIO)


def write_scenario(folder: Path, data: dict, name: str = "scenario.yaml") -> Path:
    """Write scenario data as YAML into ``folder`` (where ``rail/`` must be for relative paths)."""
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
