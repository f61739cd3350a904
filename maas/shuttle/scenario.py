"""A shuttle scenario: the shuttle timetable, the demand it is for, the fleet and the rules of the game.

A scenario is a YAML or JSON file (documented field by field in
``scenarios/README.md``; JSON Schema in ``scenarios/scenario.schema.json``,
printed by ``maas shuttle schema``).  :func:`load_scenario` reads it and
checks it completely: every problem is reported with the path of the field at
fault (``runs[1].calls[2].time``) as one :class:`~maas.errors.InputError`, so
the command line ends with a message and exit status 2, never a traceback.

Units: times of day are ``"HH:MM"`` text (hours may pass 24 for after
midnight); durations are minutes; distances kilometres; money yen; shares are
fractions (0.25 = 25 %).  Times inside the library are seconds after
noon-minus-12 h of the service day, as in :mod:`maas.timetable`.

Which values are facts and which are assumptions is the scenario writer's to
say (``scenarios/trial-2019.yaml`` labels each); the model only checks that
they are consistent.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PrivateAttr, ValidationError, WithJsonSchema

from maas.defaults import data_root, default_feed_paths
from maas.errors import InputError
from maas.when import format_clock

#: Shares of a list must sum to 1 within this tolerance.
SHARE_TOLERANCE = 1e-6

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_ID = r"^[A-Za-z0-9_.\-]+$"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Size limits of a scenario document: far above any real shuttle, low enough that
# one request cannot make the service build an enormous model.
MAX_STOPS = 100
MAX_RUNS = 300
MAX_CALLS = 60
MAX_PARKS = 50
MAX_ROWS = 50  # shifts, origins
MAX_ROAD_TIMES = 2000
MAX_TEXT = 200


def _parse_clock_value(value: Any) -> int:
    """Return seconds of ``"HH:MM[:SS]"`` (before validation: any other input is an error)."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"{value!r} is not a time; write it as text like \"07:30\" (in quotes in YAML)")
    m = _CLOCK.match(value)
    if not m:
        raise ValueError(f"'{value}' is not a time like \"07:30\"")
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 47 or mi > 59 or s > 59:
        raise ValueError(f"'{value}' is not a valid time (hours 0-47, minutes and seconds 0-59)")
    return h * 3600 + mi * 60 + s


def _clock_text(seconds: int) -> str:
    seconds = int(seconds)
    return format_clock(seconds) if seconds % 60 == 0 else f"{format_clock(seconds)}:{seconds % 60:02d}"


#: A time of day: ``"HH:MM"`` or ``"HH:MM:SS"`` in files, seconds after noon-minus-12 h in Python.
Clock = Annotated[
    int,
    BeforeValidator(_parse_clock_value),
    PlainSerializer(_clock_text, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}(:\d{2})?$", "examples": ["07:14"]}),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=True)


# --- the shuttle: stops and runs -----------------------------------------------------------


class StopSpec(_Model):
    """A shuttle stop: a station where riders change from or to the train, or an industrial park.

    With only ``id``, the stop is taken from the default feeds (``gtfs/techno-shuttle``
    first, then ``gtfs/jr`` and ``gtfs/bus``): name, English name and position.
    Any field given here overrides the feed; a stop not in the default feeds needs
    ``name``, ``lat`` and ``lon``.  Whether a stop is a park is decided by
    ``demand.parks``; every other stop is a station.
    """

    id: str = Field(pattern=_ID, max_length=64, description="Stop id, written as stop_id into the shuttle feed (letters, digits, _ . -).")
    name: str | None = Field(None, max_length=MAX_TEXT, description="Name as on the sign (Japanese in this region).")
    name_en: str | None = Field(None, max_length=MAX_TEXT, description="English name.")
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude, WGS84 degrees.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude, WGS84 degrees.")
    note: str | None = Field(None, max_length=1000, description="Where the position comes from and how good it is (e.g. 'approximate, district level').")


class CallSpec(_Model):
    """One call of a run at a stop."""

    stop: str = Field(max_length=64, description="Id of a stop of ``stops``.")
    time: Clock = Field(description="Arrival time, and departure time unless ``depart`` is given.")
    depart: Clock | None = Field(None, description="Departure time when the bus waits at the stop (not before ``time``).")


class RunSpec(_Model):
    """One shuttle run (a GTFS trip): its stops in order with their times."""

    id: str = Field(pattern=_ID, max_length=64, description="Run id, written as trip_id.")
    name: str | None = Field(None, max_length=MAX_TEXT, description="Name shown to riders (trip_short_name), e.g. 朝1便.")
    name_en: str | None = Field(None, max_length=MAX_TEXT, description="English name, e.g. 'Morning run 1'.")
    calls: list[CallSpec] = Field(min_length=2, max_length=MAX_CALLS, description="Stops in calling order; times never go backwards.")


class ServiceSpec(_Model):
    """On which days the shuttle runs (written as calendar.txt / calendar_dates.txt of the shuttle feed)."""

    start_date: dt.date | None = Field(None, description="First day of service (default: the evaluation date).")
    end_date: dt.date | None = Field(None, description="Last day of service (default: the evaluation date).")
    weekdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], description="Days of the week with service."
    )
    except_dates: list[dt.date] = Field(default_factory=list, max_length=366, description="Days without service inside the period (holidays).")


# --- demand ---------------------------------------------------------------------------------


class ShiftSpec(_Model):
    """A work shift: employees must be at the park ``margin`` minutes before ``start`` and leave after ``end``."""

    name: str = Field(min_length=1, max_length=MAX_TEXT, description="Shift name, e.g. 'day'.")
    start: Clock = Field(description="Shift start.")
    end: Clock = Field(description="Shift end (after start; may pass 24:00).")
    share: float = Field(ge=0, le=1, description="Share of the park's rail + shuttle riders who work this shift.")


class OriginSpec(_Model):
    """Where riders board the train: a station of the rail feeds and the share of riders starting there."""

    station: str = Field(min_length=1, max_length=MAX_TEXT, description="Stop id in the rail feeds (e.g. shinyamaguchi, FEED:id) or a station name.")
    share: float = Field(ge=0, le=1, description="Share of the park's riders who start at this station.")


class ParkSpec(_Model):
    """An industrial park: who works there and how many would come by rail + shuttle."""

    stop: str = Field(max_length=64, description="Id of the park's stop in ``stops``.")
    name: str | None = Field(None, max_length=MAX_TEXT, description="Display name (default: the stop's English name).")
    employees: int = Field(ge=0, description="Employees working at the park.")
    rail_shuttle_share: float = Field(ge=0, le=1, description="Share of employees who would commute by rail + shuttle.")
    shifts: list[ShiftSpec] | None = Field(None, max_length=MAX_ROWS, description="The park's shifts (default: demand.shifts); shares sum to 1.")
    origins: list[OriginSpec] | None = Field(None, max_length=MAX_ROWS, description="Where the park's riders board the train (default: demand.origins); shares sum to 1.")


class DemandSpec(_Model):
    """Demand per park; ``shifts`` and ``origins`` here apply to every park that gives none of its own."""

    parks: list[ParkSpec] = Field(min_length=1, max_length=MAX_PARKS, description="The industrial parks.")
    shifts: list[ShiftSpec] | None = Field(None, max_length=MAX_ROWS, description="Default shifts of every park.")
    origins: list[OriginSpec] | None = Field(None, max_length=MAX_ROWS, description="Default origin stations of every park.")


# --- fleet and road ----------------------------------------------------------------------------


class RoadTimeSpec(_Model):
    """A known driving time between two shuttle stops (overrides the distance model)."""

    from_: str = Field(alias="from", description="Stop id.")
    to: str = Field(description="Stop id.")
    minutes: float = Field(gt=0, description="Driving time, minutes (stop to stop, including the time at the stop).")
    km: float | None = Field(None, gt=0, description="Road distance, km (default: straight line × road_detour).")
    both_ways: bool = Field(True, description="Also use this time in the opposite direction.")


class FleetSpec(_Model):
    """Vehicles, their cost, and how long driving between stops takes.

    Driving time between two stops without a ``road_times`` entry is
    ``ceil(straight-line km × road_detour / road_speed_kmh × 60)`` minutes.
    """

    vehicles: int | None = Field(None, ge=0, description="Vehicles available (null: no limit).")
    seats: int = Field(28, ge=1, description="Passengers per vehicle (seats, plus standing room if allowed).")
    cost_per_vehicle_hour_yen: float = Field(4500.0, ge=0, description="Cost of one vehicle with driver per paid hour, yen.")
    cost_per_km_yen: float = Field(60.0, ge=0, description="Running cost per vehicle-km (fuel, wear), yen.")
    road_speed_kmh: float = Field(30.0, gt=0, le=120, description="Average road speed of the distance model, km/h.")
    road_detour: float = Field(1.3, ge=1, le=5, description="Road distance / straight-line distance.")
    road_times: list[RoadTimeSpec] = Field(default_factory=list, max_length=MAX_ROAD_TIMES, description="Known driving times (override the distance model).")
    dwell_minutes: float = Field(1.0, ge=0, le=30, description="Time at each intermediate stop of a run the optimizer builds, minutes.")
    min_layover_minutes: float = Field(3.0, ge=0, le=120, description="Least time between the end of a run and the next run of the same vehicle (after driving there), minutes.")
    paid_layover_max_minutes: float = Field(60.0, ge=0, description="Gaps between runs up to this long are paid vehicle time; longer ones are not (the vehicle is off duty).")


# --- rules, optimizer ---------------------------------------------------------------------------


class RulesSpec(_Model):
    """How the evaluation judges a connection.  All durations in minutes."""

    margin_minutes: float = Field(5.0, ge=0, le=120, description="Arrive at the park at least this long before the shift starts.")
    max_early_minutes: float = Field(60.0, gt=0, le=240, description="Arriving earlier than this before the shift does not count as served.")
    transfer_minutes: float = Field(2.0, ge=0, le=60, description="Least time to change between train and shuttle (and between trains).")
    max_wait_home_minutes: float = Field(60.0, gt=0, le=240, description="Longest wait at the park after the shift for a shuttle home that still counts as served.")
    meet_window_minutes: float = Field(30.0, gt=0, le=120, description="Trains arriving this long before a shuttle leaves (or leaving this long after it arrives) are listed as met.")
    missed_window_minutes: float = Field(10.0, gt=0, le=60, description="Trains arriving up to this long after the shuttle has left (or leaving just before riders can make it) are missed connections.")
    walk_radius_m: float = Field(500.0, ge=0, le=2000, description="Longest walk between a train platform and a shuttle stop, metres.")


class WeightsSpec(_Model):
    """Objective weights of the optimizer (see ``scenarios/README.md``): points per unit.

    The optimizer maximises
    ``served × riders served on time (to work and home, seated)
    − wait_minute × rider-minutes waiting (train ↔ shuttle, and at the park after the shift)
    − early_minute × rider-minutes at work earlier than the margin
    − vehicle × vehicles − run × runs − cost_per_1000_yen × running cost of the runs / 1000``
    (running cost = run hours × cost_per_vehicle_hour_yen + run km × cost_per_km_yen).
    """

    served: float = Field(100.0, ge=0, description="Per rider trip served on time (to work, or home after the shift).")
    wait_minute: float = Field(1.0, ge=0, description="Per rider-minute of waiting.")
    early_minute: float = Field(0.25, ge=0, description="Per rider-minute at work before shift start − margin.")
    vehicle: float = Field(500.0, ge=0, description="Per vehicle needed.")
    run: float = Field(20.0, ge=0, description="Per run operated (a fixed charge: one more departure to run and publish).")
    cost_per_1000_yen: float = Field(30.0, ge=0, description="Per 1,000 yen of running cost of the runs (hours and km at the fleet's rates).")


class OptimizeSpec(_Model):
    """What the optimizer may propose."""

    weights: WeightsSpec = Field(default_factory=WeightsSpec, description="Objective weights.")
    grid_minutes: int = Field(5, ge=1, le=60, description="Candidate departure times are multiples of this.")
    to_work_window: tuple[Clock, Clock] | None = Field(None, description="First and last departure of candidate runs to the parks (default: from the shifts).")
    home_window: tuple[Clock, Clock] | None = Field(None, description="First and last departure of candidate runs home (default: from the shifts).")
    stations: list[str] | None = Field(None, max_length=MAX_STOPS, description="Stations candidate runs may serve (default: every station stop).")
    max_stations_per_run: int = Field(2, ge=1, le=4, description="Most stations one candidate run calls at.")
    max_parks_per_run: int = Field(3, ge=1, le=6, description="Most parks one candidate run calls at.")
    max_runs: int | None = Field(None, ge=1, description="Most runs in the proposal (null: no limit).")
    candidates_per_group: int = Field(6, ge=1, le=200, description="Candidate runs kept per (park, shift, origin) group and direction: its best ones.")
    keep_served: bool = Field(True, description="Every (park, shift, origin) the input timetable serves stays served.")
    time_limit_s: float = Field(30.0, gt=0, description="Solver time limit, seconds (the command line's --time-limit wins).")


class Scenario(_Model):
    """A shuttle scenario: timetable, demand, fleet, rail timetable, date and rules.

    Give the shuttle timetable either as ``runs`` or as ``runs_feed`` (a GTFS
    feed folder or zip whose trips running on ``date`` are the runs).
    Relative paths are resolved against the scenario file's folder, then the
    repository (the folder holding ``gtfs/``).
    """

    name: str = Field(min_length=1, max_length=MAX_TEXT, description="Short name used in reports and file names.")
    description: str = Field("", max_length=5000, description="What the scenario is, and where its numbers come from.")
    date: dt.date = Field(description="Service date to evaluate (a day on which the shuttle and the trains run).")
    rail_feeds: list[str] = Field(default_factory=lambda: ["gtfs/jr"], min_length=1, max_length=10, description="GTFS feeds of the trains (folders or zips).")
    stops: list[StopSpec] = Field(min_length=2, max_length=MAX_STOPS, description="Shuttle stops: stations and parks.")
    runs: list[RunSpec] | None = Field(None, max_length=MAX_RUNS, description="The shuttle runs.")
    runs_feed: str | None = Field(None, description="Or: a GTFS feed holding the runs.")
    service: ServiceSpec = Field(default_factory=ServiceSpec, description="Days the shuttle runs (for the written feed).")
    demand: DemandSpec = Field(description="Employees per park, their shifts and origin stations.")
    fleet: FleetSpec = Field(default_factory=FleetSpec, description="Vehicles, costs, road times.")
    rules: RulesSpec = Field(default_factory=RulesSpec, description="Evaluation rules.")
    optimize: OptimizeSpec = Field(default_factory=OptimizeSpec, description="Optimizer settings and objective weights.")

    _base_dir: Path | None = PrivateAttr(default=None)
    _source: str = PrivateAttr(default="scenario")

    # --- derived views ---------------------------------------------------------------------
    @property
    def source(self) -> str:
        """Where the scenario was read from (for messages)."""
        return self._source

    @property
    def base_dir(self) -> Path | None:
        """The folder relative paths are resolved against first."""
        return self._base_dir

    def resolve_path(self, text: str, field: str) -> Path:
        """Return the existing file or folder ``text`` names (see class docstring), else raise InputError."""
        p = Path(text).expanduser()
        tried = []
        if p.is_absolute():
            tried.append(p)
        else:
            if self._base_dir is not None:
                tried.append(self._base_dir / p)
            tried.append(data_root() / p)
            tried.append(Path.cwd() / p)
        for candidate in tried:
            if candidate.exists():
                return candidate.resolve()
        where = ", ".join(str(t) for t in dict.fromkeys(tried))
        raise InputError(f"{self._source}: {field}: '{text}' not found (looked at {where})", field)

    def park_ids(self) -> list[str]:
        """Return the stop ids of the parks, in ``demand.parks`` order."""
        return [p.stop for p in self.demand.parks]

    def station_ids(self) -> list[str]:
        """Return the ids of the stops that are not parks, in ``stops`` order."""
        parks = set(self.park_ids())
        return [s.id for s in self.stops if s.id not in parks]

    def stop(self, stop_id: str) -> StopSpec:
        """Return the stop with id ``stop_id``."""
        for s in self.stops:
            if s.id == stop_id:
                return s
        raise KeyError(stop_id)

    def stop_label(self, stop_id: str) -> str:
        """Return the English name of a stop (else its name, else its id)."""
        try:
            s = self.stop(stop_id)
        except KeyError:
            return stop_id
        return s.name_en or s.name or s.id

    def park_label(self, park_stop: str) -> str:
        """Return a park's display name."""
        for p in self.demand.parks:
            if p.stop == park_stop and p.name:
                return p.name
        return self.stop_label(park_stop)

    def shifts_of(self, park: ParkSpec) -> list[ShiftSpec]:
        """Return a park's shifts (its own, else the demand's default)."""
        return list(park.shifts if park.shifts is not None else self.demand.shifts or [])

    def origins_of(self, park: ParkSpec) -> list[OriginSpec]:
        """Return a park's origin stations (its own, else the demand's default)."""
        return list(park.origins if park.origins is not None else self.demand.origins or [])

    def demand_groups(self) -> list[DemandGroup]:
        """Return the riders per (park, shift, origin): employees × rail_shuttle_share × shift share × origin share."""
        groups = []
        for park in self.demand.parks:
            riders = park.employees * park.rail_shuttle_share
            for shift in self.shifts_of(park):
                for origin in self.origins_of(park):
                    n = riders * shift.share * origin.share
                    if n > 0:
                        groups.append(DemandGroup(park.stop, shift.name, shift.start, shift.end, origin.station, n))
        return groups

    def service_dates(self) -> list[dt.date]:
        """Return every date on which the shuttle runs, first to last."""
        start = self.service.start_date or self.date
        end = self.service.end_date or self.date
        days = {WEEKDAYS.index(d) for d in self.service.weekdays}
        skip = set(self.service.except_dates)
        out = []
        d = start
        while d <= end:
            if d.weekday() in days and d not in skip:
                out.append(d)
            d += dt.timedelta(days=1)
        return out

    def with_runs(self, runs: list[RunSpec] | None = None, runs_feed: str | None = None, name: str | None = None) -> Scenario:
        """Return a copy with another shuttle timetable (and name), same base folder."""
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["runs"] = [r.model_dump(mode="json", exclude_none=True) for r in runs] if runs is not None else None
        data["runs_feed"] = runs_feed
        if name:
            data["name"] = name
        data = {k: v for k, v in data.items() if v is not None}
        return scenario_from_dict(data, source=self._source, base_dir=self._base_dir)

    def to_yaml(self) -> str:
        """Return the scenario as YAML text (times as "HH:MM")."""
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


@dataclass(frozen=True)
class DemandGroup:
    """Riders of one park and shift who start at one station.  Times in seconds; ``riders`` expected (not whole)."""

    park: str
    shift: str
    start: int
    end: int
    origin: str
    riders: float


# --- reading and checking ---------------------------------------------------------------------------


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.1 would read ``17:50`` as the base-60 integer 1070: keep clock-like scalars as text."""


_YamlLoader.yaml_implicit_resolvers = copy.deepcopy(yaml.SafeLoader.yaml_implicit_resolvers)
for _first in "0123456789":
    _YamlLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(0, ("tag:yaml.org,2002:str", re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")))


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file (YAML, or JSON by its ``.json`` suffix).

    Raises :class:`InputError` naming every field at fault.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such scenario file", "scenario") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a scenario file", "scenario") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the scenario file is not UTF-8 text", "scenario") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the scenario ({exc.strerror})", "scenario") from None
    return scenario_from_text(text, source=str(path), base_dir=path.resolve().parent, json_text=path.suffix.lower() == ".json")


def scenario_from_text(text: str, source: str = "scenario", base_dir: Path | None = None, json_text: bool = False) -> Scenario:
    """Parse scenario text (YAML unless ``json_text``) and check it."""
    return scenario_from_dict(scenario_data(text, source, json_text), source=source, base_dir=base_dir)


def scenario_data(text: str, source: str = "scenario", json_text: bool = False) -> dict:
    """Parse scenario text (YAML unless ``json_text``) into plain data, clock values kept as text; not yet checked."""
    try:
        data = json.loads(text) if json_text else yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", "scenario") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{source}: not valid YAML{where}: {problem}", "scenario") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: a scenario is a mapping of fields (name, date, stops, runs, demand, ...), not {type(data).__name__}", "scenario")
    return data


def scenario_from_dict(data: dict, source: str = "scenario", base_dir: Path | None = None) -> Scenario:
    """Check a scenario given as plain data (as read from YAML or JSON)."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        issues = [_issue_of(err) for err in exc.errors()]
        raise _issues_error(source, issues) from None
    scenario._source = source
    scenario._base_dir = base_dir
    _fill_stops(scenario)
    issues = check_scenario(scenario)
    if issues:
        raise _issues_error(source, issues)
    return scenario


def _issue_of(err: dict) -> tuple[str, str]:
    path = field_path(err.get("loc", ()))
    msg = str(err.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        msg = "unknown field (see scenarios/README.md for the fields)"
    elif kind == "missing":
        msg = "required field is missing"
    elif "input" in err and kind not in ("value_error",) and not isinstance(err["input"], dict | list):
        msg = f"{msg} (got {err['input']!r})"
    return path, msg


def field_path(loc: tuple | list) -> str:
    """Return ``runs[1].calls[2].time`` for the pydantic location ``('runs', 1, 'calls', 2, 'time')``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = "from" if part == "from_" else str(part)
            out += ("." if out else "") + part
    return out or "scenario"


def _issues_error(source: str, issues: list[tuple[str, str]]) -> InputError:
    lines = [f"{path}: {msg}" for path, msg in issues]
    head = f"{source}: {lines[0]}"
    if len(lines) > 1:
        head += f"\n  ... and {len(lines) - 1} more problem(s):\n" + "\n".join(f"  {line}" for line in lines[1:])
    return InputError(head, issues[0][0])


def _shares(items: list, path: str, what: str) -> list[tuple[str, str]]:
    total = math.fsum(i.share for i in items)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        return [(path, f"{what} shares sum to {total:.6g}; they must sum to 1 (tolerance {SHARE_TOLERANCE:g})")]
    return []


def check_scenario(s: Scenario) -> list[tuple[str, str]]:
    """Return (field path, message) for every inconsistency pydantic cannot see (ids, references, order, shares)."""
    issues: list[tuple[str, str]] = []
    # stops
    seen: dict[str, int] = {}
    for i, stop in enumerate(s.stops):
        if stop.id in seen:
            issues.append((f"stops[{i}].id", f"duplicate stop id '{stop.id}' (also stops[{seen[stop.id]}])"))
        seen.setdefault(stop.id, i)
        if stop.lat is None or stop.lon is None:
            issues.append((f"stops[{i}].id", f"unknown stop '{stop.id}': not a stop of the default feeds ({_catalogue_names()}); give name, lat and lon"))
        elif not stop.name:
            issues.append((f"stops[{i}].name", f"stop '{stop.id}' needs a name"))
    stop_ids = [st.id for st in s.stops]
    known = ", ".join(stop_ids)
    parks = s.park_ids()
    # demand
    park_seen: dict[str, int] = {}
    for i, park in enumerate(s.demand.parks):
        p = f"demand.parks[{i}]"
        if park.stop not in seen:
            issues.append((f"{p}.stop", f"unknown park stop '{park.stop}'; the scenario's stops are: {known}"))
        if park.stop in park_seen:
            issues.append((f"{p}.stop", f"park '{park.stop}' is listed twice (also demand.parks[{park_seen[park.stop]}])"))
        park_seen.setdefault(park.stop, i)
        if park.shifts is None and s.demand.shifts is None:
            issues.append((f"{p}.shifts", "no shifts: give the park's shifts or demand.shifts"))
        if park.origins is None and s.demand.origins is None:
            issues.append((f"{p}.origins", "no origin stations: give the park's origins or demand.origins"))
        if park.shifts is not None:
            issues += _check_shifts(park.shifts, f"{p}.shifts")
        if park.origins is not None:
            issues += _check_origins(park.origins, f"{p}.origins")
    if s.demand.shifts is not None:
        issues += _check_shifts(s.demand.shifts, "demand.shifts")
    if s.demand.origins is not None:
        issues += _check_origins(s.demand.origins, "demand.origins")
    if not s.station_ids():
        issues.append(("stops", "no station: every stop is a park; add the stations where riders change from the train"))
    # runs
    if (s.runs is None) == (s.runs_feed is None):
        issues.append(("runs", "give the shuttle timetable either as runs or as runs_feed (exactly one of them)"))
    run_seen: dict[str, int] = {}
    for i, run in enumerate(s.runs or []):
        p = f"runs[{i}]"
        if run.id in run_seen:
            issues.append((f"{p}.id", f"duplicate run id '{run.id}' (also runs[{run_seen[run.id]}])"))
        run_seen.setdefault(run.id, i)
        last_time, last_stop = None, None
        for j, call in enumerate(run.calls):
            c = f"{p}.calls[{j}]"
            if call.stop not in seen:
                kind = "park or station"
                issues.append((f"{c}.stop", f"unknown {kind} '{call.stop}' in run '{run.id}'; the scenario's stops are: {known}"))
            if call.depart is not None and call.depart < call.time:
                issues.append((f"{c}.depart", f"departs at {_clock_text(call.depart)}, before it arrives ({_clock_text(call.time)})"))
            if last_time is not None and call.time < last_time:
                issues.append((f"{c}.time", f"{_clock_text(call.time)} at '{call.stop}' is earlier than the call before it ({_clock_text(last_time)} at '{last_stop}'): times go backwards"))
            if call.stop == last_stop:
                issues.append((f"{c}.stop", f"'{call.stop}' twice in a row; merge the two calls (use depart for a wait)"))
            last_time = call.depart if call.depart is not None else call.time
            last_stop = call.stop
        if not any(c.stop in parks for c in run.calls):
            issues.append((f"{p}.calls", f"run '{run.id}' calls at no park ({', '.join(parks)})"))
    # fleet
    for i, rt in enumerate(s.fleet.road_times):
        for attr, label in (("from_", "from"), ("to", "to")):
            sid = getattr(rt, attr)
            if sid not in seen:
                issues.append((f"fleet.road_times[{i}].{label}", f"unknown stop '{sid}'; the scenario's stops are: {known}"))
        if rt.from_ == rt.to:
            issues.append((f"fleet.road_times[{i}]", "from and to are the same stop"))
    # service
    sv = s.service
    start, end = sv.start_date or s.date, sv.end_date or s.date
    if end < start:
        issues.append(("service.end_date", f"{end} is before the start date {start}"))
    elif not (start <= s.date <= end) or s.date.weekday() not in {WEEKDAYS.index(d) for d in sv.weekdays} or s.date in sv.except_dates:
        issues.append(("date", f"the shuttle does not run on {s.date:%a %Y-%m-%d} under service ({start} to {end}, {', '.join(sv.weekdays)}, minus except_dates)"))
    # rules / optimizer
    o = s.optimize
    for i, st in enumerate(o.stations or []):
        if st not in seen:
            issues.append((f"optimize.stations[{i}]", f"unknown stop '{st}'; the scenario's stops are: {known}"))
        elif st in parks:
            issues.append((f"optimize.stations[{i}]", f"'{st}' is a park, not a station"))
    for attr in ("to_work_window", "home_window"):
        w = getattr(o, attr)
        if w is not None and w[1] < w[0]:
            issues.append((f"optimize.{attr}", f"ends ({_clock_text(w[1])}) before it starts ({_clock_text(w[0])})"))
    return issues


def _check_shifts(shifts: list[ShiftSpec], path: str) -> list[tuple[str, str]]:
    issues = []
    if not shifts:
        return [(path, "at least one shift is needed")]
    names: set[str] = set()
    for i, sh in enumerate(shifts):
        if sh.end <= sh.start:
            issues.append((f"{path}[{i}].end", f"shift '{sh.name}' ends ({_clock_text(sh.end)}) before it starts ({_clock_text(sh.start)}); write 24:00+ for after midnight"))
        if sh.name in names:
            issues.append((f"{path}[{i}].name", f"duplicate shift name '{sh.name}'"))
        names.add(sh.name)
    return issues + _shares(shifts, path, "shift")


def _check_origins(origins: list[OriginSpec], path: str) -> list[tuple[str, str]]:
    if not origins:
        return [(path, "at least one origin station is needed")]
    issues = []
    names: set[str] = set()
    for i, o in enumerate(origins):
        if o.station in names:
            issues.append((f"{path}[{i}].station", f"station '{o.station}' is listed twice"))
        names.add(o.station)
    return issues + _shares(origins, path, "origin")


# --- default stops ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CatalogueStop:
    name: str
    name_en: str | None
    lat: float
    lon: float
    note: str | None
    feed: str


_CATALOGUE: dict[str, _CatalogueStop] | None = None


def _catalogue_paths() -> list[Path]:
    paths = default_feed_paths()
    # the shuttle feed first: its ids (ajisu, motoyura) are the shuttle stops
    return sorted(paths, key=lambda p: 0 if "shuttle" in p.name else 1)


def _catalogue_names() -> str:
    return ", ".join(f"gtfs/{p.name}" for p in _catalogue_paths()) or "none found"


def default_stop_catalogue() -> dict[str, _CatalogueStop]:
    """Return the stops of the default feeds by id (shuttle feed first), with English names."""
    global _CATALOGUE
    if _CATALOGUE is None:
        out: dict[str, _CatalogueStop] = {}
        for path in _catalogue_paths():
            stops_file = path / "stops.txt"
            if not stops_file.exists():
                continue
            en = _english_names(path / "translations.txt")
            for row in csv.DictReader(io.StringIO(stops_file.read_text(encoding="utf-8-sig"))):
                sid = (row.get("stop_id") or "").strip()
                if not sid or sid in out or (row.get("location_type") or "0").strip() not in ("", "0"):
                    continue
                try:
                    lat, lon = float(row["stop_lat"]), float(row["stop_lon"])
                except (KeyError, ValueError):
                    continue
                desc = (row.get("stop_desc") or "").strip() or None
                out[sid] = _CatalogueStop(row.get("stop_name", sid).strip(), en.get(sid), lat, lon, desc, path.name)
        _CATALOGUE = out
    return _CATALOGUE


def _english_names(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
        if row.get("table_name") == "stops" and row.get("field_name") == "stop_name" and row.get("language") == "en" and row.get("record_id"):
            out[row["record_id"]] = row["translation"]
    return out


def _fill_stops(s: Scenario) -> None:
    """Complete stops given by id alone from the default feeds (fields given in the scenario win)."""
    catalogue = default_stop_catalogue()
    for stop in s.stops:
        ref = catalogue.get(stop.id)
        if ref is None:
            continue
        if stop.lat is None and stop.lon is None:
            stop.lat, stop.lon = ref.lat, ref.lon
            if stop.note is None:
                stop.note = ref.note
        if stop.name is None:
            stop.name = ref.name
        if stop.name_en is None:
            stop.name_en = ref.name_en


def scenario_json_schema() -> dict:
    """Return the JSON Schema of scenario files."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://example.invalid/maas/scenario.schema.json"
    schema["title"] = "maas shuttle scenario"
    return schema


def iter_permutations(items: list[str], max_len: int) -> list[tuple[str, ...]]:
    """Return every ordering of every non-empty subset of ``items`` of at most ``max_len`` elements."""
    out: list[tuple[str, ...]] = []
    for k in range(1, min(max_len, len(items)) + 1):
        out.extend(itertools.permutations(items, k))
    return out
