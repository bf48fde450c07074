"""A salesperson fills the campaign form in Chromium and watches the availability forecast
change as the dates and zones change; the zone page shows its weeks ahead."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import browser_sign_in, wait_for_htmx
from tests.factories import make_advertiser, make_site, make_zone, make_zone_history

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOT_DIR")


def day(offset: int) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).strftime("%Y-%m-%dT00:00")


def figure(page, selector: str) -> int:
    text = page.locator(selector).inner_text()
    return int("".join(c for c in text.split("impressions")[0] if c.isdigit()))


def test_forecast_panel_follows_dates_and_zones(page, live_server, staff, app):
    site = make_site()
    top = make_zone(site, name="Haut de page")
    column = make_zone(site, slug="colonne", name="Colonne")
    make_zone_history(top, days=21, per_hour=100)
    make_zone_history(column, days=21, per_hour=50)
    make_advertiser()
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/campaigns/new")
    wait_for_htmx(page, "#forecast")
    body = page.locator("#forecast-body")
    assert "au moins une zone" in body.inner_text()

    page.fill("input[name=goal_impressions]", "20000")
    page.fill("input[name=starts_at]", day(2))
    page.fill("input[name=ends_at]", day(12))
    page.get_by_label("Le Journal · Haut de page", exact=False).check()
    page.locator(".forecast-expected").wait_for()
    assert figure(page, ".forecast-expected") == pytest.approx(24_000, rel=0.02)
    assert "Peut livrer" in body.inner_text()

    page.fill("input[name=ends_at]", day(7))  # five days: 12,000 for a goal of 20,000
    page.wait_for_function("() => document.querySelector('#forecast-body').innerText"
                           ".includes('Ne peut pas livrer')")
    assert figure(page, ".forecast-expected") == pytest.approx(12_000, rel=0.02)

    page.get_by_label("Le Journal · Colonne", exact=False).check()  # + 6,000
    page.wait_for_function("() => document.querySelector('#forecast-body').innerText"
                           ".includes('risque')")
    assert figure(page, ".forecast-expected") == pytest.approx(18_000, rel=0.02)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.locator("#forecast").scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/forecast-{width}.png")
    assert page.errors == []


def test_zone_page_shows_available_weeks(page, live_server, staff, app):
    zone = make_zone(make_site(), name="Haut de page")
    make_zone_history(zone, days=21, per_hour=10)
    browser_sign_in(page, live_server, staff["viewer"].email)
    page.goto(f"{live_server}/zones/{zone.id}")
    rows = page.locator(".zone-calendar tbody tr")
    assert rows.count() == 8
    assert "1 680" in rows.nth(2).inner_text().replace("\u202f", " ").replace("\xa0", " ")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if SHOTS:
            page.locator(".zone-calendar").scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/zone-weeks-{width}.png")
    assert page.errors == []
