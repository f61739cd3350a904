"""What an evaluation found, and its JSON document (``maas shuttle evaluate --json``, the service's answer).

JSON conventions: times of day ``"HH:MM"`` (hours may pass 24), durations in
minutes to 0.1 (keys end in ``_min``), riders to 0.1 (expected numbers),
distances km, money yen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from maas.errors import NotFoundError
from maas.shuttle.context import ShuttleContext
from maas.shuttle.fleet import FleetResult
from maas.shuttle.groups import GroupResult
from maas.shuttle.kpis import RIDERS_NOTE, ShiftResult, Totals
from maas.shuttle.loads import RunResult
from maas.shuttle.schema import Scenario
from maas.shuttle.units import r1


@dataclass
class Evaluation:
    """Everything an evaluation found; :meth:`to_dict` is the ``maas shuttle evaluate --json`` document.

    Made by :func:`~maas.shuttle.evaluate.evaluate_scenario`; rider numbers
    are expected values (employees × shares), so they are not whole.

    Parameters
    ----------
    scenario
        The scenario evaluated.
    date
        The day evaluated.
    runs
        Per run: its calls, riders on board, trains met and missed.
    groups
        Per (park, shift, origin) group and direction: the options and who takes which.
    shifts
        Per park and shift: riders reaching work on time and getting home.
    fleet
        The vehicles the runs need (duties, by matching).
    totals
        The figures of the whole scenario (:class:`~maas.shuttle.kpis.Totals`).
    warnings
        Things the planner should know (run times shorter than the road model, ...).
    context
        The built scenario (trains, stops, road model), for the diagrams.
    """

    scenario: Scenario
    date: dt.date
    runs: list[RunResult]
    groups: list[GroupResult]
    shifts: list[ShiftResult]
    fleet: FleetResult
    totals: Totals
    warnings: list[str] = field(default_factory=list)
    context: ShuttleContext | None = field(default=None, repr=False, compare=False)

    def run(self, run_id: str) -> RunResult:
        """Return the result of one run.

        Parameters
        ----------
        run_id
            The run's id in the scenario.

        Returns
        -------
        RunResult
            Its loads, trains met and missed.

        Raises
        ------
        NotFoundError
            No run has that id (also a ``KeyError``); the message lists the runs.
        """
        for r in self.runs:
            if r.run.id == run_id:
                return r
        known = ", ".join(r.run.id for r in self.runs) or "none"
        raise NotFoundError(f"{self.scenario.source}: no run '{run_id}' in the evaluation (its runs: {known})", "run")

    def to_dict(self) -> dict:
        """Return the JSON document (see the module docstring)."""
        s = self.scenario
        names = {st.id: st.name_en or st.name or st.id for st in s.stops}
        return {
            "scenario": {
                "name": s.name,
                "description": s.description,
                "source": s.source,
                "date": self.date.isoformat(),
                "weekday": f"{self.date:%a}",
                "rail_feeds": list(s.rail_feeds),
                "runs_feed": s.runs_feed,
            },
            "rules": _rules_dict(s),
            "note": RIDERS_NOTE,
            "totals": self.totals.to_dict(),
            "parks": self._parks(),
            "runs": [r.to_dict(names) for r in self.runs],
            "fleet": self.fleet.to_dict(),
            "groups": [g.to_dict() for g in self.groups],
            "warnings": list(self.warnings),
        }

    def _parks(self) -> list[dict]:
        """Per park: who works there and its shifts' figures."""
        s = self.scenario
        out = []
        for park in s.demand.parks:
            shifts = [sh.to_dict() for sh in self.shifts if sh.park == park.stop]
            out.append(
                {
                    "park": park.stop,
                    "name": s.park_label(park.stop),
                    "employees": park.employees,
                    "rail_shuttle_share": park.rail_shuttle_share,
                    "riders": r1(sum(x["riders"] or 0 for x in shifts)),
                    "shifts": shifts,
                }
            )
        return out


def _rules_dict(s: Scenario) -> dict:
    r = s.rules
    return {
        "margin_min": r.margin_minutes,
        "max_early_min": r.max_early_minutes,
        "transfer_min": r.transfer_minutes,
        "max_wait_home_min": r.max_wait_home_minutes,
        "meet_window_min": r.meet_window_minutes,
        "missed_window_min": r.missed_window_minutes,
        "seats": s.fleet.seats,
    }


__all__ = ["Evaluation"]
