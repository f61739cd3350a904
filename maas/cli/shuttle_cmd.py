"""``maas shuttle``: evaluate, compare and optimise commuter shuttle timetables.

The shuttle library (and OR-Tools, for ``optimize``) is imported only when a
shuttle command runs, so other commands start fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maas.cli.common import EXIT_INFEASIBLE, echo_json
from maas.errors import InputError

shuttle_app = typer.Typer(help="Commuter shuttle timetables: evaluate, compare, optimise.", no_args_is_help=True)

ScenarioArg = Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON; see scenarios/README.md).", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Evaluate on this date (YYYY-MM-DD) instead of the scenario's.", show_default=False)]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Compile the timetable afresh instead of using the on-disk cache.")]


def register(app: typer.Typer) -> None:
    """Add ``maas shuttle`` to the CLI."""
    app.add_typer(shuttle_app, name="shuttle")


def _load(path: Path, date: str | None):
    from maas.shuttle.scenario import load_scenario, scenario_from_dict
    from maas.when import parse_date

    scenario = load_scenario(path)
    if date:
        d = parse_date(date, "date")
        data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["date"] = d.isoformat()
        scenario = scenario_from_dict(data, source=scenario.source, base_dir=scenario.base_dir)
    return scenario


@shuttle_app.command("evaluate")
def evaluate(
    scenario: ScenarioArg,
    as_json: JsonOpt = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for PNG diagrams (Marey per period, load per run) and diagram.json.", show_default=False)
    ] = None,
    date: DateOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Evaluate a shuttle scenario: riders on time and home, waits, loads, trains met, vehicles and cost.

    Example:

      maas shuttle evaluate scenarios/trial-2019.yaml

      maas shuttle evaluate scenarios/trial-2019.yaml --json --out out/trial
    """
    from maas.shuttle.evaluate import evaluate_scenario
    from maas.shuttle.report import render_evaluation

    ev = evaluate_scenario(_load(scenario, date), use_cache=not no_cache)
    files = []
    if out is not None:
        from maas.shuttle.diagram import write_pngs

        try:
            files = [str(p) for p in write_pngs(ev, out)]
        except OSError as exc:
            raise InputError(f"--out: cannot write the pictures into {out} ({exc.strerror or exc})", "out") from None
    if as_json:
        doc = ev.to_dict()
        if files:
            doc["files"] = files
        echo_json(doc)
    else:
        typer.echo(render_evaluation(ev))
        if files:
            typer.echo("\nFiles: " + ", ".join(files))


@shuttle_app.command("compare")
def compare(
    a: Annotated[Path, typer.Argument(help="First scenario (A).", show_default=False)],
    b: Annotated[Path, typer.Argument(help="Second scenario (B).", show_default=False)],
    as_json: JsonOpt = False,
    date: DateOpt = None,
) -> None:
    """Compare two scenarios side by side (B − A): riders served, waits, runs, vehicles, cost.

    Example:

      maas shuttle compare scenarios/trial-2019.yaml out/trial-opt/scenario.yaml
    """
    from maas.shuttle.evaluate import evaluate_scenario
    from maas.shuttle.report import comparison_dict, render_comparison
    from maas.shuttle.timetable import Timetables

    timetables = Timetables()  # the trains are compiled (or loaded) once for both
    ea = evaluate_scenario(_load(a, date), timetables=timetables)
    eb = evaluate_scenario(_load(b, date), timetables=timetables)
    doc = comparison_dict(ea, eb)
    if as_json:
        echo_json(doc)
    else:
        typer.echo(render_comparison(doc))


@shuttle_app.command("optimize")
def optimize(
    scenario: ScenarioArg,
    out: Annotated[
        Path,
        typer.Option("--out", help="Folder for the proposal: GTFS feed (shuttle/), scenario.yaml, comparison.json/.txt, optimize.json.", show_default=False),
    ],
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", help="Seconds for the whole optimisation (default: the scenario's optimize.time_limit_s, 30).", min=1.0, show_default=False
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Solver random seed.")] = 0,
    workers: Annotated[int, typer.Option("--workers", help="Solver threads.", min=1, max=64)] = 2,
    as_json: JsonOpt = False,
    date: DateOpt = None,
) -> None:
    """Propose a better timetable (OR-Tools CP-SAT) and check it end to end against the input.

    Writes the proposed runs as a GTFS feed into OUT/shuttle (valid under
    `maas validate`), OUT/scenario.yaml (the input scenario with that feed, so
    `maas shuttle evaluate OUT/scenario.yaml` re-evaluates it), and the
    comparison with the input.  When no timetable meets the scenario's
    constraints (or none is found in time) it prints why, writes only
    OUT/optimize.json and exits with status 3.  Example:

      maas shuttle optimize scenarios/trial-2019.yaml --out out/trial-opt --time-limit 30
    """
    from maas.shuttle.optimize import optimize as run_optimize

    try:
        result = run_optimize(_load(scenario, date), out_dir=out, time_limit_s=time_limit, seed=seed, workers=workers)
    except OSError as exc:
        raise InputError(f"--out: cannot write the proposal into {out} ({exc.strerror or exc})", "out") from None
    if as_json:
        echo_json(result.to_dict())
    else:
        typer.echo(result.render())
    if not result.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)


@shuttle_app.command("schema")
def schema(
    out: Annotated[Path | None, typer.Option("--out", help="Write the schema to this file instead of printing it.", show_default=False)] = None,
) -> None:
    """Print the JSON Schema of scenario files."""
    from maas.shuttle.scenario import scenario_json_schema

    text = json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is not None:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
