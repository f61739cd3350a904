"""``maas matrix`` command lines over a test folder's ``o.csv`` and ``d.csv``, shared by the CLI and the Dask tests."""

from __future__ import annotations

from pathlib import Path

#: The service date of the matrix tests (a Tuesday the default data runs on).
DAY = "2026-12-01"


def matrix_args(folder: Path, depart: str, *extra: str, origins: str = "o.csv") -> list[str]:
    """Return the arguments of ``maas matrix`` from ``folder``'s origins to its destinations (``d.csv``) on :data:`DAY` at ``depart``, then ``extra``."""
    return ["matrix", "--origins", str(folder / origins), "--destinations", str(folder / "d.csv"), "--date", DAY, "--depart", depart, *extra]
