"""Sessions the server ends: a copied cookie after sign-out, other sessions after a
new password, a role change or a deactivation, "sign out everywhere", idle time."""

import re
import time

from ad_manager.auth.sessions import LAST_SEEN
from ad_manager.extensions import db
from ad_manager.models import AuditEntry
from tests.conftest import PASSWORD, make_app, sign_in
from tests.factories import SECRET

NEW_PASSWORD = "another long password"


def copy_of(app, client):
    """A second browser holding a copy of ``client``'s session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def refused(client) -> bool:
    """Tell whether the dashboard sends this browser to the sign-in page."""
    response = client.get("/reports/")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, viewer_client):
    stolen = copy_of(app, viewer_client)
    assert stolen.get("/reports/").status_code == 200
    viewer_client.post("/logout")
    assert refused(viewer_client) and refused(stolen)


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, staff, viewer_client):
    laptop = app.test_client()
    assert sign_in(laptop, staff["viewer"].email).status_code == 302
    response = viewer_client.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert refused(laptop)
    assert viewer_client.get("/reports/").status_code == 200
    assert sign_in(laptop, staff["viewer"].email, NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_ends_nothing(app, staff, viewer_client):
    laptop = copy_of(app, viewer_client)
    response = viewer_client.post("/account/password", data={
        "current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 422
    assert laptop.get("/reports/").status_code == 200


def test_a_role_change_or_deactivation_ends_the_users_sessions(app, staff, admin_client,
                                                               sales_client):
    sales = staff["sales"]
    form = {"name": "Sales", "role": "viewer", "language": "", "active": "y"}
    assert admin_client.post(f"/users/{sales.id}", data=form).status_code == 303
    assert refused(sales_client)
    again = app.test_client()
    assert sign_in(again, sales.email).status_code == 302
    assert again.get("/campaigns/new").status_code == 403  # a viewer now
    admin_client.post(f"/users/{sales.id}", data=form)  # nothing changed: nothing ends
    assert again.get("/reports/").status_code == 200
    assert admin_client.post(f"/users/{sales.id}", data={**form, "active": ""}
                             ).status_code == 303
    assert refused(again)
    assert sign_in(app.test_client(), sales.email).status_code == 422


def test_sign_out_everywhere_ends_every_session_of_the_account(app, staff, sales_client):
    phone = app.test_client()
    sign_in(phone, staff["sales"].email)
    page = sales_client.get("/account/").text
    assert "Se déconnecter partout" in page
    response = sales_client.post("/account/sessions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert refused(sales_client) and refused(phone)
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "sessions"))
    assert entry.summary == staff["sales"].email
    assert "Sign out everywhere" in _english_account(app, staff)


def _english_account(app, staff) -> str:
    client = app.test_client()
    sign_in(client, staff["viewer"].email)
    client.post("/account/", data={"language": "en"})
    return client.get("/account/").text


def test_a_session_unused_past_the_idle_limit_ends(app, viewer_client):
    app.config["SESSION_IDLE_MINUTES"] = 30
    with viewer_client.session_transaction() as session:
        session[LAST_SEEN] = int(time.time()) - 29 * 60
    assert viewer_client.get("/reports/").status_code == 200  # used: the clock restarts
    with viewer_client.session_transaction() as session:
        assert session[LAST_SEEN] >= int(time.time()) - 5
        session[LAST_SEEN] = int(time.time()) - 31 * 60
    page = viewer_client.get("/reports/", follow_redirects=True)
    assert "Votre session a pris fin : reconnectez-vous." in page.text  # said once
    assert refused(viewer_client)
    assert "Votre session a pris fin" not in viewer_client.get("/login").text


def test_a_session_of_the_old_format_signs_nobody_in(app, staff, viewer_client):
    with viewer_client.session_transaction() as session:
        session["_user_id"] = str(staff["viewer"].id)  # no generation
    assert refused(viewer_client)


def test_a_session_and_a_form_of_the_old_key_still_work_after_a_key_rotation(database_url,
                                                                              app, staff):
    before = make_app(database_url, WTF_CSRF_ENABLED=True)
    with before.app_context():
        client = before.test_client()
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert client.post("/login", data={"email": staff["viewer"].email, "password": PASSWORD,
                                           "csrf_token": token}).status_code == 302
        page = client.get("/account/").text
        form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        cookie = client.get_cookie("session").value
        db.session.remove()
    after = make_app(database_url, WTF_CSRF_ENABLED=True, SECRET_KEY="a brand new key",
                     SECRET_KEY_FALLBACKS=[SECRET])
    with after.app_context():
        client = after.test_client()
        client.set_cookie("session", cookie)
        assert client.get("/reports/").status_code == 200
        response = client.post("/account/", data={"language": "en", "csrf_token": form_token})
        assert response.status_code == 303
        db.session.remove()
    unknown = make_app(database_url, SECRET_KEY="a brand new key")  # the old key forgotten
    with unknown.app_context():
        client = unknown.test_client()
        client.set_cookie("session", cookie)
        assert refused(client)
        db.session.remove()
