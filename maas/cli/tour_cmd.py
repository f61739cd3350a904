"""``maas tour``: sightseeing circuits, and the orienteering benchmark solver."""

from __future__ import annotations

import typer

from maas.cli import optw_cmd

tour_app = typer.Typer(help="Sightseeing tours over the real timetables, and the OPTW/TOPTW benchmark solver.", no_args_is_help=True)
optw_cmd.register(tour_app)


def register(app: typer.Typer) -> None:
    """Add ``maas tour`` to the CLI."""
    app.add_typer(tour_app, name="tour")
