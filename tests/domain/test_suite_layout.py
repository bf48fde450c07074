"""The suite's own layout: test modules in a wing's folder, none importing another."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
WINGS = {"domain", "dashboard", "serving", "browser"}


def test_every_test_module_lives_in_a_wing_folder():
    misplaced = [str(path.relative_to(TESTS)) for path in TESTS.rglob("test_*.py")
                 if path.parent.name not in WINGS or path.parent.parent != TESTS]
    assert misplaced == []


def test_no_test_module_imports_from_another_test_module():
    found = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [])
            found += [f"{path.relative_to(TESTS)}: {name}" for name in names
                      if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")]
    assert found == []
