"""The counters' store down: decisions still answer, events and clicks are refused
with a 503 (the page sends them again) and nothing refused is counted."""

import json
import socket

import pytest
from sqlalchemy.exc import OperationalError

from ad_manager.extensions import db
from tests.factories import (
    BROWSER,
    ORIGIN,
    banner_shown,
    click_token,
    event_token,
    make_inventory,
    make_world,
    totals,
)
from tests.serving.conftest import HEADERS, post_events


@pytest.fixture
def dead_redis(app):
    """Point the counters at a port nobody listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    app.extensions.pop("ad_manager_redis", None)
    yield
    app.config["REDIS_URL"] = None
    app.extensions.pop("ad_manager_redis", None)


def test_events_are_refused_with_a_503_and_count_nothing_while_redis_is_down(
        app, client, dead_redis):
    world = make_world()
    token = event_token(banner_shown(world))
    response = post_events(client, [(token, "rendered"), (token, "viewable")])
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    assert response.json["counted"] == 0
    assert response.headers["Access-Control-Allow-Origin"] == "https://www.quotidien.fr"
    app.config["REDIS_URL"] = None  # the store is back (here: counting in the database)
    assert post_events(client, [(token, "rendered"), (token, "viewable")]).status_code == 204
    assert totals() == (0, 1, 1, 0, 0)


def test_a_click_gets_a_page_that_retries_by_itself_while_redis_is_down(
        app, client, dead_redis):
    world = make_world()
    url = f"/c/{click_token(banner_shown(world))}"
    response = client.get(url, headers={**HEADERS, "Accept-Language": "fr"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    page = response.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Un instant…" in page
    app.config["REDIS_URL"] = None
    # (a click counts after its page's rendered: the page sent it before the click)
    assert post_events(client, [(event_token(banner_shown(world)), "rendered")]
                       ).status_code == 204
    assert client.get(url, headers=HEADERS).status_code == 302
    assert totals() == (0, 1, 0, 1, 0)


def test_decisions_are_answered_while_redis_and_the_database_are_down(
        app, client, dead_redis, monkeypatch):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    app.config["DELIVERED_REFRESH_SECONDS"] = 0
    make_inventory()
    query = "/serve?site=journal&layout=article&vw=1280"
    assert client.get(query).status_code == 200  # the snapshot is built

    def unreachable(*args, **kwargs):
        raise OperationalError("connect", {}, OSError("database unreachable"))

    monkeypatch.setattr(db.engine.pool, "connect", unreachable)
    for _ in range(3):
        response = client.get(query, headers={"User-Agent": BROWSER})
        assert response.status_code == 200
        assert json.loads(response.data)["placements"][0]["ad"]["type"] == "image"


def test_served_counts_wait_in_the_process_while_redis_is_down(app, client, dead_redis):
    from ad_manager.stats import pending

    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    make_inventory()
    query = "/serve?site=journal&layout=article&vw=1280"
    READER = {"User-Agent": BROWSER, "Origin": ORIGIN}  # a page of the site
    for _ in range(2):
        assert client.get(query, headers=READER).status_code == 200
    assert pending.waiting() == 2
    assert totals() == (0, 0, 0, 0, 0)
    app.config["REDIS_URL"] = None  # the store answers again (here: the database)
    assert client.get(query, headers=READER).status_code == 200
    assert pending.waiting() == 0
    assert totals()[0] == 3  # three page views of one ad each (no section: no links)
