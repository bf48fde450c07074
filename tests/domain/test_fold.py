"""Redis counters and their fold into the database: exactly once, even after a crash."""

import json
from datetime import UTC, datetime

import pytest
import redis
import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import FoldedBatch, HourlyStat, ReaderDaily, SeenEvent
from ad_manager.stats import live
from ad_manager.stats.deciding import record
from tests.factories import (
    BROWSER,
    banner_shown,
    event_token,
    link_shown,
    make_world,
)
from tests.factories import totals as all_totals

NOW = datetime(2026, 11, 20, 9, 40, tzinfo=UTC)


class Crash(RuntimeError):
    """The fold dies here."""


def count_some(world, views=("a", "b", "c")):
    for view in views:
        shown = banner_shown(world, view)
        record([(shown, "served"), (shown, "rendered"), (shown, "viewable")],
               user_agent=BROWSER, remote_addr=None, site_id=world.site.id, now=NOW)
    record([(link_shown(world, "a"), "rendered"), (link_shown(world, "a"), "click")],
           user_agent=BROWSER, remote_addr=None, site_id=world.site.id, now=NOW)


def totals():
    """Served, rendered, viewable and clicks summed over all hourly rows."""
    return all_totals()[:4]


def test_counts_wait_in_redis_until_the_fold(redis_app):
    world = make_world()
    count_some(world)
    count_some(world)  # replays: served again (new decisions), events not
    assert totals() == (0, 0, 0, 0)
    assert live.fold() == 2  # the hour's counters and the day's readers
    assert totals() == (6, 4, 3, 1)
    readers = db.session.execute(sa.select(sa.func.sum(ReaderDaily.rendered),
                                           sa.func.sum(ReaderDaily.clicks))).one()
    assert tuple(readers) == (4, 1)
    assert live.fold() == 0
    assert totals() == (6, 4, 3, 1)
    row = db.session.scalars(sa.select(HourlyStat).where(HourlyStat.clicks == 1)).one()
    assert row.hour == datetime(2026, 11, 20, 9, tzinfo=UTC)


@pytest.mark.parametrize("step", ["renamed", "commit", "committed"])
def test_a_fold_killed_at_any_step_neither_loses_nor_doubles(redis_app, step):
    world = make_world()
    count_some(world)

    def crash_at(name):
        if name == step:
            raise Crash(name)

    with pytest.raises(Crash):
        live.fold(on_step=crash_at)
    count_some(world, views=("d",))  # readers go on while the fold is down
    live.fold()
    live.fold()
    assert totals() == (4, 5, 4, 1)
    assert not list(live.client().scan_iter(match=redis_app.config["REDIS_PREFIX"] + "stats:*"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FoldedBatch)) >= 2
    # The replay keys went into the database with their counts, each once, and their
    # logs in Redis with the batches.
    assert not list(live.client().scan_iter(match=redis_app.config["REDIS_PREFIX"] + "seenlog:*"))
    # 10 events, and the replay keys of link "a"'s rendered and click, sent again.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeenEvent)) == 12


def test_fold_command_reports_batches(redis_app):
    world = make_world()
    count_some(world)
    result = redis_app.test_cli_runner().invoke(args=["stats", "fold"])
    assert result.exit_code == 0, result.output
    assert "Folded 2 batch" in result.output
    assert totals() == (3, 4, 3, 1)


def test_delivery_reads_counters_not_folded_yet(redis_app):
    from ad_manager.stats.delivered import delivered

    world = make_world()
    count_some(world)
    assert delivered([world.campaign.id], NOW)[world.campaign.id] == (3, 3)
    live.fold()
    assert delivered([world.campaign.id], NOW)[world.campaign.id] == (3, 3)


def test_counting_is_refused_into_a_redis_without_appendonly(redis_app):
    redis_app.config["REDIS_REQUIRE_APPENDONLY"] = True
    redis_app.extensions.pop("ad_manager_redis_durable", None)
    raw = redis.Redis.from_url(redis_app.config["REDIS_URL"], decode_responses=True)
    if raw.config_get("appendonly").get("appendonly") == "yes":
        pytest.skip("the test Redis runs with appendonly: nothing to refuse")
    world = make_world()
    try:
        with pytest.raises(live.NotDurable, match="appendonly"):
            record([(banner_shown(world, "v1"), "rendered")], user_agent=BROWSER,
                   remote_addr=None, site_id=world.site.id, now=NOW)
        db.session.rollback()
        body = json.dumps({"events": [{"t": event_token(banner_shown(world, "v2")),
                                       "k": "rendered"}]})
        response = redis_app.test_client().post("/e", data=body,
                                                headers={"User-Agent": BROWSER,
                                                         "Origin": "https://www.quotidien.fr"})
        # A page's events go to the journal, then to the database: never to that Redis.
        assert response.status_code == 204
        assert raw.keys(redis_app.config["REDIS_PREFIX"] + "*") == []
        assert totals()[1] == 1
    finally:
        redis_app.config["REDIS_REQUIRE_APPENDONLY"] = False
