"""Every archive, remove and ✕ asks first, also without JavaScript (a confirm page), and
the banner after an archive offers "Undo", which restores through the area's service."""

import re

import pytest

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Campaign, Creative, Layout, Zone
from tests.dashboard.conftest import YES
from tests.factories import (
    image_creative,
    make_advertiser,
    make_campaign,
    make_inventory,
    make_site,
    make_zone,
)

HX = {"HX-Request": "true"}


def undo_form(html: str) -> tuple[str, dict]:
    """Read the banner's Undo form: its action and its hidden fields (csrf aside)."""
    match = re.search(r'<form method="post" action="([^"]+)" class="inline undo-form">(.*?)</form>',
                      html, re.S)
    assert match, "no Undo in the banner"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             match.group(2)))
    fields.pop("csrf_token", None)
    return match.group(1), fields


@pytest.mark.parametrize("how", ["get", "post without yes"])
def test_archiving_a_live_campaign_asks_first_and_changes_nothing(app, sales_client, how):
    campaign = make_campaign([make_zone(make_site())], name="Boulangerie Martin")
    url = f"/campaigns/{campaign.id}/remove"
    response = sales_client.get(url) if how == "get" else sales_client.post(url)
    assert response.status_code == 200
    assert "Archiver « Boulangerie Martin » ?" in response.text
    assert 'name="confirmed" value="yes"' in response.text
    assert f'href="/campaigns/{campaign.id}"' in response.text  # Cancel: back to its page
    db.session.refresh(campaign)
    assert not campaign.archived
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "archive")) == 0


def test_undo_in_the_banner_restores_the_archived_campaign(app, sales_client):
    campaign = make_campaign([make_zone(make_site())], name="Boulangerie Martin")
    response = sales_client.post(f"/campaigns/{campaign.id}/remove", data=YES,
                                 follow_redirects=True)
    db.session.refresh(campaign)
    assert campaign.archived
    action, fields = undo_form(response.text)
    assert action == f"/campaigns/{campaign.id}/restore" and fields == {}
    response = sales_client.post(action, data=fields, follow_redirects=True)
    assert "Campagne Boulangerie Martin restaurée." in response.text
    db.session.refresh(campaign)
    assert not campaign.archived
    assert [e.action for e in db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.object_type == "campaign").order_by(AuditEntry.id))][-2:] == [
        "archive", "restore"]


def test_deleting_a_draft_says_it_cannot_be_undone_and_offers_no_undo(app, sales_client):
    campaign = make_campaign(name="Essai", state="draft")
    asked = sales_client.get(f"/campaigns/{campaign.id}/remove").text
    assert "Supprimer « Essai » ? Rien n’a encore été diffusé ; la suppression est définitive." \
        in asked
    response = sales_client.post(f"/campaigns/{campaign.id}/remove", data=YES,
                                 follow_redirects=True)
    assert db.session.get(Campaign, campaign.id) is None
    assert "undo-form" not in response.text


@pytest.mark.parametrize("area, url, restore", [
    ("zone", "/zones/{zone}/remove", "/zones/{zone}/restore"),
    ("advertiser", "/advertisers/{advertiser}/remove", "/advertisers/{advertiser}/restore"),
    ("insert", "/inserts/{insert}/archive", "/inserts/{insert}/restore"),
    ("layout", "/layouts/{layout}/archive", "/layouts/{layout}/restore"),
])
def test_each_area_asks_then_offers_undo(app, sales_client, area, url, restore):
    world = make_inventory()
    ids = {"zone": world["top"].id, "advertiser": world["campaign"].advertiser_id,
           "insert": world["insert"].id, "layout": world["layout"].id}
    assert 'name="confirmed"' in sales_client.post(url.format(**ids)).text
    response = sales_client.post(url.format(**ids), data=YES, follow_redirects=True)
    action, _fields = undo_form(response.text)
    assert action == restore.format(**ids)
    assert sales_client.post(action).status_code == 303
    model = {"zone": Zone, "layout": Layout}.get(area)
    if model:
        assert not db.session.get(model, ids[area]).archived


def test_undo_of_a_creative_puts_it_back_switched_on(app, sales_client):
    campaign = make_campaign([make_zone(make_site())], creatives=[image_creative()])
    creative = campaign.creatives[0]
    response = sales_client.post(f"/creatives/{creative.id}/remove", data=YES,
                                 follow_redirects=True)
    action, fields = undo_form(response.text)
    assert fields == {"switch_on": "yes"}
    sales_client.post(action, data=fields)
    creative = db.session.get(Creative, creative.id)
    assert not creative.archived and creative.active


def test_placement_cross_asks_without_javascript_and_undo_puts_it_back(app, sales_client):
    world = make_inventory()
    layout = world["layout"]
    before = [(p.position, p.where, p.paragraph, p.zone_id, p.insert_id)
              for p in layout.placements]
    second = layout.placements[1]  # the insert after paragraph 2
    url = f"/layouts/{layout.id}/placements/{second.id}/remove"
    asked = sales_client.post(url)
    assert asked.status_code == 200
    assert "Après le paragraphe 2" in asked.text and 'name="confirmed"' in asked.text
    response = sales_client.post(url, data=YES, headers=HX)  # the editor's htmx ✕
    assert response.status_code == 200 and 'id="editor"' in response.text
    assert "retiré du gabarit" in response.text
    db.session.expire_all()
    assert len(db.session.get(Layout, layout.id).placements) == len(before) - 1
    action, fields = undo_form(response.text)
    assert action == f"/layouts/{layout.id}/placements/put-back"
    assert sales_client.post(action, data=fields).status_code == 303
    db.session.expire_all()
    after = [(p.position, p.where, p.paragraph, p.zone_id, p.insert_id)
             for p in db.session.get(Layout, layout.id).placements]
    assert after == before


def test_putting_back_junk_is_refused_and_changes_nothing(app, sales_client):
    world = make_inventory()
    layout = world["layout"]
    count = len(layout.placements)
    response = sales_client.post(f"/layouts/{layout.id}/placements/put-back", data={
        "what": "zone:999999", "where": "after_paragraph", "paragraph": "x", "position": "-3"})
    assert response.status_code == 422
    db.session.expire_all()
    assert len(db.session.get(Layout, layout.id).placements) == count


def test_viewer_may_not_undo(app, as_role):
    world = make_inventory()
    advertiser = make_advertiser("Autre")
    assert as_role("viewer").get(f"/advertisers/{advertiser.id}/remove").status_code == 403
    assert as_role("viewer").post(
        f"/layouts/{world['layout'].id}/placements/put-back").status_code == 403


def test_undo_of_an_advertiser_brings_back_the_campaigns_archived_with_it(app, sales_client):
    advertiser = make_advertiser("Boulangerie Martin")
    zone = make_zone(make_site())
    running = make_campaign([zone], name="Noël", advertiser=advertiser)
    ended = make_campaign([zone], name="Été", advertiser=advertiser)
    sales_client.post(f"/campaigns/{ended.id}/remove", data=YES,  # archived on its own, before
                      follow_redirects=True)
    response = sales_client.post(f"/advertisers/{advertiser.id}/remove", data=YES,
                                 follow_redirects=True)
    db.session.expire_all()
    assert db.session.get(Campaign, running.id).archived
    action, _fields = undo_form(response.text)
    restored = sales_client.post(action)
    assert restored.status_code == 303, restored.text
    db.session.expire_all()
    assert not db.session.get(type(advertiser), advertiser.id).archived
    assert not db.session.get(Campaign, running.id).archived
    assert db.session.get(Campaign, ended.id).archived
