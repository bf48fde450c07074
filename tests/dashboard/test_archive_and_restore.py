"""Every area archives and restores the same way: through its service, and from the dashboard.

Archiving keeps the row (reports need it) and logs it; archiving twice, or restoring
what is live, writes nothing.
"""

import pytest
import sqlalchemy as sa

from ad_manager.catalog.inserts import archive_insert, restore_insert
from ad_manager.demo import load_demo
from ad_manager.extensions import db
from ad_manager.inventory.advertisers import remove_advertiser, restore_advertiser
from ad_manager.inventory.campaigns import remove_campaign, restore_campaign
from ad_manager.inventory.creatives import remove_creative, restore_creative
from ad_manager.inventory.sites import archive_site, restore_site
from ad_manager.inventory.zones import remove_zone, restore_zone
from ad_manager.layouts.editing import archive_layout, restore_layout
from ad_manager.models import (
    Advertiser,
    AuditEntry,
    Campaign,
    Creative,
    Insert,
    Layout,
    Site,
    Zone,
)
from ad_manager.models.version import current_versions
from tests.dashboard.conftest import YES

# Each area's services; the demo's rows have all delivered, so removing archives them.
SERVICES = {
    Site: (archive_site, restore_site),
    Zone: (remove_zone, restore_zone),
    Advertiser: (remove_advertiser, restore_advertiser),
    Campaign: (lambda campaign: remove_campaign(campaign, ""), restore_campaign),
    Creative: (lambda creative: remove_creative(creative, ""), restore_creative),
    Insert: (archive_insert, restore_insert),
    Layout: (archive_layout, restore_layout),
}
# Each area's buttons, and who may press them.
BUTTONS = {
    Site: ("/sites/{}/archive", "/sites/{}/restore", "admin"),
    Zone: ("/zones/{}/remove", "/zones/{}/restore", "sales"),
    Advertiser: ("/advertisers/{}/remove", "/advertisers/{}/restore", "sales"),
    Campaign: ("/campaigns/{}/remove", "/campaigns/{}/restore", "sales"),
    Creative: ("/creatives/{}/remove", "/creatives/{}/restore", "sales"),
    Insert: ("/inserts/{}/archive", "/inserts/{}/restore", "sales"),
    Layout: ("/layouts/{}/archive", "/layouts/{}/restore", "admin"),
}


@pytest.fixture
def world(app, staff):
    load_demo()
    db.session.commit()


def first(model):
    return db.session.scalar(sa.select(model).order_by(model.id))


def actions(obj) -> list[str]:
    """The logged actions on ``obj``, oldest first."""
    return list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == type(obj).__name__.lower(), AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.id)))


def version() -> int:
    """Give how many times serving was told to reload: the inventory counter, plus the
    campaigns' (campaigns and creatives written are read again alone)."""
    inventory, _catalog, campaigns = current_versions(db.session.connection())
    return inventory + campaigns


@pytest.mark.parametrize("model", SERVICES, ids=lambda model: model.__name__)
def test_service_archives_and_restores_and_logs_each_once(world, model):
    archive, restore = SERVICES[model]
    obj = first(model)
    start = version()
    archive(obj)
    db.session.commit()
    assert obj.archived and actions(obj) == ["archive"]
    archive(obj)
    db.session.commit()
    assert actions(obj) == ["archive"]
    assert restore(obj) is True
    db.session.commit()
    assert not obj.archived and actions(obj) == ["archive", "restore"]
    assert restore(obj) is False
    db.session.commit()
    assert actions(obj) == ["archive", "restore"]
    if model is not Advertiser:  # advertisers are not served: the version tells servers
        assert version() == start + 2


@pytest.mark.parametrize("model", BUTTONS, ids=lambda model: model.__name__)
def test_dashboard_archives_and_restores_for_staff_of_the_role(world, as_role, model):
    archive_url, restore_url, role = BUTTONS[model]
    obj = first(model)
    viewer = as_role("viewer")
    assert viewer.post(archive_url.format(obj.id)).status_code == 403
    client = as_role(role)
    assert client.post(archive_url.format(obj.id), data=YES).status_code == 303
    db.session.refresh(obj)
    assert obj.archived
    assert viewer.post(restore_url.format(obj.id)).status_code == 403
    response = client.post(restore_url.format(obj.id), follow_redirects=True)
    assert response.status_code == 200
    assert "restauré" in response.text  # the flash says it, in French by default
    db.session.refresh(obj)
    assert not obj.archived and actions(obj) == ["archive", "restore"]


def test_archived_layouts_are_listed_for_restoring(world, admin_client):
    layout = first(Layout)
    admin_client.post(f"/layouts/{layout.id}/archive", data=YES)
    page = admin_client.get("/layouts/?archived=1").text
    assert f"/layouts/{layout.id}/restore" in page
    assert f"/layouts/{layout.id}/restore" not in admin_client.get("/layouts/").text


def test_archived_creative_offers_restore_on_its_campaign(world, sales_client):
    creative = first(Creative)
    sales_client.post(f"/creatives/{creative.id}/remove", data=YES)
    page = sales_client.get(f"/campaigns/{creative.campaign_id}").text
    assert f"/creatives/{creative.id}/restore" in page
    sales_client.post(f"/creatives/{creative.id}/restore")
    db.session.refresh(creative)
    assert not creative.archived and not creative.active  # back, switched off until chosen
