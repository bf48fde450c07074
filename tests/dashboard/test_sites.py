"""Admins manage sites: key, domains, origins, time zone, house ad, exclusions."""

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Site
from tests.dashboard.conftest import YES


def site_form(**fields):
    data = {"name": "Le Quotidien", "key": "quotidien", "domains": "www.quotidien.fr\nquotidien.fr",
            "allowed_origins": "https://www.quotidien.fr\nhttp://localhost:*", "language": "fr",
            "timezone": "Europe/Paris", "sales_contact_url": "https://www.quotidien.fr/pub",
            "house_ad_text": "Votre Pub ici !", "discover_articles": "y",
            "excluded_user_agents": "Pingdom", "excluded_ip_ranges": "192.0.2.0/24\n2001:db8::/32"}
    data.update(fields)
    return data


def test_admin_creates_a_site_and_the_change_is_audited(admin_client):
    response = admin_client.post("/sites/new", data=site_form())
    assert response.status_code == 303
    site = db.session.scalar(db.select(Site))
    assert site.domains == ["www.quotidien.fr", "quotidien.fr"]
    assert site.allowed_origins == ["https://www.quotidien.fr", "http://localhost:*"]
    assert site.excluded_ip_ranges == ["192.0.2.0/24", "2001:db8::/32"]
    assert site.discover_articles
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "site"))
    assert "Le Quotidien" in admin_client.get("/sites/?q=quot").text


def test_bad_ip_range_and_timezone_are_refused_next_to_their_fields(admin_client):
    response = admin_client.post("/sites/new", data=site_form(
        excluded_ip_ranges="192.0.2.300/24", timezone="Mars/Olympus"))
    assert response.status_code == 422
    assert "192.0.2.300/24" in response.text
    assert "Fuseau horaire inconnu" in response.text
    assert db.session.scalar(db.select(Site)) is None


def test_duplicate_site_key_and_javascript_contact_url_are_refused(admin_client):
    admin_client.post("/sites/new", data=site_form())
    response = admin_client.post("/sites/new", data=site_form(
        name="Autre", sales_contact_url="javascript:alert(1)"))
    assert response.status_code == 422
    assert "Un autre site utilise déjà cette clé" in response.text
    assert "http://" in response.text
    assert db.session.scalar(db.select(db.func.count(Site.id))) == 1


def test_sales_cannot_manage_sites(sales_client, viewer_client):
    assert sales_client.get("/sites/").status_code == 403
    assert viewer_client.post("/sites/new", data=site_form()).status_code == 403


def test_archived_site_is_kept_and_can_be_restored(admin_client):
    admin_client.post("/sites/new", data=site_form())
    site = db.session.scalar(db.select(Site))
    assert admin_client.post(f"/sites/{site.id}/archive", data=YES).status_code == 303
    db.session.refresh(site)
    assert site.archived
    link = f'href="/sites/{site.id}"'
    assert link not in admin_client.get("/sites/").text
    assert link in admin_client.get("/sites/?archived=1").text
    admin_client.post(f"/sites/{site.id}/restore")
    db.session.refresh(site)
    assert not site.archived
