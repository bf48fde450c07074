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


def test_admin_creates_an_account_and_lands_on_the_list(live_server, page, staff):
    """A saved form follows its redirect to the whole list page (it once swapped in nothing)."""
    browser_sign_in(page, live_server, staff["admin"].email)
    page.goto(live_server + "/users/new")
    page.fill("input[name=email]", "nouvelle@example.fr")
    page.fill("input[name=name]", "Nouvelle Commerciale")
    page.select_option("select[name=role]", "sales")
    page.fill("input[name=password]", "un-mot-de-passe-long")
    page.fill("input[name=confirm]", "un-mot-de-passe-long")
    page.click("form.form button[type=submit]")
    page.wait_for_url(live_server + "/users/")
    assert page.locator("td", has_text="nouvelle@example.fr").count() == 1
    assert page.locator("h1").count() == 1
    # A mistake re-renders the form with the message, still a whole page.
    page.goto(live_server + "/users/new")
    page.fill("input[name=email]", "pas-une-adresse")
    page.click("form.form button[type=submit]")
    page.locator(".error, .field-error, [role=alert]").first.wait_for()
    assert page.locator("input[name=email]").count() == 1
    assert page.errors == []
