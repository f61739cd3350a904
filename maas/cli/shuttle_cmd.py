"""``maas shuttle``: evaluate, compare and optimise commuter shuttle timetables."""

from __future__ import annotations

import typer

shuttle_app = typer.Typer(help="Commuter shuttle timetables: evaluate, compare, optimise.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``maas shuttle`` to the CLI."""
    app.add_typer(shuttle_app, name="shuttle")
