"""The counters' store down: decisions still answer, events and clicks are journalled
and counted once it is back; only when the journal cannot be written either are they
refused with a 503 (the page sends them again), and nothing refused is counted."""

import json
import socket
import time

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


@pytest.fixture
def no_journal(app, tmp_path):
    """Make the journal folder impossible to create (a file stands in its place)."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    app.config["COUNTS_JOURNAL_DIR"] = str(blocked / "journal")
    for key in ("ad_manager.events_journal", "ad_manager.counts_journal"):
        app.extensions.pop(key, None)
    yield
    for key in ("ad_manager.events_journal", "ad_manager.counts_journal"):
        app.extensions.pop(key, None)


def test_events_are_acknowledged_and_counted_while_redis_is_down(app, client, dead_redis):
    world = make_world()
    token = event_token(banner_shown(world))
    response = post_events(client, [(token, "rendered"), (token, "viewable")])
    assert response.status_code == 204  # in the journal: Redis is not asked
    assert totals() == (0, 1, 1, 0, 0)
    assert post_events(client, [(token, "rendered"), (token, "viewable")]).status_code == 204
    assert totals() == (0, 1, 1, 0, 2)  # sent again: two replays, filtered


def test_events_are_refused_with_a_503_when_neither_journal_nor_store_can_keep_them(
        app, client, dead_redis, no_journal):
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


def test_a_click_counts_while_redis_is_down(app, client, dead_redis):
    world = make_world()
    url = f"/c/{click_token(banner_shown(world))}"
    # (a click counts after its page's rendered: the page sent it before the click)
    assert post_events(client, [(event_token(banner_shown(world)), "rendered")]
                       ).status_code == 204
    assert client.get(url, headers=HEADERS).status_code == 302
    assert totals() == (0, 1, 0, 1, 0)


def test_a_click_gets_a_page_that_retries_by_itself_when_it_cannot_be_kept(
        app, client, dead_redis, no_journal):
    world = make_world()
    url = f"/c/{click_token(banner_shown(world))}"
    response = client.get(url, headers={**HEADERS, "Accept-Language": "fr"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    page = response.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Un instant…" in page
    app.config["REDIS_URL"] = None
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


def test_served_counts_need_no_redis(app, client, dead_redis):
    """What a decision serves goes to the journal, then to the database: Redis down
    costs no served count (tests/serving/test_served_journal.py for the database)."""
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    make_inventory()
    query = "/serve?site=journal&layout=article&vw=1280"
    READER = {"User-Agent": BROWSER, "Origin": ORIGIN}  # a page of the site
    for _ in range(3):
        assert client.get(query, headers=READER).status_code == 200
    assert totals()[0] == 3  # three page views of one ad each (no section: no links)


def test_with_redis_events_and_clicks_count_while_the_database_is_down(redis_app, monkeypatch):
    """The journal keeps and the snapshot judges: a stopped database costs no counted event.

    The site's rules (origins, excluded readers) come from the snapshot, so neither
    the decision nor the events endpoint needs a query; the fold adds the counts
    once the database is back.
    """
    from ad_manager.stats import live
    from ad_manager.stats.events_journal import events_journal
    from ad_manager.stats.served_journal import journal

    redis_app.config.update(SNAPSHOT_CHECK_SECONDS=0, DELIVERED_REFRESH_SECONDS=0,
                            REDIS_REQUIRE_APPENDONLY=False)
    # A Redis that has been counting for a while (an emptied one looks events of older
    # page views up in the database first: see the test below).
    live.client().set(redis_app.config["REDIS_PREFIX"] + "epoch", int(time.time()) - 3600)
    client = redis_app.test_client()
    world = make_world()
    db.session.commit()
    query = "/serve?site=quotidien&layout=article&vw=1280"
    headers = {"User-Agent": BROWSER, "Origin": "https://www.quotidien.fr"}
    assert client.get(query, headers=headers).status_code == 200
    served_by_one_view = totals()[0]
    destinations = {world.site.sales_contact_url, *(c.click_url for c in world.campaign.creatives)}
    bot_token = event_token(banner_shown(world, "bot-view"))
    engine = db.engine

    def unreachable(*args, **kwargs):
        raise OperationalError("connect", {}, OSError("database unreachable"))

    monkeypatch.setattr(engine.pool, "connect", unreachable)
    db.session.remove()  # nothing held open: every query would now fail
    answer = client.get(query, headers=headers)
    assert answer.status_code == 200
    ad = json.loads(answer.data)["placements"][0]["ad"]
    response = post_events(client, [(ad["event"], "rendered"), (ad["event"], "viewable")],
                           headers=headers)
    assert response.status_code == 204
    bot = post_events(client, [(bot_token, "rendered")],
                      headers={**headers, "User-Agent": "curl/8.5"})
    assert bot.status_code == 204  # answered, filtered as a bot
    # The click's destination comes from the snapshot: the reader reaches the advertiser.
    click = client.get("/" + ad["click"].split("/", 3)[3], headers=headers)
    assert click.status_code == 302
    assert click.headers["Location"] in destinations
    monkeypatch.undo()
    live.fold()
    journal().fold()  # the second page view's served counts waited in the journal
    events_journal().fold()  # and its events
    served, rendered, viewable, clicks, filtered = totals()
    assert (rendered, viewable, clicks, filtered) == (1, 1, 1, 1)
    assert served == 2 * served_by_one_view


def test_the_decisions_rate_limit_is_kept_in_the_process_and_needs_no_redis(
        app, client, dead_redis):
    """The decision never waits on Redis: its per-reader limit is counted in memory."""
    from ad_manager.serving import tokens

    app.config["RATE_LIMIT_SERVE_PER_READER"] = "2 per minute"
    make_inventory()
    query = "/serve?site=journal&layout=article&vw=1280"
    answers = [client.get(query, headers={"User-Agent": BROWSER, "Origin": ORIGIN})
               for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    reasons = [tokens.read(app.config["SECRET_KEY"],
                           answer.json["placements"][0]["ad"]["event"]).invalid
               for answer in answers]
    assert reasons == [None, None, "rate"]


def test_a_batch_counted_before_redis_lost_its_memory_is_a_replay_when_sent_again(redis_app):
    """The cluster bench's doubles: a worker killed right after counting a batch answers
    502, the page's resends fail while Redis is down and arrive once it is back EMPTY
    (after a fold). The fold kept the replay keys in the database: counted once."""
    from ad_manager.stats import live

    redis_app.config.update(REDIS_REQUIRE_APPENDONLY=False)
    client = redis_app.test_client()
    world = make_world()
    db.session.commit()
    token = event_token(banner_shown(world, "killed-worker"))
    batch = [(token, "rendered"), (token, "viewable")]
    assert post_events(client, batch, headers=HEADERS).status_code == 204  # its 502 lost
    live.fold()
    for key in live.client().scan_iter(match=redis_app.config["REDIS_PREFIX"] + "*"):
        live.client().delete(key)  # Redis restarted without its data
    assert post_events(client, batch, headers=HEADERS).status_code == 204
    assert post_events(client, batch, headers=HEADERS).status_code == 204
    live.fold()
    assert totals()[1:3] == (1, 1)
