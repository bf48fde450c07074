"""Maintenance commands of the counters: ``stats fold`` and ``stats rollup``."""

import click
from flask.cli import with_appcontext


@click.group("stats")
def stats_group() -> None:
    """Maintain the delivery counters (for cron jobs)."""


@stats_group.command("fold")
@with_appcontext
def fold_command() -> None:
    """Move the counters kept in Redis into the database, exactly once."""
    from ad_manager.stats import live

    if not live.enabled():
        click.echo("REDIS_URL is not set: counters are already in the database.")
        return
    applied = live.fold()
    click.echo(f"Folded {applied} batch(es) of counters into the database.")


@stats_group.command("rollup")
@with_appcontext
@click.option("--after-days", type=click.IntRange(min=0), default=None,
              help="Roll up hourly rows older than this (default: ROLLUP_AFTER_DAYS).")
def rollup_command(after_days: int | None) -> None:
    """Roll old hourly counters up into daily ones; forget expired replay keys."""
    from ad_manager.stats.rollup import rollup

    days = rollup(after_days=after_days,
                  on_day=lambda day, rows: click.echo(f"{day}: {rows} hourly row(s) rolled up"))
    click.echo(f"Rolled up {len(days)} day(s).")
