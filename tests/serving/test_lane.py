"""Decisions, events and clicks go by the serving lane (no Flask request dispatch) and
answer exactly as Flask did: the same headers, errors through Flask, a crash as the
app's JSON 500, a refused click decided once."""

import logging
import os

import pytest
from flask import request
from sqlalchemy.exc import OperationalError

from ad_manager.serving import decision, tracking
from tests.factories import ORIGIN, make_inventory
from tests.serving.conftest import READER, figures, placements, post_events, serve


@pytest.fixture
def inventory(app):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    return make_inventory()


@pytest.fixture
def flask_hooks(app):
    """Record the requests Flask's own request machinery saw."""
    seen = []
    app.before_request_funcs.setdefault(None, []).insert(
        0, lambda: seen.append(request.path))
    return seen


def test_a_decision_skips_flask_dispatch_and_keeps_its_headers(client, inventory, flask_hooks):
    response = serve(client)
    assert placements(response)["votre-pub-ici"]["ad"]["type"] == "image"
    assert flask_hooks == []  # answered by the lane
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Vary"] == "Origin"
    for staff_only in ("Set-Cookie", "Content-Security-Policy", "X-Frame-Options"):
        assert staff_only not in response.headers
    assert figures()["served"] == 3  # two ads and a sponsored link were counted… once each


def test_a_head_request_goes_through_flask_with_the_same_headers_and_counts_nothing(
        client, inventory, flask_hooks):
    got = serve(client)
    query = got.request.query_string.decode()
    head = client.head(f"/serve?{query}", headers=READER)
    assert head.status_code == 200 and head.data == b""
    assert flask_hooks == ["/serve"]
    for name in ("Content-Type", "Cache-Control", "Vary", "Access-Control-Allow-Origin"):
        assert head.headers[name] == got.headers[name]
    assert figures()["served"] == 3  # the GET's alone


def test_errors_and_other_methods_go_through_flask(client, inventory, flask_hooks):
    bad = serve(client, vw="wide")
    assert bad.status_code == 400
    assert bad.json["message"] == "parameter 'vw' must be a width in pixels up to 20000"
    assert bad.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert bad.headers["Cache-Control"] == "no-store"
    unknown = serve(client, site="nowhere")
    assert unknown.status_code == 404 and unknown.json["error"] == "Not Found"
    preflight = client.options("/serve?site=journal&layout=article", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert len(flask_hooks) == 3
    assert figures() == {}


def test_a_crash_in_the_lane_is_a_logged_json_500_counted_nowhere(client, inventory, monkeypatch,
                                                                 caplog, flask_hooks):
    def broken(page):
        raise RuntimeError("compose broke")
    monkeypatch.setattr(decision, "compose", broken)
    # Alembic's logging set-up (a migration test earlier in the run) disables loggers.
    monkeypatch.setattr(logging.getLogger("ad_manager.errors"), "disabled", False)
    with caplog.at_level(logging.ERROR):
        response = serve(client)
    assert response.status_code == 500
    assert response.json == {"error": "Internal Server Error", "status": 500,
                             "message": response.json["message"]}
    assert "compose broke" in caplog.text
    assert flask_hooks == []  # not run a second time through Flask
    assert figures() == {}


def test_each_forked_worker_draws_its_own_sequence():
    """gunicorn forks its workers from a preloaded app: they must not draw alike."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.write(write, repr(decision._random.random()).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert float(os.read(read, 64)) != decision._random.random()


def test_events_and_clicks_go_by_the_lane(client, inventory, flask_hooks):
    ad = placements(serve(client))["votre-pub-ici"]["ad"]
    beacon = post_events(client, [(ad["event"], "rendered"), (ad["event"], "viewable")],
                         headers=READER)
    assert beacon.status_code == 204
    assert beacon.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert beacon.headers["Cache-Control"] == "no-store"
    path = "/" + ad["click"].split("/", 3)[3]
    clicked = client.get(path, headers={**READER, "Sec-Fetch-Site": "cross-site",
                                        "Sec-Fetch-Mode": "navigate", "Sec-Fetch-User": "?1"})
    assert clicked.status_code == 302
    assert clicked.headers["Referrer-Policy"] == "origin"
    assert "Set-Cookie" not in clicked.headers
    assert flask_hooks == []
    assert (figures()["rendered"], figures()["viewable"], figures()["clicks"]) == (1, 1, 1)
    junk = post_events(client, [("nonsense", "rendered")], headers=READER)
    assert junk.status_code == 400 and junk.json["counted"] == 0
    assert flask_hooks == []  # the lane answers a bad batch too


def test_a_click_the_lane_cannot_redirect_gets_flasks_page_decided_once(
        app, client, inventory, flask_hooks, monkeypatch):
    ad = placements(serve(client))["votre-pub-ici"]["ad"]
    path = "/" + ad["click"].split("/", 3)[3]
    assert client.get(path[:-3] + "xyz", headers=READER).status_code == 400
    decided = []

    def store_down(*args, **kwargs):
        decided.append(args)
        raise OperationalError("INSERT", {}, Exception("database is down"))
    # The journal could not be written and the store failed too (test_store_outage.py).
    monkeypatch.setattr(tracking.events_journal, "keep", store_down)
    refused = client.get(path, headers={**READER, "Accept-Language": "en"})
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "3"
    assert "Location" not in refused.headers
    assert len(decided) == 1  # Flask rendered the lane's verdict: no second try
    assert flask_hooks == [path[:-3] + "xyz", path]
