"""Read a GTFS or GTFS-JP feed from a zip file or a folder, keeping every value as text.

Reading never judges the content: every file becomes a table of strings with
the line number each record starts on, so that the checker
(:mod:`maas.feeds.validate`) can point at file, line and field.  Only what
stops a file from being read at all (not UTF-8, no header) is reported here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from maas.errors import FeedError
from maas.feeds.problems import Problem

#: Name of the extra column holding each record's line number in its file.
LINE = "_line"


@dataclass
class Feed:
    """One feed as read: its tables as text, and what stopped files from being read.

    ``name`` is short and unique among the feeds loaded together (by default
    the folder or zip name without extension, e.g. ``jr``); it namespaces the
    feed's ids when several feeds are combined.  ``digest`` is a SHA-256 over
    the raw bytes of every file, used as the cache key of compiled timetables.
    """

    name: str
    source: Path
    tables: dict[str, pd.DataFrame]
    read_problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    def has(self, filename: str) -> bool:
        """Return True when the file is present and has at least one record."""
        t = self.tables.get(filename)
        return t is not None and len(t) > 0

    def table(self, filename: str) -> pd.DataFrame:
        """Return the table, or an empty one when the file is absent."""
        t = self.tables.get(filename)
        return t if t is not None else pd.DataFrame({LINE: pd.Series([], dtype="int64")})

    def column(self, filename: str, col: str) -> pd.Series:
        """Return a column as text; an absent column reads as empty strings."""
        t = self.table(filename)
        if col in t.columns:
            return t[col]
        return pd.Series([""] * len(t), index=t.index, dtype=object)


def feed_name_for(path: Path) -> str:
    """Return the default short name of a feed at ``path`` (``gtfs/jr`` → ``jr``)."""
    name = path.name
    for suffix in (".zip", ".ZIP"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name or "feed"


def read_feed(path: str | Path, name: str | None = None) -> Feed:
    """Read every ``*.txt`` file of a feed folder or zip into text tables.

    Raises :class:`FeedError` only when the path itself cannot be opened as a
    feed (missing, not a zip or folder); problems with the files inside are
    returned in ``Feed.read_problems``.
    """
    path = Path(path)
    name = name or feed_name_for(path)
    raw = _read_raw_files(path)
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for filename in sorted(raw):
        table = _parse_file(raw[filename], filename, name, problems)
        if table is not None:
            tables[filename] = table
    return Feed(name=name, source=path, tables=tables, read_problems=problems, digest=_digest(raw))


def feed_digest(path: str | Path) -> str:
    """Return the SHA-256 content digest of a feed without parsing it (see ``Feed.digest``)."""
    return _digest(_read_raw_files(Path(path)))


def _digest(raw: dict[str, bytes]) -> str:
    hasher = hashlib.sha256()
    for filename in sorted(raw):
        hasher.update(filename.encode() + b"\0" + hashlib.sha256(raw[filename]).digest())
    return hasher.hexdigest()


def _read_raw_files(path: Path) -> dict[str, bytes]:
    """Return ``{filename: bytes}`` for the feed's ``.txt`` files; FeedError when they cannot be read."""
    try:
        return _read_raw_files_unchecked(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise FeedError(f"{path}: the zip file is damaged or uses an unsupported format ({exc})") from exc
    except (OSError, RuntimeError) as exc:
        raise FeedError(f"{path}: cannot be read ({exc})") from exc


def _read_raw_files_unchecked(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in path.glob("*.txt") if p.is_file()}
        if not files:
            raise FeedError(f"{path}: no GTFS .txt files in this folder")
        return files
    if not path.exists():
        raise FeedError(f"{path}: no such file or folder")
    if not zipfile.is_zipfile(path):
        raise FeedError(f"{path}: not a zip file or a folder of GTFS .txt files")
    with zipfile.ZipFile(path) as zf:
        # macOS adds __MACOSX/<folder>/._<name> resource forks: never feed files.
        members = [
            m
            for m in zf.infolist()
            if not m.is_dir() and m.filename.lower().endswith(".txt") and not m.filename.startswith("__MACOSX/")
        ]
        # Feeds are sometimes zipped with a top folder: use the folder holding stops.txt.
        base = ""
        if not any("/" not in m.filename for m in members):
            homes = sorted({m.filename.rsplit("/", 1)[0] for m in members if m.filename.endswith("/stops.txt")})
            base = (homes[0] + "/") if homes else ""
        files = {}
        for m in members:
            if m.filename.startswith(base) and "/" not in m.filename[len(base) :]:
                files[m.filename[len(base) :]] = zf.read(m)
    if not files:
        raise FeedError(f"{path}: the zip holds no GTFS .txt files")
    return files


def _parse_file(data: bytes, filename: str, feed: str, problems: list[Problem]) -> pd.DataFrame | None:
    """Decode and split one CSV file; report what prevents reading it."""
    if not data.strip():
        problems.append(Problem("error", "empty_file", "the file is empty (no header, no records)", feed, filename))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                "error",
                "not_utf8",
                f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); "
                "GTFS files must be saved as UTF-8 (Shift_JIS exports must be converted)",
                feed,
                filename,
                line,
            )
        )
        return None
    table = _parse_fast(text)
    if table is None:
        table = _parse_careful(text, filename, feed, problems)
    return table


def _parse_fast(text: str) -> pd.DataFrame | None:
    """Parse with pandas' C reader when line numbers can be recovered exactly.

    That holds when no quoted value spans lines and every record has the
    header's width; otherwise return None and let the careful reader report.
    """
    physical = text.split("\n")
    nonblank = [i + 1 for i, line in enumerate(physical) if line.strip()]
    if not nonblank:
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skipinitialspace=True,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return None
    if len(frame) != len(nonblank) - 1:
        return None
    if not isinstance(frame.index, pd.RangeIndex):
        # Every record had more fields than the header: pandas took the first
        # column(s) as the index and shifted the values left.
        return None
    header = [str(c).strip() for c in frame.columns]
    if any(h.startswith("Unnamed:") for h in header) or len(set(header)) != len(header):
        return None
    # pandas renames a repeated column (trip_id, trip_id.1): look at the header as written.
    written = [h.strip() for h in next(csv.reader([physical[nonblank[0] - 1]]), [])]
    if len(set(written)) != len(written):
        return None
    # Records shorter than the header would be padded silently: count fields.
    width = len(header)
    if text.count("\"") == 0:
        sep_counts = {line.count(",") for line in (physical[i - 1] for i in nonblank)}
        if sep_counts != {width - 1}:
            return None
    frame.columns = header
    # Strip like the careful reader: also a space at the very end, spaces inside
    # quotes (padded exports) and full-width spaces (U+3000, common in Japanese data).
    if (
        " ," in text
        or " \n" in text
        or " \r" in text
        or "\t" in text
        or text.endswith(" ")
        or '" ' in text
        or ' "' in text
        or "\u3000" in text
    ):
        for col in header:
            frame[col] = frame[col].str.strip()
    frame[LINE] = pd.array(nonblank[1:], dtype="int64")
    return frame


def _parse_careful(text: str, filename: str, feed: str, problems: list[Problem]) -> pd.DataFrame | None:
    """Parse record by record, reporting records whose width is wrong."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        problems.append(Problem("error", "empty_file", "the file has no header line", feed, filename))
        return None
    header = [h.strip().lstrip("\ufeff") for h in header]
    width = len(header)
    lines: list[int] = []
    rows: list[list[str]] = []
    prev_end = reader.line_num
    try:
        for record in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            if len(record) != width:
                problems.append(
                    Problem(
                        "warning",
                        "row_width",
                        f"the record has {len(record)} fields but the header has {width}; "
                        + ("missing fields read as empty" if len(record) < width else "extra fields ignored"),
                        feed,
                        filename,
                        start,
                    )
                )
                record = (record + [""] * width)[:width]
            rows.append([v.strip() for v in record])
            lines.append(start)
    except csv.Error as exc:
        problems.append(
            Problem("error", "csv_syntax", f"the CSV cannot be read past this line: {exc}", feed, filename, prev_end + 1)
        )
        return None
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        problems.append(
            Problem("warning", "duplicate_column", f"column(s) {', '.join(dupes)} appear twice; the first is used", feed, filename, 1)
        )
    columns: dict[str, object] = {}
    if rows:
        transposed = list(zip(*rows))
        for i, col in enumerate(header):
            if col and col not in columns:
                columns[col] = pd.array(transposed[i], dtype=object)
    else:
        for col in header:
            if col and col not in columns:
                columns[col] = pd.array([], dtype=object)
    columns[LINE] = pd.array(lines, dtype="int64")
    return pd.DataFrame(columns)
