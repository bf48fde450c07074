"""Client links on the campaign's page: sales make one (its address shown once, only its
hash stored), the list shows its last opening, revoking is audited, needs its CSRF token
and shuts the link."""

import re

import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, ClientLink, utcnow
from ad_manager.models.client_link import token_hash
from tests.dashboard.conftest import YES
from tests.factories import make_campaign, make_client_link, make_world

ADDRESS = re.compile(r"http://localhost/client/(\d+)/([A-Za-z0-9_-]+)")


def links():
    return db.session.scalars(sa.select(ClientLink).order_by(ClientLink.id)).all()


def audit(action):
    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "clientlink", AuditEntry.action == action)).all()


def test_sales_make_a_client_link_shown_once_and_listed(sales_client, client):
    world = make_world()
    response = sales_client.post(f"/campaigns/{world.campaign.id}/client-links")
    assert response.status_code == 201
    campaign_id, token = ADDRESS.search(response.text).groups()
    assert int(campaign_id) == world.campaign.id
    [link] = links()
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert 89 <= (link.expires_at - utcnow()).days <= 90
    assert link.created_by.email == "sales@example.fr"
    assert [entry.actor for entry in audit("create")] == ["sales@example.fr"]
    page = sales_client.get(f"/campaigns/{world.campaign.id}").text
    assert "Liens client" in page and "jamais" in page and token not in page
    assert client.get(f"/client/{campaign_id}/{token}").status_code == 200
    page = sales_client.get(f"/campaigns/{world.campaign.id}").text
    assert "jamais" not in page.split('id="client-links"')[1].split("</section>")[0]


def test_viewers_see_links_but_cannot_make_or_revoke_them(viewer_client):
    world = make_world()
    link, _token = make_client_link(world.campaign)
    page = viewer_client.get(f"/campaigns/{world.campaign.id}").text
    assert 'id="client-links"' in page and "new-client-link" not in page
    assert viewer_client.post(f"/campaigns/{world.campaign.id}/client-links").status_code == 403
    revoke = f"/campaigns/{world.campaign.id}/client-links/{link.id}/revoke"
    assert viewer_client.post(revoke).status_code == 403
    assert len(links()) == 1 and links()[0].revoked_at is None


def test_revoking_shuts_the_link_once_and_is_audited(sales_client, client):
    world = make_world()
    link, token = make_client_link(world.campaign)
    revoke = f"/campaigns/{world.campaign.id}/client-links/{link.id}/revoke"
    asked = sales_client.post(revoke)  # without JavaScript: the confirm page asks first
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.text
    db.session.refresh(link)
    assert link.revoked_at is None
    response = sales_client.post(revoke, data=YES)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/campaigns/{world.campaign.id}#client-links")
    db.session.refresh(link)
    assert link.revoked_at is not None
    assert client.get(f"/client/{world.campaign.id}/{token}").status_code == 404
    assert sales_client.post(revoke, data=YES).status_code == 303  # twice: nothing written
    [entry] = audit("update")
    assert "revoked_at" in entry.changes and entry.actor == "sales@example.fr"
    assert "Révoqué" in sales_client.get(f"/campaigns/{world.campaign.id}").text


def test_revoking_needs_the_forms_csrf_token(app, sales_client):
    world = make_world()
    link, _token = make_client_link(world.campaign)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = sales_client.post(
            f"/campaigns/{world.campaign.id}/client-links/{link.id}/revoke", data=YES)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.refresh(link)
    assert link.revoked_at is None and audit("update") == []


def test_a_link_is_revoked_only_through_its_own_campaign(sales_client):
    world = make_world()
    other = make_campaign([world.zone], name="Autre")
    link, _token = make_client_link(world.campaign)
    sales_client.post(f"/campaigns/{other.id}/client-links/{link.id}/revoke")
    db.session.refresh(link)
    assert link.revoked_at is None
    assert sales_client.post(f"/campaigns/{world.campaign.id}/client-links/999/revoke"
                             ).status_code == 404


def test_an_archived_campaign_gets_no_new_link(sales_client):
    world = make_world()
    world.campaign.archived_at = utcnow()
    db.session.commit()
    response = sales_client.post(f"/campaigns/{world.campaign.id}/client-links",
                                 follow_redirects=True)
    assert "Restaurez la campagne" in response.text
    assert links() == [] and audit("create") == []
