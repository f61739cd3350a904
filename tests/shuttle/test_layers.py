"""The shuttle package's shape: one-way imports between its modules, and OR-Tools in its adapter only.

Read from the source with ``ast`` (imports under ``if TYPE_CHECKING:`` are
annotations, not dependencies, and are left out).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "maas" / "shuttle"


def _imports(path: Path) -> set[str]:
    """Modules a file imports at run time (``from x import y`` counts as x and x.y)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING" for b in node.body for n in ast.walk(b)
    }
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return out


def _graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    modules = {f"maas.shuttle.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {m: {d for d in _imports(p) if d in modules and d != m} for m, p in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle (its modules, first repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        path.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return path[path.index(d) :] + [d]
            if d not in state and (found := visit(d)):
                return found
        state[m] = 2
        path.pop()
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_no_import_cycle():
    graph = _graph()
    assert len(graph) > 20
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_ortools_only_in_the_solver_adapter():
    users = sorted(p.stem for p in PACKAGE.glob("*.py") if any(m.split(".")[0] == "ortools" for m in _imports(p)))
    assert users == ["solver"]


def test_results_and_text_stay_apart():
    """The evaluation's modules never import the text report; the report reads the results."""
    graph = _graph()
    for m in ("evaluate", "results", "kpis", "loads", "options", "seats", "meets", "crosscheck", "groups"):
        assert "maas.shuttle.report" not in graph[f"maas.shuttle.{m}"], m
    assert "maas.shuttle.results" in graph["maas.shuttle.report"]
