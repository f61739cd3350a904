"""What the optimizer proposes, and how it got there: the result of :func:`maas.shuttle.optimize.optimize`.

:meth:`OptimizeResult.to_dict` is the JSON document of ``maas shuttle optimize
--json`` (also written as ``optimize.json``); the text is
:func:`maas.shuttle.report.render_optimization`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from maas.shuttle.model import Run
from maas.shuttle.objective import OBJECTIVE_TEXT
from maas.shuttle.report import render_optimization
from maas.shuttle.results import Evaluation
from maas.shuttle.schema import Scenario, WeightsSpec
from maas.when import format_clock


@dataclass
class ModelScore:
    """What the model says about a set of runs (riders in the model's tenths, rounded back)."""

    runs: int
    vehicles: int
    to_work: float
    home: float
    wait_minutes: float
    objective: float

    def to_dict(self) -> dict:
        return {
            "runs": self.runs,
            "vehicles": self.vehicles,
            "to_work_seated": round(self.to_work, 1),
            "home_seated": round(self.home, 1),
            "mean_wait_min": round(self.wait_minutes, 1),
            "objective": round(self.objective, 1),
        }


@dataclass
class OptimizeResult:
    """The proposal, how it was found, and (with ``out_dir``) its end-to-end re-evaluation.

    No timetable meeting the scenario's constraints is a result, not an
    error: :attr:`feasible` is False, ``runs`` is empty, :attr:`reason` says
    why, and the JSON document's ``status`` is ``"infeasible"``.

    Parameters
    ----------
    scenario
        The scenario optimised.
    runs
        The proposed runs, by start (the input's keep their ids); empty when
        no timetable was found.
    status
        CP-SAT's status of the proposal: ``OPTIMAL`` or ``FEASIBLE``; without
        a proposal, why the search ended (``INFEASIBLE``: proved impossible,
        ``UNKNOWN``: none found in time).
    weights
        The objective's weights (``optimize.weights``).
    candidates, variables, constraints
        The size of the problem: candidate runs, and the model over all of them.
    solve_s, total_s, time_limit_s
        Seconds solving, in all, and allowed.
    model_input
        The model's score of the input runs (None when they break the model's
        constraints).
    model_proposal
        The model's score of the proposal (None without one).
    best_bound
        The best upper bound on the objective (None when none is known).
    baseline, proposal
        With ``out_dir``: the input and the proposal evaluated end to end.
    comparison
        With ``out_dir``: :func:`~maas.shuttle.report.comparison_dict` of the two.
    files
        With ``out_dir``: the files written, by kind.
    reason
        Why no timetable was proposed (None when one was).
    """

    scenario: Scenario
    runs: list[Run]
    status: str
    weights: WeightsSpec
    candidates: int
    variables: int
    constraints: int
    solve_s: float
    total_s: float
    time_limit_s: float
    model_input: ModelScore | None
    model_proposal: ModelScore | None
    best_bound: float | None
    baseline: Evaluation | None = None
    proposal: Evaluation | None = None
    comparison: dict | None = None
    files: dict[str, str] = field(default_factory=dict)
    reason: str | None = None

    @property
    def feasible(self) -> bool:
        """True when a timetable was proposed (``runs`` and ``model_proposal`` are set)."""
        return self.model_proposal is not None

    def to_dict(self) -> dict:
        """Return the JSON document of ``maas shuttle optimize --json`` (also written as optimize.json).

        ``status`` is ``"ok"``, or ``"infeasible"`` with ``reason`` when no
        timetable was proposed; ``solver.status`` is CP-SAT's.
        """
        return {
            "status": "ok" if self.feasible else "infeasible",
            "reason": self.reason,
            "scenario": self.scenario.name,
            "date": self.scenario.date.isoformat(),
            "objective": OBJECTIVE_TEXT,
            "weights": self.weights.model_dump(),
            "solver": {
                "engine": "OR-Tools CP-SAT",
                "status": self.status,
                "time_limit_s": round(self.time_limit_s, 1),
                "solve_s": round(self.solve_s, 2),
                "total_s": round(self.total_s, 2),
                "candidates": self.candidates,
                "variables": self.variables,
                "constraints": self.constraints,
                "best_bound": round(self.best_bound, 1) if self.best_bound is not None else None,
            },
            "model": {
                "input": self.model_input.to_dict() if self.model_input else None,
                "proposal": self.model_proposal.to_dict() if self.model_proposal else None,
            },
            "proposal": [
                {
                    "id": r.id,
                    "name": r.name or None,
                    "name_en": r.name_en or None,
                    "calls": [{"stop": c.stop, "arrival": format_clock(c.arrival), "departure": format_clock(c.departure)} for c in r.calls],
                }
                for r in self.runs
            ],
            "comparison": self.comparison,
            "files": self.files,
        }

    def render(self) -> str:
        """Return the text summary of ``maas shuttle optimize`` (:func:`maas.shuttle.report.render_optimization`)."""
        return render_optimization(self)


__all__ = ["ModelScore", "OptimizeResult"]
