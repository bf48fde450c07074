"""The sales user in Chromium: Activate is refused with the reasons for a campaign that
cannot deliver, Activate and Pause switch a ready one, and Duplicate gives a draft copy
with its creatives and zones, in French and English, on a laptop and a phone."""

import pytest

from ad_manager.extensions import db
from ad_manager.models import Campaign
from tests.browser.accessibility import audit, describe, screenshot
from tests.conftest import browser_sign_in
from tests.factories import banner_pair, make_advertiser, make_campaign

pytestmark = pytest.mark.browser


@pytest.fixture
def sales_page(browser, request):
    """A tab of the locale and width given by the test's parameters, axe allowed in."""
    locale, width = getattr(request, "param", ("fr-FR", 1280))
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def fresh(campaign_id: int) -> Campaign:
    db.session.expire_all()
    return db.session.get(Campaign, campaign_id)


def test_activate_refuses_a_campaign_that_cannot_deliver_then_switches_a_ready_one(
        sales_page, live_server, staff, world):
    page = sales_page
    empty = make_campaign(state="draft", name="Boulangerie Martin", advertiser=make_advertiser())
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/campaigns/{empty.id}")
    page.get_by_role("button", name="Activer").click()
    refused = page.locator(".cannot-deliver.refused")
    refused.wait_for()
    assert "Non activée : elle ne pourrait rien diffuser" in refused.inner_text()
    reasons = refused.locator("li").all_inner_texts()
    assert any("aucune zone" in r for r in reasons) and any("aucune création" in r for r in reasons)
    assert fresh(empty.id).state == "draft"
    assert audit(page) == [], describe(audit(page))
    screenshot(page, "activate-refused-1280")

    ready = world["campaign"]
    ready.state = "draft"
    db.session.commit()
    page.goto(f"{live_server}/campaigns/{ready.id}")
    page.get_by_role("button", name="Activer").click()
    page.locator(".flash-success").wait_for()
    assert f"Campagne {ready.name} activée." in page.locator(".flash-success").inner_text()
    assert fresh(ready.id).state == "active"
    page.get_by_role("button", name="Mettre en pause").click()
    page.get_by_role("button", name="Activer").wait_for()
    assert fresh(ready.id).state == "paused"
    assert page.errors == []


@pytest.mark.parametrize("sales_page", [("fr-FR", 1280), ("en-GB", 390)], indirect=True,
                         ids=["fr-1280", "en-390"])
def test_duplicate_gives_a_draft_copy_with_creatives_and_zones(sales_page, live_server, staff,
                                                               world):
    page = sales_page
    campaign = world["campaign"]
    english = page.evaluate("navigator.language").startswith("en")
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/campaigns/{campaign.id}")
    page.get_by_role("link", name="Duplicate" if english else "Dupliquer").click()
    page.wait_for_url(f"{live_server}/campaigns/{campaign.id}/duplicate")
    expected = f"{campaign.name} ({'copy' if english else 'copie'})"
    assert page.locator("input[name=name]").input_value() == expected
    assert page.locator("input[name=starts_at]").input_value()  # tomorrow, filled in
    assert audit(page) == [], describe(audit(page))
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"duplicate-form-{'en' if english else 'fr'}-{width}")
    page.locator(".duplicate-form button[type=submit]").click()
    page.wait_for_url("**/edit")
    copy_id = int(page.url.rsplit("/", 2)[-2])
    assert copy_id != campaign.id
    copy = fresh(copy_id)
    assert copy.state == "draft" and copy.name == expected
    assert [z.slug for z in copy.zones] == [z.slug for z in campaign.zones]
    assert sorted(c.size for c in copy.creatives) == sorted(c.size for c in banner_pair())
    assert ("Draft" if english else "Brouillon") in page.locator(".flash-success").inner_text()
    assert page.errors == []
