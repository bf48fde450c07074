"""Error pages, JSON errors and security headers."""

from ad_manager.extensions import db
from tests.conftest import make_app


def test_404_is_a_page_in_the_house_style(admin_client):
    response = admin_client.get("/nowhere")
    assert response.status_code == 404
    assert "Cette page n’existe pas" in response.text
    assert 'card error-card' in response.text


def test_404_is_json_for_json_clients(client):
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_crash_gives_a_500_page_and_rolls_back(database_url, app):
    crashing = make_app(database_url, TESTING=False)

    @crashing.get("/boom")
    def boom():
        db.session.execute(db.text("select 1"))
        raise RuntimeError("boom")

    with crashing.app_context():
        response = crashing.test_client().get("/boom")
        assert response.status_code == 500
        assert "Une erreur est survenue" in response.text
        json = crashing.test_client().get("/boom", headers={"Accept": "application/json"})
        assert json.status_code == 500
        assert json.json["status"] == 500
        db.session.remove()


def test_dashboard_pages_carry_security_headers(admin_client):
    response = admin_client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
