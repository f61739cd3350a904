"""Read a GTFS or GTFS-JP feed from a zip file or a folder, keeping every value as text.

Reading never judges the content: every file becomes a table of strings with
the line number each record starts on, so that the checker
(:mod:`maas.feeds.validate`) can point at file, line and field.  Only what
stops a file from being read at all (not UTF-8, no header) is reported here.
Files that are not part of GTFS or GTFS-JP (vendor extras, READMEs, receipts
of file-sanitising systems, whatever their encoding) are not read at all:
their names are kept in ``Feed.ignored_files`` for the checker to mention.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from maas.errors import FeedError
from maas.feeds.problems import Problem
from maas.feeds.schema import KNOWN_FILES

#: Name of the extra column holding each record's line number in its file.
LINE = "_line"


@dataclass
class Feed:
    """One feed as read: its tables as text, and what stopped files from being read.

    ``name`` is short and unique among the feeds loaded together (by default
    the folder or zip name without extension, e.g. ``jr``); it namespaces the
    feed's ids when several feeds are combined.  ``digest`` is a SHA-256 over
    the raw bytes of every GTFS file, used as the cache key of compiled
    timetables.  ``ignored_files`` names what is not GTFS or GTFS-JP (path
    inside the zip or folder; a folder ends with ``/``).
    """

    name: str
    source: Path
    tables: dict[str, pd.DataFrame]
    read_problems: list[Problem] = field(default_factory=list)
    digest: str = ""
    ignored_files: list[str] = field(default_factory=list)

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


def read_feed(path: str | Path, name: str | None = None, only: Collection[str] | None = None) -> Feed:
    """Read every GTFS / GTFS-JP ``*.txt`` file of a feed folder or zip into text tables.

    Every value is kept as text with its line number, so that
    :func:`~maas.feeds.validate.validate_feed` can name the file, line and
    field of each problem.  Encodings (a BOM, UTF-8) and both forms of
    ``translations.txt`` are handled; files GTFS does not define are listed
    in ``Feed.ignored_files``.

    Parameters
    ----------
    path
        A feed folder or zip file (a zip whose feed sits in a sub-folder too).
    name
        The feed's short name in messages and ids (default: from the path).
    only
        Read only these files (a quick look such as the service dates); the
        digest is then left empty.

    Returns
    -------
    Feed
        The feed's tables, with the problems met while reading them in
        ``Feed.read_problems``.

    Raises
    ------
    FeedError
        Only when the path itself cannot be opened as a feed (missing, not a
        zip or folder, a damaged zip).
    """
    path = Path(path)
    raw, ignored = _read_raw_files(path, only)
    feed = feed_from_files(raw, name or feed_name_for(path), path)
    feed.ignored_files = ignored
    if only is not None:
        feed.digest = ""
    return feed


def feed_from_files(files: Mapping[str, bytes], name: str, source: str | Path) -> Feed:
    """Return the feed whose GTFS files are ``files`` (``{"stops.txt": b"..."}``), read as :func:`read_feed` reads a folder of them.

    For feeds made in memory (a shuttle scenario's runs): the tables, problems
    and digest are exactly those of the same files read from disk.  ``source``
    only names where the feed comes from (in messages and the compiled summary).
    """
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for filename in sorted(files):
        table = _parse_file(files[filename], filename, name, problems)
        if table is not None:
            tables[filename] = table
    return Feed(name=name, source=Path(source), tables=tables, read_problems=problems, digest=files_digest(files))


def feed_digest(path: str | Path) -> str:
    """Return the SHA-256 content digest of a feed without parsing it (see ``Feed.digest``)."""
    return _digest(_read_raw_files(Path(path))[0])


def files_digest(files: Mapping[str, bytes]) -> str:
    """Return the content digest of a feed's files given as bytes, without parsing them (see ``Feed.digest``)."""
    return _digest(dict(files))


def _digest(raw: dict[str, bytes]) -> str:
    hasher = hashlib.sha256()
    for filename in sorted(raw):
        hasher.update(filename.encode() + b"\0" + hashlib.sha256(raw[filename]).digest())
    return hasher.hexdigest()


def _read_raw_files(path: Path, only: Collection[str] | None = None) -> tuple[dict[str, bytes], list[str]]:
    """Return ``{filename: bytes}`` of the feed's GTFS files and the names of the others; FeedError when unreadable."""
    try:
        return _read_raw_files_unchecked(path, only)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise FeedError(f"{path}: the zip file is damaged or uses an unsupported format ({exc})") from exc
    except (OSError, RuntimeError) as exc:
        raise FeedError(f"{path}: cannot be read ({exc})") from exc


def is_gtfs_file(name: str) -> bool:
    """True for a file GTFS or GTFS-JP defines (``stops.txt``, ``office_jp.txt``, ``shapes.txt``, ...)."""
    return name in KNOWN_FILES


def _wanted(name: str, only: Collection[str] | None) -> bool:
    """A GTFS text file to read (``locations.geojson`` is GTFS but not a table)."""
    return name.endswith(".txt") and (only is None or name in only)


def _read_raw_files_unchecked(path: Path, only: Collection[str] | None) -> tuple[dict[str, bytes], list[str]]:
    files: dict[str, bytes] = {}
    ignored: list[str] = []
    if path.is_dir():
        for p in sorted(path.iterdir()):
            if not p.is_file():
                ignored.append(p.name + "/")
            elif not is_gtfs_file(p.name):
                ignored.append(p.name)
            elif _wanted(p.name, only):
                files[p.name] = p.read_bytes()
        if not files and only is None:
            raise FeedError(f"{path}: no GTFS .txt files in this folder")
        return files, ignored
    if not path.exists():
        raise FeedError(f"{path}: no such file or folder")
    if not zipfile.is_zipfile(path):
        raise FeedError(f"{path}: not a zip file or a folder of GTFS .txt files")
    with zipfile.ZipFile(path) as zf:
        # macOS adds __MACOSX/<folder>/._<name> resource forks: never feed files.
        members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
        base = zip_base([m.filename for m in members])
        for m in members:
            inner = m.filename[len(base) :] if m.filename.startswith(base) else None
            if inner is None or "/" in inner or not is_gtfs_file(inner):
                ignored.append(zip_member_name(m))
            elif _wanted(inner, only):
                files[inner] = zf.read(m)
    if not files and only is None:
        raise FeedError(f"{path}: the zip holds no GTFS .txt files")
    return files, sorted(ignored)


def zip_base(names: list[str]) -> str:
    """Return the folder of a zip that holds the feed (``""`` for the root), ending with ``/``.

    Feeds are often zipped with a top folder (``google_transit/stops.txt``),
    sometimes beside extra files at the root (a sanitising receipt): the feed
    is the shallowest folder holding ``stops.txt``; without one, the single
    top folder every file shares, else the root.
    """
    if "stops.txt" in names:
        return ""
    homes = sorted({n.rsplit("/", 1)[0] for n in names if n.endswith("/stops.txt")}, key=lambda h: (h.count("/"), h))
    if homes:
        return homes[0] + "/"
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop() + "/"
    return ""


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """Return a member's name as its author wrote it.

    Zips made on Japanese Windows store names in Shift_JIS (CP932) without
    the UTF-8 flag; Python reads those as CP437 mojibake.  Re-decode them so
    that messages show ``無害化レポート.txt``, not ``û│è¥ë╗...``.
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


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
                f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); GTFS files must be saved as UTF-8 (Shift_JIS exports must be converted)",
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
    if text.count('"') == 0:
        sep_counts = {line.count(",") for line in (physical[i - 1] for i in nonblank)}
        if sep_counts != {width - 1}:
            return None
    frame.columns = header
    # Strip like the careful reader: also a space at the very end, spaces inside
    # quotes (padded exports) and full-width spaces (U+3000, common in Japanese data).
    if " ," in text or " \n" in text or " \r" in text or "\t" in text or text.endswith(" ") or '" ' in text or ' "' in text or "\u3000" in text:
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
        problems.append(Problem("error", "csv_syntax", f"the CSV cannot be read past this line: {exc}", feed, filename, prev_end + 1))
        return None
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        problems.append(Problem("warning", "duplicate_column", f"column(s) {', '.join(dupes)} appear twice; the first is used", feed, filename, 1))
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
