"""Shuttle answers: the evaluation with its diagram data, the optimiser's proposal, and saved scenarios.

Conventions of these documents (``maas/shuttle/report.py``): times of day
``HH:MM`` (hours may pass 24), durations in minutes to 0.1 (keys end in
``_min``), riders to 0.1 (expected numbers, not counts), distances km, money
yen.  A mean over nobody is null.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from api.models.base import AnyObject, Bool, Clock, Document, Int, IsoDate, IsoDateTime, Number

Direction = Literal["to_work", "home"]
#: A train met (or missed) at a station: it arrives (riders change to the shuttle, to work) or departs (home).
MeetKind = Literal["arrival", "departure"]
#: A time-distance point: ``[HH:MM, km]``.
DiagramPoint = tuple[Clock, Number]
#: A diagram period's bound: ``HH:MM``, padded 40 minutes around its runs, so it is negative for runs
#: before 00:40 (``-1:50`` is ten minutes before midnight, as :func:`maas.when.format_clock` writes it).
PeriodClock = Annotated[str, Field(pattern=r"^-?[0-9]{1,}:[0-5][0-9]$", examples=["06:40"])]


class ScenarioSummary(Document):
    name: str
    description: str
    source: str = Field(description="Where the scenario came from (file, or 'scenario' over HTTP).")
    date: IsoDate
    weekday: str = Field(description="Mon, Tue, ...")
    rail_feeds: list[str]
    runs_feed: str | None


class Rules(Document):
    margin_min: Number
    max_early_min: Number
    transfer_min: Number
    max_wait_home_min: Number
    meet_window_min: Number
    missed_window_min: Number
    seats: Int


class EvaluationTotals(Document):
    riders: Number
    to_work_on_time: Number = Field(description="Riders with a way to work on time, seats ignored.")
    to_work_seated: Number
    home_reached: Number
    home_seated: Number
    served_share: Number | None = Field(description="Seated to work / riders (3 decimals); null without riders.")
    mean_wait_min: Number | None
    mean_wait_to_work_min: Number | None
    mean_wait_home_min: Number | None
    mean_door_to_door_min: Number | None
    runs: Int
    runs_over_seats: Int
    max_load: Number
    max_wanted: Number
    vehicles: Int
    vehicle_hours: Number
    vehicle_km: Number
    cost_yen: Int
    cost_per_seated_trip_yen: Int | None


class ShiftToWork(Document):
    on_time: Number
    seated: Number
    mean_wait_min: Number | None
    mean_early_min: Number | None
    mean_door_to_door_min: Number | None


class ShiftHome(Document):
    reached: Number
    seated: Number
    mean_park_wait_min: Number | None
    mean_station_wait_min: Number | None
    mean_door_to_door_min: Number | None


class ShiftReport(Document):
    shift: str
    start: Clock
    end: Clock
    riders: Number
    to_work: ShiftToWork
    home: ShiftHome


class ParkReport(Document):
    park: str = Field(description="The park's stop id.")
    name: str
    employees: Int
    rail_shuttle_share: Number
    riders: Number
    shifts: list[ShiftReport]


class RunCall(Document):
    stop: str
    name: str
    arrival: Clock
    departure: Clock
    load_after: Number | None = Field(description="Riders on board after the call; null at the last call.")


class TrainMet(Document):
    station: str
    kind: MeetKind
    time: Clock
    train: str
    trip_id: str
    wait_min: Number | None


class TrainMissed(Document):
    station: str
    kind: MeetKind
    time: Clock
    train: str
    trip_id: str
    short_by_min: Number | None


class RunReport(Document):
    id: str
    name: str | None
    name_en: str | None
    direction: Literal["to_work", "home", "mixed"]
    start: Clock
    end: Clock
    minutes: Number
    km: Number
    seats: Int
    peak_load: Number
    wanted_peak: Number = Field(description="Riders whose best option is this run (may exceed the seats).")
    riders: Number
    mean_wait_min: Number | None
    boarding: dict[str, Number] = Field(description="Riders boarding, by stop id.")
    alighting: dict[str, Number] = Field(description="Riders alighting, by stop id.")
    calls: list[RunCall]
    trains_met: list[TrainMet]
    missed: list[TrainMissed] = Field(description="Trains just missed: the connection falls short by short_by_min.")


class Duty(Document):
    runs: list[str] = Field(description="The runs one vehicle makes, in order.")
    start: Clock
    end: Clock
    paid_hours: Number
    km: Number
    deadhead_km: Number


class FleetReport(Document):
    vehicles_needed: Int
    vehicles_available: Int | None = Field(description="Null: no limit.")
    enough_vehicles: Bool
    vehicle_hours: Number
    vehicle_km: Number
    deadhead_km: Number
    cost_yen: Int
    duties: list[Duty]


class _Option(Document):
    run: str
    board: str
    alight: str
    departure: Clock
    arrival: Clock
    shuttle_departure: Clock
    shuttle_arrival: Clock
    train: str | None
    train_time: Clock | None
    wait_min: Number | None


class ToWorkOption(_Option):
    """To work: ``departure`` from the origin station, ``arrival`` at the park."""

    early_min: Number | None = Field(description="At the park before the shift starts.")
    door_to_door_min: Number | None
    rides: Int
    riders: Number = Field(description="Riders seated on this option.")


class HomeOption(_Option):
    """Home: ``departure`` is the run leaving the park, ``arrival`` at the origin station."""

    park_wait_min: Number | None = Field(description="At the park after the shift ends.")
    door_to_door_min: Number | None
    rides: Int
    riders: Number = Field(description="Riders seated on this option.")


class _Group(Document):
    direction: Direction
    park: str
    shift: str
    origin: str
    riders: Number
    seated: Number
    unseated: Number | None = Field(description="Null when the group has no option at all.")


class ToWorkGroup(_Group):
    """Riders of one park, shift and origin station going to work."""

    direction: Literal["to_work"]
    options: list[ToWorkOption]
    journey: str | None = Field(description="The journey planner's own answer for the group, as a cross-check.")


class HomeGroup(_Group):
    """Riders of one park, shift and origin station going home."""

    direction: Literal["home"]
    options: list[HomeOption]
    journey: str | None = Field(description="The journey planner's own answer for the group, as a cross-check.")


class Evaluation(Document):
    """The ``maas shuttle evaluate --json`` document."""

    scenario: ScenarioSummary
    rules: Rules
    note: str = Field(description="What riders means.")
    totals: EvaluationTotals
    parks: list[ParkReport]
    runs: list[RunReport]
    fleet: FleetReport
    groups: list[Annotated[ToWorkGroup | HomeGroup, Field(discriminator="direction")]]
    warnings: list[str]


# --- diagram data ----------------------------------------------------------------------------------------


class AxisStop(Document):
    stop_id: str
    name: str
    km: Number


class TrainLine(Document):
    kind: Literal["train"]
    trip_id: str
    label: str
    points: list[DiagramPoint]


class ShuttleLine(Document):
    kind: Literal["shuttle"]
    run: str
    label: str
    load: Number
    seats: Int
    points: list[DiagramPoint]


class ShuttleCall(Document):
    run: str
    time: Clock
    kind: MeetKind
    load: Number


class Connection(Document):
    run: str
    train: str
    trip_id: str
    train_time: Clock
    shuttle_time: Clock
    kind: MeetKind


class StationPanel(Document):
    """A shuttle station: the rail line through it (km from the station), its trains, the shuttle's calls and the connections met."""

    id: str
    kind: Literal["station"]
    station: str
    title: str
    axis: list[AxisStop]
    lines: list[TrainLine]
    shuttle_calls: list[ShuttleCall]
    connections: list[Connection]


class ShuttlePanel(Document):
    """The runs along the road from the stations to the parks."""

    id: str
    kind: Literal["shuttle"]
    title: str
    axis: list[AxisStop]
    lines: list[ShuttleLine]


class Period(Document):
    name: str = Field(description="am, pm (am1, am2 ... when there are several).")
    start: PeriodClock
    end: PeriodClock
    runs: list[str]
    panels: list[Annotated[StationPanel | ShuttlePanel, Field(discriminator="kind")]]


class LoadLeg(Document):
    from_: str = Field(alias="from")
    to: str
    load: Number
    wanted: Number


class RunLoad(Document):
    run: str
    label: str
    seats: Int
    peak_load: Number
    wanted_peak: Number
    legs: list[LoadLeg]


class Diagram(Document):
    """Time-distance (Marey) diagrams per period and each run's load per leg, ready to draw."""

    scenario: str
    date: IsoDate
    periods: list[Period]
    loads: list[RunLoad]


class EvaluationDocument(Document):
    """The answer of ``POST /v1/shuttle/evaluate`` and ``GET /v1/scenarios/{id}/evaluation``."""

    evaluation: Evaluation
    diagram: Diagram


# --- optimisation ------------------------------------------------------------------------------------------


class Weights(Document):
    served: Number
    wait_minute: Number
    early_minute: Number
    vehicle: Number
    run: Number
    cost_per_1000_yen: Number


class Solver(Document):
    engine: str
    status: str = Field(description="CP-SAT's status: OPTIMAL or FEASIBLE; without a proposal INFEASIBLE (proved) or UNKNOWN (none found in time).")
    time_limit_s: Number
    solve_s: Number
    total_s: Number
    candidates: Int
    variables: Int
    constraints: Int
    best_bound: Number | None = Field(description="Best upper bound on the objective; null when none is known.")


class ModelScore(Document):
    """What the optimiser's model says about a set of runs."""

    runs: Int
    vehicles: Int
    to_work_seated: Number
    home_seated: Number
    mean_wait_min: Number
    objective: Number


class ModelScores(Document):
    input: ModelScore | None = Field(description="Null when the input runs are infeasible under the model.")
    proposal: ModelScore | None = Field(description="Null when no timetable was proposed (status infeasible).")


class ProposedCall(Document):
    stop: str
    arrival: Clock
    departure: Clock


class ProposedRun(Document):
    id: str
    name: str | None
    name_en: str | None
    calls: list[ProposedCall]


class RunBrief(Document):
    id: str
    direction: Literal["to_work", "home", "mixed"]
    calls: list[str] = Field(description="'HH:MM stop' per call.")
    peak_load: Number
    wanted_peak: Number
    seats: Int


class ComparedEvaluation(Document):
    scenario: ScenarioSummary
    totals: EvaluationTotals
    runs: list[RunBrief]
    warnings: list[str]


class Change(Document):
    """B − A for each total (null when either is null)."""

    riders: Number | None
    to_work_on_time: Number | None
    to_work_seated: Number | None
    home_reached: Number | None
    home_seated: Number | None
    mean_wait_to_work_min: Number | None
    mean_wait_home_min: Number | None
    mean_door_to_door_min: Number | None
    runs: Number | None
    runs_over_seats: Number | None
    vehicles: Number | None
    vehicle_hours: Number | None
    vehicle_km: Number | None
    cost_yen: Number | None
    cost_per_seated_trip_yen: Number | None


class ParkChange(Document):
    park: str
    name: str
    a_to_work_seated: Number
    b_to_work_seated: Number | None
    a_home_seated: Number
    b_home_seated: Number | None


class OptimizerScores(Document):
    status: str
    model_input: ModelScore | None
    model_proposal: ModelScore


class Comparison(Document):
    """The input (a) and the proposal (b), each evaluated end to end."""

    a: ComparedEvaluation
    b: ComparedEvaluation
    change: Change
    parks: list[ParkChange]
    note: str
    optimizer: OptimizerScores


class OptimizeDocument(Document):
    """The answer of ``POST /v1/shuttle/optimize``.

    No timetable meeting the scenario's constraints is still a 200 answer:
    ``status`` ``infeasible`` with the ``reason``, no proposed runs and no comparison.
    """

    status: Literal["ok", "infeasible"] = Field(description="infeasible when no timetable meets the constraints (or none was found in time).")
    reason: str | None = Field(description="Why no timetable was proposed; null when one was.")
    scenario: str
    date: IsoDate
    objective: str = Field(description="The objective, in words.")
    weights: Weights
    solver: Solver
    model: ModelScores
    proposal: list[ProposedRun]
    comparison: Comparison | None = Field(description="The input and the proposal evaluated end to end; null without a proposal.")


# --- saved scenarios ----------------------------------------------------------------------------------------


class ScenarioEntry(Document):
    id: str
    name: str
    version: Int = Field(description="Bumped on every update; send it back with PUT.")
    created: IsoDateTime
    updated: IsoDateTime


class ScenarioList(Document):
    """The answer of ``GET /v1/scenarios``: newest first."""

    scenarios: list[ScenarioEntry]


class StoredScenario(ScenarioEntry):
    """A saved scenario with its document."""

    scenario: AnyObject = Field(description="The scenario document as saved (see scenarios/README.md).")
