"""The campaign page says plainly why a campaign does not deliver."""

from datetime import UTC, datetime, timedelta

from ad_manager.extensions import db
from ad_manager.inventory.campaign_health import blockers
from ad_manager.models import Creative
from tests.factories import make_advertiser, make_campaign, make_site, make_zone


def reasons(page: str) -> str:
    if 'class="card cannot-deliver"' not in page:
        return ""
    return page.split('class="card cannot-deliver"')[1].split("</section>")[0]


def test_a_draft_without_zone_or_creative_says_why_it_does_not_deliver(app, sales_client):
    campaign = make_campaign(advertiser=make_advertiser(), state="draft")
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    why = reasons(page)
    assert "C’est un brouillon" in why
    assert "aucune zone" in why and "aucune création active" in why
    assert "Réservez d’abord des zones" in page  # no list of every IAB size
    assert "970×250" not in page


def test_a_booked_active_campaign_lists_only_what_still_stops_it(app, sales_client):
    zone = make_zone(make_site())
    campaign = make_campaign([zone], advertiser=make_advertiser())
    campaign.creatives.append(Creative(kind="image", width=728, height=90, image_file="a.png",
                                       click_url="https://example.fr/"))
    db.session.commit()
    why = reasons(sales_client.get(f"/campaigns/{campaign.id}").text)
    assert "320×100" in why and "brouillon" not in why and "aucune zone" not in why
    campaign.creatives.append(Creative(kind="text", headline="Des livres",
                                       click_url="https://example.fr/"))
    db.session.commit()
    assert reasons(sales_client.get(f"/campaigns/{campaign.id}").text) == ""


def test_flight_over_paused_archived_and_zero_weight_are_reasons(app):
    zone = make_zone(make_site())
    campaign = make_campaign([zone], advertiser=make_advertiser(), state="paused",
                             days=(-20, -1))
    campaign.creatives.append(Creative(kind="text", headline="x", click_url="https://e.fr/"))
    campaign.weight = 0
    campaign.archived_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    found = " | ".join(blockers(campaign))
    for wording in ("archivée", "en pause", "s’est terminée", "poids est 0"):  # French first
        assert wording in found, found
