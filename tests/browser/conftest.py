"""Fixtures of the browser tests."""

import pytest

from tests.factories import make_inventory


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Browser tests run on SQLite alone: every query a page makes also runs on
    PostgreSQL in the dashboard and serving tests, and a browser on each database
    would double the slowest part of the suite."""
    yield "sqlite:///" + str(tmp_path_factory.mktemp("browser-db") / "test.sqlite3")


@pytest.fixture
def world(app):
    """The reference inventory: site, layout, an image campaign in the top zone, articles."""
    return make_inventory()
