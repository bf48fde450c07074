"""The sales user opens a draft campaign in Chromium and reads why it cannot deliver;
archiving a zone asks first."""

import pytest

from tests.conftest import browser_sign_in
from tests.factories import make_advertiser, make_campaign, make_site, make_zone

pytestmark = pytest.mark.browser


def test_draft_campaign_page_says_why_it_cannot_deliver(page, live_server, staff, app):
    make_zone(make_site())
    campaign = make_campaign(advertiser=make_advertiser(), state="draft",
                             name="Boulangerie Martin")
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/campaigns/{campaign.id}")
    reasons = page.locator(".cannot-deliver li").all_inner_texts()
    assert any("brouillon" in reason for reason in reasons), reasons
    assert any("aucune zone" in reason for reason in reasons), reasons
    assert any("aucune création active" in reason for reason in reasons), reasons
    assert page.errors == []
