"""A salesperson prices a campaign in Chromium: CPM and order number on the form, then,
once impressions are counted, reads the revenue back in the report and on the home
page, in French and English, on a laptop and a phone."""

import pytest

from ad_manager.models import utcnow
from tests.browser.accessibility import screenshot
from tests.conftest import browser_sign_in
from tests.factories import banner_shown, count_events, make_world

pytestmark = pytest.mark.browser


def count_impressions(world, n: int) -> None:
    """``n`` banners rendered now, as readers' pages report them."""
    now = utcnow()
    for view in range(n):
        banner = banner_shown(world, f"view-{view}")
        count_events(world, now, [(banner, "served"), (banner, "rendered")])


def test_salesperson_prices_a_campaign_and_reads_its_revenue(page, browser, live_server,
                                                             staff, app):
    world = make_world()
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/campaigns/{world.campaign.id}/edit")
    page.select_option("#pricing_model", "cpm")
    page.fill("#price", "-3")
    page.click("button:has-text('Enregistrer')")  # refused, shown next to the field
    page.wait_for_selector(".has-error:has-text('Un prix ne peut pas être négatif.')")
    page.fill("#price", "25,00")
    page.fill("#order_number", "BC-2026-118")
    screenshot(page, "fr-campaign-price-form-1280")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("h1:has-text('Rentrée littéraire')")
    page.wait_for_selector("dd.campaign-order")
    assert "25,00\xa0€ · CPM (pour mille impressions)" in page.inner_text("dd.campaign-price")
    assert page.inner_text("dd.campaign-order") == "BC-2026-118"

    count_impressions(world, 40)  # 40 × 25 € / 1,000 = 1 €
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/reports/?period=today")
        assert "Chiffre d’affaires : 1,00\xa0€" in page.inner_text(".revenue-card h2")
        row = page.locator(".report-campaigns tbody tr", has_text="Rentrée littéraire")
        assert row.locator("td.revenue").inner_text() == "1,00\xa0€"
        assert row.locator("td.ecpm").inner_text() == "25,00\xa0€"
        zone = page.locator(".report-slots tbody tr", has_text="Sous le titre")
        assert zone.locator("td.revenue").inner_text() == "1,00\xa0€"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"fr-report-revenue-{width}")
        page.goto(f"{live_server}/")
        assert page.inner_text(".month-revenue") == "1,00\xa0€"
        screenshot(page, f"fr-home-revenue-{width}")

    english = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    reader = english.new_page()
    browser_sign_in(reader, live_server, staff["viewer"].email)
    assert reader.inner_text(".month-revenue") == "€1.00"
    reader.goto(f"{live_server}/reports/?period=today")
    assert "Revenue: €1.00" in reader.inner_text(".revenue-card h2")
    screenshot(reader, "en-report-revenue-390")
    reader.goto(f"{live_server}/campaigns/{world.campaign.id}")
    assert "€25.00 · CPM (per thousand impressions)" in reader.inner_text("dd.campaign-price")
    screenshot(reader, "en-campaign-price-390")
    english.close()
    assert page.errors == []
