"""Sales define zones: sizes from the IAB list or custom, a size map, the unsold behaviour."""

from datetime import UTC, datetime

from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory.sizes import IAB_SIZES, parse_size, parse_size_map
from ad_manager.inventory.zones import bookings
from ad_manager.models import AuditEntry, Zone
from tests.dashboard.conftest import YES, zone_form
from tests.factories import COLUMN_MAP, make_advertiser, make_campaign, make_site, make_zone


def test_parse_size_reads_width_and_height():
    assert parse_size("728x90") == (728, 90)
    assert parse_size(" 300 × 250 ") == (300, 250)
    assert "970x250" in IAB_SIZES
    for bad in ("728", "0x90", "axb", "728x90x1", ""):
        try:
            parse_size(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_size_map_is_sorted_and_starts_at_zero(app):
    rows = parse_size_map("768: 728x90\n0: 320x100", ["728x90", "320x100"])
    assert rows == [{"min_width": 0, "sizes": ["320x100"]}, {"min_width": 768, "sizes": ["728x90"]}]
    assert parse_size_map("", ["300x250"]) == [{"min_width": 0, "sizes": ["300x250"]}]
    for text in ("768: 728x90", "0: 970x250", "zero: 320x100", "0: 320x100\n0: 728x90"):
        try:
            parse_size_map(text, ["728x90", "320x100"])
        except Invalid as invalid:
            assert "size_map" in invalid.errors
        else:
            raise AssertionError(text)


def test_sales_creates_a_responsive_zone(app, sales_client):
    site = make_site()
    response = sales_client.post("/zones/new", data=zone_form(site, custom_sizes="640x360",
                                 size_map="0: 320x100\n768: 728x90, 640x360"))
    assert response.status_code == 303
    zone = db.session.scalar(db.select(Zone))
    assert zone.sizes == ["728x90", "320x100", "640x360"]
    assert zone.size_map == [{"min_width": 0, "sizes": ["320x100"]},
                             {"min_width": 768, "sizes": ["728x90", "640x360"]}]
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "zone"))
    assert "votre-pub-ici" in sales_client.get("/zones/?q=pub").text


def test_unknown_size_is_refused_next_to_the_field(app, sales_client):
    site = make_site()
    response = sales_client.post("/zones/new", data=zone_form(site, custom_sizes="big"))
    assert response.status_code == 422
    assert "Taille inconnue" in response.text
    response = sales_client.post("/zones/new", data=zone_form(site, sizes=["999x1"]))
    assert response.status_code == 422
    assert db.session.scalar(db.select(Zone)) is None


def test_size_map_with_a_size_not_offered_is_refused(app, sales_client):
    site = make_site()
    response = sales_client.post("/zones/new", data=zone_form(
        site, size_map="0: 320x100\n768: 970x250"))
    assert response.status_code == 422
    assert "970x250" in response.text
    assert db.session.scalar(db.select(Zone)) is None


def test_duplicate_slug_on_the_same_site_is_refused(app, sales_client):
    site = make_site()
    make_zone(site)
    response = sales_client.post("/zones/new", data=zone_form(site, name="Autre"))
    assert response.status_code == 422
    assert "utilise déjà ce slug" in response.text
    other = make_site(key="autre")
    assert sales_client.post("/zones/new", data=zone_form(other)).status_code == 303


def test_zone_page_shows_what_is_booked_now_and_next(app, viewer_client):
    zone = make_zone(make_site())
    advertiser = make_advertiser()
    make_campaign([zone], advertiser=advertiser, name="En cours")
    make_campaign([zone], advertiser=advertiser, days=(5, 10), name="Bientôt")
    make_campaign([zone], advertiser=advertiser, state="draft", name="Brouillon")
    booked = bookings(zone, datetime.now(UTC))
    assert [c.name for c in booked["now"]] == ["En cours"]
    assert [c.name for c in booked["next"]] == ["Bientôt"]
    page = viewer_client.get(f"/zones/{zone.id}").text
    assert "En cours" in page and "Bientôt" in page and "Brouillon" not in page


def test_viewer_reads_zones_but_cannot_change_them(app, viewer_client):
    site = make_site()
    zone = make_zone(site)
    assert viewer_client.get("/zones/").status_code == 200
    assert viewer_client.post("/zones/new", data=zone_form(site, slug="x")).status_code == 403
    assert viewer_client.post(f"/zones/{zone.id}/remove").status_code == 403


def test_zone_that_delivered_is_archived_and_an_unused_one_deleted(app, sales_client):
    site = make_site()
    used, unused = make_zone(site), make_zone(site, "colonne", COLUMN_MAP)
    make_campaign([used], advertiser=make_advertiser())
    assert sales_client.post(f"/zones/{used.id}/remove", data=YES).status_code == 303
    assert sales_client.post(f"/zones/{unused.id}/remove", data=YES).status_code == 303
    zones = db.session.scalars(db.select(Zone)).all()
    assert [z.slug for z in zones] == ["votre-pub-ici"]
    assert zones[0].archived
    actions = {e.action for e in db.session.scalars(db.select(AuditEntry))}
    assert {"archive", "delete"} <= actions
    assert "Restaurer" in sales_client.get(f"/zones/{used.id}").text
    assert sales_client.post(f"/zones/{used.id}/restore").status_code == 303
    db.session.refresh(zones[0])
    assert not zones[0].archived
