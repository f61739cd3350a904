"""Build the committed default feeds under gtfs/ from the shared facts.

Usage (from the repository root):  python gtfs/_build/build_feeds.py

Reads ../shared/data (or $MAAS_SHARED_DATA) and writes gtfs/jr, gtfs/bus and
gtfs/techno-shuttle.  Deterministic: the same inputs give byte-identical files.
Each feed is checked (common.check_feed) before anything is written, and each
feed directory is replaced as a whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GTFS_DIR, check_feed, to_csv_text, write_dir_atomic  # noqa: E402

import bus  # noqa: E402
import jr  # noqa: E402
import scenarios  # noqa: E402
import shuttle  # noqa: E402


def main() -> int:
    built = {"jr": jr.build(), "bus": bus.build(), "techno-shuttle": shuttle.build()}
    for name, tables in built.items():
        check_feed(name, tables)
    for name, tables in built.items():
        files = {fn: to_csv_text(header, rows) for fn, (header, rows) in tables.items()}
        write_dir_atomic(GTFS_DIR / name, files)
        counts = {fn: len(rows) for fn, (h, rows) in tables.items()}
        print(f"{name}: " + ", ".join(f"{k.removesuffix('.txt')}={v}" for k, v in sorted(counts.items())))
    if not scenarios.run(verbose=False):
        print("journey self-check failed (see above)", file=sys.stderr)
        return 1
    print("journey self-check: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
