"""Saving a form without changing anything writes nothing: no audit entry, no new inventory.

Every area's edit page is loaded, its form posted back once (which may tidy what the
demo wrote by hand, e.g. seconds in a flight date), then posted back again as it
stands: that second save must be accepted and leave the log and the inventory version
alone, so that no serving process reloads its snapshot for nothing.
"""

import pytest
import sqlalchemy as sa

from ad_manager.demo import load_demo
from ad_manager.extensions import db
from ad_manager.models import (
    Advertiser,
    Article,
    AuditEntry,
    Campaign,
    Creative,
    Insert,
    Layout,
    Site,
    User,
    Zone,
)
from ad_manager.models.version import current_inventory_version
from tests.form_fields import page_forms

# Each area's edit page, from the id of its first row.
EDIT_PAGES = {
    Site: "/sites/{}", Zone: "/zones/{}/edit", Advertiser: "/advertisers/{}/edit",
    Campaign: "/campaigns/{}/edit", Creative: "/creatives/{}/edit", Article: "/articles/{}",
    Insert: "/inserts/{}", Layout: "/layouts/{}/edit", User: "/users/{}",
}


@pytest.fixture
def world(app, staff):
    load_demo()
    db.session.commit()


def post_back(client, url: str):
    """Post the page's form with the values it shows, as a browser would."""
    page = client.get(url)
    assert page.status_code == 200, url
    form = next(f for f in page_forms(page.text) if f["action"] in ("", url))
    return client.post(url, data=form["fields"])


def log_and_version() -> tuple[int, int]:
    db.session.expire_all()
    entries = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    return entries, current_inventory_version(db.session.connection())


@pytest.mark.parametrize("model", EDIT_PAGES, ids=lambda model: model.__name__)
def test_saving_an_unchanged_form_writes_no_entry_and_bumps_no_version(
        world, admin_client, model):
    url = EDIT_PAGES[model].format(db.session.scalar(sa.select(model.id).order_by(model.id)))
    assert post_back(admin_client, url).status_code == 303
    before = log_and_version()
    response = post_back(admin_client, url)
    assert response.status_code == 303
    assert log_and_version() == before


def test_saving_an_unchanged_account_language_writes_no_entry(world, admin_client):
    assert post_back(admin_client, "/account/").status_code == 303
    before = log_and_version()
    assert post_back(admin_client, "/account/").status_code == 303
    assert log_and_version() == before


def test_a_real_change_writes_one_entry_and_bumps_the_version(world, admin_client):
    zone = db.session.scalar(sa.select(Zone).order_by(Zone.id))
    url, label = f"/zones/{zone.id}/edit", zone.label
    post_back(admin_client, url)
    entries, version = log_and_version()
    form = next(f for f in page_forms(admin_client.get(url).text) if f["action"] in ("", url))
    response = admin_client.post(url, data=form["fields"] | {"label": ["Annonce"]})
    assert response.status_code == 303
    assert log_and_version() == (entries + 1, version + 1)
    entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert (entry.action, entry.changes) == ("update", {"label": [label, "Annonce"]})
