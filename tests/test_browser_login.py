"""A person signs in through the real login form in Chromium and sees the dashboard."""

import pytest

from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def test_sign_in_through_the_form_shows_the_dashboard(live_server, page, staff):
    page.goto(live_server + "/")
    assert page.url.startswith(live_server + "/login")
    browser_sign_in(page, live_server, staff["admin"].email)
    assert page.locator("h1").inner_text().startswith("Bonjour")
    assert page.locator("nav.mainnav a", has_text="Utilisateurs").count() == 1
    page.click("nav.mainnav a:has-text('Utilisateurs')")  # a boosted navigation
    page.wait_for_url(live_server + "/users/")
    assert page.locator("td", has_text="viewer@example.fr").count() == 1
    assert page.errors == []


def test_phone_menu_opens(live_server, browser, staff):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    browser_sign_in(page, live_server, staff["sales"].email)
    assert not page.locator("nav.mainnav").is_visible()
    page.click("label.menu-button")
    assert page.locator("nav.mainnav").is_visible()
    context.close()
