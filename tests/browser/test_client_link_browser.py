"""A salesperson shares a campaign's report with the advertiser through a client link,
in Chromium: made on the campaign's page, opened in a browser with no cookie (French
and English, phone and laptop), its last opening listed, then revoked and refused."""

import pytest

from ad_manager.models import utcnow
from tests.browser.accessibility import audit, describe, screenshot
from tests.conftest import browser_sign_in
from tests.factories import banner_shown, count_events, make_world

pytestmark = pytest.mark.browser


@pytest.fixture
def counted(app, staff):
    """make_world with three banners rendered now, one of them viewable."""
    world = make_world()
    now = utcnow()
    for view in ("a", "b", "c"):
        banner = banner_shown(world, view)
        count_events(world, now, [(banner, "served"), (banner, "rendered")])
    count_events(world, now, [(banner_shown(world, "a"), "viewable")])
    return world


def open_as_client(browser, address: str, locale: str, width: int):
    """Open ``address`` in a browser context of its own (no cookie, no account)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    response = page.goto(address)
    return context, page, response


def test_salesperson_shares_then_revokes_a_client_link(page, browser, live_server, staff,
                                                       counted):
    world = counted
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/campaigns/{world.campaign.id}")
    assert "Aucun lien client" in page.inner_text("#client-links")
    page.click("#new-client-link")
    address = page.inner_text("#client-link-address").strip()
    assert address.startswith(f"{live_server}/client/{world.campaign.id}/")

    for locale, heading in (("fr-FR", "Impressions par jour"), ("en-GB", "Impressions per day")):
        for width in (1280, 390):
            context, client, response = open_as_client(browser, address, locale, width)
            assert response.status == 200
            assert "set-cookie" not in response.headers
            assert heading in client.inner_text("main")
            assert client.inner_text(".report-figures .figure >> nth=0").strip() == "3"
            assert "Rentrée littéraire" in client.inner_text("h1")
            assert client.locator(".campaign-creatives tbody tr").count() == 1  # the banner
            assert client.locator(".campaign-days tbody tr").count() == 11  # every day
            assert client.locator(".report-chart svg").count() == 1
            assert client.locator("script").count() == 0
            found = audit(client)
            assert not found, describe(found)
            assert client.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(client, f"{locale[:2]}-client-report-{width}")
            assert context.cookies() == []
            context.close()

    page.goto(f"{live_server}/campaigns/{world.campaign.id}")
    row = page.locator("#client-links tr.client-link-open")
    assert "jamais" not in row.inner_text()  # its last opening is listed
    page.on("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="Révoquer").click()
    page.wait_for_selector("#client-links tr.client-link-revoked")
    assert "Lien client révoqué" in page.inner_text(".flashes")
    screenshot(page, "fr-campaign-client-links-1280")

    context, client, response = open_as_client(browser, address, "fr-FR", 390)
    assert response.status == 404
    assert "set-cookie" not in response.headers
    assert "Ce lien n’ouvre aucun bilan" in client.inner_text("main")
    assert "Rentrée littéraire" not in client.content()
    context.close()
    assert page.errors == []
