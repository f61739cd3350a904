"""A group's options: the ways its riders can make the trip with one shuttle run, best first.

One builder serves both directions; a :class:`Direction` says what differs.

**To work**, a run is an option for a (park, shift, origin) group when it
reaches the park between ``max_early`` and ``margin`` minutes before the
shift starts, after calling at a station the riders reach by train (the rail
leg of :mod:`maas.shuttle.legs`).  Of the stations before the park, the one
that lets riders leave their origin latest is taken (ties: shortest wait);
options are ranked by latest departure from the origin (then fewest rides,
shortest wait).

**Home**, a run is an option when it leaves the park within
``max_wait_home`` after the shift ends and then calls at a station from
which a train takes riders to their origin.  Of the stations after the park,
the one giving the earliest arrival at the origin is taken (ties: shortest
wait); options are ranked by earliest arrival (then fewest rides, the later
run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from maas.shuttle.legs import RailLegs
from maas.shuttle.model import Call, Run
from maas.shuttle.schema import DemandGroup, RulesSpec
from maas.shuttle.units import whole_seconds

TO_WORK = "to_work"
HOME = "home"


@dataclass(frozen=True)
class Option:
    """One way for a group of riders to make the trip with one shuttle run.

    To work: ``departure`` from the origin station, ``arrival`` at the park.
    Home: ``departure`` is the run leaving the park, ``arrival`` at the origin
    station.  ``train_time`` is the train's arrival at (to work) or departure
    from (home) the shuttle's station, ``wait_s`` the time between train and
    shuttle there; ``park_wait_s`` the wait after the shift (home);
    ``early_s`` the time at the park before the shift starts (to work).
    """

    run: str
    board: str
    alight: str
    board_pos: int
    alight_pos: int
    shuttle_departure: int
    shuttle_arrival: int
    departure: int
    arrival: int
    train_time: int | None
    train: str
    wait_s: int
    park_wait_s: int
    early_s: int
    rides: int

    @property
    def door_to_door_s(self) -> int:
        return self.arrival - self.departure


@dataclass(frozen=True)
class Direction:
    """What differs between the trip to work and the trip home.

    ``name``: ``to_work`` or ``home``.  ``to_work``: riders take the train
    first and the shuttle to the park (else the shuttle from the park first).
    ``station_key``: of a run's stations, the smallest key is the group's way
    with that run; ``rank``: options are listed by this key, smallest first.
    """

    name: str
    to_work: bool
    station_key: Callable[[Option], tuple[int, ...]]
    rank: Callable[[Option], tuple[int | str, ...]]


TO_WORK_DIRECTION = Direction(TO_WORK, True, lambda o: (-o.departure, o.wait_s), lambda o: (-o.departure, o.rides, o.wait_s, o.run))
HOME_DIRECTION = Direction(HOME, False, lambda o: (o.arrival, o.wait_s), lambda o: (o.arrival, o.rides, -o.departure, o.run))
DIRECTIONS = {TO_WORK: TO_WORK_DIRECTION, HOME: HOME_DIRECTION}


@dataclass(frozen=True)
class TripRules:
    """The rules of :func:`run_option`, in seconds: at the park ``margin`` to ``max_early`` before the shift, home within ``max_wait_home``."""

    margin_s: int
    max_early_s: int
    max_wait_home_s: int

    @classmethod
    def of(cls, rules: RulesSpec) -> TripRules:
        return cls(whole_seconds(rules.margin_minutes), whole_seconds(rules.max_early_minutes), whole_seconds(rules.max_wait_home_minutes))


def group_options(runs: list[Run], rules: TripRules, rail: RailLegs, g: DemandGroup, parks: frozenset[str], direction: Direction) -> list[Option]:
    """Return a group's options in one direction, best first (one per run)."""
    out = [o for run in runs if (o := run_option(run, rules, rail, g, parks, direction)) is not None]
    out.sort(key=direction.rank)
    return out


def run_option(run: Run, rules: TripRules, rail: RailLegs, g: DemandGroup, parks: frozenset[str], direction: Direction) -> Option | None:
    """Return the best way for group ``g`` to make its trip with ``run`` in ``direction``, or None (see the module docstring)."""
    return option_at(run, park_position(run, g.park), rules, rail, g, parks, direction)


def option_at(run: Run, k: int | None, rules: TripRules, rail: RailLegs, g: DemandGroup, parks: frozenset[str], direction: Direction) -> Option | None:
    """:func:`run_option` when the run's call at the group's park is known: position ``k`` (None: the run does not call there)."""
    if k is None or not _on_time(run.calls[k], rules, g, direction):
        return None
    best = None
    for b in range(k) if direction.to_work else range(k + 1, len(run.calls)):
        if run.calls[b].stop in parks:
            continue
        opt = _option(run, k, b, rail, g, direction)
        if opt is not None and (best is None or direction.station_key(opt) < direction.station_key(best)):
            best = opt
    return best


def park_position(run: Run, park: str) -> int | None:
    """Position of the park's call in the run (a run calls at a park once), None when it does not call there."""
    for i, c in enumerate(run.calls):
        if c.stop == park:
            return i
    return None


def _on_time(park: Call, rules: TripRules, g: DemandGroup, direction: Direction) -> bool:
    """To work: at the park between ``max_early`` and ``margin`` before the shift; home: leaving within ``max_wait_home`` after it."""
    if direction.to_work:
        return g.start - rules.max_early_s <= park.arrival <= g.start - rules.margin_s
    return g.end <= park.departure <= g.end + rules.max_wait_home_s


def _option(run: Run, k: int, b: int, rail: RailLegs, g: DemandGroup, direction: Direction) -> Option | None:
    """Return the option of riding ``run`` between the park (position ``k``) and the station (position ``b``), or None without a train.

    To work the train comes first and the run takes riders from the station
    to the park; home the run takes them from the park to the station and the
    train comes after.
    """
    to_work = direction.to_work
    park, station = run.calls[k], run.calls[b]
    (board, board_pos), (alight, alight_pos) = ((station, b), (park, k)) if to_work else ((park, k), (station, b))
    at_station = station.departure if to_work else station.arrival
    leg = rail.latest_to(g.origin, station.stop, at_station) if to_work else rail.earliest_from(station.stop, g.origin, at_station)
    if leg is None:
        return None
    wait = 0 if leg.train_time is None else (at_station - leg.train_time if to_work else leg.train_time - at_station)
    return Option(
        run.id,
        board.stop,
        alight.stop,
        board_pos,
        alight_pos,
        board.departure,
        alight.arrival,
        leg.origin_time if to_work else park.departure,  # departure: from the origin (to work), from the park (home)
        park.arrival if to_work else leg.origin_time,  # arrival: at the park (to work), at the origin (home)
        leg.train_time,
        leg.train,
        wait,
        0 if to_work else park.departure - g.end,  # park_wait_s
        g.start - park.arrival if to_work else 0,  # early_s
        leg.rides + 1,
    )


__all__ = [
    "DIRECTIONS",
    "HOME",
    "HOME_DIRECTION",
    "TO_WORK",
    "TO_WORK_DIRECTION",
    "Direction",
    "Option",
    "TripRules",
    "group_options",
    "option_at",
    "park_position",
    "run_option",
]
