"""Shell commands."""

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, User
from tests.conftest import PASSWORD, sign_in


def test_create_user_from_the_shell(app, runner):
    result = runner.invoke(args=["create-user", "Jean@Example.fr", "--role", "sales",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role) == ("jean@example.fr", "sales")
    assert db.session.scalar(db.select(AuditEntry)).actor == "shell"
    assert sign_in(app.test_client(), "jean@example.fr").status_code == 302


def test_create_user_refuses_bad_input_and_changes_nothing(runner):
    result = runner.invoke(args=["create-user", "nope", "--password", PASSWORD])
    assert result.exit_code != 0
    result = runner.invoke(args=["create-user", "a@example.fr", "--password", "short"])
    assert result.exit_code != 0
    result = runner.invoke(args=["create-user", "a@example.fr", "--role", "boss",
                                 "--password", PASSWORD])
    assert result.exit_code != 0
    assert db.session.scalar(db.select(User)) is None


def test_create_user_refuses_a_taken_email(runner):
    runner.invoke(args=["create-user", "a@example.fr", "--password", PASSWORD])
    result = runner.invoke(args=["create-user", "A@example.fr", "--password", PASSWORD])
    assert result.exit_code == 1
    assert "existe déjà" in result.output
