"""Admins manage staff accounts; the last admin cannot be removed."""

from ad_manager.extensions import db
from ad_manager.models import User
from tests.conftest import PASSWORD, sign_in


def new_user(client, **fields):
    data = {"email": "lea@example.fr", "name": "Léa", "role": "sales", "language": "",
            "active": "y", "password": PASSWORD, "confirm": PASSWORD}
    data.update(fields)
    return client.post("/users/new", data=data)


def test_admin_creates_a_sales_user_who_can_sign_in(app, admin_client):
    response = new_user(admin_client)
    assert response.status_code == 303
    assert "lea@example.fr" in admin_client.get("/users/").text
    assert sign_in(app.test_client(), "lea@example.fr").status_code == 302


def test_duplicate_email_is_refused_next_to_the_field(admin_client):
    new_user(admin_client)
    response = new_user(admin_client, email="LEA@example.fr")
    assert response.status_code == 422
    assert "existe déjà" in response.text
    assert db.session.scalar(db.select(db.func.count(User.id))) == 4


def test_short_password_is_refused(admin_client):
    response = new_user(admin_client, password="short", confirm="short")
    assert response.status_code == 422
    assert db.session.scalar(db.select(User).where(User.email == "lea@example.fr")) is None


def test_admin_changes_role_and_deactivates(admin_client, staff):
    user = staff["sales"]
    response = admin_client.post(f"/users/{user.id}", data={
        "name": "Sam", "role": "viewer", "language": "en"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.role, user.active, user.language) == ("viewer", False, "en")


def test_last_admin_cannot_lose_the_admin_role(admin_client, staff):
    admin = staff["admin"]
    response = admin_client.post(f"/users/{admin.id}", data={
        "name": "Admin", "role": "sales", "language": "", "active": "y"})
    assert response.status_code == 422
    assert "dernier administrateur" in response.text
    db.session.refresh(admin)
    assert admin.role == "admin"
    response = admin_client.post(f"/users/{admin.id}", data={
        "name": "Admin", "role": "admin", "language": ""})  # unticked: deactivate
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.active


def test_a_second_admin_makes_demotion_possible(admin_client, staff):
    new_user(admin_client, role="admin")
    admin = staff["admin"]
    response = admin_client.post(f"/users/{admin.id}", data={
        "name": "Admin", "role": "sales", "language": "", "active": "y"})
    assert response.status_code == 303


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/users/999").status_code == 404


def test_user_changes_own_language_and_password(app, viewer_client, staff):
    response = viewer_client.post("/account/", data={"language": "en"})
    assert response.status_code == 303
    assert "My account" in viewer_client.get("/account/").text
    response = viewer_client.post("/account/password", data={
        "current": "wrong one!!", "password": "a new long password", "confirm":
        "a new long password"})
    assert response.status_code == 422
    response = viewer_client.post("/account/password", data={
        "current": PASSWORD, "password": "a new long password", "confirm": "a new long password"})
    assert response.status_code == 303
    assert sign_in(app.test_client(), staff["viewer"].email, "a new long password"
                   ).status_code == 302
