"""A scenario made routable: the rail feeds and the scenario's runs compiled into one timetable.

:func:`build_context` writes the runs as a GTFS feed (named ``scenario-shuttle``
so that its routes get mode ``shuttle``) into a temporary folder, compiles it
with the rail feeds through :func:`~maas.timetable.cache.load_timetable` (an
unchanged scenario loads from the on-disk cache), and resolves every scenario
stop and origin station to stop indices and places for the journey planner.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
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
from maas.shuttle.gtfs import runs_from_feed, shuttle_tables, write_tables
from maas.shuttle.model import RoadModel, Run, runs_from_specs
from maas.shuttle.scenario import Scenario
from maas.timetable.cache import load_timetable, unique_names
from maas.timetable.model import Timetable

#: Feed name of the scenario's runs inside the compiled timetable (contains "shuttle": mode shuttle).
SHUTTLE_FEED = "scenario-shuttle"


@dataclass
class ShuttleContext:
    """Everything the evaluation needs: scenario, runs, road model, timetable, planner and look-ups.

    - ``stop_index``: scenario stop id → stop index of the shuttle feed in ``timetable``.
    - ``origins``: origin text as written in the scenario → the planner's place.
    - ``rail_stops``: station stop id → stop indices of rail platforms within the walk radius.
    - ``rail_feeds``: indices (into ``timetable.feeds``) of the rail feeds.
    """

    scenario: Scenario
    runs: list[Run]
    road: RoadModel
    timetable: Timetable
    network: Network
    planner: Planner
    walk: WalkModel
    stop_index: dict[str, int]
    origins: dict[str, Place]
    rail_stops: dict[str, list[int]]
    rail_feeds: list[int]
    rail_paths: list[Path]
    warnings: list[str] = field(default_factory=list)
    memo: dict = field(default_factory=dict, repr=False)

    @property
    def date(self) -> dt.date:
        return self.scenario.date

    def english(self, name: str) -> str:
        """Return the English name of a stop or station name (e.g. a headsign), else the name itself."""
        table = self.memo.get("english")
        if table is None:
            tt = self.timetable
            table = _headsign_translations(self.rail_paths)
            for n, i18n in zip(tt.stop_names, tt.stop_names_i18n):
                if "en" in i18n:
                    table.setdefault(n, i18n["en"])
                    table.setdefault(n.removesuffix("駅"), i18n["en"])
            self.memo["english"] = table
        return table.get(name, name)

    def place(self, stop_id: str) -> Place:
        """Return the planner place of a scenario stop."""
        return stop_place(self.network, self.stop_index[stop_id])


def scenario_runs(scenario: Scenario) -> list[Run]:
    """Return a scenario's runs (from ``runs``, or the trips of ``runs_feed`` on the date), sorted by start."""
    if scenario.runs is not None:
        return sorted(runs_from_specs(scenario.runs), key=lambda r: (r.start, r.id))
    path = scenario.resolve_path(scenario.runs_feed or "", "runs_feed")
    return runs_from_feed(path, scenario.date, {s.id for s in scenario.stops})


def build_context(
    scenario: Scenario,
    runs: list[Run] | None = None,
    *,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
) -> ShuttleContext:
    """Compile the scenario's rail feeds with its runs (or ``runs``) and resolve its places.

    Raises :class:`InputError` for a missing feed, a date without trains, or an
    origin station the rail feeds do not have.
    """
    runs = scenario_runs(scenario) if runs is None else runs
    rail_paths = [scenario.resolve_path(p, f"rail_feeds[{i}]") for i, p in enumerate(scenario.rail_feeds)]
    names = [n if "shuttle" not in n.lower() else f"rail-{n}" for n in unique_names(rail_paths)]
    with tempfile.TemporaryDirectory(prefix="maas-shuttle-") as tmp:
        folder = Path(tmp) / SHUTTLE_FEED
        write_tables(folder, shuttle_tables(scenario, runs, timezone=_feed_timezone(rail_paths)))
        tt = load_timetable([*rail_paths, folder], names=[*names, SHUTTLE_FEED], cache_dir=cache_dir, use_cache=use_cache, progress=False)
    feed_names = tt.feed_names()
    rail_feeds = [feed_names.index(n) for n in names]
    shuttle_feed = feed_names.index(SHUTTLE_FEED)
    rail_services = np.isin(tt.service_feed, rail_feeds)
    if not (tt.services_on(scenario.date) & rail_services).any():
        span = tt.service_dates()
        raise InputError(f"{scenario.source}: date: no train of the rail feeds runs on {scenario.date} (the feeds cover {span[0]} to {span[1]})" if span else f"{scenario.source}: date: the rail feeds have no trips", "date")
    network = Network(tt)
    planner = Planner(network)
    walk = WalkModel(radius_m=scenario.rules.walk_radius_m)
    stop_index = {}
    for sid in (s.id for s in scenario.stops):
        idx = [i for i in tt.stops_with_id(f"{SHUTTLE_FEED}:{sid}") if tt.stop_feed[i] == shuttle_feed]
        if idx:
            stop_index[sid] = idx[0]
    ctx = ShuttleContext(
        scenario=scenario,
        runs=runs,
        road=RoadModel.from_scenario(scenario),
        timetable=tt,
        network=network,
        planner=planner,
        walk=walk,
        stop_index=stop_index,
        origins={},
        rail_stops={},
        rail_feeds=rail_feeds,
        rail_paths=rail_paths,
    )
    ctx.origins = _resolve_origins(ctx, names)
    ctx.rail_stops = _rail_stops_near(ctx)
    for sid in scenario.station_ids():
        if not ctx.rail_stops.get(sid):
            ctx.warnings.append(f"station stop '{sid}' has no train platform within {scenario.rules.walk_radius_m:.0f} m: riders cannot change there")
    _check_run_times(ctx)
    return ctx


def _read_member(path: Path, filename: str) -> str:
    """Return the text of one file of a feed folder or zip ('' when absent or unreadable)."""
    try:
        if path.is_dir():
            f = path / filename
            return f.read_text(encoding="utf-8-sig") if f.exists() else ""
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.rsplit("/", 1)[-1] == filename]
            return z.read(names[0]).decode("utf-8-sig") if names else ""
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError):
        return ""


def _feed_timezone(paths: list[Path]) -> str:
    """Return the first rail feed's agency_timezone (the shuttle feed is written in it), else Asia/Tokyo."""
    for path in paths:
        for row in csv.DictReader(io.StringIO(_read_member(path, "agency.txt"))):
            tz = (row.get("agency_timezone") or "").strip()
            if tz:
                return tz
    return "Asia/Tokyo"


def _headsign_translations(paths: list[Path]) -> dict[str, str]:
    """Return English headsigns from the rail feeds' translations.txt (GTFS standard form, by field_value)."""
    out: dict[str, str] = {}
    for path in paths:
        text = _read_member(path, "translations.txt")
        for row in csv.DictReader(io.StringIO(text)):
            if row.get("table_name") == "trips" and row.get("field_name") == "trip_headsign" and row.get("language") == "en" and row.get("field_value"):
                out.setdefault(row["field_value"], row.get("translation") or row["field_value"])
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


def _check_run_times(ctx: ShuttleContext) -> None:
    """Warn about runs driving faster than the road model allows."""
    for run in ctx.runs:
        for a, b in zip(run.calls, run.calls[1:]):
            need = ctx.road.time_s(a.stop, b.stop)
            have = b.arrival - a.departure
            if have < need:
                ctx.warnings.append(
                    f"run {run.id}: {a.stop} → {b.stop} in {have // 60} min, but the road model needs {need // 60} min (fleet.road_times / road_speed_kmh)"
                )
