"""The write steps every service shares: a change is logged once, a no-op writes nothing."""

import pytest
import sqlalchemy as sa

from ad_manager import saving
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory.zones import create_zone, update_zone
from ad_manager.models import AuditEntry, Zone
from ad_manager.models.version import current_inventory_version
from tests.factories import make_site, make_zone


def version() -> int:
    return current_inventory_version(db.session.connection())


def entries() -> list[tuple[str, dict | None]]:
    return [(e.action, e.changes) for e in db.session.scalars(
        sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_setting_a_served_row_to_the_values_it_has_bumps_no_version(app):
    zone = make_zone(make_site())
    before = version()
    zone.label, zone.sizes = zone.label, list(zone.sizes)  # marked dirty, changed nothing
    db.session.commit()
    assert version() == before
    zone.label = "Annonce"
    db.session.commit()
    assert version() == before + 1


def test_change_logs_what_differs_and_nothing_when_nothing_does(app):
    zone = make_zone(make_site())
    assert saving.change(zone, {"label": zone.label, "unsold": zone.unsold}, "zone") == {}
    db.session.commit()
    assert entries() == []
    changes = saving.change(zone, {"label": "Annonce", "unsold": zone.unsold}, "zone")
    db.session.commit()
    assert changes == {"label": ["Publicité", "Annonce"]}
    assert entries() == [("update", {"label": ["Publicité", "Annonce"]})]


def zone_data(site, **fields) -> dict:
    return {"site_id": site.id, "name": "Bannière", "slug": "", "sizes": ["728x90"],
            "custom_sizes": "", "size_map": "", "label": "Publicité", "unsold": "house"} | fields


def test_zone_service_saves_once_and_skips_a_repeated_save(app):
    site = make_site()
    zone = create_zone(zone_data(site))
    db.session.commit()
    start = version()
    update_zone(zone, zone_data(site))
    db.session.commit()
    assert (version(), [action for action, _changes in entries()]) == (start, ["create"])


def test_refused_values_raise_one_error_per_field_and_write_nothing(app):
    site = make_site()
    with pytest.raises(Invalid) as refused:
        create_zone(zone_data(site, name="", slug="banniere", unsold="never", sizes=[]))
    assert set(refused.value.errors) == {"name", "unsold", "sizes"}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Zone.id))) == 0
    assert entries() == []
