"""A salesperson signs in, reads the delivery alert on the home page and follows it to the
campaign, on a laptop and on a phone."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from ad_manager.extensions import db
from ad_manager.stats.counters import add_counts
from tests.conftest import browser_sign_in
from tests.factories import make_campaign, make_site, make_zone

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.mark.parametrize("width", [1280, 390])
def test_home_alert_leads_to_the_campaign_behind(page, live_server, staff, app, width):
    site = make_site()
    zone = make_zone(site)
    behind = make_campaign([zone], name="Boulangerie Martin", days=(-10, 10),
                           goal_impressions=1000, salesperson_id=staff["sales"].id)
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    add_counts(hour, {(site.id, 0, 0, zone.id, 0, behind.id, 0, 0): {"rendered": 100}})
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    browser_sign_in(page, live_server, staff["sales"].email)
    alert = page.locator(".alerts .alert-behind li")
    assert alert.count() == 1
    assert "400 impressions de retard" in alert.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/home-alerts-{width}.png")
    alert.get_by_role("link", name="Boulangerie Martin").click()
    page.wait_for_url(f"{live_server}/campaigns/{behind.id}")
    assert "Sales" in page.locator(".salesperson").inner_text()
    assert page.errors == []
