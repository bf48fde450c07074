"""Delivery figures for goals, daily caps and pacing: total and today."""

from datetime import UTC, datetime, timedelta

from ad_manager.extensions import db
from ad_manager.stats.deciding import record
from ad_manager.stats.delivered import delivered
from ad_manager.stats.rollup import rollup
from tests.factories import BROWSER, banner_shown, make_world

# 23:30 in Paris on 20 November is 22:30 UTC.
NOW = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)


def serve(world, when, views, kinds=("served", "rendered")):
    for view in views:
        shown = banner_shown(world, view)
        record([(shown, kind) for kind in kinds], user_agent=BROWSER, remote_addr=None,
               site_id=world.site.id, now=when)
    db.session.commit()


def test_delivered_counts_rendered_in_total_and_today_in_the_sites_timezone(app):
    world = make_world(now=NOW)
    world.campaign.zones.append(world.zone)
    db.session.commit()
    serve(world, NOW - timedelta(days=40), ["old1", "old2"])
    rollup(now=NOW, after_days=35)
    serve(world, NOW - timedelta(hours=23), ["yesterday"])  # 23:30 UTC on the 19th = 00:30 Paris
    serve(world, NOW - timedelta(hours=1), ["a", "b", "c"])
    serve(world, NOW + timedelta(hours=1), ["later"])
    serve(world, NOW, ["never-rendered", "not-placed"], kinds=("served",))
    figures = delivered([world.campaign.id, 999], NOW)
    assert figures == {world.campaign.id: (7, 5), 999: (0, 0)}
    assert delivered([], NOW) == {}
