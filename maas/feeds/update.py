"""Refresh catalog feeds from their official download, never losing the good feed.

For each catalog entry with a ``url`` (:func:`update_feed`):

1. download into a temporary folder beside the feed (``.<name>.update-*``,
   same file system, so the final rename is atomic);
2. unpack (a zip, also one whose feed sits in a sub-folder; or a folder for
   ``file:`` urls), refusing paths that would leave the folder;
3. validate with :func:`maas.feeds.validate.validate_feed` (errors refuse,
   warnings are kept) and check that the service has not already ended (and,
   when the entry has an ``area``, that some trip calls inside it);
4. compare with the feed in place: identical content changes nothing;
5. swap: the old folder is renamed aside, the new one renamed in, and only
   then the old one removed.  A crash between the two renames is repaired by
   the next run (:func:`recover`).

Any failure leaves the previous feed exactly as it was and is reported as an
:class:`UpdateResult` with ``ok=False`` and the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import unquote, urlparse

from maas.errors import FeedError
from maas.feeds.catalog import Catalog, CatalogEntry, feed_facts, feed_span, today_in, validity

if TYPE_CHECKING:
    from maas.feeds.reader import Feed

#: Refuse downloads larger than this (a GTFS feed of a whole region is a few hundred MB at most).
MAX_DOWNLOAD_BYTES = 2 << 30
#: Refuse zips that unpack to more than this (zip bombs).
MAX_UNPACKED_BYTES = 4 << 30
#: Seconds to wait for the server to answer (per read, not for the whole download).
TIMEOUT_S = 60
_CHUNK = 1 << 16
_USER_AGENT = "maas-feeds-update/1 (GTFS catalog refresh)"


@dataclass(frozen=True)
class UpdateResult:
    """What happened to one feed: ``outcome`` is ``updated``, ``unchanged``, ``kept`` (no url) or ``failed``."""

    name: str
    outcome: str
    message: str
    version: str | None = None

    @property
    def ok(self) -> bool:
        """False only when the update failed (the previous feed was kept)."""
        return self.outcome != "failed"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "outcome": self.outcome, "ok": self.ok, "message": self.message, "version": self.version}


class UpdateError(Exception):
    """One step of an update failed; the message is the reason a person reads."""


# --- download ------------------------------------------------------------------------


def local_path(url: str, base: Path) -> Path:
    """Return the file a ``file:`` url names (a relative ``file:data/x.zip`` is relative to ``base``)."""
    parsed = urlparse(url)
    if parsed.netloc not in ("", "localhost"):
        raise UpdateError(f"file url '{url}' names a host ({parsed.netloc}); use file:///absolute/path")
    path = Path(unquote(parsed.path))
    return path if path.is_absolute() else (base / path)


def download(url: str, target: Path, base: Path, progress: bool = False, label: str = "") -> Path:
    """Fetch ``url`` into ``target`` (a file), or return the local folder a ``file:`` url names.

    http(s) downloads show a tqdm progress bar on stderr when ``progress``.
    Raises UpdateError with the reason (HTTP status, connection refused,
    missing file, too large).
    """
    if urlparse(url).scheme.lower() == "file":
        source = local_path(url, base)
        if source.is_dir():
            return source
        if not source.is_file():
            raise UpdateError(f"download failed: {source}: no such file")
        with source.open("rb") as src, target.open("wb") as out:
            _copy(src, out, source.stat().st_size, progress, label)
        return target
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})  # noqa: S310 - schemes checked by the catalog
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response, target.open("wb") as out:  # noqa: S310 - schemes checked by the catalog
            length = response.headers.get("Content-Length")
            _copy(response, out, int(length) if length and length.isdigit() else None, progress, label)
    except urllib.error.HTTPError as exc:
        raise UpdateError(f"download failed: HTTP {exc.code} {exc.reason} from {url}") from None
    except urllib.error.URLError as exc:
        raise UpdateError(f"download failed: {url} is unreachable ({exc.reason})") from None
    except (TimeoutError, ConnectionError, OSError) as exc:
        raise UpdateError(f"download failed: {url}: {exc}") from None
    return target


def _copy(source: BinaryIO, out: BinaryIO, total: int | None, progress: bool, label: str) -> None:
    """Copy in chunks with an optional progress bar, refusing more than MAX_DOWNLOAD_BYTES."""
    from tqdm.auto import tqdm

    if total is not None and total > MAX_DOWNLOAD_BYTES:
        raise UpdateError(f"download refused: {total} bytes is more than {MAX_DOWNLOAD_BYTES} bytes")
    done = 0
    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label or "download", disable=not progress, leave=False) as bar:
        while chunk := source.read(_CHUNK):
            done += len(chunk)
            if done > MAX_DOWNLOAD_BYTES:
                raise UpdateError(f"download refused: more than {MAX_DOWNLOAD_BYTES} bytes")
            out.write(chunk)
            bar.update(len(chunk))
    if total is not None and done != total:
        raise UpdateError(f"download failed: got {done} of {total} bytes (the connection was cut)")


# --- unpack ---------------------------------------------------------------------------


def unpack(source: Path, folder: Path) -> None:
    """Put the feed of ``source`` (a zip or a folder) into the empty ``folder``, files unchanged.

    A zip whose feed sits in a sub-folder (``google_transit/stops.txt``) is
    unpacked from that folder; files outside it are left out.  Members whose
    path would leave the folder (``../``, absolute) refuse the download.
    """
    if source.is_dir():
        for item in sorted(source.iterdir()):
            if item.is_dir():
                shutil.copytree(item, folder / item.name, symlinks=False)
            elif item.is_file():
                shutil.copy2(item, folder / item.name)
        return
    if not zipfile.is_zipfile(source):
        head = source.read_bytes()[:64]
        hint = " (it looks like a web page)" if head.lstrip().lower().startswith((b"<!doctype", b"<html")) else ""
        raise UpdateError(f"the download is not a zip file{hint}")
    from maas.feeds.reader import zip_base

    try:
        with zipfile.ZipFile(source) as zf:
            members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise UpdateError(f"the zip unpacks to more than {MAX_UNPACKED_BYTES} bytes")
            base = zip_base([m.filename for m in members])
            for m in members:
                if not m.filename.startswith(base):
                    continue
                inner = PurePosixPath(m.filename[len(base) :])
                if inner.is_absolute() or ".." in inner.parts or "\\" in m.filename or not inner.parts:
                    raise UpdateError(f"the zip holds an unsafe path '{m.filename}'")
                target = folder.joinpath(*inner.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(m) as src, target.open("wb") as out:
                    shutil.copyfileobj(src, out, _CHUNK)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise UpdateError(f"the zip is damaged ({exc})") from None


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file under ``folder`` (relative path and bytes): equal digests, equal content."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


# --- check ----------------------------------------------------------------------------


def _area(entry: CatalogEntry) -> tuple[float, float, float, float] | None:
    """The entry's ``area = [west, south, east, north]`` when well formed (the compiler reports a malformed one)."""
    value = entry.extra.get("area")
    if isinstance(value, list) and len(value) == 4 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return (float(value[0]), float(value[1]), float(value[2]), float(value[3]))
    return None


def calls_inside(feed: Feed, area: tuple[float, float, float, float]) -> bool:
    """True when some trip calls at a stop inside ``area`` (else the compiler, which keeps only those trips, refuses the feed)."""
    from maas.feeds.parse import parse_number

    west, south, east, north = area
    lat = parse_number(feed.column("stops.txt", "stop_lat")).values
    lon = parse_number(feed.column("stops.txt", "stop_lon")).values
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    ids = set(feed.column("stops.txt", "stop_id").astype(str)[inside])
    return bool(ids) and bool(feed.column("stop_times.txt", "stop_id").astype(str).isin(ids).any())


def check(folder: Path, name: str, area: tuple[float, float, float, float] | None = None) -> str | None:
    """Validate the unpacked feed; return its version; UpdateError when it has errors, has ended, or misses ``area``."""
    from maas.feeds.problems import has_errors
    from maas.feeds.reader import read_feed
    from maas.feeds.validate import validate_feed

    try:
        feed = read_feed(folder, name)
    except FeedError as exc:
        raise UpdateError(f"does not validate: {exc}") from None
    problems = validate_feed(feed)
    if has_errors(problems):
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0]
        raise UpdateError(f"does not validate: {len(errors)} error(s), first: {first.where()}: {first.message}")
    version, _, timezone = feed_facts(feed)
    v = validity(feed_span(feed), today_in(timezone))
    if v.ended:
        raise UpdateError(f"service has already ended: the new feed's last service date is {v.last}")
    if area is not None and not calls_inside(feed, area):
        raise UpdateError(f"no trip of the new feed calls inside the catalog's area {list(area)} (west, south, east, north)")
    return version


# --- swap -----------------------------------------------------------------------------


def _workspace_prefix(name: str) -> str:
    return f".{name}.update-"


def recover(root: Path, name: str) -> None:
    """Repair what an interrupted update left: put a set-aside feed back, remove leftovers."""
    for work in sorted(root.glob(_workspace_prefix(name) + "*")):
        old = work / "old"
        if old.is_dir() and not (root / name).exists():
            os.replace(old, root / name)
        shutil.rmtree(work, ignore_errors=True)


def swap(new: Path, target: Path, work: Path) -> None:
    """Put ``new`` in place of ``target``: old aside (into ``work``), new in, old removed last."""
    old = work / "old"
    had_old = target.exists()
    if had_old:
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if had_old:
            os.replace(old, target)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _locked(catalog_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on the catalog file while updating (two updates never interleave)."""
    with catalog_file.open("rb") as handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        except ImportError:  # not on POSIX: no lock
            pass
        yield


def update_feed(catalog: Catalog, entry: CatalogEntry, progress: bool = False) -> UpdateResult:
    """Download, check and swap one entry's feed (see the module docstring); never raises for a bad download."""
    if not entry.url:
        return UpdateResult(entry.name, "kept", "no url: kept as is")
    root = catalog.folder
    target = catalog.feed_path(entry)
    with _locked(catalog.path):
        recover(root, entry.name)
        work = Path(tempfile.mkdtemp(prefix=_workspace_prefix(entry.name), dir=root))
        try:
            source = download(entry.url, work / "download", root, progress, entry.name)
            new = work / "feed"
            new.mkdir()  # made with the usual permissions (mkdtemp's folder is private)
            unpack(source, new)
            version = check(new, entry.name, _area(entry))
            if target.is_dir() and tree_digest(target) == tree_digest(new):
                return UpdateResult(entry.name, "unchanged", f"unchanged: identical to {target}, nothing changed", version)
            swap(new, target, work)
            return UpdateResult(entry.name, "updated", f"updated: {target} now holds version {version or '(no feed_version)'}", version)
        except UpdateError as exc:
            return UpdateResult(entry.name, "failed", f"{exc}; the previous feed is kept as it was")
        except OSError as exc:
            return UpdateResult(entry.name, "failed", f"cannot write the new feed ({exc}); the previous feed is kept as it was")
        finally:
            shutil.rmtree(work, ignore_errors=True)


def update_feeds(catalog: Catalog, names: list[str] | None = None, progress: bool = False) -> list[UpdateResult]:
    """Update the named entries (all when none are named), in catalog order; unknown names raise CatalogError."""
    from maas.errors import CatalogError

    wanted = list(dict.fromkeys(names or []))
    unknown = [n for n in wanted if catalog.get(n) is None]
    if unknown:
        known = ", ".join(e.name for e in catalog.entries)
        raise CatalogError(f"{catalog.path}: no feed called {', '.join(repr(n) for n in unknown)} (the catalog has {known})")
    entries = [e for e in catalog.entries if not wanted or e.name in wanted]
    return [update_feed(catalog, e, progress) for e in entries]
