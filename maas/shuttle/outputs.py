"""Files the shuttle planner writes: the runs as a checked GTFS feed, and the optimizer's proposal folder.

The feed is the one :mod:`maas.shuttle.feed` builds, written ``<stem>.txt``
file by file, checked with the feed validator and put in place atomically;
the proposal folder holds that feed, the proposal as a scenario
(``scenario.yaml``, the input with ``runs_feed: shuttle``), the comparison
with the input (``comparison.json`` / ``.txt``) and ``optimize.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from maas.defaults import data_root
from maas.errors import FeedError
from maas.feeds.problems import has_errors
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from maas.shuttle.feed import Tables, shuttle_tables, table_files
from maas.shuttle.model import Run
from maas.shuttle.schema import Scenario


def write_tables(folder: Path, tables: Tables) -> Path:
    """Write GTFS tables as ``<stem>.txt`` files (see :func:`maas.shuttle.feed.table_files`) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in table_files(tables).items():
        (folder / name).write_bytes(data)
    return folder


def write_shuttle_feed(folder: str | Path, scenario: Scenario, runs: list[Run], *, timezone: str = "Asia/Tokyo", note: str = "", check: bool = True) -> Path:
    """Write the runs as a GTFS feed folder, replacing it atomically; check it with the feed validator.

    Raises :class:`FeedError` when the written feed has errors (never expected).
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        write_tables(tmp, shuttle_tables(scenario, runs, timezone=timezone, note=note))
        if check:
            problems = validate_feed(read_feed(tmp, folder.name))
            if has_errors(problems):
                listing = "; ".join(f"{p.where()}: {p.message}" for p in problems if p.severity == "error")
                raise FeedError(f"the written shuttle feed has errors: {listing}", problems)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def portable_path(path: Path) -> str:
    """Return a path relative to the repository when inside it, else absolute."""
    try:
        return path.resolve().relative_to(data_root().resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def proposal_scenario_text(scenario: Scenario, rail_paths: tuple[Path, ...], description: str, feed_folder: str) -> str:
    """Return the YAML of a proposal as a scenario: the input with ``runs_feed`` = the written feed."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.pop("runs", None)
    data["name"] = f"{scenario.name}-optimized"
    data["description"] = description
    data["runs_feed"] = feed_folder
    data["rail_feeds"] = [portable_path(p) for p in rail_paths]
    head = (
        f"# Proposed by `maas shuttle optimize` on {dt.date.today().isoformat()} from {scenario.source}.\n"
        "# The runs are in the GTFS feed named by runs_feed; demand, fleet and rules are the input's\n"
        "# (see the input scenario for which values are facts and which are assumptions).\n"
    )
    order = ["name", "description", "date", "rail_feeds", "runs_feed", "service", "stops", "demand", "fleet", "rules", "optimize"]
    ordered = {k: data[k] for k in order if k in data}
    return head + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=120)


def write_json(path: Path, doc: Any) -> Path:
    """Write one JSON document (UTF-8, Japanese kept readable, indented)."""
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_text(path: Path, text: str) -> Path:
    """Write text (UTF-8) with a final newline."""
    path.write_text(text + "\n", encoding="utf-8")
    return path


__all__ = ["portable_path", "proposal_scenario_text", "write_json", "write_shuttle_feed", "write_tables", "write_text"]
