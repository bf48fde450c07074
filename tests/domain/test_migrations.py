"""Migrations bring an empty database to head, and match the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from ad_manager.extensions import db
from ad_manager.models.base import render_migration_item
from tests.conftest import make_app


def test_upgrade_empty_database_to_head_and_models_match(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        url = "sqlite:///" + str(tmp_path / "migrated.sqlite3")
    else:
        url = database_url.rsplit("/", 1)[0] + "/" + database_url.rsplit("/", 1)[1] + "_mig"
        admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    app = make_app(url)
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={
                    "compare_type": True, "render_item": render_migration_item})
                diff = compare_metadata(context, db.metadata)
                version = conn.execute(sa.text("select version_num from alembic_version")).scalar()
            assert diff == [], f"models and migrations differ (run `make migration`): {diff}"
            assert version is not None
            downgrade(revision="base")
            upgrade()
            db.engine.dispose()
    finally:
        if not url.startswith("sqlite"):
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_setup_command_creates_the_database_and_loads_the_demo(database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        return  # the upgrade on PostgreSQL is the test above
    app = make_app("sqlite:///" + str(tmp_path / "setup.sqlite3"))
    result = app.test_cli_runner().invoke(args=["setup", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Demo site 'demo' is ready." in result.output
    result = app.test_cli_runner().invoke(args=["setup", "--demo"])  # twice is fine
    assert result.exit_code == 0, result.output
    with app.app_context():
        from ad_manager.models import Site

        assert db.session.scalar(sa.select(sa.func.count(Site.id))) == 1
        db.engine.dispose()


def test_embedded_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    """The default database: WAL (readers never wait for the writer), foreign keys on."""
    app = make_app("sqlite:///" + str(tmp_path / "wal.sqlite3"))
    with app.app_context():
        with db.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("synchronous") == 1  # NORMAL
        db.engine.dispose()
