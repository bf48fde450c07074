"""Duplicating a campaign for a renewal: a draft copy with its creatives and bookings,
new dates asked (same length, from tomorrow), landing on the copy's edit page."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Campaign, Creative
from tests.factories import (
    image_creative,
    make_advertiser,
    make_campaign,
    make_site,
    make_zone,
    png_bytes,
)

PARIS = ZoneInfo("Europe/Paris")


def renewal(app):
    """A live image + text campaign of two weeks, its image stored in the upload folder."""
    site = make_site()
    zones = [make_zone(site), make_zone(site, "colonne", [{"min_width": 0, "sizes": ["300x250"]}])]
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "banner.png").write_bytes(png_bytes(728, 90))
    start = datetime(2026, 11, 2, tzinfo=PARIS).astimezone(ZoneInfo("UTC"))
    text = Creative(kind="text", headline="Pain d’épices", body="Depuis 1920",
                    click_url="https://boulangerie.example/noel", weight=2)
    gone = image_creative(300, 250, name="ancienne")
    gone.archived_at = start
    campaign = make_campaign(zones, name="Boulangerie Martin", advertiser=make_advertiser(),
                             starts_at=start, ends_at=start + timedelta(days=14),
                             goal_impressions=50_000, target_sections=["culture"],
                             creatives=[image_creative(728, 90, image_file="banner.png"), text,
                                        gone])
    return campaign, folder


def test_the_form_offers_a_copy_name_and_the_same_length_from_tomorrow(app, sales_client):
    campaign, _folder = renewal(app)
    page = sales_client.get(f"/campaigns/{campaign.id}/duplicate").text
    assert 'value="Boulangerie Martin (copie)"' in page
    tomorrow = datetime.now(PARIS).date() + timedelta(days=1)
    assert f'value="{tomorrow.isoformat()}T00:00"' in page
    assert f'value="{(tomorrow + timedelta(days=14)).isoformat()}T00:00"' in page
    english = sales_client.get(f"/campaigns/{campaign.id}/duplicate",
                               headers={"Accept-Language": "en"})
    assert "Boulangerie Martin (cop" in english.text


def test_duplicate_is_a_draft_with_creatives_and_zones_and_lands_on_its_edit_page(
        app, staff, sales_client):
    campaign, folder = renewal(app)
    campaign.salesperson_id = staff["sales"].id
    db.session.commit()
    response = sales_client.post(f"/campaigns/{campaign.id}/duplicate", data={
        "name": "Boulangerie Martin 2027", "starts_at": "2027-01-04T00:00",
        "ends_at": "2027-01-18T00:00"})
    assert response.status_code == 303
    copy = db.session.scalar(db.select(Campaign).where(Campaign.name == "Boulangerie Martin 2027"))
    assert response.headers["Location"] == f"/campaigns/{copy.id}/edit"
    assert copy.state == "draft" and copy.advertiser_id == campaign.advertiser_id
    assert copy.salesperson_id == staff["sales"].id
    assert copy.starts_at == datetime(2027, 1, 4, tzinfo=PARIS)
    assert [z.id for z in copy.zones] == [z.id for z in campaign.zones]
    assert (copy.goal_impressions, copy.target_sections) == (50_000, ["culture"])
    kinds = sorted((c.kind, c.size, c.headline) for c in copy.creatives)
    assert kinds == [("image", "728x90", None), ("text", None, "Pain d’épices")]  # not archived
    image = next(c for c in copy.creatives if c.kind == "image")
    assert image.image_file != "banner.png"  # its own file: deleting one keeps the other
    assert (folder / image.image_file).read_bytes() == (folder / "banner.png").read_bytes()
    logged = db.session.scalars(db.select(AuditEntry.object_type).where(
        AuditEntry.action == "create")).all()
    assert logged.count("campaign") == 1 and logged.count("creative") == 2
    # Deleting the draft copy takes its own files only.
    sales_client.post(f"/campaigns/{copy.id}/remove", data={"confirmed": "yes"})
    assert (folder / "banner.png").exists() and not (folder / image.image_file).exists()


def test_bad_dates_are_refused_and_nothing_is_copied(app, sales_client):
    campaign, _folder = renewal(app)
    before = db.session.scalar(db.select(db.func.count(Campaign.id)))
    response = sales_client.post(f"/campaigns/{campaign.id}/duplicate", data={
        "name": "", "starts_at": "2027-01-18T00:00", "ends_at": "2027-01-04T00:00"})
    assert response.status_code == 422
    assert "La fin doit venir après le début." in response.text
    response = sales_client.post(f"/campaigns/{campaign.id}/duplicate", data={
        "name": "x", "starts_at": "junk", "ends_at": "99999-01-01T00:00"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Campaign.id))) == before
    assert db.session.scalar(db.select(db.func.count(Creative.id))) == 3


def test_viewers_may_not_duplicate(app, as_role):
    campaign, _folder = renewal(app)
    assert as_role("viewer").get(f"/campaigns/{campaign.id}/duplicate").status_code == 403
