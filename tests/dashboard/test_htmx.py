"""htmx requests get fragments; boosted navigations and history restores full pages."""


def test_plain_request_gets_the_full_page(admin_client):
    response = admin_client.get("/users/")
    assert "<html" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_request_gets_the_content_fragment(admin_client):
    response = admin_client.get("/users/", headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "admin@example.fr" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_request_gets_the_full_page(admin_client):
    response = admin_client.get("/users/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in response.text


def test_history_restore_gets_the_full_page(admin_client):
    response = admin_client.get("/users/", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.text


def test_pages_carry_the_csrf_header_and_load_vendored_htmx(admin_client):
    page = admin_client.get("/").text
    assert 'hx-boost="true"' in page
    assert '"X-CSRFToken"' in page
    assert "/static/vendor/htmx-2.0.11.min.js" in page
    assert admin_client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200
