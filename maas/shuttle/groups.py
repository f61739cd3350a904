"""The riders of one (park, shift, origin) group in one direction: their options, seats and planned journey."""

from __future__ import annotations

from dataclasses import dataclass

from maas.shuttle.options import TO_WORK, Option
from maas.shuttle.schema import DemandGroup
from maas.shuttle.units import clock, minutes, r1


@dataclass(frozen=True)
class GroupResult:
    """Riders of one park, shift and origin station in one direction: their options (best first), seats and the planner's journey.

    ``allocation``: riders seated per option; ``unseated``: riders with
    options but no seat; ``planner_check``: the end-to-end planner's best
    journey as text ('' when it finds none).
    """

    direction: str
    group: DemandGroup
    options: list[Option]
    allocation: list[float]
    unseated: float
    planner_check: str = ""

    @property
    def riders(self) -> float:
        return self.group.riders

    @property
    def reached(self) -> float:
        """Riders who have an option (seats ignored)."""
        return self.group.riders if self.options else 0.0

    @property
    def seated(self) -> float:
        return float(sum(self.allocation))

    def seated_options(self) -> list[tuple[float, Option]]:
        """Return (riders, option) of every option with seated riders."""
        return [(a, o) for o, a in zip(self.options, self.allocation) if a > 0]

    def to_dict(self) -> dict:
        """Return the group's entry of the ``--json`` document."""
        return {
            "direction": self.direction,
            "park": self.group.park,
            "shift": self.group.shift,
            "origin": self.group.origin,
            "riders": r1(self.riders),
            "seated": r1(self.seated),
            "unseated": r1(self.unseated) if self.options else None,
            "options": [_option_dict(o, a, self.direction) for o, a in zip(self.options, self.allocation)],
            "journey": self.planner_check or None,
        }


def _option_dict(o: Option, riders: float, direction: str) -> dict:
    return {
        "run": o.run,
        "board": o.board,
        "alight": o.alight,
        "departure": clock(o.departure),
        "arrival": clock(o.arrival),
        "shuttle_departure": clock(o.shuttle_departure),
        "shuttle_arrival": clock(o.shuttle_arrival),
        "train": o.train or None,
        "train_time": clock(o.train_time),
        "wait_min": minutes(o.wait_s),
        **({"early_min": minutes(o.early_s)} if direction == TO_WORK else {"park_wait_min": minutes(o.park_wait_s)}),
        "door_to_door_min": minutes(o.door_to_door_s),
        "rides": o.rides,
        "riders": r1(riders),
    }


__all__ = ["GroupResult"]
