"""Fixtures of the browser tests."""

import pytest

from tests.factories import make_inventory


@pytest.fixture
def world(app):
    """The reference inventory: site, layout, an image campaign in the top zone, articles."""
    return make_inventory()
