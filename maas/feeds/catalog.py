"""The feed catalog (``gtfs/feeds.toml``): which feeds make up the data, what they are, where they come from.

A catalog is a TOML file with one ``[[feed]]`` table per feed, in load order::

    [[feed]]
    name = "jrbus"                # the feed's folder beside the catalog, and its short name
    kind = "official"             # official | modeled | trial
    licence = "CC0-1.0"
    url = "https://example.com/current_data.zip"    # optional: http, https or file
    attribution = "ＪＲバス中国 GTFS-JP (CC0 1.0)"    # optional: shown wherever the data is shown

Other keys (``description``, ``source``, ...) are kept as text in
:attr:`CatalogEntry.extra`.  Reading a catalog checks every entry and raises
:class:`CatalogError` naming the file, the entry (index and name) and the key
at fault, so that adding a feed is one entry and a typo is found at once.

This module also says how fresh a feed is (:class:`Validity`, from the
service dates of ``calendar.txt`` / ``calendar_dates.txt``), for
``maas feeds list``, ``maas info``, ``/healthz`` and ``/v1/feeds``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from maas.errors import CatalogError

if TYPE_CHECKING:
    from maas.feeds.reader import Feed

#: The kinds of feed a catalog may name.
KINDS = ("official", "modeled", "trial")
#: The kind reported for a loaded feed that no catalog describes.
UNKNOWN_KIND = "unknown"
#: URL schemes ``maas feeds update`` can fetch.
URL_SCHEMES = ("http", "https", "file")
#: A feed is flagged this many days before its last service date.
WARN_DAYS = 30
#: The catalog's file name, looked for beside feed folders.
CATALOG_NAME = "feeds.toml"

_REQUIRED = ("name", "kind", "licence")
_OPTIONAL = ("url", "attribution")
#: A feed name is a folder name: letters, digits, '.', '_', '-'; not starting with '.' (no paths, no hidden folders).
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$")


log = logging.getLogger("maas.feeds")


@dataclass(frozen=True)
class CatalogEntry:
    """One ``[[feed]]`` of a catalog.

    ``extra`` holds the keys beyond the standard ones (``description``,
    ``source``, ...), as written.
    """

    name: str
    kind: str
    licence: str
    url: str | None = None
    attribution: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def description(self) -> str | None:
        """The entry's ``description`` key, if any (what the feed is, for people)."""
        value = self.extra.get("description")
        return str(value) if value is not None else None


@dataclass(frozen=True)
class Catalog:
    """A read and checked catalog: its file and its entries in load order."""

    path: Path
    entries: tuple[CatalogEntry, ...]

    @property
    def folder(self) -> Path:
        """The folder holding the catalog; each feed lives in ``folder / name``."""
        return self.path.parent

    def feed_path(self, entry: CatalogEntry) -> Path:
        """Return the folder of ``entry``'s feed (it may not exist yet)."""
        return self.folder / entry.name

    def get(self, name: str) -> CatalogEntry | None:
        """Return the entry called ``name``, or None."""
        return next((e for e in self.entries if e.name == name), None)

    def present_paths(self) -> list[Path]:
        """Return the feed folders that hold data (a ``stops.txt``), in catalog order."""
        return [self.feed_path(e) for e in self.entries if (self.feed_path(e) / "stops.txt").is_file()]


def load_catalog(path: str | Path) -> Catalog:
    """Read and check the catalog at ``path``; CatalogError when it is missing or wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the feed catalog ({exc.strerror or exc})") from None
    return parse_catalog(data, path)


def parse_catalog(data: bytes | str, path: str | Path) -> Catalog:
    """Parse catalog text (``path`` is used in messages and as the catalog's place)."""
    path = Path(path)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text (byte {exc.start}); save the catalog as UTF-8") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from None
    unknown_top = sorted(set(doc) - {"feed"})
    if unknown_top:
        raise CatalogError(f"{path}: unknown top-level key(s) {', '.join(unknown_top)}; each feed is a [[feed]] table")
    feeds = doc.get("feed")
    if feeds is None:
        raise CatalogError(f"{path}: no [[feed]] entries")
    if not isinstance(feeds, list) or not all(isinstance(f, dict) for f in feeds):
        raise CatalogError(f"{path}: 'feed' must be an array of tables, written [[feed]]")
    entries: list[CatalogEntry] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(feeds, start=1):
        entry = _entry(table, path, index)
        if entry.name in seen:
            raise CatalogError(f"{_where(path, index, entry.name)}: name: duplicate name '{entry.name}' (first in feed #{seen[entry.name]})")
        seen[entry.name] = index
        entries.append(entry)
    return Catalog(path, tuple(entries))


def _where(path: Path, index: int, name: object) -> str:
    """``gtfs/feeds.toml, feed #2 (jr)``: where an entry is, for messages."""
    return f"{path}, feed #{index}" + (f" ({name})" if isinstance(name, str) and name else "")


def _entry(table: dict[str, Any], path: Path, index: int) -> CatalogEntry:
    """Check one ``[[feed]]`` table and return its entry."""
    where = _where(path, index, table.get("name"))
    for key in _REQUIRED:
        if key not in table:
            raise CatalogError(f"{where}: {key}: missing (every feed needs {', '.join(_REQUIRED)})")
    for key in (*_REQUIRED, *_OPTIONAL):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise CatalogError(f"{where}: {key}: must be a non-empty string, not {table[key]!r}")
    name = table["name"].strip()
    if not _NAME.match(name):
        raise CatalogError(f"{where}: name: '{name}' cannot be a folder name (use letters, digits, '.', '_' or '-', not starting with '.')")
    kind = table["kind"].strip()
    if kind not in KINDS:
        raise CatalogError(f"{where}: kind: unknown kind '{kind}'; use one of {', '.join(KINDS)}")
    url = table["url"].strip() if "url" in table else None
    if url is not None:
        scheme = urlparse(url).scheme.lower()
        if scheme not in URL_SCHEMES:
            raise CatalogError(f"{where}: url: '{url}' has scheme '{scheme or '(none)'}'; use {', '.join(URL_SCHEMES)}")
        if scheme in ("http", "https") and not urlparse(url).netloc:
            raise CatalogError(f"{where}: url: '{url}' names no host")
    extra = {k: v for k, v in table.items() if k not in (*_REQUIRED, *_OPTIONAL)}
    attribution = table["attribution"].strip() if "attribution" in table else None
    return CatalogEntry(name, kind, table["licence"].strip(), url, attribution, extra)


# --- which catalog describes a loaded feed -------------------------------------------

_CACHE: dict[Path, tuple[tuple[int, int], Catalog]] = {}


def catalog_beside(feed_path: str | Path) -> Catalog | None:
    """Return the catalog in the folder holding ``feed_path`` (``gtfs/jr`` → ``gtfs/feeds.toml``), or None.

    Read again only when the file changes, so a service may ask per request.
    """
    path = Path(feed_path).resolve().parent / CATALOG_NAME
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _CACHE.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    catalog = load_catalog(path)
    _CACHE[path] = (stamp, catalog)
    return catalog


def entry_for_feed(feed_path: str | Path) -> CatalogEntry | None:
    """Return the catalog entry describing the feed at ``feed_path`` (matched by folder name), or None.

    Only the catalog beside the feed counts: a feed copied elsewhere, or a
    downloaded zip, is not claimed by a catalog that happens to use its name.
    """
    from maas.feeds.reader import feed_name_for

    try:
        catalog = catalog_beside(feed_path)
    except CatalogError as exc:  # metadata only: a broken catalog beside a feed must not stop a service
        log.warning("feed %s: its catalog is not used: %s", feed_path, exc)
        return None
    return catalog.get(feed_name_for(Path(feed_path))) if catalog else None


# --- how fresh a feed is -----------------------------------------------------------


@dataclass(frozen=True)
class Validity:
    """The service dates of a feed measured against today (in the feed's time zone).

    ``days_left`` counts from ``today`` to ``last`` (0 on the last day,
    negative once it has ended); ``warning`` is set from :data:`WARN_DAYS`
    days before the end, and when the feed has ended or has no dates.
    """

    first: dt.date | None
    last: dt.date | None
    today: dt.date
    days_left: int | None
    warning: str | None

    @property
    def ended(self) -> bool:
        """True when the last service date is before today."""
        return self.days_left is not None and self.days_left < 0

    def to_dict(self) -> dict[str, Any]:
        """JSON form: dates as ISO strings."""
        return {
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "today": self.today.isoformat(),
            "days_left": self.days_left,
        }


def validity(span: tuple[dt.date, dt.date] | None, today: dt.date, warn_days: int = WARN_DAYS) -> Validity:
    """Return the validity of a feed serving ``span`` (first, last date) as of ``today``."""
    if span is None:
        return Validity(None, None, today, None, "no service dates: calendar.txt and calendar_dates.txt give no trip a day")
    first, last = span
    left = (last - today).days
    if left < 0:
        warning = f"service ended on {last} ({-left} day{'s' if left != -1 else ''} ago)"
    elif left <= warn_days:
        warning = f"service ends on {last}, in {left} day{'s' if left != 1 else ''}" if left else f"service ends today ({last})"
    else:
        warning = None  # a timetable published ahead (first > today) is normal: its dates say when it starts
    return Validity(first, last, today, left, warning)


def today_in(timezone: str | None) -> dt.date:
    """Return today's date in ``timezone`` (UTC when it is empty or unknown)."""
    try:
        zone = ZoneInfo(timezone) if timezone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return dt.datetime.now(zone).date()


@dataclass(frozen=True)
class FeedStatus:
    """What a feed is (catalog) and how fresh it is (its own files): one row of ``maas feeds list`` and ``/v1/feeds``."""

    name: str
    kind: str
    licence: str | None
    attribution: str | None
    url: str | None
    description: str | None
    version: str | None
    publisher: str | None
    timezone: str | None
    validity: Validity | None
    present: bool = True

    @property
    def warning(self) -> str | None:
        """The feed's warning, if any (ending soon, ended, no dates, no data)."""
        if not self.present:
            return "no data yet" + (": run `maas feeds update " + self.name + "`" if self.url else "")
        if self.validity is None or self.validity.warning is None:
            return None
        if self.kind == "trial" and self.validity.ended:
            return self.validity.warning + ": a past trial, kept as a record"
        return self.validity.warning

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the same keys in ``maas feeds list --json``, ``maas info --json``, ``/healthz``, ``/v1/feeds``)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "licence": self.licence,
            "attribution": self.attribution,
            "url": self.url,
            "description": self.description,
            "version": self.version,
            "publisher": self.publisher,
            "timezone": self.timezone,
            "present": self.present,
            "validity": self.validity.to_dict() if self.validity else None,
            "warning": self.warning,
        }


def status(
    name: str,
    entry: CatalogEntry | None,
    version: str | None,
    publisher: str | None,
    timezone: str | None,
    span: tuple[dt.date, dt.date] | None,
    today: dt.date | None = None,
    present: bool = True,
) -> FeedStatus:
    """Combine a catalog entry (or none: kind ``unknown``) with what the feed's files say."""
    day = today or today_in(timezone)
    return FeedStatus(
        name=name,
        kind=entry.kind if entry else UNKNOWN_KIND,
        licence=entry.licence if entry else None,
        attribution=entry.attribution if entry else None,
        url=entry.url if entry else None,
        description=entry.description if entry else None,
        version=version or None,
        publisher=publisher or None,
        timezone=timezone or None,
        validity=validity(span, day) if present else None,
        present=present,
    )


#: The files ``folder_status`` reads (all small except trips.txt, needed to know which services are used).
_STATUS_FILES = ("agency.txt", "feed_info.txt", "calendar.txt", "calendar_dates.txt", "trips.txt")


def feed_span(feed: Feed) -> tuple[dt.date, dt.date] | None:
    """Return the first and last date on which a service used by a trip runs (calendar + calendar_dates)."""
    import numpy as np

    from maas.feeds.calendar import service_days
    from maas.when import day_to_date

    days = service_days(feed)
    used = set(feed.column("trips.txt", "service_id").astype(str)) if feed.has("trips.txt") else set(days)
    runs = [d for sid, d in days.items() if sid in used and len(d)]
    if not runs:
        return None
    return day_to_date(int(min(int(np.min(d)) for d in runs))), day_to_date(int(max(int(np.max(d)) for d in runs)))


def feed_facts(feed: Feed) -> tuple[str | None, str | None, str | None]:
    """Return (version, publisher, timezone) from feed_info.txt and agency.txt."""

    def first(filename: str, col: str) -> str | None:
        values = [v for v in feed.column(filename, col).astype(str) if v.strip()]
        return values[0].strip() if values else None

    return first("feed_info.txt", "feed_version"), first("feed_info.txt", "feed_publisher_name"), first("agency.txt", "agency_timezone")


def folder_status(catalog: Catalog, entry: CatalogEntry, today: dt.date | None = None) -> FeedStatus:
    """Return the status of a catalog entry from its folder (read, not compiled: quick)."""
    from maas.feeds.reader import read_feed

    path = catalog.feed_path(entry)
    if not (path / "stops.txt").is_file():
        return status(entry.name, entry, None, None, None, None, today, present=False)
    feed = read_feed(path, entry.name, only=_STATUS_FILES)
    version, publisher, timezone = feed_facts(feed)
    return status(entry.name, entry, version, publisher, timezone, feed_span(feed), today)
