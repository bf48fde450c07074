"""The package's import graph, read from the source (every import, also inside functions)."""

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ad_manager"


def module_name(path: Path) -> str:
    """Give the dotted name of a source file of the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package (migrations left out: Alembic runs them), by name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))
            if "migrations" not in path.parts}


@cache
def imports(name: str) -> frozenset[str]:
    """Give every name a module imports: modules of ours resolved, others as written."""
    found = set()
    for node in ast.walk(ast.parse(modules()[name].read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                # ``from ad_manager.x import y`` imports the module x.y when there is one.
                found.add(f"{node.module}.{alias.name}")
    ours = modules()
    return frozenset(n for n in found if n in ours or not n.startswith("ad_manager"))


def reachable(name: str) -> set[str]:
    """Give every module of ours that importing ``name`` runs, ``name`` included.

    Importing ``a.b.c`` runs the packages ``a.b`` and ``a`` first; the composition root
    (``ad_manager`` itself, the app factory) is left out: it imports every wing.
    """
    ours, seen, todo = modules(), set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or current == "ad_manager":
            continue
        seen.add(current)
        parts = current.split(".")
        todo.extend(".".join(parts[:i]) for i in range(2, len(parts)))
        todo.extend(n for n in imports(current) if n in ours)
    return seen


def package_of(name: str) -> str:
    """Give the top-level part of the package a module belongs to (``serving``, ``cli``…)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else parts[0]
