"""Counting rules, without a request: once per kind, bots and exclusions, previews;
the same in the database and in Redis (counted in one script there, then folded)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import HourlyStat, SeenEvent
from ad_manager.stats import live, replay_keys
from ad_manager.stats.deciding import record
from ad_manager.stats.validity import is_bot
from tests.factories import BROWSER, banner_shown, link_shown, make_world, totals

NOW = datetime(2026, 11, 20, 14, 25, tzinfo=UTC)


def _counting_in_redis(app, request):
    """Point the app's counters at the test Redis under a prefix of this test's own;
    give the cleanup."""
    prefix = request.getfixturevalue("redis_prefix")
    app.config.update(REDIS_URL=request.getfixturevalue("redis_url"), REDIS_PREFIX=prefix,
                      REDIS_REQUIRE_APPENDONLY=False)

    def cleanup():
        for key in live.client().scan_iter(match=prefix + "*"):
            live.client().delete(key)
        app.config["REDIS_URL"] = None
        for name in ("ad_manager_redis", "ad_manager_redis_durable", "ad_manager_count_script"):
            app.extensions.pop(name, None)

    return cleanup


@pytest.fixture(params=["database", "redis"])
def store(request, app):
    """Count into the database, or into Redis (the reads fold it first)."""
    cleanup = _counting_in_redis(app, request) if request.param == "redis" else None
    yield request.param
    if cleanup:
        cleanup()


@pytest.fixture
def redis_store(request, app):
    """Count into Redis only."""
    cleanup = _counting_in_redis(app, request)
    yield "redis"
    cleanup()


def folded() -> tuple:
    """Give the counted totals, once what Redis holds is folded into the database."""
    if live.enabled():
        live.fold()
    return totals()


def count(world, events, user_agent=BROWSER, remote_addr="203.0.113.5", now=NOW):
    counted = record(events, user_agent=user_agent, remote_addr=remote_addr,
                     site_id=world.site.id, now=now)
    db.session.commit()
    return counted


def test_each_kind_counts_once_per_page_view(store):
    world = make_world()
    shown = banner_shown(world)
    events = [(shown, "served"), (shown, "rendered"), (shown, "viewable"), (shown, "click")]
    assert count(world, events) == 4
    assert count(world, events[1:]) == 0
    assert folded() == (1, 1, 1, 1, 3)  # each replay is filtered once…
    assert count(world, [(shown, "rendered"), (shown, "rendered")]) == 0
    assert count(world, events[1:]) == 0
    assert folded() == (1, 1, 1, 1, 3)  # …and never again


def test_same_kind_counts_again_in_another_page_view_and_for_another_link(store):
    world = make_world()
    assert count(world, [(banner_shown(world, "a"), "rendered")]) == 1
    assert count(world, [(banner_shown(world, "b"), "rendered")]) == 1
    assert count(world, [(link_shown(world, "a"), "rendered"),
                         (link_shown(world, "a", article=world.other), "rendered")]) == 2
    assert folded()[1] == 4


def test_counts_land_in_the_hour_and_dimensions_shown(store):
    world = make_world()
    count(world, [(link_shown(world), "rendered"), (link_shown(world), "click")])
    folded()
    row = db.session.scalars(sa.select(HourlyStat)).one()
    assert row.hour == datetime(2026, 11, 20, 14, tzinfo=UTC)
    assert (row.site_id, row.placement_id, row.insert_id, row.article_id, row.zone_id,
            row.campaign_id, row.clicks) == (world.site.id, world.insert_placement.id,
                                             world.insert.id, world.article.id, 0, 0, 1)


def test_bots_and_excluded_readers_are_filtered_not_counted(store):
    world = make_world()
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    assert count(world, [(banner_shown(world, "1"), "rendered")], user_agent=googlebot) == 0
    assert count(world, [(banner_shown(world, "2"), "rendered")], user_agent="curl/8.5") == 0
    assert count(world, [(banner_shown(world, "3"), "rendered")], user_agent="") == 0
    assert count(world, [(banner_shown(world, "4"), "rendered")],
                 user_agent=BROWSER + " InternalMonitor/1.0") == 0
    assert count(world, [(banner_shown(world, "5"), "rendered")], remote_addr="10.1.2.3") == 0
    assert folded() == (0, 0, 0, 0, 5)
    assert is_bot(googlebot) and not is_bot(BROWSER)


def test_previews_and_tokens_of_another_site_count_nothing(store):
    world = make_world()
    assert count(world, [(banner_shown(world, preview=True), "rendered")]) == 0
    assert count(world, [(banner_shown(world, site=world.site.id + 1), "rendered")]) == 0
    assert count(world, [(banner_shown(world), "unknown-kind")]) == 0
    assert folded() == (0, 0, 0, 0, 0)


def test_viewable_and_click_count_only_after_a_counted_rendered(store):
    world = make_world()
    shown = banner_shown(world, "first-view")
    assert count(world, [(shown, "viewable"), (shown, "click")]) == 0  # filtered: "order"
    assert count(world, [(shown, "rendered"), (shown, "viewable")]) == 1  # viewable: a replay
    other = banner_shown(world, "second-view")
    assert count(world, [(other, "click"), (other, "rendered"), (other, "viewable")]) == 3
    assert folded() == (0, 2, 1, 1, 3)


def test_after_redis_lost_its_memory_an_older_page_views_click_still_counts(redis_store):
    """An emptied Redis forgot which rendered were counted: a page view from before it
    restarted gets the benefit of the doubt, a newer one must still show its rendered.
    (The database keeps its replay keys: nothing to forget there.)"""
    world = make_world()
    before = replace(banner_shown(world, "before"), signed_at=int(NOW.timestamp()) - 60)
    assert count(world, [(before, "rendered")]) == 1
    live.fold()
    for key in live.client().scan_iter(match=live.current_app.config["REDIS_PREFIX"] + "*"):
        live.client().delete(key)  # Redis restarted without its data
    later = NOW + timedelta(seconds=30)  # the first count since: Redis remembers from here
    assert count(world, [(before, "click")], now=later) == 1
    assert count(world, [(before, "click")], now=later) == 0  # and only once
    after = replace(banner_shown(world, "after"), signed_at=int(later.timestamp()) + 5)
    assert count(world, [(after, "click")], now=later + timedelta(seconds=10)) == 0  # "order"
    assert folded() == (0, 1, 0, 1, 2)


def wipe_redis():
    """Redis restarted without its data (it lost its disk)."""
    for key in live.client().scan_iter(match=live.current_app.config["REDIS_PREFIX"] + "*"):
        live.client().delete(key)


def test_an_event_counted_before_redis_lost_its_memory_counts_once_when_sent_again(
        redis_store):
    """A page's resend of an event counted (and folded) before Redis was emptied is a
    replay: the fold kept its replay key in the database, where it is looked up. (A
    worker killed after counting answers 502; the resends failed while Redis was down
    and reached it only after it came back empty: the cluster bench counted those twice.)"""
    world = make_world()
    before = replace(banner_shown(world, "before"), signed_at=int(NOW.timestamp()) - 60)
    link = replace(link_shown(world, "before"), signed_at=int(NOW.timestamp()) - 60)
    batch = [(before, "rendered"), (before, "viewable"), (link, "rendered"), (before, "click")]
    assert count(world, batch) == 4
    live.fold()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeenEvent).where(
        SeenEvent.counted.is_(True))) == 4
    wipe_redis()
    later = NOW + timedelta(seconds=30)
    assert count(world, batch, now=later) == 0  # replays: counted before the loss
    assert count(world, batch, now=later) == 0
    assert folded() == (0, 2, 1, 1, 4)  # each replay filtered once


def test_an_event_counted_after_the_last_fold_counts_again_once_after_redis_lost_it(
        redis_store):
    """Its count was lost with Redis, its key too: the resend restores it, once."""
    world = make_world()
    before = replace(banner_shown(world, "before"), signed_at=int(NOW.timestamp()) - 60)
    assert count(world, [(before, "rendered")]) == 1
    wipe_redis()  # before any fold: the count is gone
    later = NOW + timedelta(seconds=30)
    assert count(world, [(before, "rendered")], now=later) == 1
    assert count(world, [(before, "rendered")], now=later) == 0
    assert folded()[:4] == (0, 1, 0, 0)


def test_after_redis_lost_its_memory_counting_old_page_views_needs_the_database(
        redis_store, monkeypatch):
    """Until the database answers, an event of a page view from before the loss is
    refused (the page sends it again); a newer page view's event needs no look-up."""
    import sqlalchemy.exc

    world = make_world()
    before = replace(banner_shown(world, "before"), signed_at=int(NOW.timestamp()) - 60)
    wipe_redis()
    later = NOW + timedelta(seconds=30)
    assert count(world, [(banner_shown(world, "warm"), "rendered")], now=later) == 1  # epoch
    after = replace(banner_shown(world, "after"),
                    signed_at=int(later.timestamp()) + replay_keys.CLOCK_SKEW_SECONDS + 5)

    def down(keys):
        raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("database down"))

    monkeypatch.setattr(replay_keys, "stored_keys", down)
    with pytest.raises(sqlalchemy.exc.OperationalError):
        count(world, [(before, "rendered")], now=later)
    db.session.rollback()
    assert count(world, [(after, "rendered")], now=later + timedelta(minutes=2)) == 1
    monkeypatch.undo()
    assert count(world, [(before, "rendered")], now=later) == 1
    assert folded()[:4] == (0, 3, 0, 0)
