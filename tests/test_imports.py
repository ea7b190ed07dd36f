"""The import graph (issue 9): no backend imports another, the core imports no backend
and no click, and importing a module never needs itself (no cycle at import time).

Read from the source with `ast`, every import counted, those inside functions too.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "retrosheet"

# Where a plan lives: each backend is a package or a module.
BACKENDS = {
    "retrosheet.xlsx": "xlsx", "retrosheet.gsheets": "gsheets",
    # Excel through xlwings, on the desktop or as the Lite add-in: one xlwings Range API.
    "retrosheet.xlwings_store": "xlwings", "retrosheet.xlwings_lite": "xlwings",
    "retrosheet.openpyxl_store": "openpyxl",
    "retrosheet.libreoffice": "libreoffice",
}
# The layer that picks a backend for the user's PLAN or button (and builds the LibreOffice
# extension, which packages every layer).
ENTRY = {"retrosheet.cli", "retrosheet.cli_new", "retrosheet.cli_label", "retrosheet.cli_usage",
         "retrosheet.__main__",
         "retrosheet.surfaces", "retrosheet.excel",
         "retrosheet.libreoffice.oxt"}
def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


@functools.cache  # three tests walk the same ~150 modules: parse each once a run
def syntax(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imports(mods: dict[str, Path]) -> dict[str, tuple[set[str], set[str]]]:
    """module → (modules it imports at import time, every module it imports)."""
    out = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = syntax(path)

        def targets(node: ast.Import | ast.ImportFrom, package: str = package,
                    me: str = name) -> set[str]:
            if isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                found = [base, *(f"{base}.{a.name}" for a in node.names)]
            return {f for f in found if f in mods and f != me}

        every: set[str] = set()
        at_import: set[str] = set()
        top = {id(n) for stmt in tree.body
               if not isinstance(stmt, ast.FunctionDef | ast.ClassDef) and not (
                   isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test))
               for n in ast.walk(stmt)}  # what runs at import (not type-checking blocks)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found = targets(node)
                every |= found
                if id(node) in top:
                    at_import |= found
        out[name] = (at_import, every)
    return out


@functools.cache
def graph() -> dict[str, tuple[set[str], set[str]]]:
    return imports(modules())


def backend(name: str) -> str | None:
    return next((b for prefix, b in BACKENDS.items()
                 if name == prefix or name.startswith(prefix + ".")), None)


def test_no_backend_imports_another_and_the_core_imports_none() -> None:
    crossings = set()
    for name, (_, every) in graph().items():
        if name in ENTRY:
            continue
        mine = backend(name)
        for dep in every:
            theirs = backend(dep)
            if theirs is not None and theirs != mine:
                crossings.add((name, dep))
    assert sorted(crossings) == []


def test_the_library_never_imports_click() -> None:
    users = []
    for name, path in modules().items():
        for node in ast.walk(syntax(path)):
            found = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if name not in ENTRY and any(f == "click" or f.startswith("click.") for f in found):
                users.append(name)
    assert users == []


def test_no_cycle_at_import_time() -> None:
    at_start = {name: at_import for name, (at_import, _) in graph().items()}
    done: set[str] = set()
    for root in at_start:
        path: list[str] = []

        def visit(name: str, path: list[str] = path) -> None:
            if name in path:
                raise AssertionError("import cycle: " + " → ".join([*path, name]))
            if name in done:
                return
            path.append(name)
            for dep in sorted(at_start[name]):
                # a package's own modules import their package: not a cycle through it
                if not name.startswith(dep + "."):
                    visit(dep)
            path.pop()
            done.add(name)

        visit(root)


def test_no_module_over_600_lines() -> None:
    """Issue 9 item 6: a longer module mixes what should be apart."""
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
