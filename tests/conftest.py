"""Shared fixtures: the app on SQLite and (with TEST_DATABASE_URL) PostgreSQL, clients
signed in as each role, a live server and headless Chromium, Redis, and tests/feeds
served over HTTP. Rows to start from come from tests/factories.py; fixtures of one
wing live in that folder's conftest.py.

Every test that uses ``app`` runs once per database backend. Services missing on a
developer's machine skip their tests with the reason; under ``CI=true`` they fail.
"""

import functools
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from ad_manager import create_app
from ad_manager.extensions import db
from ad_manager.models import Role

ON_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PASSWORD = "correct horse battery"
FEEDS = Path(__file__).parent / "feeds"


def missing_service(reason: str):
    """Skip on a developer's machine, fail on CI: CI must run every test."""
    if ON_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def _postgres_database():
    """Create a database of our own on the TEST_DATABASE_URL server; yield its URL."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        missing_service("TEST_DATABASE_URL is not set: PostgreSQL variant not run")
    base = base.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"adm_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        missing_service(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {error}")
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """The URL of an empty database of each backend, for the whole session."""
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    else:
        yield from _postgres_database()


_schemas_made: set[str] = set()


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with empty ``g``, as in production.

    Tests hold an app context for their database work, and Flask reuses it for the
    client's requests; without this, the signed-in user and the locale cached in
    ``g`` by one request would leak into the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_FOLDER": None,
        # The request that finds the snapshot due refreshes it: no thread outlives a test.
        "SNAPSHOT_REFRESH": "request",
        # The machine's shared test Redis runs without persistence.
        "REDIS_REQUIRE_APPENDONLY": False,
        # Each app its own served-counts journal: no test adds another's lines.
        "COUNTS_JOURNAL_DIR": tempfile.mkdtemp(prefix="adm-journal-"),
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = FreshRequestClient
    return app


def _empty_tables() -> None:
    """Remove every row, keeping the schema (much faster than recreating it)."""
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    """The app on an empty database of the current backend."""
    app = make_app(database_url, UPLOAD_FOLDER=str(tmp_path / "uploads"))
    with app.app_context():
        if database_url not in _schemas_made:
            db.drop_all()
            db.create_all()
            _schemas_made.add(database_url)
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def create_staff(role: Role | str, email: str | None = None):
    """Create a staff account of ``role`` with the test password."""
    from ad_manager.auth.accounts import create_user

    role = Role(role)
    user = create_user(email or f"{role.value}@example.fr", PASSWORD, role, name=role.value.title())
    db.session.commit()
    return user


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the real login form."""
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def staff(app):
    """One account of each role, by role name."""
    return {role.value: create_staff(role) for role in Role}


@pytest.fixture
def as_role(app, staff):
    """Give a test client signed in as the given role: ``as_role("sales")``."""

    def make(role: str):
        client = app.test_client()
        response = sign_in(client, staff[role].email)
        assert response.status_code == 302, response.data
        return client

    return make


@pytest.fixture
def admin_client(as_role):
    return as_role("admin")


@pytest.fixture
def sales_client(as_role):
    return as_role("sales")


@pytest.fixture
def viewer_client(as_role):
    return as_role("viewer")


def allow_fetching(app, base_url: str) -> str:
    """Let ``app`` fetch from a local test server (``FETCH_TEST_ADDRESSES``, honoured
    by test apps only: every other loopback address stays refused); give the URL."""
    address = urlsplit(base_url).netloc
    app.config["FETCH_TEST_ADDRESSES"] = (*app.config["FETCH_TEST_ADDRESSES"], address)
    return base_url


class _InFlight:
    """The app, counting the requests it is answering (answers are read whole)."""

    def __init__(self, app):
        self.app = app
        self.active = 0
        self.closed = False
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            if self.closed:  # a kept-alive connection's late request: the test is over
                start_response("503 Service Unavailable", [("Connection", "close")])
                return [b""]
            self.active += 1
        try:
            answer = self.app(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                getattr(answer, "close", lambda: None)()
        finally:
            with self.lock:
                self.active -= 1


@pytest.fixture
def live_server(app):
    """Serve the app on a free 127.0.0.1 port in a background thread; give its base URL
    (which the app may fetch, e.g. for the layout preview).

    At the end it refuses new requests and waits for those still being answered (a
    page's last beacon): one finishing after the tables were emptied would leave counts
    to the next test.
    """
    answering = _InFlight(app)
    server = make_server("127.0.0.1", 0, answering, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield allow_fetching(app, f"http://127.0.0.1:{server.server_port}")
    with answering.lock:
        answering.closed = True
    server.shutdown()
    thread.join(timeout=5)
    deadline = time.monotonic() + 10
    while answering.active and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, shared by the session."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing_service(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) that fails the test on a page error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def wait_for_htmx(page, selector: str, timeout_ms: int = 5000):
    """Wait until htmx has wired ``selector`` up (its triggers listen).

    After a boosted navigation htmx processes the new content a moment later; a
    script typing at once would send its events to an element nobody listens to
    yet. (Polled from Python: the dashboard's CSP forbids a string predicate.)
    """
    element = page.locator(selector)
    for _ in range(timeout_ms // 50):
        if element.evaluate("e => !!(e['htmx-internal-data'] || {}).initHash"):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"htmx never processed {selector}")


def browser_sign_in(page, base_url: str, email: str, password: str = PASSWORD):
    """Sign in through the login page, the way a person does."""
    page.goto(base_url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")


@pytest.fixture(scope="session")
def redis_url():
    """A Redis URL (TEST_REDIS_URL) and a key prefix of this session's own."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        missing_service("TEST_REDIS_URL is not set: Redis tests not run")
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as error:
        missing_service(f"Redis at TEST_REDIS_URL is unreachable: {error}")
    return url


@pytest.fixture
def redis_prefix():
    """A key prefix no other test (or test run) uses."""
    return f"adm-test:{uuid.uuid4().hex[:10]}:"


@pytest.fixture
def redis_app(app, redis_url, redis_prefix):
    """The app of this test's database, counting into Redis under a prefix of its own."""
    redis_app = make_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_url,
                         REDIS_PREFIX=redis_prefix)
    with redis_app.app_context():
        yield redis_app
        from ad_manager.stats import live

        client = live.client()
        for key in client.scan_iter(match=redis_prefix + "*"):
            client.delete(key)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pages():
    """A web server of another origin for the embed's pages (tests/embed_pages.py)."""
    from tests.embed_pages import PageServer

    server = PageServer()
    yield server
    server.close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def feed_files_server():
    """Serve tests/feeds over HTTP on a free local port; give its base URL."""
    handler = functools.partial(QuietHandler, directory=str(FEEDS))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def feed_server(app, feed_files_server):
    """The base URL of tests/feeds served over HTTP, which the app may fetch."""
    return allow_fetching(app, feed_files_server)


@pytest.fixture
def feed_url(feed_server):
    """Give the http:// address of a file of tests/feeds."""
    return lambda name: f"{feed_server}/{name}"


# What people are told when an address could not be fetched, whatever the reason.
UNREACHABLE = ("L’adresse n’a pas pu être récupérée : il faut une adresse http:// ou https:// "
               "publique (ports 80 et 443) qui répond. Vérifiez-la, ou réessayez plus tard.")


class _RedirectToDatabase(BaseHTTPRequestHandler):
    """A feed address that redirects to this machine's PostgreSQL port."""

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:5432/")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def redirector(app):
    """The address of a local feed (fetchable in tests) that redirects to 127.0.0.1:5432."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RedirectToDatabase)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield allow_fetching(app, f"http://127.0.0.1:{server.server_port}") + "/feed.xml"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def closed_port():
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return closed.getsockname()[1]
