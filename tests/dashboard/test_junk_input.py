"""Junk input never gives a 500, and a refused write changes nothing.

Every route of ``app.url_map`` gets junk query strings, ids that do not exist and
junk posts; every dashboard form gets, one field at a time, the values that classically
crash a database (NUL bytes, overlong text, integers beyond 64 bits, impossible dates)
while its other fields keep their valid values. PostgreSQL refuses what SQLite stores
silently, so the field-by-field sweep runs on both backends.
"""

import io
import re

import pytest
import sqlalchemy as sa

from ad_manager.demo import load_demo
from ad_manager.extensions import db
from ad_manager.models import (
    Advertiser,
    Article,
    Campaign,
    ClientLink,
    Creative,
    Insert,
    Layout,
    Placement,
    Site,
    User,
    Zone,
)
from ad_manager.wings import PUBLIC_BLUEPRINTS
from tests.conftest import create_staff
from tests.factories import make_client_link
from tests.form_fields import page_forms

# Which model an id in a URL names, to build URLs that reach real objects.
ID_MODELS = {
    "advertiser_id": Advertiser, "article_id": Article, "campaign_id": Campaign,
    "link_id": ClientLink,
    "creative_id": Creative, "insert_id": Insert, "layout_id": Layout,
    "placement_id": Placement, "site_id": Site, "user_id": User, "zone_id": Zone,
}
OTHER_ARGS = {"kind": "text", "slug": "x", "filename": "x.png", "token": "x"}
SKIPPED_ENDPOINTS = {"static", "auth.logout"}

HUGE = str(2**70)
JUNK_QUERY = [
    "page=-1", "page=abc", f"page={HUGE}", "page=%ff", "q=%ff%fe", "q=" + "x" * 5000,
    "page=1&page=2&q=a&q=b", "start=2026-13-45&end=0000-00-00", "start=0-01-01&end=99999-01-01",
    "start=99999-12-31", "site=abc&campaign=-1&zone=" + HUGE, "site=%00&sort=%00",
    "status=nonsense&role=%ff&kind=../../", "from=2026-02-30&to=2026-02-31&days=-5",
    "page=%C2%B2&advertiser=%C2%B2&site=%C2%B2", "period=custom&start=0001-01-01&end=9999-12-31",
    "period=custom&start=9999-12-31&end=9999-12-31&group=hour", "period=custom&end=0001-01-01",
    f"advertiser={HUGE}&site={HUGE}&archived=1",
]
# Beyond int4 but within int8: only PostgreSQL's integer columns refuse these.
INT4 = str(2**31)
INT4_QUERY = [f"{name}={INT4}" for name in (
    "page", "site", "advertiser", "campaign", "zone", "insert", "layout", "article")]
# What crashes a database or a parser: text where a number goes, numbers beyond int4
# and int8, NUL, text longer than any String(n), impossible dates, half a JSON.
JUNK_VALUES = [
    "abc", "²", "-" + HUGE, str(2**31), HUGE, "x\x00y", "é" * 10_000, "2026-13-45",
    "99999-12-31T25:61", "0001-01-01T00:00", "9999-12-31T23:59", "{\"a\": ",
]


@pytest.fixture
def world(app, staff):
    """The demo site and everything on it, with one of each object."""
    load_demo()
    db.session.commit()
    make_client_link(db.session.scalars(sa.select(Campaign)).first())
    ids = {arg: db.session.scalar(sa.select(model.id).order_by(model.id))
           for arg, model in ID_MODELS.items()}
    ids["user_id"] = staff["viewer"].id  # junk must not lock the signed-in admin out
    return ids


def backend(app) -> str:
    return db.engine.dialect.name


def fingerprint():
    """Everything stored, to compare before and after a refused write."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name in {"audit_entry", "seen_event"}:
            continue
        rows[table.name] = sorted(map(repr, db.session.execute(table.select()).all()))
    db.session.rollback()
    return rows


def routes(app, world, ids=None):
    """List (url, methods, endpoint) for every rule, with ids of real objects or ``ids``."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in SKIPPED_ENDPOINTS:
                continue
            values = {}
            for arg in rule.arguments:
                if arg in ID_MODELS:
                    values[arg] = world[arg] if ids is None else ids
                else:
                    values[arg] = OTHER_ARGS.get(arg, "x")
            url = rule.build(values, append_unknown=False)[1]
            found.append((url, sorted(rule.methods - {"HEAD", "OPTIONS"}), rule.endpoint))
    return found


def test_junk_query_strings_never_crash(app, world, admin_client):
    queries = JUNK_QUERY if backend(app) == "sqlite" else INT4_QUERY  # the rest: no PG risk
    anonymous = app.test_client()
    problems = []
    for url, methods, endpoint in routes(app, world):
        if "GET" not in methods:
            continue
        for query in queries:
            for client in (admin_client, anonymous):
                response = client.get(f"{url}?{query}")
                if response.status_code >= 500:
                    problems.append((endpoint, url, query))
    assert not problems, problems[:20]


@pytest.mark.parametrize("missing", [0, 2**31, 2**64])
def test_unknown_ids_are_404_not_500(app, world, admin_client, missing):
    problems = []
    for (url, methods, endpoint), (real_url, *_) in zip(routes(app, world, ids=missing),
                                                        routes(app, world), strict=True):
        if url == real_url:
            continue  # no id in this URL
        for method in methods:
            response = admin_client.open(url, method=method)
            if response.status_code >= 500:
                problems.append((endpoint, url, method))
    assert not problems, problems


def test_empty_and_junk_posts_change_nothing(app, world, admin_client):
    before = fingerprint()
    problems = []
    for url, methods, endpoint in routes(app, world):
        if "POST" not in methods or endpoint.startswith("auth."):
            continue
        for body in ({}, {"name": ["a", "b"], "page": "x\x00", "id": HUGE}):
            response = admin_client.post(url, data=body)
            if response.status_code >= 500:
                problems.append((endpoint, url, body))
        for content_type, raw in (("application/json", b"{\"a\": "),
                                  ("application/json", b"[1, 2]"),
                                  ("text/plain", b"\xff\xfe\x00"),
                                  ("multipart/form-data; boundary=zz", b"--zz\r\njunk")):
            response = admin_client.post(url, data=raw, content_type=content_type)
            if response.status_code >= 500:
                problems.append((endpoint, url, content_type))
    assert not problems, problems
    # Remove/archive buttons without their form may act on the object: what matters
    # is that nothing crashed; refused writes are compared field by field below.
    assert fingerprint().keys() == before.keys()


def dashboard_forms(app, world, client):
    """Give (page url, form action, valid fields, file fields) for every form page."""
    seen = set()
    for url, methods, endpoint in routes(app, world):
        if "GET" not in methods or endpoint.split(".")[0] in PUBLIC_BLUEPRINTS | {"auth"}:
            continue
        response = client.get(url)
        if response.mimetype != "text/html" or response.status_code == 404:
            continue  # CSV, or a page this kind of object lacks (an HTML creative's frame)
        assert response.status_code == 200, (endpoint, url)
        for form in page_forms(response.get_data(as_text=True)):
            for action in [form["action"] or url, *sorted(form["hx"])]:
                shape = re.sub(r"\d+", "N", action)  # one of a list's identical row forms
                # Signing out (here, or everywhere: /account/sessions) ends the walk's session.
                if shape in seen or action.startswith(("/logout", "/account/sessions")) or \
                        action.endswith(("/remove", "/archive", "/restore")):
                    continue
                seen.add(shape)
                yield endpoint, action, form["fields"], form["files"]


def test_every_form_field_refuses_junk_cleanly(app, world, admin_client):
    """One field at a time gets junk; the others keep valid values."""
    checked = 0
    problems = []
    before = fingerprint()
    for endpoint, action, fields, _files in dashboard_forms(app, world, admin_client):
        for name in fields:
            for junk in JUNK_VALUES:
                data = {key: list(value) for key, value in fields.items()}
                data[name] = [junk]
                response = admin_client.post(action, data=data)
                status = response.status_code
                if status >= 500:
                    problems.append((endpoint, action, name, junk[:20]))
                elif status >= 400 and fingerprint() != before:
                    problems.append(("changed", status, endpoint, action, name, junk[:20]))
                elif status < 400:
                    before = fingerprint()  # a write that was accepted
                checked += 1
    assert not problems, problems
    assert checked > 100


def public_junk_requests():
    """Hostile requests a bot or a page can send to the public wing: (method, url, kwargs)."""
    page = "site=demo&layout=article&url=http://127.0.0.1:5000/demo/article"
    deep = "[" * 50_000 + "]" * 50_000
    yield from (("GET", f"/serve?{query}", {}) for query in (
        "", "site=%ff", "site=demo", f"{page}&url=" + "http://a/" + "x" * 100_000,
        f"{page}&title=" + "é" * 50_000, f"{page}&tags=" + ",".join(["t"] * 5000),
        f"{page}&tags=" + "x" * 7000, f"{page}&fc={deep}", f"{page}&fc=" + "{" * 3000,
        f"{page}&fc=[1,2]", f"{page}&fc=" + '{"1":["a"]}', f'{page}&fc={{"{HUGE}":[1]}}',
        f'{page}&fc={{"1":[1e999]}}', f"{page}&vw=-1", f"{page}&vw={HUGE}", f"{page}&vw=%C2%B2",
        f"{page}&title=a%00b", f"{page}&section=%ff%fe", f"{page}&preview=2&lang=%00",
        "site=demo&layout=%00&url=javascript:alert(1)", f"{page}&site=demo&site=other",
    ))
    for body, content_type in (
        (b"x" * 1_000_000, "text/plain"), (b"x" * 3_000_000, "text/plain"),
        (b"not json", "application/json"),
        (b"[1, 2]", "application/json"), (b'{"events": {"t": 1}}', "application/json"),
        (b'{"events": [{"t": 1, "k": []}, {"t": null}, 5, "x"]}', "text/plain"),
        (b'{"events": [{"t": "' + b"a" * 100_000 + b'", "k": "rendered"}]}', "text/plain"),
        (b"\xff\xfe\x00", "text/plain"), (b"", "application/x-www-form-urlencoded"),
        (deep.encode(), "application/json"),
    ):
        yield "POST", "/e", {"data": body, "content_type": content_type}
    for token in ("x", "%00", "%ff", "a" * 5000, "..", "1.2.3", "%2e%2e"):
        yield "GET", f"/c/{token}", {}
    for name in ("..%2f..%2fetc%2fpasswd", "%2e%2e%2fapp.py", "%2fetc%2fpasswd", "..", "%00",
                 "x" * 5000 + ".png", "%ff.png", "C:%5cwindows"):
        yield "GET", f"/media/{name}", {}
    for etag in ('"x"', "*", "W/" + "x" * 10_000, '"\x7f"', ", , ,", 'W/"a", "b"'):
        yield "GET", "/embed.js", {"headers": {"If-None-Match": etag}}
    yield "GET", "/embed.js?v=%ff&v=" + "x" * 5000, {}
    yield "GET", "/demo/articles/%ff%00", {}
    yield "GET", "/demo/articles/" + "x" * 5000, {}


def test_hostile_public_requests_never_crash_or_set_cookies(app, world):
    before = fingerprint()
    client = app.test_client()
    problems = []
    for method, url, kwargs in public_junk_requests():
        response = client.open(url, method=method, headers={
            "User-Agent": "Mozilla/5.0", "Origin": "http://127.0.0.1:5000",
            **kwargs.pop("headers", {})}, **kwargs)
        if response.status_code >= 500 or "Set-Cookie" in response.headers:
            problems.append((method, url[:80], response.status_code))
    assert not problems, problems
    # Decisions may discover the page as an article (bumping the inventory version) and
    # count; nothing else may change.
    def kept(rows):
        return {k: v for k, v in rows.items()
                if k not in ("article", "inventory_version") and not k.startswith("stats")}
    assert kept(fingerprint()) == kept(before)


@pytest.mark.parametrize("email, password", [
    ("x\x00@example.fr", "p"), ("admin@example.fr", "x\x00"), ("a" * 10_000 + "@example.fr", "p"),
    ("admin@example.fr", "p" * 100_000), ("%ff", "%ff"), ("", ""),
])
def test_sign_in_and_first_run_refuse_junk_cleanly(app, email, password):
    client = app.test_client()
    first_run = {"name": "é" * 200, "email": email, "password": password, "confirm": password}
    assert client.post("/first-run", data=first_run).status_code < 500
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    create_staff("admin")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code in (400, 422)


def test_oversized_upload_is_refused_without_a_crash(app, world, admin_client):
    before = fingerprint()
    response = admin_client.post(f"/creatives/new/{world['campaign_id']}/image", data={
        "image": (io.BytesIO(b"\x89PNG" + b"0" * 3_000_000), "big.png"),
        "click_url": "https://example.fr/"}, content_type="multipart/form-data")
    assert response.status_code in (413, 422)
    assert fingerprint() == before
