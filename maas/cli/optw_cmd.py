"""``maas tour solve-optw``: solve an OPTW / TOPTW benchmark instance with the tour solver core."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add ``solve-optw`` to the ``maas tour`` group."""
