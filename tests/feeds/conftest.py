"""Fixtures for the feed tests: a minimal valid feed written as text, the shared data, the CLI.

The valid feed is small enough to read at a glance, so every test can say
exactly which line of which file it breaks and which line the checker must
point at (line numbers as an editor shows them, the header is line 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

#: A minimal valid GTFS feed.  Line numbers of stop_times.txt:
#: 2-4 trip T1 (AJS 07:14, MTU 07:24/07:25, TPK 07:53), 5-7 trip T2 (08:01, 08:11/08:12, 08:30).
VALID_FEED: dict[str, str] = {
    "agency.txt": ("agency_id,agency_name,agency_url,agency_timezone,agency_lang\nA1,Ube Techno Shuttle,https://example.com,Asia/Tokyo,ja\n"),
    "stops.txt": ("stop_id,stop_name,stop_lat,stop_lon\nAJS,阿知須駅,34.0000,131.3600\nMTU,本由良駅,34.0100,131.3700\nTPK,テクノパーク,34.0300,131.3900\n"),
    "routes.txt": ("route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A1,TS,Ajisu - Techno Park,3\n"),
    "trips.txt": ("route_id,service_id,trip_id\nR1,WD,T1\nR1,WD,T2\n"),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,07:14:00,07:14:00,AJS,1\n"
        "T1,07:24:00,07:25:00,MTU,2\n"
        "T1,07:53:00,07:53:00,TPK,3\n"
        "T2,08:01:00,08:01:00,AJS,1\n"
        "T2,08:11:00,08:12:00,MTU,2\n"
        "T2,08:30:00,08:30:00,TPK,3\n"
    ),
    "calendar.txt": ("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260105,20260327\n"),
}


class FeedText:
    """A feed held as ``{filename: text or bytes or None}``; helpers edit one cell or line.

    Every helper checks that what it edits exists, so a change to the valid
    feed makes the breakage tests fail loudly instead of testing nothing.
    """

    def __init__(self, files: dict[str, str | bytes | None]) -> None:
        self.files = dict(files)

    def remove(self, filename: str) -> None:
        assert filename in self.files, filename
        self.files[filename] = None

    def set(self, filename: str, text: str | bytes) -> None:
        self.files[filename] = text

    def rows(self, filename: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.files[filename])))

    def set_rows(self, filename: str, rows: list[list[str]]) -> None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        self.files[filename] = out.getvalue()

    def set_cell(self, filename: str, line: int, column: str, value: str) -> None:
        """Set the value of ``column`` on ``line`` (header = line 1; no quoted newlines in the valid feed)."""
        rows = self.rows(filename)
        col = rows[0].index(column)
        assert 2 <= line <= len(rows), (filename, line)
        rows[line - 1][col] = value
        self.set_rows(filename, rows)

    def drop_column(self, filename: str, column: str) -> None:
        rows = self.rows(filename)
        col = rows[0].index(column)
        self.set_rows(filename, [r[:col] + r[col + 1 :] for r in rows])

    def append(self, filename: str, line: str) -> int:
        """Append one record; return its line number."""
        text = self.files[filename]
        assert text.endswith("\n")
        self.files[filename] = text + line + "\n"
        return text.count("\n") + 1

    def write(self, where: Path, as_zip: bool = False, top_folder: str | None = None) -> Path:
        """Write the feed as a folder, or as a zip (optionally with every file under ``top_folder/``)."""
        present = {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in self.files.items() if v is not None}
        if as_zip:
            where.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(where, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, data in sorted(present.items()):
                    zf.writestr(f"{top_folder}/{name}" if top_folder else name, data)
            return where
        where.mkdir(parents=True, exist_ok=True)
        for name, data in present.items():
            (where / name).write_bytes(data)
        return where


@pytest.fixture
def feed_text() -> FeedText:
    """A fresh, editable copy of the minimal valid feed."""
    return FeedText(VALID_FEED)


@pytest.fixture
def write_feed(tmp_path: Path) -> Callable[..., Path]:
    """Return ``write(feed_text, name="feed", as_zip=False, top_folder=None) -> path`` under tmp_path."""

    def write(text: FeedText, name: str = "feed", as_zip: bool = False, top_folder: str | None = None) -> Path:
        target = tmp_path / (f"{name}.zip" if as_zip else name)
        return text.write(target, as_zip=as_zip, top_folder=top_folder)

    return write


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Return ``run(*args)`` running ``maas ARGS`` in-process; the cache goes to a tmp dir."""
    from maas.cli.main import app

    monkeypatch.setenv("MAAS_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()

    def run(*args: object):
        return runner.invoke(app, [str(a) for a in args])

    return run
