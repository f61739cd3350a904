"""Every third-party module the code imports is declared in pyproject.toml, with a lower bound.

The code is read, never imported: every ``import x`` / ``from x import y``
(absolute, anywhere in a file) of the library (``maas/``, ``api/``), the data
builds (``gtfs/_build``, ``pois/_build``), the benchmarks (``bench/``) and the
notebooks' code cells.  An import name is mapped to the distribution that
provides it (``importlib.metadata.packages_distributions()``).

Where a distribution must be declared:

- the library's imports in ``[project] dependencies``, except the optional
  modules of :data:`OPTIONAL`, which the library uses only when installed and
  which belong to their extra;
- the data builds', the benchmarks' and the notebooks' imports in
  ``dependencies`` or in an extra that ``dev.py`` installs (``EXTRAS``, so
  ``python3 dev.py test`` and ``bench`` have them).  The benchmarks need no
  extra of their own: numba comes with ``fast`` and the peer planners
  (pyraptor) are installed by ``bench/peers/harness.py`` into their own
  virtualenv, where ``bench/peers/pyraptor_runner.py`` runs.

Also: every requirement of ``pyproject.toml`` has a ``>=`` lower bound, and
every main dependency is imported by some of that code (a dependency nobody
imports is dead weight), unless :data:`NOT_IMPORTED` says why it is needed.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("maas", "api")
TOOLS = ("gtfs/_build", "pois/_build", "bench")
NOTEBOOKS = "notebooks"
FIRST_PARTY = frozenset({"maas", "api", "tests", "bench", "gtfs", "pois"})
#: Files run by another interpreter than the project's: their imports are not the project's dependencies.
OTHER_INTERPRETER = {
    "bench/peers/pyraptor_runner.py": "runs inside the pinned pyraptor virtualenv that bench/peers/harness.py installs",
}
#: Import name -> the extra that declares it, for modules the library uses only when installed.
OPTIONAL = {"numba": "fast"}  # maas/_jit.py compiles with numba when find_spec finds it, else runs plain Python
#: Main dependencies no code imports, and why they are declared all the same.
NOT_IMPORTED: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    """One imported top-level module name, where it is imported."""

    name: str
    where: str


def _normalize(distribution: str) -> str:
    """Return a distribution name in its canonical form (PEP 503: lower case, runs of -_. as -)."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _imports_in(source: str, where: str) -> Iterator[Import]:
    """Yield the top-level module names a piece of Python source imports absolutely."""
    for node in ast.walk(ast.parse(source, where)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name.split(".")[0], f"{where}:{node.lineno}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield Import(node.module.split(".")[0], f"{where}:{node.lineno}")


def _is_local(name: str, path: Path, top: Path) -> bool:
    """Return True when ``name`` is a module of the scripts' own folders: beside ``path`` or in a folder above it up to ``top``.

    Build scripts and benchmarks put their folder on ``sys.path`` and import
    their helpers by bare name (``import common``, ``from peers import ...``).
    """
    folder = path.parent
    while True:
        if (folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file():
            return True
        if folder == top or top not in folder.parents:
            return False
        folder = folder.parent


def _third_party(imports: Iterator[Import], path: Path | None = None, top: Path | None = None) -> Iterator[Import]:
    """Keep the imports that are neither standard library, first party, nor the scripts' own modules."""
    for imp in imports:
        if imp.name in sys.stdlib_module_names or imp.name in FIRST_PARTY or imp.name == "__future__":
            continue
        if path is not None and top is not None and _is_local(imp.name, path, top):
            continue
        yield imp


def python_imports(folder: str) -> list[Import]:
    """Return the third-party imports of every ``.py`` file under ``folder`` (work folders and other interpreters' files left out)."""
    out: list[Import] = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in OTHER_INTERPRETER or "_work" in path.parts or ".venv" in path.parts:
            continue
        out += _third_party(_imports_in(path.read_text(encoding="utf-8"), rel), path, ROOT / folder)
    return out


def notebook_imports() -> list[Import]:
    """Return the third-party imports of the notebooks' code cells (IPython magics and shell lines left out)."""
    out: list[Import] = []
    for path in sorted((ROOT / NOTEBOOKS).glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for n, cell in enumerate(cells, start=1):
            if cell["cell_type"] != "code":
                continue
            lines = "".join(cell["source"]).splitlines()
            source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
            out += _third_party(_imports_in(source, f"{path.relative_to(ROOT).as_posix()} cell {n}"))
    return out


@cache
def distributions_of() -> dict[str, list[str]]:
    """Return import name -> the installed distributions that provide it."""
    return importlib.metadata.packages_distributions()


def distribution(name: str) -> str:
    """Return the canonical distribution name of an import name (the name itself when nothing installed provides it)."""
    found = distributions_of().get(name)
    return _normalize(found[0] if found else name)


@dataclass(frozen=True)
class Requirement:
    """One requirement line of pyproject.toml: canonical name, version specifier, and where it is."""

    name: str
    specifier: str
    group: str  # "dependencies" or the extra's name


def _requirement(text: str, group: str) -> Requirement:
    m = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?", text)
    assert m, f"pyproject.toml [{group}]: cannot read requirement {text!r}"
    return Requirement(_normalize(m.group(1)), m.group(3).strip(), group)


@cache
def requirements() -> tuple[Requirement, ...]:
    """Return every requirement of pyproject.toml: the main dependencies, then each extra's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = [_requirement(r, "dependencies") for r in project.get("dependencies", [])]
    for extra, reqs in project.get("optional-dependencies", {}).items():
        out += [_requirement(r, extra) for r in reqs]
    return tuple(out)


def dev_extras() -> set[str]:
    """Return the extras ``dev.py`` installs (its ``EXTRAS = "test,fast"``)."""
    tree = ast.parse((ROOT / "dev.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "EXTRAS" for t in node.targets):
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            return {e.strip() for e in node.value.value.split(",") if e.strip()}
    raise AssertionError("dev.py has no EXTRAS = '...' naming the extras it installs")


def declared_in(groups: set[str]) -> set[str]:
    """Return the canonical names of the distributions required in any of ``groups``."""
    return {r.name for r in requirements() if r.group in groups}


def _undeclared(imports: list[Import], allowed: set[str]) -> list[str]:
    return sorted(
        {f"{imp.name} (distribution {distribution(imp.name)}, first imported at {imp.where})" for imp in imports if distribution(imp.name) not in allowed}
    )


def test_every_requirement_has_a_lower_bound() -> None:
    """Each requirement line, main or extra, says the oldest version it works with (``>=``)."""
    unbounded = [f"[{r.group}] {r.name} {r.specifier or '(no version)'}" for r in requirements() if not re.search(r">=\s*\d", r.specifier)]
    assert unbounded == []


def test_library_imports_are_main_dependencies() -> None:
    """maas/ and api/ import only what installing maas brings (optional modules: their extra)."""
    imports = [imp for folder in LIBRARY for imp in python_imports(folder)]
    assert {imp.name for imp in imports} >= {"numpy", "fastapi"}, "the scan found none of the library's known imports"
    required = [imp for imp in imports if imp.name not in OPTIONAL]
    assert _undeclared(required, declared_in({"dependencies"})) == []
    for name, extra in OPTIONAL.items():
        assert distribution(name) in declared_in({extra}), f"{name} is optional in the library: declare it in the [{extra}] extra"


def test_build_bench_and_notebook_imports_are_declared() -> None:
    """The data builds, the benchmarks and the notebooks import only what ``dev.py`` installs."""
    imports = [imp for folder in TOOLS for imp in python_imports(folder)] + notebook_imports()
    assert {imp.name for imp in imports} >= {"jpholiday", "geopandas"}, "the scan found none of the tools' known imports"
    assert _undeclared(imports, declared_in({"dependencies"} | dev_extras())) == []


def test_every_main_dependency_is_imported() -> None:
    """No main dependency is declared that no code imports (unless NOT_IMPORTED says why)."""
    imports = [imp for folder in (*LIBRARY, *TOOLS) for imp in python_imports(folder)] + notebook_imports()
    used = {distribution(imp.name) for imp in imports}
    unused = sorted(declared_in({"dependencies"}) - used - {_normalize(n) for n in NOT_IMPORTED})
    assert unused == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import numpy as np\nfrom shapely.geometry import Point\n", ["numpy", "shapely"]),
        ("from . import sibling\nfrom .x import y\nimport os.path\nfrom maas.geo import haversine_m\n", []),
        ("def f():\n    import ortools.sat.python.cp_model\n", ["ortools"]),
    ],
)
def test_import_scanner_finds_absolute_third_party_imports(source: str, expected: list[str]) -> None:
    """The scanner sees imports inside functions, and skips relative, standard-library and first-party ones."""
    assert [imp.name for imp in _third_party(_imports_in(source, "example.py"))] == expected


def test_requirement_reader() -> None:
    """Requirement lines are read with extras and markers: the name is canonical, the specifier kept."""
    assert _requirement("uvicorn[standard]>=0.30", "dependencies") == Requirement("uvicorn", ">=0.30", "dependencies")
    assert _requirement("Opening_Hours.py >=1.1 ; python_version>'3'", "x") == Requirement("opening-hours-py", ">=1.1", "x")
    assert _requirement("ortools", "dependencies").specifier == ""
