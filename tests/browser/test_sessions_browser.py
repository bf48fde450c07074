"""In Chromium: a session cookie copied into another browser opens nothing once its
owner signed out, and "sign out everywhere" on a phone ends the laptop's session."""

import pytest

from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def context_of(browser, width=1280):
    return browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")


def lands_on_login(page, url) -> bool:
    page.goto(url)
    return "/login" in page.url


def test_a_copied_cookie_is_refused_after_sign_out(live_server, browser, staff):
    owner, thief = context_of(browser), context_of(browser)
    page = owner.new_page()
    browser_sign_in(page, live_server, staff["viewer"].email)
    thief.add_cookies(owner.cookies())
    stolen = thief.new_page()
    assert not lands_on_login(stolen, live_server + "/reports/")
    page.click("form[action='/logout'] input[type=submit]")
    page.wait_for_url("**/login")
    assert lands_on_login(stolen, live_server + "/reports/")
    owner.close()
    thief.close()


def test_sign_out_everywhere_from_a_phone_ends_the_laptops_session(live_server, browser, staff):
    laptop, phone = context_of(browser), context_of(browser, width=390)
    desk = laptop.new_page()
    browser_sign_in(desk, live_server, staff["sales"].email)
    pocket = phone.new_page()
    browser_sign_in(pocket, live_server, staff["sales"].email)
    pocket.goto(live_server + "/account/")
    assert pocket.evaluate("document.documentElement.scrollWidth") <= 390
    pocket.click("button:has-text('Se déconnecter partout')")
    pocket.wait_for_url("**/login")
    assert "Vous êtes déconnecté sur tous les appareils." in pocket.content()
    assert lands_on_login(desk, live_server + "/campaigns/")
    laptop.close()
    phone.close()
