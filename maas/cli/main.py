"""The ``maas`` command line: one entry point, a sub-command per task.

Every command prints plain text for people and, with ``--json``, one JSON
document for machines.  Bad input ends with a one-line message naming what is
wrong and exit status 2, never a traceback (set ``MAAS_DEBUG=1`` to see one).
An answer that is "no feasible plan" (a tour or a shuttle optimisation) is
printed and ends with exit status 3 (:data:`maas.cli.common.EXIT_INFEASIBLE`).
"""

from __future__ import annotations

import os
import sys

import typer
from typer.core import TyperGroup

from maas.cli import feeds_cmd, graph_cmd, matrix_cmd, plan_cmd, serve_cmd, shuttle_cmd, tour_cmd
from maas.errors import MaasError


class _Commands(TyperGroup):
    """The command group: a known error becomes one line on stderr and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MaasError as exc:
            typer.echo(f"maas: {exc}", err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Commands,
    name="maas",
    help="Route planning for the Yamaguchi central area: check feeds, plan journeys and tours, test shuttle timetables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
feeds_cmd.register(app)
graph_cmd.register(app)
plan_cmd.register(app)
matrix_cmd.register(app)
tour_cmd.register(app)
shuttle_cmd.register(app)
serve_cmd.register(app)


def main() -> None:
    """Run the CLI, turning known errors into a message and exit status 2."""
    try:
        app()
    except MaasError as exc:
        typer.echo(f"maas: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last line of defence against tracebacks
        if os.environ.get("MAAS_DEBUG"):
            raise
        typer.echo(f"maas: internal error ({type(exc).__name__}: {exc}); rerun with MAAS_DEBUG=1 for details", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
