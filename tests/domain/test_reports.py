"""Report figures against known counted events, before and after the rollup."""

from datetime import UTC, date, datetime

from ad_manager.stats.reports import Period, by_dimension, by_time, figures, totals
from ad_manager.stats.rollup import rollup
from tests.factories import REPORT_NOW as NOW
from tests.factories import fill_reports, make_world


def period(world, **changes):
    values = {"start": date(2026, 11, 18), "end": date(2026, 11, 20), "site_id": world.site.id}
    values.update(changes)
    return Period(**values)


def test_report_by_day_gives_the_counted_figures(app):
    world = make_world(now=NOW)
    fill_reports(world)
    lines = by_time(period(world))
    assert [line.key for line in lines] == [date(2026, 11, 18), date(2026, 11, 19),
                                            date(2026, 11, 20)]
    assert lines[1].figures.served == 0  # a day without traffic still has its line
    first = lines[0].figures
    assert (first.served, first.rendered, first.viewable, first.clicks) == (4, 4, 1, 2)
    total = totals(lines)
    assert (total.served, total.rendered, total.viewable, total.clicks, total.filtered) == (
        8, 8, 2, 4, 1)
    assert total.ctr == 0.5 and total.viewable_rate == 0.25


def test_report_by_hour_and_filters(app):
    world = make_world(now=NOW)
    fill_reports(world)
    every_hour = by_time(period(world, group="hour", zone_id=world.zone.id))
    assert len(every_hour) == 3 * 24
    hours = [line for line in every_hour if line.figures.served]
    assert [line.key for line in hours] == [datetime(2026, 11, 18, 12, tzinfo=UTC),
                                            datetime(2026, 11, 18, 15, tzinfo=UTC),
                                            datetime(2026, 11, 20, 15, tzinfo=UTC)]
    assert [line.figures.rendered for line in hours] == [1, 1, 2]
    campaign = figures(period(world, campaign_id=world.campaign.id))
    assert (campaign.rendered, campaign.clicks) == (4, 1)
    advertiser = figures(period(world, advertiser_id=world.advertiser.id))
    assert advertiser.rendered == 4
    inserts = figures(period(world, insert_id=world.insert.id))
    assert (inserts.rendered, inserts.clicks) == (4, 3)
    assert figures(period(world, site_id=world.site.id + 1)).served == 0
    assert figures(period(world, start=date(2026, 11, 19), end=date(2026, 11, 19))).served == 0


def test_insert_report_shows_which_linked_articles_readers_click(app):
    world = make_world(now=NOW)
    fill_reports(world)
    lines = by_dimension(period(world, insert_id=world.insert.id), "article_id")
    assert [(line.key, line.figures.rendered, line.figures.clicks) for line in lines] == [
        (world.article.id, 2, 2), (world.other.id, 2, 1)]


def test_reports_read_rolled_up_days_like_hours(app):
    world = make_world(now=NOW)
    fill_reports(world)
    before = [(line.key, line.figures.served, line.figures.clicks) for line in by_time(
        period(world))]
    creatives = [(line.key, line.figures.clicks) for line in by_dimension(
        period(world), "creative_id")]
    rollup(now=NOW, after_days=1)
    assert [(line.key, line.figures.served, line.figures.clicks) for line in by_time(
        period(world))] == before
    assert [(line.key, line.figures.clicks) for line in by_dimension(
        period(world), "creative_id")] == creatives
    hours = by_time(period(world, group="hour"))
    assert hours[0].key == datetime(2026, 11, 18, tzinfo=UTC) and hours[0].whole_day
