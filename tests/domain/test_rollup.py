"""Rolling hourly counters up into daily ones keeps every count, once."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import CampaignChange, DailyStat, HourlyStat, SeenEvent
from ad_manager.stats.deciding import record
from ad_manager.stats.rollup import rollup
from tests.factories import BROWSER, banner_shown, link_shown, make_inventory, make_world

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def sums(model):
    return tuple(n or 0 for n in db.session.execute(sa.select(
        sa.func.sum(model.served), sa.func.sum(model.rendered), sa.func.sum(model.viewable),
        sa.func.sum(model.clicks))).one())


def fill(world):
    """Count events over ten days, several hours a day, in two placements."""
    for days_ago in range(10):
        for hour in (0, 7, 23):
            when = NOW - timedelta(days=days_ago) + timedelta(hours=hour - 12)
            view = f"{days_ago}-{hour}"
            banner, link = banner_shown(world, view), link_shown(world, view)
            record([(banner, "served"), (banner, "rendered"), (link, "rendered"),
                    (link, "click")] + [(banner, "viewable")] * (hour % 2),
                   user_agent=BROWSER, remote_addr=None, site_id=world.site.id, now=when)
    db.session.commit()


def test_rollup_sums_equal_the_hourly_sums_and_reruns_change_nothing(app):
    world = make_world()
    fill(world)
    before = sums(HourlyStat)
    days = rollup(now=NOW, after_days=3)
    assert len(days) == 6  # the days wholly before 22 November (25 November - 3 days)
    assert tuple(a + b for a, b in zip(sums(HourlyStat), sums(DailyStat), strict=True)) == before
    assert rollup(now=NOW, after_days=3) == []
    assert tuple(a + b for a, b in zip(sums(HourlyStat), sums(DailyStat), strict=True)) == before
    oldest = db.session.scalar(sa.select(sa.func.min(HourlyStat.hour)))
    assert oldest >= datetime(2026, 11, 22, tzinfo=UTC)
    per_day = db.session.scalars(sa.select(DailyStat).where(
        DailyStat.day == NOW.date() - timedelta(days=5), DailyStat.article_id != 0)).one()
    assert (per_day.rendered, per_day.clicks) == (3, 3)


def test_rollup_forgets_expired_replay_keys(app):
    world = make_world()
    record([(banner_shown(world), "rendered")], user_agent=BROWSER, remote_addr=None,
           site_id=world.site.id, now=NOW - timedelta(days=2))
    record([(banner_shown(world, "new"), "rendered")], user_agent=BROWSER, remote_addr=None,
           site_id=world.site.id, now=NOW)
    db.session.commit()
    rollup(now=NOW, after_days=35)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeenEvent)) == 1


def test_rollup_forgets_campaign_changes_logged_over_a_day_ago(app):
    """Whole versions go from the oldest, so the log keeps an unbroken run of the latest
    (a process further behind rebuilds); one logged late by a slow clock goes too."""
    campaign = make_inventory()["campaign"]
    for weight in (2, 3, 4):
        campaign.weight = weight
        db.session.commit()
    table = CampaignChange.__table__
    versions = sorted(db.session.scalars(sa.select(table.c.version).distinct()))
    assert len(versions) == 4
    now = datetime.now(UTC)
    first, _recent, third, last = versions
    for version in (first, third):  # the third by a clock two days slow
        db.session.execute(table.update().where(table.c.version == version)
                           .values(changed_at=now - timedelta(days=2)))
    db.session.commit()
    rollup(now=now)
    assert list(db.session.scalars(sa.select(table.c.version))) == [last]
    rollup(now=now)
    assert list(db.session.scalars(sa.select(table.c.version))) == [last]


def test_rollup_command(app, runner):
    world = make_world()
    fill(world)
    result = runner.invoke(args=["stats", "rollup", "--after-days", "0"])
    assert result.exit_code == 0, result.output
    today = datetime.now(UTC).date()
    older = sum(1 for days_ago in range(10) if (NOW - timedelta(days=days_ago)).date() < today)
    assert f"Rolled up {older} day(s)." in result.output  # every day before today (UTC)
    assert "2026-11-16: 6 hourly row(s) rolled up" in result.output
