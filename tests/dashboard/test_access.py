"""Every dashboard URL needs a signed-in user and the right role (enumerated, so a
new route cannot forget)."""

import pytest
from werkzeug.routing import IntegerConverter

from ad_manager.models import Role
from ad_manager.wings import PUBLIC_BLUEPRINTS

# Endpoints anyone may reach: sign-in pages, static files, the public serving wing.
PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.logout", "auth.first_run"}


def dashboard_urls(app):
    """Give (url, method, endpoint) for every dashboard rule, with dummy arguments."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in PUBLIC_ENDPOINTS:
                continue
            if rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS:
                continue
            values = {}
            for arg in rule.arguments:
                numeric = isinstance(rule._converters[arg], IntegerConverter)
                values[arg] = 1 if numeric else "x"
            url = rule.build(values, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield url, method, rule.endpoint


def test_there_are_dashboard_routes(app):
    assert len(list(dashboard_urls(app))) >= 5


def test_anonymous_user_is_sent_to_login_everywhere(app, staff):
    client = app.test_client()
    for url, method, endpoint in dashboard_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert "/login" in response.headers["Location"], endpoint


def test_each_role_gets_403_where_it_lacks_the_right(app, as_role):
    from ad_manager.auth.roles import required_role

    clients = {role: as_role(role.value) for role in Role}
    checked = 0
    for url, method, endpoint in dashboard_urls(app):
        needed = required_role(endpoint)
        for role, client in clients.items():
            if role.includes(needed):
                continue
            response = client.open(url, method=method)
            assert response.status_code == 403, (endpoint, method, role, response.status_code)
            checked += 1
    assert checked > 0


def test_viewer_reaches_home_and_admin_reaches_users(viewer_client, admin_client):
    assert viewer_client.get("/").status_code == 200
    assert admin_client.get("/users/").status_code == 200
    assert viewer_client.get("/users/").status_code == 403


@pytest.mark.parametrize("role", ["admin", "sales", "viewer"])
def test_deactivated_user_cannot_use_the_dashboard(app, staff, role):
    from ad_manager.extensions import db
    from tests.conftest import sign_in

    staff[role].active = False
    db.session.commit()
    client = app.test_client()
    response = sign_in(client, staff[role].email)
    assert response.status_code == 422
    assert client.get("/").status_code == 302
