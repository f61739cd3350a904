"""Keep compiled timetables on disk, keyed by the exact bytes of their feeds.

The key is a SHA-256 over each feed's content digest, its short name and the
compiler version, so any change to a feed file recompiles and an unchanged set
loads in a fraction of a second.  Files are written atomically: a crash never
leaves a half-written cache entry behind.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from maas.feeds.problems import Problem
from maas.feeds.reader import feed_digest, feed_name_for
from maas.timetable.compile import COMPILER_VERSION, compile_feeds, load_feeds
from maas.timetable.model import Timetable


def default_cache_dir() -> Path:
    """Return ``$MAAS_CACHE_DIR``, else ``$XDG_CACHE_HOME/maas``, else ``~/.cache/maas``."""
    if os.environ.get("MAAS_CACHE_DIR"):
        return Path(os.environ["MAAS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "maas"


def unique_names(paths: Sequence[str | Path]) -> list[str]:
    """Return each feed's short name, made unique in load order (``bus``, ``bus-2``)."""
    names, used = [], set()
    for p in paths:
        base = feed_name_for(Path(p))
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        names.append(name)
    return names


def cache_key(paths: Sequence[str | Path], names: Sequence[str]) -> str:
    """Return the cache key of a set of feeds (content, names, compiler version)."""
    h = hashlib.sha256(f"maas-timetable-v{COMPILER_VERSION}".encode())
    for path, name in zip(paths, names):
        h.update(name.encode() + b"\0" + feed_digest(path).encode() + b"\0")
    return h.hexdigest()[:32]


def load_timetable(
    paths: Sequence[str | Path],
    names: Sequence[str] | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool | None = None,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> Timetable:
    """Return the compiled timetable of ``paths``, from the cache when possible.

    Raises :class:`~maas.errors.FeedError` when a feed has errors (nothing is
    cached then).
    """
    names = list(names) if names else unique_names(paths)
    directory = Path(cache_dir) if cache_dir else default_cache_dir()
    key = cache_key(paths, names)
    file = directory / f"timetable-{key}.pickle"
    if use_cache and file.exists():
        try:
            with file.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # unreadable entry: rebuild it
    timetable = compile_feeds(load_feeds(paths, names), progress=progress, on_problems=on_problems)
    if use_cache:
        _write_atomically(file, timetable)
    return timetable


def _write_atomically(file: Path, timetable: Timetable) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(timetable, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except OSError:
        # A read-only or full disk must not stop planning: run without the cache.
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass
