"""Broken feeds: each breaks one thing in a valid feed; the checker and ``maas validate`` must say what and where.

For every breakage the checker must report the right code at the right file,
line (as an editor shows it, header = line 1) and field, and the CLI must exit
2 with the message (text) or ``usable: false`` (JSON), never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maas.errors import FeedError
from maas.feeds.problems import Problem
from maas.feeds.reader import read_feed
from maas.feeds.validate import MAX_PER_KIND, validate_feed
from maas.timetable.compile import compile_feeds


@dataclass(frozen=True)
class Breakage:
    """One thing broken in the valid feed and the error the checker must report for it."""

    id: str
    breaks: Callable  # (FeedText) -> None
    code: str
    file: str
    row: int | None
    field: str | None
    words: str  # a fragment of the message a planner reads


def _cell(filename: str, line: int, column: str, value: str | bytes) -> Callable:
    return lambda f: f.set_cell(filename, line, column, value)


def _append(filename: str, record: str) -> Callable:
    return lambda f: f.append(filename, record)


def _remove(filename: str) -> Callable:
    return lambda f: f.remove(filename)


def _set(filename: str, text: str | bytes) -> Callable:
    return lambda f: f.set(filename, text)


def _drop_column(filename: str, column: str) -> Callable:
    return lambda f: f.drop_column(filename, column)


def _both(*edits: Callable) -> Callable:
    def run(f):
        for e in edits:
            e(f)

    return run


_STOPS_HEADER = "stop_id,stop_name,stop_lat,stop_lon\n"

#: The valid feed's stops with a station ST (line 2) holding them, as location_type / parent_station columns.
_STATION_HEADER = "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
_STATION_STOPS = "ST,阿知須,34.0000,131.3600,1,\nAJS,阿知須駅,34.0000,131.3600,0,ST\nMTU,本由良駅,34.0100,131.3700,0,\nTPK,テクノパーク,34.0300,131.3900,0,\n"

BREAKAGES = [
    # Missing required files.
    *[
        Breakage(f"missing-{name}", _remove(name), "missing_file", name, None, None, f"required file {name} is missing")
        for name in ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
    ],
    Breakage(
        "no-calendar-nor-calendar_dates",
        _remove("calendar.txt"),
        "missing_file",
        "calendar.txt",
        None,
        None,
        "neither calendar.txt nor calendar_dates.txt",
    ),
    # Missing required columns.
    *[
        Breakage(f"no-column-{name}-{col}", _drop_column(name, col), "missing_column", name, 1, col, f"{col} is missing")
        for name, col in [
            ("agency.txt", "agency_name"),
            ("agency.txt", "agency_url"),
            ("agency.txt", "agency_timezone"),
            ("stops.txt", "stop_id"),
            ("stops.txt", "stop_lat"),
            ("stops.txt", "stop_lon"),
            ("routes.txt", "route_id"),
            ("routes.txt", "route_type"),
            ("trips.txt", "route_id"),
            ("trips.txt", "service_id"),
            ("trips.txt", "trip_id"),
            ("stop_times.txt", "trip_id"),
            ("stop_times.txt", "stop_id"),
            ("stop_times.txt", "stop_sequence"),
            *[("calendar.txt", c) for c in ("service_id", "monday", "wednesday", "sunday", "start_date", "end_date")],
        ]
    ],
    # Unparseable times, dates, numbers.
    Breakage("bad-arrival-time", _cell("stop_times.txt", 3, "arrival_time", "7h24"), "bad_value", "stop_times.txt", 3, "arrival_time", "'7h24' is not a time"),
    Breakage(
        "bad-departure-minutes", _cell("stop_times.txt", 6, "departure_time", "08:61:00"), "bad_value", "stop_times.txt", 6, "departure_time", "is not a time"
    ),
    Breakage("hh-mm-time", _cell("stop_times.txt", 3, "arrival_time", "07:24"), "bad_value", "stop_times.txt", 3, "arrival_time", "is not a time"),
    Breakage(
        "full-width-time", _cell("stop_times.txt", 3, "arrival_time", "０７:２４:００"), "bad_value", "stop_times.txt", 3, "arrival_time", "is not a time"
    ),
    Breakage("dashed-date", _cell("calendar.txt", 2, "end_date", "2026-03-27"), "bad_value", "calendar.txt", 2, "end_date", "is not a date"),
    Breakage("impossible-date", _cell("calendar.txt", 2, "start_date", "20260230"), "bad_value", "calendar.txt", 2, "start_date", "is not a date"),
    Breakage("lat-abc", _cell("stops.txt", 3, "stop_lat", "abc"), "bad_value", "stops.txt", 3, "stop_lat", "'abc' is not a number"),
    Breakage("route_type-bus", _cell("routes.txt", 2, "route_type", "bus"), "bad_value", "routes.txt", 2, "route_type", "'bus' is not a whole number"),
    Breakage("route_type-inf", _cell("routes.txt", 2, "route_type", "inf"), "bad_value", "routes.txt", 2, "route_type", "is not a whole number"),
    Breakage(
        "stop_sequence-word", _cell("stop_times.txt", 4, "stop_sequence", "three"), "bad_value", "stop_times.txt", 4, "stop_sequence", "is not a whole number"
    ),
    Breakage(
        "stop_sequence-fraction", _cell("stop_times.txt", 4, "stop_sequence", "2.5"), "bad_value", "stop_times.txt", 4, "stop_sequence", "is not a whole number"
    ),
    # Times.
    Breakage(
        "arrival-before-previous-departure",
        _cell("stop_times.txt", 4, "arrival_time", "07:20:00"),
        "time_backwards",
        "stop_times.txt",
        4,
        "arrival_time",
        "times go backwards",
    ),
    Breakage(
        "departure-before-arrival",
        _cell("stop_times.txt", 3, "departure_time", "07:23:00"),
        "time_backwards",
        "stop_times.txt",
        3,
        "departure_time",
        "before it arrives",
    ),
    Breakage(
        "first-stop-without-time",
        _both(_cell("stop_times.txt", 5, "arrival_time", ""), _cell("stop_times.txt", 5, "departure_time", "")),
        "missing_time",
        "stop_times.txt",
        5,
        "arrival_time",
        "the first stop has no arrival or departure time",
    ),
    # Dangling references.
    Breakage("trip-route", _cell("trips.txt", 3, "route_id", "R9"), "dangling_reference", "trips.txt", 3, "route_id", "'R9' is not a route in routes.txt"),
    Breakage("trip-service", _cell("trips.txt", 3, "service_id", "SAT"), "dangling_reference", "trips.txt", 3, "service_id", "'SAT' is not a service"),
    Breakage(
        "stop_time-trip", _cell("stop_times.txt", 7, "trip_id", "T9"), "dangling_reference", "stop_times.txt", 7, "trip_id", "'T9' is not a trip in trips.txt"
    ),
    Breakage(
        "stop_time-stop", _cell("stop_times.txt", 6, "stop_id", "XXX"), "dangling_reference", "stop_times.txt", 6, "stop_id", "'XXX' is not a stop in stops.txt"
    ),
    Breakage("route-agency", _cell("routes.txt", 2, "agency_id", "A9"), "dangling_reference", "routes.txt", 2, "agency_id", "'A9' is not an agency"),
    # Duplicate ids.
    Breakage(
        "duplicate-stop_id",
        _append("stops.txt", "MTU,本由良駅 2,34.0110,131.3710"),
        "duplicate_id",
        "stops.txt",
        5,
        "stop_id",
        "stop_id=MTU is defined twice (first on line 3)",
    ),
    Breakage("duplicate-trip_id", _append("trips.txt", "R1,WD,T1"), "duplicate_id", "trips.txt", 4, "trip_id", "trip_id=T1 is defined twice (first on line 2)"),
    Breakage("duplicate-route_id", _append("routes.txt", "R1,A1,TS2,Other,3"), "duplicate_id", "routes.txt", 3, "route_id", "route_id=R1 is defined twice"),
    Breakage(
        "duplicate-stop_sequence",
        _append("stop_times.txt", "T2,08:40:00,08:40:00,AJS,3"),
        "duplicate_id",
        "stop_times.txt",
        8,
        "stop_sequence",
        "trip_id=T2, stop_sequence=3 is defined twice (first on line 7)",
    ),
    Breakage("empty-trip_id", _cell("trips.txt", 3, "trip_id", ""), "missing_value", "trips.txt", 3, "trip_id", "trip_id is empty"),
    # Route names and stations.
    Breakage(
        "route-without-name",
        _both(_cell("routes.txt", 2, "route_short_name", ""), _cell("routes.txt", 2, "route_long_name", " ")),
        "missing_value",
        "routes.txt",
        2,
        "route_short_name",
        "route 'R1' has neither route_short_name nor route_long_name: give it at least one",
    ),
    Breakage(
        "stop-parent-is-a-stop",
        _set("stops.txt", _STATION_HEADER + _STATION_STOPS.replace("MTU,本由良駅,34.0100,131.3700,0,", "MTU,本由良駅,34.0100,131.3700,0,AJS")),
        "bad_parent_station",
        "stops.txt",
        4,
        "parent_station",
        "parent_station 'AJS' of stop or platform 'MTU' is location_type 0 (stop or platform), not a station (location_type 1)",
    ),
    Breakage(
        "boarding-area-parent-is-a-station",
        _set("stops.txt", _STATION_HEADER + _STATION_STOPS + "BA,阿知須駅 乗り場,,,4,ST\n"),
        "bad_parent_station",
        "stops.txt",
        6,
        "parent_station",
        "parent_station 'ST' of boarding area 'BA' is location_type 1 (station), not a platform (location_type 0)",
    ),
    Breakage(
        "station-with-parent",
        _set("stops.txt", _STATION_HEADER + _STATION_STOPS + "ST2,阿知須 2,34.0000,131.3600,1,ST\n"),
        "station_has_parent",
        "stops.txt",
        6,
        "parent_station",
        "station 'ST2' (location_type 1) has parent_station 'ST': a station cannot be inside another; leave its parent_station empty",
    ),
    # Coordinates.
    Breakage("lat-91", _cell("stops.txt", 3, "stop_lat", "91"), "bad_coordinate", "stops.txt", 3, "stop_lat", "latitude 91 is outside -90..90"),
    Breakage("lat-minus-90.5", _cell("stops.txt", 4, "stop_lat", "-90.5"), "bad_coordinate", "stops.txt", 4, "stop_lat", "outside -90..90"),
    Breakage("lon-181", _cell("stops.txt", 3, "stop_lon", "181"), "bad_coordinate", "stops.txt", 3, "stop_lon", "longitude 181 is outside -180..180"),
    Breakage(
        "null-island",
        _both(_cell("stops.txt", 3, "stop_lat", "0"), _cell("stops.txt", 3, "stop_lon", "0")),
        "bad_coordinate",
        "stops.txt",
        3,
        "stop_lat",
        "latitude 0, longitude 0",
    ),
    # Calendars.
    Breakage(
        "service-never-runs",
        _set(
            "calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n" + "WD,0,0,0,0,0,0,0,20260105,20260327\n"
        ),
        "service_never_runs",
        "calendar.txt",
        None,
        None,
        "no service of this feed runs on any day",
    ),
    Breakage(
        "service-ends-before-start",
        _cell("calendar.txt", 2, "end_date", "20251231"),
        "bad_date_range",
        "calendar.txt",
        2,
        "end_date",
        "ends (20251231) before it starts (20260105)",
    ),
    Breakage(
        "bad-timezone", _cell("agency.txt", 2, "agency_timezone", "Japan/Ube"), "bad_value", "agency.txt", 2, "agency_timezone", "is not a time zone name"
    ),
    # Empty and unreadable files.
    Breakage("empty-stops", _set("stops.txt", b""), "empty_file", "stops.txt", None, None, "the file is empty"),
    Breakage("empty-stop_times", _set("stop_times.txt", b""), "empty_file", "stop_times.txt", None, None, "the file is empty"),
    Breakage("blank-lines-only-trips", _set("trips.txt", b"\n\n\r\n"), "empty_file", "trips.txt", None, None, "the file is empty"),
    Breakage("header-only-stops", _set("stops.txt", _STOPS_HEADER), "empty_file", "stops.txt", None, None, "has a header but no records"),
    Breakage("header-only-trips", _set("trips.txt", "route_id,service_id,trip_id\n"), "empty_file", "trips.txt", None, None, "has a header but no records"),
    Breakage(
        "header-only-calendar",
        _set("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"),
        "missing_file",
        "calendar.txt",
        None,
        None,
        "neither calendar.txt nor calendar_dates.txt has records",
    ),
    Breakage(
        "shift_jis-stop-name",
        _set(
            "stops.txt",
            _STOPS_HEADER.encode()
            + b"AJS,"
            + "阿知須駅".encode("shift_jis")
            + b",34.0000,131.3600\nMTU,Motoyura,34.0100,131.3700\nTPK,Techno Park,34.0300,131.3900\n",
        ),
        "not_utf8",
        "stops.txt",
        2,
        None,
        "not UTF-8",
    ),
    Breakage(
        "shift_jis-on-line-4",
        _set(
            "stops.txt",
            _STOPS_HEADER.encode()
            + b"AJS,Ajisu,34.0000,131.3600\nMTU,Motoyura,34.0100,131.3700\nTPK,"
            + "テクノパーク".encode("shift_jis")
            + b",34.0300,131.3900\n",
        ),
        "not_utf8",
        "stops.txt",
        4,
        None,
        "Shift_JIS exports must be converted",
    ),
]

_IDS = [b.id for b in BREAKAGES]
assert len(set(_IDS)) == len(_IDS)


def _find(problems: list[Problem], b: Breakage) -> Problem | None:
    for p in problems:
        if (p.severity, p.code, p.file, p.row, p.field) == ("error", b.code, b.file, b.row, b.field):
            return p
    return None


def _describe(problems: list[Problem]) -> str:
    return "\n".join(f"{p.severity} {p.code} {p.where()} {p.message}" for p in problems)


@pytest.fixture(params=BREAKAGES, ids=_IDS)
def breakage(request) -> Breakage:
    """One breakage of the table above."""
    return request.param


@pytest.fixture
def broken_folder(breakage, feed_text, write_feed) -> Path:
    """The valid feed with one thing broken, written as a folder."""
    breakage.breaks(feed_text)
    return write_feed(feed_text, "broken")


@pytest.fixture
def broken_zip(breakage, feed_text, write_feed) -> Path:
    """The valid feed with one thing broken, written as a zip."""
    breakage.breaks(feed_text)
    return write_feed(feed_text, "broken", as_zip=True)


# --- the checker -------------------------------------------------------------


def test_checker_points_at_the_breakage(breakage, broken_folder):
    """validate_feed reports the breakage as an error with the right code, file, line and field."""
    problems = validate_feed(read_feed(broken_folder))
    found = _find(problems, breakage)
    assert found is not None, f"expected {breakage.code} at {breakage.file}:{breakage.row} [{breakage.field}], got:\n{_describe(problems)}"
    assert breakage.words in found.message
    assert found.feed == "broken"


def test_cli_exits_2_and_prints_the_message(breakage, broken_folder, run_cli):
    """`maas validate` exits 2, says NOT usable and prints the message with its location, no traceback."""
    result = run_cli("validate", broken_folder)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "NOT usable" in result.stdout
    assert breakage.words in result.stdout
    where = f"broken/{breakage.file}" + (f":{breakage.row}" if breakage.row is not None else "")
    line = next((ln for ln in result.stdout.splitlines() if where in ln and breakage.words in ln), None)
    assert line is not None, result.stdout
    assert line.strip().startswith("error")
    if breakage.field:
        assert f"[{breakage.field}]" in line


def test_cli_json_is_parseable_and_not_usable(breakage, broken_zip, run_cli):
    """`maas validate --json` on the breakage inside a zip exits 2, usable: false, with the same problem as the folder."""
    result = run_cli("validate", "--json", broken_zip)
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert doc["usable"] is False
    (feed,) = doc["feeds"]
    assert feed["usable"] is False and feed["errors"] >= 1
    assert feed["path"] == str(broken_zip)
    wanted = {"severity": "error", "code": breakage.code, "file": breakage.file, "row": breakage.row, "field": breakage.field}
    found = [p for p in feed["problems"] if {k: p[k] for k in wanted} == wanted]
    assert found, feed["problems"]
    assert breakage.words in found[0]["message"] and found[0]["feed"] == "broken"


# --- specific follow-ups of some breakages -------------------------------------


def test_never_running_service_is_also_named_on_its_line(feed_text, write_feed):
    """A service whose weekday flags are all 0 gets a warning on its calendar.txt line besides the feed-level error."""
    feed_text.set_cell("calendar.txt", 2, "monday", "0")
    for day in ("tuesday", "wednesday", "thursday", "friday"):
        feed_text.set_cell("calendar.txt", 2, day, "0")
    problems = validate_feed(read_feed(write_feed(feed_text)))
    warning = [p for p in problems if p.code == "service_never_runs" and p.severity == "warning"]
    assert [(p.file, p.row, p.field) for p in warning] == [("calendar.txt", 2, "service_id")]
    assert "service WD never runs" in warning[0].message


def test_one_of_two_services_never_running_is_only_a_warning(feed_text, write_feed, run_cli):
    """When another service still runs, a never-running service is a warning and the feed stays usable."""
    feed_text.append("calendar.txt", "XMAS,0,0,0,0,0,0,0,20261225,20261225")
    path = write_feed(feed_text)
    problems = validate_feed(read_feed(path))
    assert [(p.severity, p.code, p.row) for p in problems] == [("warning", "service_never_runs", 3)]
    assert run_cli("validate", path).exit_code == 0


def test_duplicate_stop_sequence_in_file_order_does_not_matter(feed_text, write_feed):
    """Duplicate (trip_id, stop_sequence) is found even when the two records are far apart in the file."""
    rows = feed_text.rows("stop_times.txt")
    rows.insert(2, ["T2", "08:11:00", "08:12:00", "MTU", "1"])  # line 3, duplicates T2 seq 1 (now line 6)
    feed_text.set_rows("stop_times.txt", rows)
    problems = validate_feed(read_feed(write_feed(feed_text)))
    dup = [p for p in problems if p.code == "duplicate_id"]
    assert [(p.file, p.row, p.field) for p in dup] == [("stop_times.txt", 6, "stop_sequence")]
    assert "first on line 3" in dup[0].message


def test_times_backwards_are_checked_in_stop_sequence_order(feed_text, write_feed):
    """Records of a trip listed out of order in the file are checked by stop_sequence, not by line."""
    rows = feed_text.rows("stop_times.txt")
    rows[1:4] = [rows[3], rows[1], rows[2]]  # T1: TPK (seq 3) first in the file
    feed_text.set_rows("stop_times.txt", rows)
    problems = validate_feed(read_feed(write_feed(feed_text)))
    assert [p for p in problems if p.severity == "error"] == []


# --- unreadable paths ----------------------------------------------------------


def _corrupt_zips(tmp_path: Path, feed_text) -> dict[str, Path]:
    good = feed_text.write(tmp_path / "good.zip", as_zip=True)
    data = good.read_bytes()
    out = {}
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2] + data[-22:])  # keeps the end record: looks like a zip
    out["truncated"] = truncated
    flipped = bytearray(data)
    # Flip one byte inside the first member's compressed data (after its 30-byte header and name).
    with zipfile.ZipFile(good) as zf:
        info = zf.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    flipped[start + 2] ^= 0xFF
    bad_crc = tmp_path / "bad_crc.zip"
    bad_crc.write_bytes(bytes(flipped))
    out["bad_crc"] = bad_crc
    return out


@pytest.mark.parametrize("kind", ["missing", "not-a-zip", "empty-folder", "truncated", "bad_crc"])
def test_unreadable_path_raises_feed_error_and_cli_exits_2(kind, tmp_path, feed_text, run_cli):
    """A path that cannot be opened as a feed is a FeedError, and `maas validate` exits 2 naming the path."""
    if kind == "missing":
        path = tmp_path / "nowhere"
    elif kind == "not-a-zip":
        path = tmp_path / "feed.zip"
        path.write_text("this is not a zip")
    elif kind == "empty-folder":
        path = tmp_path / "empty"
        path.mkdir()
    else:
        path = _corrupt_zips(tmp_path, feed_text)[kind]
    with pytest.raises(FeedError) as info:
        read_feed(path)
    assert str(path) in str(info.value)
    result = run_cli("validate", "--json", path)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    doc = json.loads(result.stdout)
    assert doc["usable"] is False
    (problem,) = doc["feeds"][0]["problems"]
    assert problem["code"] == "unreadable" and str(path) in problem["message"]


def test_file_without_read_permission_is_reported(tmp_path, feed_text, write_feed, run_cli, monkeypatch):
    """A feed file the user may not read gives a FeedError and exit 2, not a crash (simulated permission error)."""
    path = write_feed(feed_text)
    real = Path.read_bytes

    def deny(self):
        if self.name == "stops.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(FeedError, match="Permission denied"):
        read_feed(path)
    result = run_cli("validate", path)
    assert result.exit_code == 2, result.output
    assert "Permission denied" in result.stdout


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read files without read permission")
def test_unreadable_folder_for_real(tmp_path, feed_text, write_feed, run_cli):
    """A folder without read permission (real chmod) gives exit 2 with a message."""
    path = write_feed(feed_text)
    (path / "stops.txt").chmod(0)
    try:
        result = run_cli("validate", path)
    finally:
        (path / "stops.txt").chmod(0o644)
    assert result.exit_code == 2, result.output
    assert "NOT usable" in result.stdout


def test_console_script_never_prints_a_traceback(tmp_path, feed_text, write_feed):
    """The real entry point (python -m maas) exits 2 on a broken and a corrupt feed with messages, no traceback."""
    corrupt = _corrupt_zips(tmp_path, feed_text)["truncated"]
    feed_text.set_cell("stops.txt", 3, "stop_lat", "abc")
    broken = write_feed(feed_text, "broken")
    env = {**os.environ, "MAAS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("MAAS_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "maas", "validate", str(broken), str(corrupt)], capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "broken/stops.txt:3 [stop_lat]  stop_lat 'abc' is not a number" in proc.stdout
    assert f"truncated ({corrupt}): NOT usable" in proc.stdout


# --- usable feeds ----------------------------------------------------------------


def test_valid_feed_has_no_problems_and_exits_0(feed_text, write_feed, run_cli):
    """The valid feed has no problem at all; text and JSON output say usable, exit 0."""
    path = write_feed(feed_text)
    assert validate_feed(read_feed(path)) == []
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    assert "feed (" in result.stdout and ": usable: 0 error(s), 0 warning(s)" in result.stdout
    doc = json.loads(run_cli("validate", "--json", path).stdout)
    assert doc == {
        "usable": True,
        "feeds": [{"name": "feed", "path": str(path), "usable": True, "errors": 0, "warnings": 0, "problems": []}],
    }


def test_valid_zip_exits_0(feed_text, write_feed, run_cli):
    """The valid feed as a zip, and as a zip with a top folder, is usable (exit 0)."""
    plain = write_feed(feed_text, "plain", as_zip=True)
    nested = write_feed(feed_text, "nested", as_zip=True, top_folder="gtfs")
    result = run_cli("validate", plain, nested)
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": usable: 0 error(s), 0 warning(s)") == 2


def test_utf8_bom_files_read_fine(feed_text, write_feed, run_cli):
    """Every file starting with a UTF-8 BOM (normal in Japan) reads with clean column names and no problem."""
    for name, text in list(feed_text.files.items()):
        feed_text.set(name, b"\xef\xbb\xbf" + text.encode("utf-8"))
    path = write_feed(feed_text)
    feed = read_feed(path)
    assert list(feed.table("stops.txt").columns)[:2] == ["stop_id", "stop_name"]
    assert feed.table("stops.txt")["stop_name"].tolist() == ["阿知須駅", "本由良駅", "テクノパーク"]
    assert validate_feed(feed) == []
    assert run_cli("validate", path).exit_code == 0


def test_warning_only_feed_exits_0_and_lists_the_warning(feed_text, write_feed, run_cli):
    """routes_jp.txt naming an unknown route is a warning: exit 0 and the warning is listed with its line."""
    feed_text.set(
        "routes_jp.txt",
        "route_id,route_update_date,origin_stop,via_stop,destination_stop\nR1,20260101,阿知須駅,本由良駅,テクノパーク\nR7,20260101,阿知須駅,,本由良駅\n",
    )
    path = write_feed(feed_text)
    problems = validate_feed(read_feed(path))
    assert [(p.severity, p.code, p.file, p.row, p.field) for p in problems] == [("warning", "dangling_reference", "routes_jp.txt", 3, "route_id")]
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    assert "usable: 0 error(s), 1 warning(s)" in result.stdout
    assert "warning  feed/routes_jp.txt:3 [route_id]  route_id 'R7' is not a route in routes.txt" in result.stdout
    doc = json.loads(run_cli("validate", "--json", path).stdout)
    assert doc["usable"] is True and doc["feeds"][0]["warnings"] == 1


_FARE_ATTRIBUTES = "fare_id,price,currency_type,payment_method,transfers\nF1,200,JPY,0,0\n"


def _with_fare_zones(feed_text, rules: str) -> None:
    """Give the valid feed's stops zones Z1 (AJS, MTU) and Z2 (TPK), one fare and the fare_rules.txt records ``rules``."""
    feed_text.set(
        "stops.txt",
        "stop_id,stop_name,stop_lat,stop_lon,zone_id\nAJS,阿知須駅,34.0,131.36,Z1\nMTU,本由良駅,34.01,131.37,Z1\nTPK,テクノパーク,34.03,131.39,Z2\n",
    )
    feed_text.set("fare_attributes.txt", _FARE_ATTRIBUTES)
    feed_text.set("fare_rules.txt", "fare_id,route_id,origin_id,destination_id,contains_id\n" + rules)


def test_fare_rule_with_unknown_zone_is_a_warning_on_its_line(feed_text, write_feed, run_cli):
    """A fare rule naming a zone no stop has is a warning at its line and field (it never matches); the feed stays usable."""
    _with_fare_zones(feed_text, "F1,R1,Z1,Z2,\nF1,R1,Z1,Z9,\nF1,,,,Z7\n")
    path = write_feed(feed_text)
    problems = validate_feed(read_feed(path))
    assert [(p.severity, p.code, p.file, p.row, p.field) for p in problems] == [
        ("warning", "dangling_reference", "fare_rules.txt", 3, "destination_id"),
        ("warning", "dangling_reference", "fare_rules.txt", 4, "contains_id"),
    ]
    assert problems[0].message.startswith("destination_id 'Z9' is not a zone_id of any stop in stops.txt; the fare rule never applies")
    assert "contains_id 'Z7'" in problems[1].message
    assert run_cli("validate", path).exit_code == 0


def test_stations_and_fare_zones_used_rightly_have_no_problem(feed_text, write_feed):
    """A station with platforms, an entrance, a generic node and a boarding area, and fare rules between real zones: no problem."""
    feed_text.set(
        "stops.txt",
        _STATION_HEADER.replace("\n", ",zone_id\n")
        + "".join(line + ("," if line.startswith("ST") else ",Z1") + "\n" for line in _STATION_STOPS.splitlines())
        + "E1,阿知須駅 出口,34.0001,131.3601,2,ST,\nN1,,,,3,ST,\nBA,阿知須駅 乗り場,,,4,AJS,\n",
    )
    feed_text.set("fare_attributes.txt", _FARE_ATTRIBUTES)
    feed_text.set("fare_rules.txt", "fare_id,route_id,origin_id,destination_id,contains_id\nF1,R1,Z1,Z1,Z1\nF1,R1,,,\n")
    assert validate_feed(read_feed(write_feed(feed_text))) == []


def test_one_broken_feed_among_several_makes_exit_2(feed_text, write_feed, run_cli):
    """`maas validate GOOD BROKEN` exits 2 and the JSON tells which feed is not usable."""
    good = write_feed(feed_text, "good")
    feed_text.set_cell("stops.txt", 2, "stop_lon", "181")
    bad = write_feed(feed_text, "bad", as_zip=True)
    result = run_cli("validate", "--json", good, bad)
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["usable"] is False
    assert [(f["name"], f["usable"]) for f in doc["feeds"]] == [("good", True), ("bad", False)]


# --- many rows with the same problem ------------------------------------------------


def test_repeated_problem_is_capped_with_a_summary(feed_text, write_feed, run_cli):
    """The same problem on many rows lists MAX_PER_KIND of them and one '... and N more' line."""
    n = MAX_PER_KIND + 17
    for i in range(n):
        feed_text.append("stops.txt", f"X{i},Extra {i},north,131.4")
    path = write_feed(feed_text)
    problems = [p for p in validate_feed(read_feed(path)) if p.code == "bad_value"]
    listed = [p for p in problems if p.row is not None]
    assert [p.row for p in listed] == list(range(5, 5 + MAX_PER_KIND))
    summary = [p for p in problems if p.row is None]
    assert len(summary) == 1
    assert summary[0].message == f"... and 17 more rows with the same problem ({n} in all)"
    assert (summary[0].severity, summary[0].file, summary[0].field) == ("error", "stops.txt", "stop_lat")
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert "... and 17 more rows with the same problem" in result.stdout
    assert result.stdout.count("stop_lat 'north' is not a number") == MAX_PER_KIND


def test_cap_counts_each_field_separately(feed_text, write_feed):
    """Bad latitudes and bad longitudes are capped separately (one summary each)."""
    for i in range(MAX_PER_KIND + 1):
        feed_text.append("stops.txt", f"X{i},Extra {i},north,east")
    problems = validate_feed(read_feed(write_feed(feed_text)))
    summaries = sorted((p.field, p.message) for p in problems if p.row is None and p.code == "bad_value")
    assert summaries == [
        ("stop_lat", f"... and 1 more rows with the same problem ({MAX_PER_KIND + 1} in all)"),
        ("stop_lon", f"... and 1 more rows with the same problem ({MAX_PER_KIND + 1} in all)"),
    ]


# --- any small damage: a report, never a crash --------------------------------------------------

_FILES = ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt"]
_VALUES = [
    "", " ", "abc", "-1", "0", "1", "2", "1e400", "inf", "nan", "25:00:00", "07:15:00", "99:59:59", "7:5", "20260101",
    "99991231", "AJS", "MTU", "T1", "T2", "R1", "WD", "A1", "3.5", "-91", '"', 'x"y', "０７:００:００", "阿知須", "\u3000",
    "Nowhere/Zone",
]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(_FILES), st.integers(0, 10), st.integers(0, 10), st.sampled_from(["set", "copy", "drop"]), st.sampled_from(_VALUES)),
        min_size=1,
        max_size=3,
    )
)
def test_damaged_feed_gives_a_report_never_a_crash(edits, feed_text, tmp_path_factory):
    """Random cell changes, copied and dropped records never crash the checker; a feed it accepts compiles cleanly."""
    text = type(feed_text)(feed_text.files)
    for filename, r, c, op, value in edits:
        rows = text.rows(filename)
        line = 1 + r % (len(rows) - 1) if len(rows) > 1 else 1
        if op == "set" and line > 1:
            rows[line - 1][c % len(rows[0])] = value
        elif op == "copy" and line > 1:
            rows.append(list(rows[line - 1]))
        elif op == "drop" and len(rows) > 2:
            del rows[line - 1]
        text.set_rows(filename, rows)
    feed = read_feed(text.write(tmp_path_factory.mktemp("fuzz") / "feed"))
    problems = validate_feed(feed)
    assert all(p.severity in ("error", "warning") and p.message for p in problems)
    if any(p.severity == "error" for p in problems):
        return
    tt = compile_feeds([feed], progress=False)
    for trip in range(tt.n_trips):
        arr, dep = tt.trip_times(trip)
        assert (arr >= 0).all() and (dep >= arr).all() and (arr[1:] >= dep[:-1]).all()
