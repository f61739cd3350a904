"""Helpers for catalog and update tests: small feeds with chosen service dates, catalogs, a loopback HTTP server.

Feeds are the minimal valid feed of ``tests/feeds/conftest.py`` with its
calendar moved to the dates a test needs and a ``feed_info.txt`` carrying a
version, so that ``maas feeds list`` and ``update`` can be checked exactly.
Everything is written under a test's tmp_path: the real ``gtfs/`` is never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

from tests.feeds.conftest import VALID_FEED, FeedText

TODAY = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()  # the feeds' zone is Asia/Tokyo (UTC+9, no DST)


def feed_text(first: dt.date, last: dt.date, version: str = "v1") -> FeedText:
    """The minimal valid feed running every day from ``first`` to ``last``, with feed_info version ``version``."""
    text = FeedText(VALID_FEED)
    text.set(
        "calendar.txt",
        f"service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,1,1,{first:%Y%m%d},{last:%Y%m%d}\n",
    )
    text.set(
        "feed_info.txt",
        f"feed_publisher_name,feed_publisher_url,feed_lang,feed_version\nTest Publisher,https://example.com,ja,{version}\n",
    )
    return text


def days(n: int) -> dt.date:
    """Today (in Japan) plus ``n`` days."""
    return TODAY + dt.timedelta(days=n)


def write_catalog(folder: Path, entries: list[dict]) -> Path:
    """Write ``folder/feeds.toml`` with one ``[[feed]]`` per dict (values written as TOML strings)."""
    lines = []
    for e in entries:
        lines.append("[[feed]]")
        for key, value in e.items():
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{key} = "{escaped}"')
        lines.append("")
    path = folder / "feeds.toml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def zip_feed(text: FeedText, path: Path, top_folder: str | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """Write ``text`` as a zip (files optionally under ``top_folder/``), plus ``extra`` members as given."""
    text.write(path, as_zip=True, top_folder=top_folder)
    if extra:
        with zipfile.ZipFile(path, "a") as zf:
            for name, data in extra.items():
                zf.writestr(name, data)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes), to prove a folder is unchanged byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # `format`: the base class's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) in a thread; yield the base url."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def unused_port_url() -> str:
    """A loopback url where nothing listens (the port is bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.zip"
