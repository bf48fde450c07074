"""The two wings: serving code never reaches the session, the login or the dashboard,
and delivery code stays plain Python (no Flask, no database)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ad_manager"
SERVING = ["serving/decision.py", "serving/answer.py", "serving/cors.py",
           "serving/page_request.py", "serving/inventory.py", "serving/blueprint.py"]
DELIVERY = sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "delivery").glob("*.py"))


def imported_names(path: Path) -> set[str]:
    """Give every module and every ``module.name`` a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("module", SERVING)
def test_serving_code_never_imports_the_session_login_or_dashboard(module):
    for name in imported_names(PACKAGE / module):
        assert not name.startswith(("flask_login", "ad_manager.dashboard", "ad_manager.auth")), name
        assert name not in {"flask.session", "flask.g"}, name


@pytest.mark.parametrize("module", DELIVERY)
def test_delivery_code_is_plain_python(module):
    for name in imported_names(PACKAGE / module):
        assert not name.startswith(("flask", "sqlalchemy", "ad_manager.extensions",
                                    "ad_manager.models")), name
