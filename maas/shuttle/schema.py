"""The schema of a shuttle scenario: the shuttle timetable, the demand it is for, the fleet and the rules of the game.

Pydantic models of the scenario file (documented field by field in
``scenarios/README.md``; JSON Schema in ``scenarios/scenario.schema.json``,
printed by ``maas shuttle schema``) and the views the evaluation reads off
them (parks, stations, demand groups, service dates).  Reading a file and
the checks across fields are :mod:`maas.shuttle.scenario` and
:mod:`maas.shuttle.checks`.

Units: times of day are ``"HH:MM"`` text (hours may pass 24 for after
midnight); durations are minutes; distances kilometres; money yen; shares are
fractions (0.25 = 25 %).  Times inside the library are seconds after
noon-minus-12 h of the service day, as in :mod:`maas.timetable`.

Which values are facts and which are assumptions is the scenario writer's to
say (``scenarios/trial-2019.yaml`` labels each); the model only checks that
they are consistent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PrivateAttr, WithJsonSchema

from maas.defaults import data_root
from maas.errors import InputError, NotFoundError
from maas.shuttle.units import WEEKDAYS, clock_text

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_ID = r"^[A-Za-z0-9_.\-]+$"

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
        raise ValueError(f'{value!r} is not a time; write it as text like "07:30" (in quotes in YAML)')
    m = _CLOCK.match(value)
    if not m:
        raise ValueError(f"'{value}' is not a time like \"07:30\"")
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 47 or mi > 59 or s > 59:
        raise ValueError(f"'{value}' is not a valid time (hours 0-47, minutes and seconds 0-59)")
    return h * 3600 + mi * 60 + s


#: A time of day: ``"HH:MM"`` or ``"HH:MM:SS"`` in files, seconds after noon-minus-12 h in Python.
Clock = Annotated[
    int,
    BeforeValidator(_parse_clock_value),
    PlainSerializer(clock_text, return_type=str),
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


#: A day of the week, as a scenario writes it.
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
#: The service days when a scenario names none.
WORKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")


class ServiceSpec(_Model):
    """On which days the shuttle runs (written as calendar.txt / calendar_dates.txt of the shuttle feed)."""

    start_date: dt.date | None = Field(None, description="First day of service (default: the evaluation date).")
    end_date: dt.date | None = Field(None, description="Last day of service (default: the evaluation date).")
    weekdays: list[Weekday] = Field(default_factory=lambda: list(WORKDAYS), description="Days of the week with service.")
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
    origins: list[OriginSpec] | None = Field(
        None, max_length=MAX_ROWS, description="Where the park's riders board the train (default: demand.origins); shares sum to 1."
    )


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
    min_layover_minutes: float = Field(
        3.0, ge=0, le=120, description="Least time between the end of a run and the next run of the same vehicle (after driving there), minutes."
    )
    paid_layover_max_minutes: float = Field(
        60.0, ge=0, description="Gaps between runs up to this long are paid vehicle time; longer ones are not (the vehicle is off duty)."
    )


# --- rules, optimizer ---------------------------------------------------------------------------


class RulesSpec(_Model):
    """How the evaluation judges a connection.  All durations in minutes."""

    margin_minutes: float = Field(5.0, ge=0, le=120, description="Arrive at the park at least this long before the shift starts.")
    max_early_minutes: float = Field(60.0, gt=0, le=240, description="Arriving earlier than this before the shift does not count as served.")
    transfer_minutes: float = Field(2.0, ge=0, le=60, description="Least time to change between train and shuttle (and between trains).")
    max_wait_home_minutes: float = Field(
        60.0, gt=0, le=240, description="Longest wait at the park after the shift for a shuttle home that still counts as served."
    )
    meet_window_minutes: float = Field(
        30.0, gt=0, le=120, description="Trains arriving this long before a shuttle leaves (or leaving this long after it arrives) are listed as met."
    )
    missed_window_minutes: float = Field(
        10.0,
        gt=0,
        le=60,
        description="Trains arriving up to this long after the shuttle has left (or leaving just before riders can make it) are missed connections.",
    )
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
        """Return the stop with id ``stop_id``; :class:`~maas.errors.NotFoundError` (a ``KeyError``) when there is none."""
        for s in self.stops:
            if s.id == stop_id:
                return s
        raise NotFoundError(f"{self._source}: stops: no stop '{stop_id}' (the scenario's stops: {', '.join(s.id for s in self.stops)})", "stops")

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


def scenario_json_schema() -> dict:
    """Return the JSON Schema of scenario files."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://example.invalid/maas/scenario.schema.json"
    schema["title"] = "maas shuttle scenario"
    return schema
