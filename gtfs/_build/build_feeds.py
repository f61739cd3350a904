"""Build the committed default feeds under gtfs/ from the shared facts.

Usage (from the repository root, with the project's environment):

    .venv/bin/python gtfs/_build/build_feeds.py               # writes gtfs/jr, gtfs/bus, gtfs/techno-shuttle
    .venv/bin/python gtfs/_build/build_feeds.py --out DIR     # writes DIR/jr, DIR/bus, DIR/techno-shuttle

Reads ../shared/data (or $MAAS_SHARED_DATA) and the official feed in
gtfs/jrbus (never written).  Deterministic: the same inputs give
byte-identical files (tests/data/test_rebuild.py rebuilds and compares).
Before anything is written to the output folder, every feed is written to a
staging folder, read back by maas's reader and checked by maas's own checker
(checks.py), compiled by maas, and the journeys of scenarios.py are planned on
it by maas's planner; then each feed folder is replaced as a whole.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

import bus  # noqa: E402
import jr  # noqa: E402
import shuttle  # noqa: E402
from checks import BuildCheckError, check_feed  # noqa: E402
from common import GTFS_DIR, to_csv_text, write_dir_atomic  # noqa: E402

import scenarios  # noqa: E402
from maas import read_feed  # noqa: E402
from maas.feeds.reader import Feed  # noqa: E402

Tables = dict[str, tuple[Sequence[str], list[dict]]]


def build_tables() -> dict[str, Tables]:
    """Return every project-made feed as {feed: {filename: (header, rows)}}."""
    return {"jr": jr.build(), "bus": bus.build(), "techno-shuttle": shuttle.build()}


def feed_files(tables: Tables) -> dict[str, str]:
    """Return a feed's files as the text written to disk."""
    return {fn: to_csv_text(header, rows) for fn, (header, rows) in tables.items()}


def verify(built: dict[str, dict[str, str]]) -> list[Feed] | None:
    """Write the feeds to a staging folder, read them back with maas and check them; return them, or None after saying why."""
    with tempfile.TemporaryDirectory(prefix="maas-build-") as staging:
        feeds = []
        for name, files in built.items():
            write_dir_atomic(Path(staging) / name, files)
            feeds.append(read_feed(Path(staging) / name, name))
        try:
            for feed in feeds:
                check_feed(feed)
        except BuildCheckError as exc:
            print(exc, file=sys.stderr)
            return None
        if not scenarios.run(scenarios.planner_for_folder(Path(staging)), verbose=False):
            print("journey self-check failed (see above); nothing written", file=sys.stderr)
            return None
    return feeds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=GTFS_DIR, help="folder to write the feed folders into (default: gtfs/)")
    args = ap.parse_args(argv)
    built = {name: feed_files(tables) for name, tables in build_tables().items()}
    feeds = verify(built)
    if feeds is None:
        return 1
    for feed in feeds:
        write_dir_atomic(args.out / feed.name, built[feed.name])
        counts = {fn.removesuffix(".txt"): len(table) for fn, table in sorted(feed.tables.items())}
        print(f"{feed.name}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    print("checked by maas (no problems), journey self-check: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
