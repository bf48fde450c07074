"""Counter maintenance (`stats fold`, `stats rollup`) and reports from the shell (`report`)."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("stats")
def stats_group() -> None:
    """Maintain the delivery counters (for cron jobs)."""


@stats_group.command("fold")
@with_appcontext
def fold_command() -> None:
    """Move the counters kept in Redis, and the served counts and readers' events of
    this machine's journal files no process is writing, into the database, exactly once."""
    from ad_manager.stats import live
    from ad_manager.stats.events_journal import events_journal
    from ad_manager.stats.served_journal import journal

    lines = journal().fold()
    click.echo(f"Added {lines} decision(s) of served counts from the journal.")
    reports = events_journal().fold()
    click.echo(f"Added {reports} report(s) of readers' events from the journal.")
    if not live.enabled():
        click.echo("REDIS_URL is not set: the other counters are already in the database.")
        return
    applied = live.fold()
    click.echo(f"Folded {applied} batch(es) of counters into the database.")


@stats_group.command("rollup")
@with_appcontext
@click.option("--after-days", type=click.IntRange(min=0), default=None,
              help="Roll up hourly rows older than this (default: ROLLUP_AFTER_DAYS).")
def rollup_command(after_days: int | None) -> None:
    """Roll old hourly counters up into daily ones; forget expired replay keys and
    campaign changes logged over a day ago."""
    from ad_manager.stats.rollup import rollup

    days = rollup(after_days=after_days,
                  on_day=lambda day, rows: click.echo(f"{day}: {rows} hourly row(s) rolled up"))
    click.echo(f"Rolled up {len(days)} day(s).")


def _find(model, slug: str | None, site_id: int | None, what: str) -> int | None:
    """Give the id of the zone/insert/layout named ``slug`` (of the site, when given)."""
    from sqlalchemy import select

    from ad_manager.extensions import db

    if not slug:
        return None
    query = select(model.id).where(model.slug == slug).order_by(model.id)
    if site_id is not None:
        query = query.where(model.site_id == site_id)
    found = db.session.scalars(query).first()
    if found is None:
        raise click.BadParameter(f"no {what} {slug!r}", param_hint=f"--{what}")
    return found


@click.command("report")
@with_appcontext
@click.option("--csv", "as_csv", is_flag=True, required=True,
              help="Print the CSV export (the only format for now).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day (default: 29 days before --to).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Last day, included (default: today).")
@click.option("--site", help="Site key.")
@click.option("--advertiser", type=int, help="Advertiser id.")
@click.option("--campaign", type=int, help="Campaign id.")
@click.option("--zone", help="Zone slug.")
@click.option("--insert", help="Insert slug.")
@click.option("--layout", help="Layout slug.")
@click.option("--timezone", help="Time zone of the days (default: the site's).")
@click.option("--excel-fr", "excel_fr", is_flag=True,
              help="French Excel's CSV: byte order mark, ';', French headers, decimal comma.")
def report_command(as_csv, start, end, site, advertiser, campaign, zone, insert, layout,
                   timezone, excel_fr) -> None:
    """Print a report as CSV on standard output, with the report screen's filters."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from ad_manager.extensions import db
    from ad_manager.models import Insert, Layout, Site, Zone
    from ad_manager.stats.export import EXCEL_FR, PLAIN, csv_lines
    from ad_manager.stats.reports import Period, report_timezone, zone_of

    site_id = None
    if site:
        site_id = db.session.scalar(select(Site.id).where(Site.key == site))
        if site_id is None:
            raise click.BadParameter(f"no site {site!r}", param_hint="--site")
    timezone = timezone or report_timezone(site_id=site_id, campaign_id=campaign)
    if zone_of(timezone).key != timezone:
        raise click.BadParameter(f"unknown time zone {timezone!r}", param_hint="--timezone")
    last = end.date() if end else datetime.now(UTC).astimezone(zone_of(timezone)).date()
    first = start.date() if start else last - timedelta(days=29)
    if first > last:
        raise click.BadParameter("--from is after --to", param_hint="--from")
    period = Period(start=first, end=last, site_id=site_id, advertiser_id=advertiser,
                    campaign_id=campaign, zone_id=_find(Zone, zone, site_id, "zone"),
                    insert_id=_find(Insert, insert, site_id, "insert"),
                    layout_id=_find(Layout, layout, site_id, "layout"), timezone=timezone)
    for line in csv_lines(period, EXCEL_FR if excel_fr else PLAIN,
                          currency=current_app.config["CURRENCY"]):
        click.echo(line, nl=False)
