"""The public API (``import maas``): cheap to import, complete, documented, and raising only maas.errors types."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from numpydoc.validate import validate

import maas
from maas.errors import MaasError

#: Packages `import maas` and `maas --help` must not load: the solvers, the compiled kernels, the geometry stack.
HEAVY = ("ortools", "numba", "geopandas")

#: numpydoc checks every public name passes: a docstring with a summary line, every parameter
#: documented (and none that does not exist), a Returns section for what returns a value.
CHECKS = {"GL08", "SS01", "SS03", "PR01", "PR02", "RT01"}
#: Fields documented in another layout on purpose: the timetable's ~70 arrays are listed in its
#: class docstring grouped by kind (stops, routes, trips, ...), each with dtype and units; the
#: scenario's fields (a pydantic model) each carry a Field description, which is what the JSON
#: Schema (scenarios/scenario.schema.json) and scenarios/README.md show.
LAYOUT_EXEMPT = {("Timetable", "PR01"), ("Scenario", "PR01")}

DATE = dt.date(2026, 12, 1)
NO_SERVICE = dt.date(2040, 1, 1)


def modules_after(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the names of the modules it loaded."""
    probe = f"{code}\nimport json, sys\nprint('MODULES=' + json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1]).stdout
    line = next(x for x in out.splitlines() if x.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES=")))


def heavy_in(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_import_maas_loads_only_the_package_and_its_errors():
    """`import maas` imports no solver, kernel, geometry or data library: names load on first use."""
    loaded = modules_after("import maas")
    assert heavy_in(loaded) == set()
    assert {m for m in loaded if m == "maas" or m.startswith("maas.")} == {"maas", "maas.errors"}
    assert not {"numpy", "pandas", "pydantic"} & loaded


@pytest.mark.parametrize("args", [["--help"], ["tour", "--help"], ["shuttle", "--help"], ["plan", "--help"]], ids=" ".join)
def test_cli_help_does_not_load_the_solvers(args):
    """`maas --help` (and a command's --help) answers without OR-Tools, numba or geopandas."""
    code = f"from maas.cli.main import app\ntry:\n    app({args!r})\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code"
    assert heavy_in(modules_after(code)) == set()


def test_first_use_loads_the_name_from_its_module():
    """A lazy name is the very object of its defining module, and then kept on the package."""
    assert "maas.tours.planner" in modules_after("import maas\nmaas.TourPlanner")  # loaded now, not by import maas
    assert maas.TourPlanner is importlib.import_module("maas.tours.planner").TourPlanner
    assert "TourPlanner" in vars(maas)


def test_every_public_name_resolves_and_is_listed():
    """Each name of __all__ resolves, dir(maas) lists them, `from maas import *` gives them all."""
    assert len(maas.__all__) == len(set(maas.__all__))
    for name in maas.__all__:
        assert getattr(maas, name) is not None, name
    assert set(maas.__all__) <= set(dir(maas))
    namespace: dict[str, object] = {}
    exec("from maas import *", namespace)  # noqa: S102 - the star import is what is tested
    assert set(maas.__all__) <= set(namespace)


def test_unknown_names_are_attribute_errors():
    """A name that is not public is an AttributeError (so hasattr and getattr defaults work)."""
    assert not hasattr(maas, "no_such_name")
    with pytest.raises(AttributeError, match="no_such_name"):
        maas.no_such_name  # noqa: B018


def test_package_ships_its_type_marker():
    """py.typed is in the package and declared as package data (PEP 561)."""
    root = Path(maas.__file__).parent
    assert (root / "py.typed").is_file()
    pyproject = (root.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'maas = ["py.typed"]' in pyproject


@pytest.mark.parametrize("name", [n for n in maas.__all__ if not n.startswith("__")])
def test_public_names_have_numpydoc_docstrings(name):
    """Every public function and class has a numpydoc docstring: summary, every parameter, what it returns."""
    obj = getattr(maas, name)
    found = validate(f"{obj.__module__}.{obj.__qualname__}")
    errors = [f"{code}: {message}" for code, message in found["errors"] if code in CHECKS and (name, code) not in LAYOUT_EXEMPT]
    assert not errors, f"maas.{name} ({obj.__module__}): " + "; ".join(errors)


# --- bad input at the edges: only maas.errors types come out ---------------------------------------


@pytest.fixture(scope="module")
def shuttle_eval():
    """The trial scenario's evaluation (for asking it about a run it does not have)."""
    root = Path(__file__).parents[1]
    return maas.evaluate_scenario(maas.load_scenario(root / "scenarios" / "trial-2019.yaml"))


def _query(places: maas.PlaceIndex, **kw: object) -> maas.JourneyQuery:
    return maas.JourneyQuery(places.resolve("Shin-Yamaguchi"), places.resolve("Ajisu"), kw.pop("date", DATE), maas.parse_clock("07:00"), **kw)


def _bad_geojson(tmp: Path) -> Path:
    path = tmp / "pois.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "x"}}]}', encoding="utf-8")
    return path


#: (what is called, the maas.errors type expected, the field it must name or None).
CASES: list[tuple[str, Callable[..., object], type[MaasError], str | None]] = [
    ("load_network: missing feed", lambda ctx: maas.load_network(["/no/such/feed"]), maas.InputError, "feed"),
    ("load_timetable: no feeds", lambda ctx: maas.load_timetable([], cache_dir=ctx["tmp"]), maas.InputError, "feed"),
    ("read_feed: not a feed", lambda ctx: maas.read_feed(Path(maas.__file__)), maas.FeedError, None),
    ("load_pois: property missing", lambda ctx: maas.load_pois(_bad_geojson(ctx["tmp"])), maas.InputError, "name_ja"),
    ("load_pois: a folder", lambda ctx: maas.load_pois(ctx["tmp"]), maas.InputError, "pois"),
    ("parse_clock: not a time", lambda ctx: maas.parse_clock("7:99"), maas.InputError, "time"),
    ("WalkModel: zero speed", lambda ctx: maas.WalkModel(speed_m_s=0), maas.InputError, "walk_speed"),
    ("PlaceIndex.resolve: unknown", lambda ctx: ctx["places"].resolve("Atlantis Central", "from"), maas.PlaceNotFoundError, "from"),
    ("JourneyQuery: window", lambda ctx: _query(ctx["places"], window_s=10**6), maas.InputError, "window"),
    ("RoutingParams: transfers", lambda ctx: maas.RoutingParams(max_transfers=-1), maas.InputError, "max_transfers"),
    ("Planner.plan: no service", lambda ctx: ctx["planner"].plan(_query(ctx["places"], date=NO_SERVICE)), maas.InputError, "date"),
    ("RoutingParams: unknown mode", lambda ctx: maas.RoutingParams(modes={"rail", "hovercraft"}), maas.InputError, "modes"),
    ("reach: no service", lambda ctx: maas.reach(ctx["planner"], ctx["places"].resolve("Ajisu"), NO_SERVICE, 8 * 3600, 30), maas.InputError, "date"),
    ("reach: negative budget", lambda ctx: maas.reach(ctx["planner"], ctx["places"].resolve("Ajisu"), DATE, 8 * 3600, -5), maas.InputError, "minutes"),
    (
        "travel_minutes: no service",
        lambda ctx: maas.travel_minutes(ctx["planner"], [ctx["places"].resolve("Ajisu")], [ctx["places"].resolve("Ube")], NO_SERVICE, 8 * 3600),
        maas.InputError,
        "date",
    ),
    ("DepartureWindow: empty", lambda ctx: maas.DepartureWindow(DATE, 8 * 3600, 0), maas.InputError, "window"),
    (
        "travel_time_matrix: percentile",
        lambda ctx: maas.travel_time_matrix(ctx["planner"], [], [], maas.DepartureWindow(DATE, 8 * 3600), percentiles=[101]),
        maas.InputError,
        "percentiles",
    ),
    ("mesh_cells: unknown level", lambda ctx: maas.mesh_cells(9), maas.InputError, "origins"),
    ("read_locations: missing file", lambda ctx: maas.read_locations(ctx["tmp"] / "none.csv", ctx["places"], "origins"), maas.InputError, "origins"),
    ("tour_request: no date", lambda ctx: maas.tour_request({"start": "Hagi"}), maas.InputError, "date"),
    (
        "TourPlanner.plan: unknown POI",
        lambda ctx: maas.TourPlanner(ctx["planner"], ctx["places"]).plan(
            maas.tour_request({"start": "Hagi", "date": "2026-12-05", "must_visit": ["no such temple anywhere"]})
        ),
        maas.PlaceNotFoundError,
        "must_visit",
    ),
    ("load_scenario: missing file", lambda ctx: maas.load_scenario("/no/such/scenario.yaml"), maas.InputError, "scenario"),
    ("scenario_from_dict: no runs", lambda ctx: maas.scenario_from_dict({"name": "x"}), maas.InputError, None),
    ("Evaluation.run: unknown run", lambda ctx: ctx["evaluation"]().run("no_such_run"), maas.NotFoundError, "run"),
]


@pytest.mark.parametrize(("call", "expected", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_only_maas_errors(call, expected, field, default_planner, default_places, tmp_path, request):
    """Each public entry given bad input raises its maas.errors type, also the builtin callers catch, naming the field."""
    ctx = {"planner": default_planner, "places": default_places, "tmp": tmp_path, "evaluation": lambda: request.getfixturevalue("shuttle_eval")}
    with pytest.raises(MaasError) as caught:
        call(ctx)
    exc = caught.value
    assert type(exc) is expected, f"{type(exc).__name__}: {exc}"
    assert isinstance(exc, ValueError | KeyError)
    assert str(exc).strip(), "the message says what is wrong"
    if field is not None:
        assert exc.field == field, str(exc)
    assert inspect.getmodule(type(exc)) is importlib.import_module("maas.errors")
