"""The layout rules a reader relies on: the kernel imports no domain, and no package's modules
import each other in a circle (a circle makes import order matter and hides the real owner)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "notary"
KERNEL_MAY_IMPORT = ("notary.core", "notary.extensions")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    """The notary modules a file imports (TYPE_CHECKING blocks included: mypy reads them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = (ast.walk(tree) if not top_level_only else
             [n for stmt in tree.body for n in ast.walk(stmt)
              if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))])
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("notary")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("notary"):
            found.add(node.module)
            # `from notary.certificates import services` names a module too.
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def test_the_kernel_imports_no_domain() -> None:
    offenders = {
        f"{path.relative_to(ROOT.parent)} imports {name}"
        for path in (ROOT / "core").glob("*.py")
        for name in _imports(path, top_level_only=False)
        if not name.startswith(KERNEL_MAY_IMPORT)
    }
    assert not offenders, sorted(offenders)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    # A package's __init__ imports its views to register routes, and the views take `bp` from
    # it: that pair is Flask's blueprint pattern, not a circle between modules.
    return {name: {m for m in _imports(path, top_level_only=True) if m in modules
                   and modules[m].name != "__init__.py" and m != name}
            for name, path in modules.items() if path.name != "__init__.py"}


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


@pytest.mark.parametrize("package", sorted(p.name for p in ROOT.iterdir()
                                           if (p / "__init__.py").exists()))
def test_no_module_imports_itself_in_a_circle(package: str) -> None:
    graph = _graph()
    circles = [c for m in sorted(graph) if m.startswith(f"notary.{package}.")
               if (c := _cycle_from(m, graph))]
    assert not circles, " → ".join(circles[0])
