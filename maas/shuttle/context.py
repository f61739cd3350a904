"""A scenario made routable: its runs joined to the compiled trains, and its stops and origins resolved.

:func:`build_context` takes the rail timetable from :class:`~maas.shuttle.timetable.Timetables`
(compiled once), joins the scenario's runs to it in memory (feed name
``scenario-shuttle``, so its routes get mode ``shuttle``), and resolves every
scenario stop and origin station to stop indices and places for the journey
planner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from maas.errors import InputError, PlaceNotFoundError
from maas.geo import haversine_m
from maas.network.network import Network
from maas.network.walking import WalkModel
from maas.routing.journeys import stop_place
from maas.routing.places import Place, PlaceIndex
from maas.routing.planner import Planner
from maas.shuttle.feed import SHUTTLE_FEED, shuttle_files
from maas.shuttle.model import RoadModel, Run
from maas.shuttle.runs import scenario_runs
from maas.shuttle.schema import Scenario
from maas.shuttle.timetable import RailTimetable, Timetables, shared_timetables
from maas.timetable.model import Timetable


@dataclass
class ShuttleContext:
    """Everything the evaluation needs: scenario, runs, road model, timetable, planner and look-ups.

    - ``timetable``: the rail feeds followed by the runs (feed ``scenario-shuttle``).
    - ``stop_index``: scenario stop id → stop index of the shuttle feed in ``timetable``.
    - ``origins``: origin text as written in the scenario → the planner's place.
    - ``rail_stops``: station stop id → stop indices of rail platforms within the walk radius.
    - ``rail_feeds``: indices (into ``timetable.feeds``) of the rail feeds.
    - ``rail_events``: the trains at each station, filled by :func:`maas.shuttle.meets.rail_events`.
    """

    scenario: Scenario
    runs: list[Run]
    road: RoadModel
    rail: RailTimetable
    timetable: Timetable
    network: Network
    planner: Planner
    walk: WalkModel
    stop_index: dict[str, int]
    origins: dict[str, Place]
    rail_stops: dict[str, list[int]]
    rail_feeds: list[int]
    warnings: list[str] = field(default_factory=list)
    rail_events: dict[str, list] = field(default_factory=dict, repr=False)
    _english: dict[str, str] | None = field(default=None, repr=False)

    @property
    def date(self) -> dt.date:
        return self.scenario.date

    @property
    def rail_paths(self) -> tuple[Path, ...]:
        """The rail feeds' folders or zips."""
        return self.rail.paths

    def english(self, name: str) -> str:
        """Return the English name of a stop or station name (e.g. a headsign), else the name itself."""
        if self._english is None:
            tt = self.timetable
            table = dict(self.rail.headsigns_en)
            for n, i18n in zip(tt.stop_names, tt.stop_names_i18n):
                if "en" in i18n:
                    table.setdefault(n, i18n["en"])
                    table.setdefault(n.removesuffix("駅"), i18n["en"])
            self._english = table
        return self._english.get(name, name)

    def place(self, stop_id: str) -> Place:
        """Return the planner place of a scenario stop."""
        return stop_place(self.network, self.stop_index[stop_id])


def build_context(scenario: Scenario, runs: list[Run] | None = None, *, timetables: Timetables | None = None) -> ShuttleContext:
    """Join the scenario's runs (or ``runs``) to its compiled rail feeds and resolve its places.

    ``timetables`` keeps compiled timetables between calls (default: the
    process's, :func:`~maas.shuttle.timetable.shared_timetables`).  Raises
    :class:`InputError` for a missing feed, a date without trains, or an
    origin station the rail feeds do not have.
    """
    runs = scenario_runs(scenario) if runs is None else runs
    timetables = timetables or shared_timetables()
    rail = timetables.rail([scenario.resolve_path(p, f"rail_feeds[{i}]") for i, p in enumerate(scenario.rail_feeds)])
    tt = timetables.joined(rail, shuttle_files(scenario, runs, timezone=rail.timetable.timezone))
    feed_names = tt.feed_names()
    rail_feeds = [feed_names.index(n) for n in rail.names]
    shuttle_feed_index = feed_names.index(SHUTTLE_FEED)
    _check_trains_run(scenario, tt, rail_feeds)
    network = Network(tt)
    ctx = ShuttleContext(
        scenario=scenario,
        runs=runs,
        road=RoadModel.from_scenario(scenario),
        rail=rail,
        timetable=tt,
        network=network,
        planner=Planner(network),
        walk=WalkModel(radius_m=scenario.rules.walk_radius_m),
        stop_index=_shuttle_stops(scenario, tt, shuttle_feed_index),
        origins={},
        rail_stops={},
        rail_feeds=rail_feeds,
    )
    ctx.origins = _resolve_origins(ctx, list(rail.names))
    ctx.rail_stops = _rail_stops_near(ctx)
    for sid in scenario.station_ids():
        if not ctx.rail_stops.get(sid):
            ctx.warnings.append(f"station stop '{sid}' has no train platform within {scenario.rules.walk_radius_m:.0f} m: riders cannot change there")
    ctx.warnings += run_time_warnings(ctx.runs, ctx.road)
    return ctx


def _check_trains_run(scenario: Scenario, tt: Timetable, rail_feeds: list[int]) -> None:
    """Raise InputError when no train of the rail feeds runs on the scenario's date."""
    rail_services = np.isin(tt.service_feed, rail_feeds)
    if not (tt.services_on(scenario.date) & rail_services).any():
        span = tt.service_dates()
        raise InputError(
            f"{scenario.source}: date: no train of the rail feeds runs on {scenario.date} (the feeds cover {span[0]} to {span[1]})"
            if span
            else f"{scenario.source}: date: the rail feeds have no trips",
            "date",
        )


def _shuttle_stops(scenario: Scenario, tt: Timetable, shuttle_feed_index: int) -> dict[str, int]:
    """Return scenario stop id → its stop index in the shuttle feed of ``tt``."""
    out = {}
    for sid in (s.id for s in scenario.stops):
        idx = [i for i in tt.stops_with_id(f"{SHUTTLE_FEED}:{sid}") if tt.stop_feed[i] == shuttle_feed_index]
        if idx:
            out[sid] = idx[0]
    return out


def _origin_fields(scenario: Scenario) -> dict[str, str]:
    """Return each origin text with the path of its first mention (for messages)."""
    out: dict[str, str] = {}
    for i, o in enumerate(scenario.demand.origins or []):
        out.setdefault(o.station, f"demand.origins[{i}].station")
    for j, park in enumerate(scenario.demand.parks):
        for i, o in enumerate(park.origins or []):
            out.setdefault(o.station, f"demand.parks[{j}].origins[{i}].station")
    return out


def _resolve_origins(ctx: ShuttleContext, rail_names: list[str]) -> dict[str, Place]:
    tt = ctx.timetable
    out: dict[str, Place] = {}
    index: PlaceIndex | None = None
    for text, path in _origin_fields(ctx.scenario).items():
        place = None
        for name in rail_names:
            hits = tt.stops_with_id(text if ":" in text and text.split(":", 1)[0] == name else f"{name}:{text}")
            if hits:
                place = _station_place(ctx, hits[0])
                break
        if place is None:
            if index is None:
                index = PlaceIndex(ctx.network)
            try:
                found = index.resolve(text, path)
            except PlaceNotFoundError as exc:
                close = f"; closest matches: {'; '.join(exc.candidates[:5])}" if exc.candidates else ""
                raise InputError(f"{ctx.scenario.source}: {path}: unknown station '{text}'{close}", path) from None
            rail = tuple(s for s in found.stops if tt.stop_feed[s] in ctx.rail_feeds)
            if not rail:
                raise InputError(f"{ctx.scenario.source}: {path}: '{text}' is not a station of the rail feeds ({', '.join(rail_names)})", path)
            place = Place(found.kind, found.id, found.name, found.lat, found.lon, rail, found.names)
        out[text] = place
    return out


def _station_place(ctx: ShuttleContext, s: int) -> Place:
    """Return a rail stop as a place; a parent station stands for its platforms."""
    tt = ctx.timetable
    base = stop_place(ctx.network, s)
    if tt.stop_location_type[s] == 1:
        children = tuple(int(c) for c in np.flatnonzero(tt.stop_parent == s))
        return Place("station", base.id, base.name, base.lat, base.lon, children or (s,), base.names)
    return base


def _rail_stops_near(ctx: ShuttleContext) -> dict[str, list[int]]:
    tt = ctx.timetable
    rail = np.flatnonzero(np.isin(tt.stop_feed, ctx.rail_feeds) & (tt.stop_location_type == 0))
    out = {}
    for sid in ctx.scenario.station_ids():
        st = ctx.scenario.stop(sid)
        d = haversine_m(st.lat, st.lon, tt.stop_lat[rail], tt.stop_lon[rail])
        near = rail[d <= ctx.scenario.rules.walk_radius_m]
        out[sid] = [int(x) for x in near[np.argsort(d[d <= ctx.scenario.rules.walk_radius_m])]]
    return out


def run_time_warnings(runs: list[Run], road: RoadModel) -> list[str]:
    """Return a warning for every leg of a run driven faster than the road model allows."""
    out = []
    for run in runs:
        for a, b in zip(run.calls, run.calls[1:]):
            need = road.time_s(a.stop, b.stop)
            have = b.arrival - a.departure
            if have < need:
                out.append(
                    f"run {run.id}: {a.stop} → {b.stop} in {have // 60} min, but the road model needs {need // 60} min (fleet.road_times / road_speed_kmh)"
                )
    return out


__all__ = ["ShuttleContext", "build_context", "run_time_warnings"]
