"""Journeys the project-made feeds must allow, planned by maas itself (checked on every build).

The three feeds the builder makes (jr, bus, techno-shuttle) are compiled by
maas's compiler and searched by its journey planner with the product's
default rules: walking links between stops within 500 m at 1.2 m/s along the
straight line (``maas.network.walking.WalkModel``), the Pareto journeys of a
departure time.  A scenario holds when one of the planner's journeys rides
only the routes it names (and at least one); a scenario that must fail holds
when no journey rides any of them.  Journeys over the mixed data with the
official JR bus feed are tested in tests/data/test_real_feed.py.

Usage (from the repository root, with the project's environment):

    .venv/bin/python gtfs/_build/scenarios.py     # plans on the committed feeds and prints each journey
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from common import GTFS_DIR  # noqa: E402

from maas import Journey, JourneyQuery, Place, Planner, load_network, parse_clock  # noqa: E402

#: The feeds the builder makes, in the catalog's order.
FEEDS = ("jr", "bus", "techno-shuttle")


@dataclass(frozen=True)
class Scenario:
    """A journey the data must allow (``must_fail``: must not allow).

    ``origin`` and ``destination`` are stops as ``FEED:stop_id`` (any of them
    will do); ``routes`` are the route ids the journey may ride (``None``:
    any).
    """

    label: str
    date: dt.date
    origin: tuple[str, ...]
    depart: str
    destination: tuple[str, ...]
    routes: frozenset[str] | None
    must_fail: bool = False


@dataclass(frozen=True)
class Outcome:
    """A scenario checked: whether it holds, and the journey that decided it (if any)."""

    scenario: Scenario
    ok: bool
    journey: Journey | None


def _s(label: str, date: dt.date, origin: str, depart: str, destination: str, routes: str | None, must_fail: bool = False) -> Scenario:
    """Return a scenario from comma-separated stops and routes."""
    return Scenario(label, date, tuple(origin.split(",")), depart, tuple(destination.split(",")), frozenset(routes.split(",")) if routes else None, must_fail)


DEC_2026, DEC_2019 = dt.date(2026, 12, 9), dt.date(2019, 12, 10)
SCENARIOS = (
    _s("weekday Dec 2026: Shin-Yamaguchi -> Ajisu by Ube Line", DEC_2026, "jr:shinyamaguchi", "09:00", "jr:ajisu", "ube"),
    _s(
        "weekday Dec 2026: Shin-Yamaguchi -> Hagi by Super Hagi",
        DEC_2026,
        "bus:bus_shinyamaguchi",
        "09:00",
        "bus:bus_hagi_meirin,bus:bus_higashihagi_eki",
        "bocho_superhagi",
    ),
    _s("weekday Dec 2026: Shin-Yamaguchi -> Akiyoshido by bus", DEC_2026, "bus:bus_shinyamaguchi", "09:00", "bus:bus_akiyoshido", "bocho_akiyoshido"),
    _s("weekday Dec 2026: Yamaguchi -> Tsuwano by Yamaguchi Line", DEC_2026, "jr:yamaguchi", "09:00", "jr:tsuwano", "yamaguchi,super_oki"),
    _s("weekday Dec 2019: Shin-Yamaguchi -> Motoyura by Sanyo Line for the 7:24 shuttle", DEC_2019, "jr:shinyamaguchi", "06:30", "jr:motoyura", "sanyo"),
    _s(
        "weekday Dec 2019: Shin-Yamaguchi -> Ube Techno Park (Sanyo Line + shuttle)",
        DEC_2019,
        "jr:shinyamaguchi",
        "06:30",
        "techno-shuttle:ube_techno_park",
        "sanyo,techno_shuttle",
    ),
    _s(
        "weekday Dec 2019: Shin-Yamaguchi 7:30 -> Yamaguchi Techno Park (Sanyo Line + 8:01 shuttle)",
        DEC_2019,
        "jr:shinyamaguchi",
        "07:30",
        "techno-shuttle:yamaguchi_techno_park",
        "sanyo,techno_shuttle",
    ),
    _s("Mine Line rail on 2023-06-29", dt.date(2023, 6, 29), "jr:asa", "08:00", "jr:nagatoshi", "mine"),
    _s("Mine replacement bus on 2026-12-09", DEC_2026, "bus:bus_asa_eki", "08:00", "bus:bus_nagatoshi_eki", "jrwest_mine_bus"),
    _s("SL Yamaguchi on Sunday 2024-10-06", dt.date(2024, 10, 6), "jr:shinyamaguchi", "10:50", "jr:tsuwano", "sl_yamaguchi"),
    _s("no Mine Line rail on 2023-06-30", dt.date(2023, 6, 30), "jr:asa", "05:00", "jr:nagatoshi", "mine", True),
    _s("no shuttle on 2020-03-02", dt.date(2020, 3, 2), "jr:motoyura", "07:00", "techno-shuttle:ube_techno_park", "techno_shuttle", True),
    _s("no SL on a weekday 2024-10-09", dt.date(2024, 10, 9), "jr:shinyamaguchi", "10:00", "jr:tsuwano", "sl_yamaguchi", True),
)


def planner_for_folder(gtfs_dir: Path = GTFS_DIR) -> Planner:
    """Return maas's planner over the builder's feeds as written in ``gtfs_dir`` (compiled by maas, nothing cached)."""
    return Planner(load_network([gtfs_dir / name for name in FEEDS], use_cache=False))


def place(planner: Planner, refs: Sequence[str]) -> Place:
    """Return the place made of the stops ``refs`` (``FEED:stop_id``); KeyError naming a stop that is not there."""
    tt = planner.network.timetable
    stops: list[int] = []
    for ref in refs:
        found = tt.stops_with_id(ref)
        if not found:
            raise KeyError(f"no stop {ref} in the built feeds")
        stops += found
    first = stops[0]
    return Place("stop", ",".join(refs), tt.stop_names[first], float(tt.stop_lat[first]), float(tt.stop_lon[first]), tuple(stops))


def ride_routes(journey: Journey) -> list[str]:
    """Return the route ids a journey rides, in order."""
    return [leg.route_id for leg in journey.legs if leg.is_ride]


def check(planner: Planner, scenario: Scenario) -> Outcome:
    """Plan a scenario's query with maas's planner and say whether the scenario holds."""
    query = JourneyQuery(place(planner, scenario.origin), place(planner, scenario.destination), scenario.date, parse_clock(scenario.depart))
    journeys = planner.plan(query)
    allowed = scenario.routes
    if scenario.must_fail:
        riding = [j for j in journeys if allowed is None or set(ride_routes(j)) & allowed]
        return Outcome(scenario, not riding, riding[0] if riding else None)
    fitting = [j for j in journeys if ride_routes(j) and (allowed is None or set(ride_routes(j)) <= allowed)]
    return Outcome(scenario, bool(fitting), fitting[0] if fitting else None)


def describe(journey: Journey) -> str:
    """Return ``arrive HH:MM via route trip from->to; ...`` for people."""

    def hm(seconds: int) -> str:
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"

    legs = [
        f"{leg.route} {leg.trip_id} {leg.origin.id}->{leg.destination.id}" if leg.is_ride else f"walk {leg.origin.id}->{leg.destination.id}"
        for leg in journey.legs
    ]
    return f"arrive {hm(journey.arrival)} via " + "; ".join(legs)


def run(planner: Planner, verbose: bool = True) -> bool:
    """Check every scenario, print the failures (and with ``verbose`` every journey); return True when all hold."""
    ok = True
    for outcome in (check(planner, s) for s in SCENARIOS):
        label = outcome.scenario.label
        if not outcome.ok:
            ok = False
            found = f": found {describe(outcome.journey)}" if outcome.journey else ""
            print(f"FAIL {label}{found}", file=sys.stderr)
        elif verbose:
            print(f"ok   {label}" + (f": {describe(outcome.journey)}" if outcome.journey else ""))
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if run(planner_for_folder()) else 1)
