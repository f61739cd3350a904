"""The OR-Tools adapter: the only module of :mod:`maas.shuttle` that imports OR-Tools.

Two backends for :func:`maas.shuttle.formulation.build_model` — CP-SAT (the
model as written) and GLOP (every variable continuous: the LP relaxation) —
and the calls that solve them.  CP-SAT runs with ``linearization_level`` 2
(the LP relaxation guides this model far better than the default); with 2 or
more workers it is not deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from maas.shuttle.formulation import Model

OPTIMAL = "OPTIMAL"
FEASIBLE = "FEASIBLE"
#: CP-SAT proved that no solution exists.
INFEASIBLE = "INFEASIBLE"


class CpSat:
    """The CP-SAT backend: integer variables, linear constraints."""

    def __init__(self) -> None:
        self.model = cp_model.CpModel()

    def bool(self, name: str) -> Any:
        return self.model.new_bool_var(name)

    def int(self, lo: int, hi: int, name: str) -> Any:
        return self.model.new_int_var(lo, hi, name)

    def add(self, constraint: Any) -> None:
        self.model.add(constraint)

    def sum(self, items: Iterable[Any]) -> Any:
        return cp_model.LinearExpr.sum(list(items))

    def maximize(self, expr: Any) -> None:
        self.model.maximize(expr)


class Glop:
    """The same model with every variable continuous: its LP relaxation (OR-Tools GLOP)."""

    def __init__(self) -> None:
        self.solver = pywraplp.Solver.CreateSolver("GLOP")

    def bool(self, name: str) -> Any:
        return self.solver.NumVar(0.0, 1.0, name)

    def int(self, lo: int, hi: int, name: str) -> Any:
        return self.solver.NumVar(float(lo), float(hi), name)

    def add(self, constraint: Any) -> None:
        self.solver.Add(constraint)

    def sum(self, items: Iterable[Any]) -> Any:
        return self.solver.Sum(list(items))

    def maximize(self, expr: Any) -> None:
        self.solver.Maximize(expr)


@dataclass(frozen=True)
class Solved:
    """A CP-SAT answer: its status (``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE``, ``UNKNOWN``, ...) and values."""

    status: str
    _solver: cp_model.CpSolver

    @property
    def found(self) -> bool:
        """True when a solution was found (optimal or not)."""
        return self.status in (OPTIMAL, FEASIBLE)

    @property
    def objective(self) -> float:
        """The solution's objective (model units)."""
        return float(self._solver.objective_value)

    @property
    def bound(self) -> float:
        """The best bound on the objective CP-SAT proved (model units)."""
        return float(self._solver.best_objective_bound)

    def value(self, var: Any) -> int:
        """Return a variable's value in the solution."""
        return int(self._solver.value(var))


def solve(model: Model, time_limit_s: float, seed: int, workers: int, hints: Mapping[Any, int] | None = None) -> Solved:
    """Solve a CP-SAT model within ``time_limit_s`` (at least 0.1 s); ``hints`` maps variables to start values."""
    cp = _cp_model(model)
    for v, value in (hints or {}).items():
        cp.add_hint(v, value)
    sol = cp_model.CpSolver()
    sol.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    sol.parameters.num_workers = max(1, workers)
    sol.parameters.random_seed = seed
    sol.parameters.linearization_level = 2  # the LP relaxation guides this model far better than the default
    status = sol.solve(cp)
    return Solved(sol.status_name(status), sol)


def solve_lp(model: Model, time_limit_s: float) -> tuple[list[float], float] | None:
    """Return the LP relaxation's run values and objective (model units), or None when GLOP does not finish."""
    backend = model.backend
    if not isinstance(backend, Glop):
        raise TypeError("solve_lp needs a model built on the Glop backend")
    backend.solver.SetTimeLimit(int(max(0.1, time_limit_s) * 1000))
    if backend.solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return [v.solution_value() for v in model.x], backend.solver.Objective().Value()


def model_size(model: Model) -> tuple[int, int]:
    """Return the (variables, constraints) of a CP-SAT model."""
    proto = _cp_model(model).proto
    return len(proto.variables), len(proto.constraints)


def _cp_model(model: Model) -> cp_model.CpModel:
    backend = model.backend
    if not isinstance(backend, CpSat):
        raise TypeError("a CP-SAT model was expected (built on the CpSat backend)")
    return backend.model


__all__ = ["FEASIBLE", "INFEASIBLE", "OPTIMAL", "CpSat", "Glop", "Solved", "model_size", "solve", "solve_lp"]
