"""Dashboard pages fit a phone's width: nothing pushes the page sideways."""

import pytest

from ad_manager.demo import load_demo
from ad_manager.extensions import db
from ad_manager.models import Layout
from tests.conftest import browser_sign_in


@pytest.fixture
def demo_layout(app, staff):
    load_demo()
    db.session.commit()
    return db.session.scalars(db.select(Layout)).first()


def test_layout_editor_action_bar_wraps_on_a_phone(live_server, page, staff, demo_layout):
    page.set_viewport_size({"width": 375, "height": 740})
    browser_sign_in(page, live_server, staff["admin"].email)
    page.goto(f"{live_server}/layouts/{demo_layout.id}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
