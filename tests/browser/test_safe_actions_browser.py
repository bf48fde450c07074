"""The sales user archives a campaign and takes a placement out of a layout in Chromium:
each asks first (a dialog with JavaScript, a confirm page without) and the banner's
"Undo" puts things back."""

import pytest
from playwright.sync_api import expect

from ad_manager.extensions import db
from ad_manager.models import Campaign, Layout
from tests.browser.accessibility import audit, describe, screenshot
from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def placements_of(layout_id: int) -> list[tuple]:
    db.session.expire_all()
    return [(p.position, p.where, p.paragraph, p.zone_id, p.insert_id)
            for p in db.session.get(Layout, layout_id).placements]


def archived(campaign_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(Campaign, campaign_id).archived


@pytest.fixture
def audited_page(browser):
    """A tab whose context lets the axe audit in (the dashboard's CSP forbids it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def test_archiving_a_campaign_asks_and_undo_restores(audited_page, live_server, staff, world):
    page, campaign = audited_page, world["campaign"]
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/campaigns/{campaign.id}")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator(".page-actions .remove-form button").click()
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith(f"Archiver « {campaign.name} » ?"), asked
    assert not archived(campaign.id)  # dismissed: nothing happened

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".page-actions .remove-form button").click()
    page.wait_for_url(f"{live_server}/campaigns/")
    banner = page.locator(".flash-success")
    assert f"Campagne {campaign.name} retirée." in banner.inner_text()
    assert archived(campaign.id)
    assert audit(page) == [], describe(audit(page))
    screenshot(page, "undo-banner-1280")

    banner.get_by_role("button", name="Annuler").click()
    page.wait_for_url(f"{live_server}/campaigns/{campaign.id}")
    assert f"Campagne {campaign.name} restaurée." in page.locator(".flash-success").inner_text()
    assert not archived(campaign.id)
    assert page.errors == []


def test_placement_cross_asks_and_undo_puts_it_back(page, live_server, staff, world):
    layout = world["layout"]
    before = placements_of(layout.id)
    second = layout.placements[1]
    browser_sign_in(page, live_server, staff["sales"].email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/layouts/{layout.id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'.placement-list li[data-placement="{second.id}"] button.remove').click()
    undo = page.locator("#editor .undo-form button")
    undo.wait_for()
    assert "retiré du gabarit" in page.locator("#editor .flash-success").inner_text()
    assert page.locator(".placement-list li").count() == len(before) - 1
    assert len(placements_of(layout.id)) == len(before) - 1
    screenshot(page, "placement-undo-390")
    undo.click()
    expect(page.locator(".placement-list li")).to_have_count(len(before))
    assert "Emplacement remis en place." in page.locator(".flash-success").inner_text()
    assert placements_of(layout.id) == before
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_without_javascript_a_confirm_page_asks_first(browser, live_server, staff, world,
                                                      width):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR",
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        campaign, layout = world["campaign"], world["layout"]
        browser_sign_in(page, live_server, staff["sales"].email)
        page.goto(f"{live_server}/layouts/{layout.id}")
        first = layout.placements[0]
        page.locator(f'.placement-list li[data-placement="{first.id}"] button.remove').click()
        assert "Retirer « " in page.locator("h1").inner_text()
        page.get_by_role("link", name="Annuler").click()  # Cancel: back, nothing removed
        page.wait_for_url(f"{live_server}/layouts/{layout.id}")
        assert len(placements_of(layout.id)) == len(layout.placements)

        page.goto(f"{live_server}/campaigns/{campaign.id}")
        page.locator(".page-actions .remove-form button").click()
        page.wait_for_url(f"{live_server}/campaigns/{campaign.id}/remove")
        assert page.locator("h1").inner_text().startswith(f"Archiver « {campaign.name} » ?")
        assert not archived(campaign.id)
        screenshot(page, f"confirm-page-{width}")
        page.locator(".confirm-step button.danger").click()
        page.wait_for_url(f"{live_server}/campaigns/")
        assert archived(campaign.id)
        page.locator(".flash-success").get_by_role("button", name="Annuler").click()
        page.wait_for_url(f"{live_server}/campaigns/{campaign.id}")
        assert not archived(campaign.id)
    finally:
        context.close()
