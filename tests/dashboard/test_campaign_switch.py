"""Activate and Pause on the campaign page: one click, logged; a campaign that could not
deliver is not activated and its page says why."""

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Campaign
from tests.factories import (
    COLUMN_MAP,
    banner_pair,
    image_creative,
    make_advertiser,
    make_campaign,
    make_site,
    make_zone,
)


def updates(campaign) -> list[dict]:
    return [e.changes for e in db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.object_type == "campaign", AuditEntry.object_id == campaign.id,
        AuditEntry.action == "update"))]


def state_of(campaign) -> str:
    db.session.expire_all()
    return db.session.get(Campaign, campaign.id).state


def test_draft_that_can_deliver_is_activated_in_one_click(app, sales_client):
    campaign = make_campaign([make_zone(make_site())], state="draft", creatives=banner_pair(),
                             name="Boulangerie Martin")
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert f'action="/campaigns/{campaign.id}/activate"' in page and ">Activer<" in page
    response = sales_client.post(f"/campaigns/{campaign.id}/activate", follow_redirects=True)
    assert "Campagne Boulangerie Martin activée." in response.text
    assert state_of(campaign) == "active"
    assert updates(campaign) == [{"state": ["draft", "active"]}]
    assert f'action="/campaigns/{campaign.id}/pause"' in response.text


def test_draft_that_cannot_deliver_is_not_activated_and_says_why(app, sales_client):
    campaign = make_campaign(state="draft", advertiser=make_advertiser())  # no zone, no creative
    response = sales_client.post(f"/campaigns/{campaign.id}/activate")
    assert response.status_code == 422
    assert "Non activée : elle ne pourrait rien diffuser" in response.text
    assert "aucune zone" in response.text and "aucune création active" in response.text
    assert state_of(campaign) == "draft" and updates(campaign) == []


def test_a_size_left_uncovered_does_not_stop_activation(app, sales_client):
    site = make_site()
    zones = [make_zone(site), make_zone(site, "colonne", COLUMN_MAP)]
    campaign = make_campaign(zones, state="paused", creatives=[image_creative(728, 90)])
    assert sales_client.post(f"/campaigns/{campaign.id}/activate").status_code == 303
    assert state_of(campaign) == "active"


def test_pause_switches_off_once_and_activate_switches_on_again(app, sales_client):
    campaign = make_campaign([make_zone(make_site())], creatives=banner_pair())
    response = sales_client.post(f"/campaigns/{campaign.id}/pause", follow_redirects=True)
    assert "mise en pause" in response.text and state_of(campaign) == "paused"
    sales_client.post(f"/campaigns/{campaign.id}/pause")  # already paused: nothing written
    assert updates(campaign) == [{"state": ["active", "paused"]}]
    sales_client.post(f"/campaigns/{campaign.id}/activate")
    assert state_of(campaign) == "active"


def test_viewers_may_not_switch_and_the_token_is_checked(app, as_role):
    campaign = make_campaign([make_zone(make_site())], creatives=banner_pair())
    assert as_role("viewer").post(f"/campaigns/{campaign.id}/pause").status_code == 403
    sales = as_role("sales")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert sales.post(f"/campaigns/{campaign.id}/pause").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert state_of(campaign) == "active"
