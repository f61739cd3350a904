"""Scenario documents over HTTP: validation (with a guard on file paths), evaluation, the built-in trial."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from maas.defaults import data_root
from maas.errors import InputError

if TYPE_CHECKING:  # the shuttle library is imported when a scenario is evaluated, not at start-up
    from api.store import ScenarioStore
    from maas.shuttle.schema import Scenario
    from maas.shuttle.timetable import Timetables

#: Scenario files offered in an empty store, so the map's shuttle page has something to show.
BUILT_IN = {"trial 2019-20 (council report)": "scenarios/trial-2019.yaml"}


def _check_paths(doc: dict) -> None:
    """Refuse feed paths outside the service's data folder (no absolute paths, no '..')."""
    root = (data_root() / "gtfs").resolve()
    paths = [("rail_feeds", p) for p in doc.get("rail_feeds") or []] if isinstance(doc.get("rail_feeds"), list) else []
    if isinstance(doc.get("runs_feed"), str):
        paths.append(("runs_feed", doc["runs_feed"]))
    for field, text in paths:
        if not isinstance(text, str):
            continue
        p = Path(text)
        if p.is_absolute() or ".." in p.parts or not (data_root() / p).resolve().is_relative_to(root):
            raise InputError(f"{field}: '{text}' is not a feed of this service; use a folder under gtfs/ such as gtfs/jr", field)


def scenario_of(doc: dict) -> Scenario:
    """Validate a scenario document (the same rules as a scenario file)."""
    from maas.shuttle.scenario import scenario_from_dict

    if not isinstance(doc, dict):
        raise InputError("scenario: expected a JSON object", "scenario")
    _check_paths(doc)
    return scenario_from_dict(doc, source="scenario", base_dir=data_root())


def evaluation_document(doc: dict, timetables: Timetables | None = None) -> dict:
    """Evaluate a scenario document: the ``maas shuttle evaluate --json`` document plus diagram data.

    ``timetables`` keeps the compiled trains between requests (the service's :attr:`~api.state.ServiceState.shuttle_timetables`).
    """
    from maas.shuttle.diagram import diagram_data
    from maas.shuttle.evaluate import evaluate_scenario

    ev = evaluate_scenario(scenario_of(doc), timetables=timetables)
    return {"evaluation": ev.to_dict(), "diagram": diagram_data(ev)}


def seed(store: ScenarioStore) -> None:
    """Store the built-in scenarios when the store is empty (parsed like a scenario file: clock values stay text).

    The store runs it once (``on_ready``), when its database first answers: at start-up, or later if it is down then.
    """
    from maas.shuttle.scenario import scenario_data

    if store.list():
        return
    for name, rel in BUILT_IN.items():
        path = data_root() / rel
        if path.exists():
            data = scenario_data(path.read_text(encoding="utf-8-sig"), str(path))
            # Dates read by YAML become text, as in a JSON request.
            store.create(name, json.loads(json.dumps(data, default=str)))
