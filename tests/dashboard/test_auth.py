"""Sign-in, first run, throttling, CSRF and session cookies."""

import re

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, User
from tests.conftest import PASSWORD, create_staff, make_app, sign_in


def test_first_run_page_exists_only_while_there_is_no_user(client):
    assert client.get("/").headers["Location"].endswith("/first-run")
    assert client.get("/login").headers["Location"].endswith("/first-run")
    page = client.get("/first-run")
    assert page.status_code == 200
    assert "Bienvenue" in page.text  # French by default

    response = client.post("/first-run", data={
        "name": "Claire Martin", "email": "Claire@Example.fr",
        "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role) == ("claire@example.fr", "admin")
    assert user.password_hash != PASSWORD
    assert client.get("/").status_code == 200  # signed in straight away
    assert client.get("/first-run").status_code == 404
    assert db.session.scalar(db.select(AuditEntry)).actor == "claire@example.fr"


def test_first_run_with_bad_input_creates_nothing(client):
    response = client.post("/first-run", data={
        "name": "X", "email": "not-an-email", "password": "short", "confirm": "other"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(User)) is None
    assert "10 caractères" in response.text


def test_sign_in_and_out(client, staff):
    response = sign_in(client, "ADMIN@example.fr")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, staff):
    response = sign_in(client, staff["admin"].email, "wrong password!")
    assert response.status_code == 422
    assert "Adresse e-mail ou mot de passe incorrect" in response.text
    assert client.get("/").status_code == 302


def test_next_parameter_never_leaves_the_site(client, staff):
    response = client.post("/login?next=//evil.example/x", data={
        "email": staff["admin"].email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/users/", data={
        "email": staff["admin"].email, "password": PASSWORD})
    assert response.headers["Location"] == "/users/"


def test_throttling_kicks_in_after_repeated_failed_logins(client, staff):
    for _ in range(5):
        assert sign_in(client, staff["admin"].email, "bad password!").status_code == 422
    response = sign_in(client, staff["admin"].email)  # even the right password waits
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_successful_logins_are_not_throttled(app, staff):
    for _ in range(8):
        client = app.test_client()
        assert sign_in(client, staff["admin"].email).status_code == 302


def test_session_cookie_is_httponly_and_samesite_lax(client, staff):
    response = sign_in(client, staff["admin"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_csrf_post_without_token_is_rejected_with_token_accepted(database_url, app):
    csrf_app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with csrf_app.app_context():
        create_staff("admin")
        client = csrf_app.test_client()
        page = client.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        response = client.post("/login", data={"email": "admin@example.fr", "password": PASSWORD})
        assert response.status_code == 400
        response = client.post("/login", data={
            "email": "admin@example.fr", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
        # htmx requests carry the token in a header instead of the form.
        home = client.get("/")
        header_token = re.search(r'"X-CSRFToken": "([^"]+)"', home.text).group(1)
        response = client.post("/account/", data={"language": "en"})
        assert response.status_code == 400
        response = client.post("/account/", data={"language": "en"},
                               headers={"X-CSRFToken": header_token})
        assert response.status_code == 303
        db.session.remove()


def test_user_changes_are_audited(admin_client):
    admin_client.post("/users/new", data={
        "email": "paul@example.fr", "name": "Paul", "role": "sales", "language": "",
        "active": "y", "password": PASSWORD, "confirm": PASSWORD})
    entry = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert (entry.action, entry.object_type, entry.actor) == ("create", "user", "admin@example.fr")
    page = admin_client.get("/audit/")
    assert "paul@example.fr" in page.text


def test_throttle_is_shared_by_app_servers_through_redis(database_url, app, staff, redis_url,
                                                         redis_prefix):
    """Two app servers on one Redis count failed sign-ins together."""
    servers = [make_app(database_url, REDIS_URL=redis_url,
                        RATELIMIT_STORAGE_URI=redis_url,
                        RATELIMIT_KEY_PREFIX=redis_prefix) for _ in range(2)]
    # The limiter is one object per process, so earlier tests' settings can linger in
    # it; a reader address of this test's own keeps its budget apart.
    address = "10." + ".".join(str(b) for b in int(redis_prefix[-7:-1], 16).to_bytes(3, "big"))
    statuses = []
    for attempt in range(6):
        server = servers[attempt % 2]
        with server.app_context():
            client = server.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            statuses.append(sign_in(client, staff["admin"].email, "bad password!").status_code)
    assert statuses == [422] * 5 + [429]
    import redis

    keys = redis.Redis.from_url(redis_url).keys(f"*{address}*")
    assert keys, "the failed attempts were not counted in Redis"


def test_client_address_comes_from_trusted_proxy_only(database_url, app, staff):
    """Behind a trusted proxy, each reader's address has its own throttle budget."""
    proxied = make_app(database_url, PROXY_HOPS=1)
    bad = {"email": staff["admin"].email, "password": "bad password!"}
    with proxied.app_context():
        for _ in range(5):
            proxied.test_client().post("/login", data=bad,
                                       headers={"X-Forwarded-For": "203.0.113.1"})
        blocked = proxied.test_client().post("/login", data=bad,
                                             headers={"X-Forwarded-For": "203.0.113.1"})
        other = proxied.test_client().post(
            "/login", data={"email": staff["admin"].email, "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.99"})
    assert blocked.status_code == 429
    assert other.status_code == 302
