"""``maas tour solve-optw``: solve an OPTW / TOPTW benchmark instance with the tour solver core."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add ``solve-optw`` to the ``maas tour`` group."""

    @app.command("solve-optw")
    def solve_optw(
        file: Annotated[Path, typer.Argument(help="An instance file in the KU Leuven OPTW/TOPTW format (Solomon- or Cordeau-based).")],
        tours: Annotated[int, typer.Option("--tours", "-m", help="Number of tours m (the instance file does not give it).")] = 1,
        time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds of search.")] = 10.0,
        seed: Annotated[int, typer.Option("--seed", help="Random seed of the search.")] = 0,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")] = False,
    ) -> None:
        """Solve an orienteering benchmark instance: the most score in m tours from and to vertex 0.

        Vertex ids are the file's; travel time is the Euclidean distance floored to 0.1
        (Solomon-based files) or 0.01 (Cordeau-based pr*), as in the data README.  When the
        file sits in the shared data folder, its best-known score from bks.csv is shown too.
        """
        from maas.errors import InputError
        from maas.tours.model import check, travel_cost
        from maas.tours.optw import find_bks, read_instance
        from maas.tours.solver import solve

        if tours < 1:
            raise InputError(f"--tours must be at least 1, got {tours}", field="tours")
        if not time_limit > 0:
            raise InputError(f"--time-limit must be positive, got {time_limit:g}", field="time_limit")
        inst = read_instance(file)
        problem = inst.problem(tours)
        sol = solve(problem, time_limit, seed=seed)
        violations = check(problem, sol.tours)
        try:
            bks = find_bks(file, tours)
        except InputError:
            bks = None
        doc: dict = {"score": sol.score, "tours": sol.tours}
        doc.update(
            {
                "feasible": not violations,
                "instance": inst.name,
                "m": tours,
                "time_s": round(sol.time_s, 3),
                "travel": round(travel_cost(problem, sol.tours) / inst.scale, 2),
                "total_score": inst.total_score,
            }
        )
        if bks is not None:
            doc["bks"] = bks.score
            doc["bks_status"] = bks.status
            doc["gap_percent"] = round(100.0 * (bks.score - sol.score) / bks.score, 2) if bks.score else 0.0
        if violations:
            doc["violations"] = violations
        if as_json:
            typer.echo(json.dumps(doc))
            return
        head = f"{inst.name}: {inst.n_customers} customers, {tours} tour{'s' if tours > 1 else ''}, budget {inst.budget:g} each"
        typer.echo(head)
        line = f"score {sol.score} of {inst.total_score}"
        if bks is not None:
            line += f"  (best known {bks.score}, gap {doc['gap_percent']:.2f}%)"
        line += f"  in {sol.time_s:.1f} s, {'feasible' if not violations else 'INFEASIBLE'}"
        typer.echo(line)
        for k, (tour, starts) in enumerate(zip(sol.tours, sol.starts)):
            if tour:
                back = starts[-1] + int(problem.service[tour[-1]]) + int(problem.travel[tour[-1], 0])
                t_back = max(back, int(problem.open[0])) / inst.scale
                score = sum(int(problem.score[j]) for j in tour)
                typer.echo(f"tour {k + 1}: {len(tour)} visits, score {score}, back at {t_back:g}: " + " ".join(map(str, tour)))
            else:
                typer.echo(f"tour {k + 1}: empty")
        for v in violations:
            typer.echo(f"  violation: {v}")
