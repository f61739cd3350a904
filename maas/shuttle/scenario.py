"""Read a shuttle scenario (YAML or JSON) and check it completely.

:func:`load_scenario` reads a file; :func:`scenario_from_dict` checks plain
data (a JSON request).  The schema is :mod:`maas.shuttle.schema` (its names
are importable from here too), the checks across fields
:mod:`maas.shuttle.checks`; stops given by id alone are completed from the
default feeds (:mod:`maas.shuttle.stops`).  Every problem is reported with
the path of the field at fault (``runs[1].calls[2].time``) as one
:class:`~maas.errors.InputError`, so the command line ends with a message and
exit status 2, never a traceback.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from maas.errors import InputError
from maas.shuttle.checks import check_scenario
from maas.shuttle.schema import (
    CallSpec,
    Clock,
    DemandGroup,
    DemandSpec,
    FleetSpec,
    OptimizeSpec,
    OriginSpec,
    ParkSpec,
    RoadTimeSpec,
    RulesSpec,
    RunSpec,
    Scenario,
    ServiceSpec,
    ShiftSpec,
    StopSpec,
    WeightsSpec,
    scenario_json_schema,
)
from maas.shuttle.stops import StopCatalogue, default_catalogue, fill_stops


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.1 would read ``17:50`` as the base-60 integer 1070: keep clock-like scalars as text."""


_YamlLoader.yaml_implicit_resolvers = copy.deepcopy(yaml.SafeLoader.yaml_implicit_resolvers)
for _first in "0123456789":
    _YamlLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(0, ("tag:yaml.org,2002:str", re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")))


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file (YAML, or JSON by its ``.json`` suffix).

    The format is ``scenarios/README.md`` (JSON Schema:
    ``scenarios/scenario.schema.json``); clock times such as ``17:50`` stay
    times even unquoted.  Relative paths in the file are resolved against its
    folder first.

    Parameters
    ----------
    path
        The scenario file.

    Returns
    -------
    Scenario
        The checked scenario.

    Raises
    ------
    InputError
        The file cannot be read, is not YAML / JSON, or has fields at fault;
        the message names every one (``runs[2].calls[0].time: ...``).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such scenario file", "scenario") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a scenario file", "scenario") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the scenario file is not UTF-8 text", "scenario") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the scenario ({exc.strerror})", "scenario") from None
    return scenario_from_text(text, source=str(path), base_dir=path.resolve().parent, json_text=path.suffix.lower() == ".json")


def scenario_from_text(text: str, source: str = "scenario", base_dir: Path | None = None, json_text: bool = False) -> Scenario:
    """Parse scenario text (YAML unless ``json_text``) and check it."""
    return scenario_from_dict(scenario_data(text, source, json_text), source=source, base_dir=base_dir)


def scenario_data(text: str, source: str = "scenario", json_text: bool = False) -> dict:
    """Parse scenario text (YAML unless ``json_text``) into plain data, clock values kept as text; not yet checked."""
    try:
        data = json.loads(text) if json_text else yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", "scenario") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{source}: not valid YAML{where}: {problem}", "scenario") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: a scenario is a mapping of fields (name, date, stops, runs, demand, ...), not {type(data).__name__}", "scenario")
    return data


def scenario_from_dict(data: dict, source: str = "scenario", base_dir: Path | None = None, catalogue: StopCatalogue | None = None) -> Scenario:
    """Check a scenario given as plain data (as read from YAML or JSON).

    Parameters
    ----------
    data
        The scenario's fields (``scenarios/README.md``).
    source
        Where the data comes from, named in messages.
    base_dir
        The folder relative paths are resolved against first.
    catalogue
        Completes stops given by id alone (default: the default feeds' stops).

    Returns
    -------
    Scenario
        The checked scenario.

    Raises
    ------
    InputError
        A field is missing or at fault; the message names every one.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        issues = [_issue_of(err) for err in exc.errors()]
        raise _issues_error(source, issues) from None
    scenario._source = source
    scenario._base_dir = base_dir
    catalogue = catalogue or default_catalogue()
    fill_stops(scenario, catalogue)
    issues = check_scenario(scenario, catalogue.describe())
    if issues:
        raise _issues_error(source, issues)
    return scenario


def _issue_of(err: Mapping[str, Any]) -> tuple[str, str]:
    path = field_path(err.get("loc", ()))
    msg = str(err.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        msg = "unknown field (see scenarios/README.md for the fields)"
    elif kind == "missing":
        msg = "required field is missing"
    elif "input" in err and kind not in ("value_error",) and not isinstance(err["input"], dict | list):
        msg = f"{msg} (got {err['input']!r})"
    return path, msg


def field_path(loc: tuple | list) -> str:
    """Return ``runs[1].calls[2].time`` for the pydantic location ``('runs', 1, 'calls', 2, 'time')``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = "from" if part == "from_" else str(part)
            out += ("." if out else "") + part
    return out or "scenario"


def _issues_error(source: str, issues: list[tuple[str, str]]) -> InputError:
    lines = [f"{path}: {msg}" for path, msg in issues]
    head = f"{source}: {lines[0]}"
    if len(lines) > 1:
        head += f"\n  ... and {len(lines) - 1} more problem(s):\n" + "\n".join(f"  {line}" for line in lines[1:])
    return InputError(head, issues[0][0])


def with_runs(scenario: Scenario, runs: list[RunSpec] | None = None, runs_feed: str | None = None, name: str | None = None) -> Scenario:
    """Return a copy of the scenario with another shuttle timetable (and name), same base folder, checked again."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["runs"] = [r.model_dump(mode="json", exclude_none=True) for r in runs] if runs is not None else None
    data["runs_feed"] = runs_feed
    if name:
        data["name"] = name
    data = {k: v for k, v in data.items() if v is not None}
    return scenario_from_dict(data, source=scenario.source, base_dir=scenario.base_dir)


__all__ = [
    "CallSpec",
    "Clock",
    "DemandGroup",
    "DemandSpec",
    "FleetSpec",
    "OptimizeSpec",
    "OriginSpec",
    "ParkSpec",
    "RoadTimeSpec",
    "RulesSpec",
    "RunSpec",
    "Scenario",
    "ServiceSpec",
    "ShiftSpec",
    "StopSpec",
    "WeightsSpec",
    "field_path",
    "load_scenario",
    "scenario_data",
    "scenario_from_dict",
    "scenario_from_text",
    "scenario_json_schema",
    "with_runs",
]
