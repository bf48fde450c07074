"""Creatives: image uploads checked by content and size, HTML in a sandbox, text ads."""

import io
from pathlib import Path

from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory.images import check_image
from ad_manager.models import AuditEntry, Creative
from tests.dashboard.conftest import YES
from tests.factories import make_advertiser, make_campaign, make_site, make_zone, png_bytes


def booked_campaign(state="draft", site_key="quotidien"):
    zone = make_zone(make_site(key=site_key))
    return make_campaign([zone], advertiser=make_advertiser(), state=state)


def upload(client, campaign, data: bytes, filename="banniere.png", **fields):
    form = {"name": "Bannière", "alt_text": "Librairie du Centre", "weight": "1",
            "active": "y", "click_url": "https://librairie-du-centre.fr/noel",
            "image": (io.BytesIO(data), filename)}
    form.update(fields)
    return client.post(f"/creatives/new/{campaign.id}/image", data=form,
                       content_type="multipart/form-data")


def test_image_of_a_booked_size_is_stored_under_a_random_name_and_served(app, sales_client,
                                                                          client):
    campaign = booked_campaign()
    response = upload(sales_client, campaign, png_bytes(728, 90))
    assert response.status_code == 303
    creative = db.session.scalar(db.select(Creative))
    assert (creative.kind, creative.size, creative.image_type) == ("image", "728x90", "image/png")
    assert creative.image_file.endswith(".png") and "banniere" not in creative.image_file
    assert (Path(app.config["UPLOAD_FOLDER"]) / creative.image_file).exists()
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert f'src="/media/{creative.image_file}" width="728" height="90"' in page
    media = client.get(f"/media/{creative.image_file}")
    assert media.status_code == 200
    assert media.mimetype == "image/png"
    assert "max-age=31536000" in media.headers["Cache-Control"]
    assert "Set-Cookie" not in media.headers
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "creative"))


def test_image_whose_size_no_booked_zone_takes_is_refused(app, sales_client):
    campaign = booked_campaign()
    response = upload(sales_client, campaign, png_bytes(300, 250))
    assert response.status_code == 422
    assert "L’image mesure 300x250" in response.text
    assert db.session.scalar(db.select(Creative)) is None


def test_a_fake_image_is_refused_whatever_its_name(app, sales_client):
    campaign = booked_campaign()
    response = upload(sales_client, campaign, b"<script>alert(1)</script>" * 10,
                      filename="pub.png")
    assert response.status_code == 422
    assert "pas une image" in response.text
    assert db.session.scalar(db.select(Creative)) is None
    assert not list(Path(app.config["UPLOAD_FOLDER"]).glob("*"))


def test_an_oversized_upload_is_refused(app, sales_client):
    campaign = booked_campaign()
    big = png_bytes(970, 250, noise=True)
    assert len(big) > app.config["UPLOAD_MAX_BYTES"]
    response = upload(sales_client, campaign, big)
    assert response.status_code == 422
    assert "trop lourd" in response.text
    assert db.session.scalar(db.select(Creative)) is None


def test_check_image_reads_the_type_from_the_content(app):
    image = check_image(png_bytes(320, 100, kind="JPEG"), ["320x100"], 300_000)
    assert (image.mime_type, image.extension, image.size) == ("image/jpeg", ".jpg", "320x100")
    try:
        check_image(b"GIF89a not really", ["320x100"], 300_000)
    except Invalid as invalid:
        assert "image" in invalid.errors
    else:
        raise AssertionError("a fake GIF passed")


def test_javascript_and_other_schemes_are_refused_as_click_url(app, sales_client):
    campaign = booked_campaign()
    for url in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi",
                "ftp://example.fr/x", "//example.fr", "example.fr"):
        response = sales_client.post(f"/creatives/new/{campaign.id}/text", data={
            "headline": "Offre", "click_url": url, "weight": "1", "active": "y"})
        assert response.status_code == 422, url
        assert "http:// ou https://" in response.text
    assert db.session.scalar(db.select(Creative)) is None


def test_text_creative_needs_a_headline_and_a_weight_of_zero_or_more(app, sales_client):
    campaign = booked_campaign()
    response = sales_client.post(f"/creatives/new/{campaign.id}/text", data={
        "headline": "", "click_url": "https://velos-martin.fr", "weight": "-2"})
    assert response.status_code == 422
    assert "Donnez un titre" in response.text and "Le poids doit être" in response.text
    response = sales_client.post(f"/creatives/new/{campaign.id}/text", data={
        "headline": "Vélos Martin", "body": "Révision offerte en décembre",
        "click_url": "https://velos-martin.fr", "weight": "0", "active": "y"})
    assert response.status_code == 303
    assert "Révision offerte" in sales_client.get(f"/campaigns/{campaign.id}").text


def test_html_creative_is_previewed_in_a_sandboxed_frame_of_its_size(app, sales_client):
    campaign = booked_campaign()
    html = '<div style="background:#c00">Pub <script>document.write(1)</script></div>'
    response = sales_client.post(f"/creatives/new/{campaign.id}/html", data={
        "size": "970x250", "html": html, "click_url": "https://example.fr", "weight": "1"})
    assert response.status_code == 422  # not a size of the booked zone
    assert "La taille doit être" in response.text
    response = sales_client.post(f"/creatives/new/{campaign.id}/html", data={
        "size": "320x100", "html": html, "click_url": "https://example.fr", "weight": "1"})
    assert response.status_code == 303
    creative = db.session.scalar(db.select(Creative))
    assert creative.html == html
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert ('sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" src="/creatives/'
            f'{creative.id}/frame" width="320" height="100"') in page
    assert "<script>document.write" not in page
    frame = sales_client.get(f"/creatives/{creative.id}/frame")
    assert html in frame.text
    assert frame.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")


def test_creative_of_a_live_campaign_is_archived_not_deleted(app, sales_client):
    draft, live = booked_campaign(), booked_campaign(state="active", site_key="autre")
    for campaign in (draft, live):
        sales_client.post(f"/creatives/new/{campaign.id}/text", data={
            "headline": "Offre", "click_url": "https://example.fr", "weight": "1", "active": "y"})
    first, second = db.session.scalars(db.select(Creative).order_by(Creative.id)).all()
    first_id, second_id = first.id, second.id
    assert sales_client.post(f"/creatives/{first_id}/remove", data=YES).status_code == 303
    assert sales_client.post(f"/creatives/{second_id}/remove", data=YES).status_code == 303
    db.session.expire_all()
    assert db.session.get(Creative, first_id) is None
    kept = db.session.get(Creative, second_id)
    assert kept.archived and not kept.active


def test_viewer_cannot_add_or_remove_creatives(app, viewer_client):
    campaign = booked_campaign()
    response = viewer_client.post(f"/creatives/new/{campaign.id}/text", data={
        "headline": "Offre", "click_url": "https://example.fr", "weight": "1"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(Creative)) is None


def test_unknown_media_file_is_404_without_cookie(app, client):
    response = client.get("/media/nothing-here.png")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers


def test_editing_an_image_creative_keeps_or_replaces_the_file(app, sales_client):
    campaign = booked_campaign()
    upload(sales_client, campaign, png_bytes(728, 90))
    creative = db.session.scalar(db.select(Creative))
    first_file = creative.image_file
    edit = {"name": "Bannière", "alt_text": "Nouvelle offre", "weight": "2", "active": "y",
            "click_url": "https://librairie-du-centre.fr/soldes"}
    response = sales_client.post(f"/creatives/{creative.id}/edit", data=edit)
    assert response.status_code == 303
    db.session.refresh(creative)
    assert (creative.image_file, creative.alt_text, creative.weight) == (first_file,
                                                                         "Nouvelle offre", 2)
    wrong = {**edit, "image": (io.BytesIO(png_bytes(160, 600)), "sky.png")}
    response = sales_client.post(f"/creatives/{creative.id}/edit", data=wrong,
                                 content_type="multipart/form-data")
    assert response.status_code == 422
    right = {**edit, "image": (io.BytesIO(png_bytes(320, 100)), "mobile.png")}
    response = sales_client.post(f"/creatives/{creative.id}/edit", data=right,
                                 content_type="multipart/form-data")
    assert response.status_code == 303
    db.session.refresh(creative)
    assert creative.size == "320x100" and creative.image_file != first_file
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "update")
                              .order_by(AuditEntry.id.desc()))
    assert entry.changes["height"] == [90, 100]


def test_deleting_a_draft_campaign_deletes_its_creatives_and_their_files(app, sales_client):
    campaign = booked_campaign()
    upload(sales_client, campaign, png_bytes(728, 90))
    stored = Path(app.config["UPLOAD_FOLDER"]) / db.session.scalar(db.select(Creative)).image_file
    assert sales_client.post(f"/campaigns/{campaign.id}/remove", data=YES).status_code == 303
    assert db.session.scalar(db.select(Creative)) is None
    assert not stored.exists()


def test_uploads_go_to_instance_uploads_unless_configured(tmp_path):
    from tests.conftest import make_app

    app = make_app("sqlite:///" + str(tmp_path / "x.sqlite3"))
    assert app.config["UPLOAD_FOLDER"] == str(Path(app.instance_path) / "uploads")


def test_campaign_page_names_booked_sizes_without_a_creative(app, sales_client):
    campaign = booked_campaign()
    upload(sales_client, campaign, png_bytes(728, 90))
    from ad_manager.inventory.creatives import uncovered_sizes

    db.session.refresh(campaign)
    assert uncovered_sizes(campaign) == ["320x100"]
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert "Aucune création active pour 320×100" in page
