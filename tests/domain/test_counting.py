"""Counting rules, without a request: once per kind, bots and exclusions, previews."""

from datetime import UTC, datetime

import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import HourlyStat
from ad_manager.stats.counting import is_bot, record
from tests.factories import BROWSER, banner_shown, link_shown, make_world, totals

NOW = datetime(2026, 11, 20, 14, 25, tzinfo=UTC)


def count(world, events, user_agent=BROWSER, remote_addr="203.0.113.5", now=NOW):
    counted = record(events, user_agent=user_agent, remote_addr=remote_addr,
                     site_id=world.site.id, now=now)
    db.session.commit()
    return counted


def test_each_kind_counts_once_per_page_view(app):
    world = make_world()
    shown = banner_shown(world)
    events = [(shown, "served"), (shown, "rendered"), (shown, "viewable"), (shown, "click")]
    assert count(world, events) == 4
    assert count(world, events[1:]) == 0
    assert totals() == (1, 1, 1, 1, 3)  # each replay is filtered once…
    assert count(world, [(shown, "rendered"), (shown, "rendered")]) == 0
    assert count(world, events[1:]) == 0
    assert totals() == (1, 1, 1, 1, 3)  # …and never again


def test_same_kind_counts_again_in_another_page_view_and_for_another_link(app):
    world = make_world()
    assert count(world, [(banner_shown(world, "a"), "rendered")]) == 1
    assert count(world, [(banner_shown(world, "b"), "rendered")]) == 1
    assert count(world, [(link_shown(world, "a"), "rendered"),
                         (link_shown(world, "a", article=world.other), "rendered")]) == 2
    assert totals()[1] == 4


def test_counts_land_in_the_hour_and_dimensions_shown(app):
    world = make_world()
    count(world, [(link_shown(world), "rendered"), (link_shown(world), "click")])
    row = db.session.scalars(sa.select(HourlyStat)).one()
    assert row.hour == datetime(2026, 11, 20, 14, tzinfo=UTC)
    assert (row.site_id, row.placement_id, row.insert_id, row.article_id, row.zone_id,
            row.campaign_id, row.clicks) == (world.site.id, world.insert_placement.id,
                                             world.insert.id, world.article.id, 0, 0, 1)


def test_bots_and_excluded_readers_are_filtered_not_counted(app):
    world = make_world()
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    assert count(world, [(banner_shown(world, "1"), "rendered")], user_agent=googlebot) == 0
    assert count(world, [(banner_shown(world, "2"), "rendered")], user_agent="curl/8.5") == 0
    assert count(world, [(banner_shown(world, "3"), "rendered")], user_agent="") == 0
    assert count(world, [(banner_shown(world, "4"), "rendered")],
                 user_agent=BROWSER + " InternalMonitor/1.0") == 0
    assert count(world, [(banner_shown(world, "5"), "rendered")], remote_addr="10.1.2.3") == 0
    assert totals() == (0, 0, 0, 0, 5)
    assert is_bot(googlebot) and not is_bot(BROWSER)


def test_previews_and_tokens_of_another_site_count_nothing(app):
    world = make_world()
    assert count(world, [(banner_shown(world, preview=True), "rendered")]) == 0
    assert count(world, [(banner_shown(world, site=world.site.id + 1), "rendered")]) == 0
    assert count(world, [(banner_shown(world), "unknown-kind")]) == 0
    assert totals() == (0, 0, 0, 0, 0)
