"""Delivery alerts by e-mail (`alerts send-digest`), for a daily cron job."""

import click
from flask.cli import with_appcontext


@click.group("alerts")
def alerts_group() -> None:
    """Delivery alerts for salespeople."""


@alerts_group.command("send-digest")
@with_appcontext
def send_digest_command() -> None:
    """E-mail each salesperson today's alerts of their campaigns, once a day."""
    from ad_manager.alerts import mail
    from ad_manager.alerts.digest import send_digests
    from ad_manager.models import utcnow

    if not mail.configured():
        click.echo("MAIL_SERVER is not set: no e-mail sent.")
        return
    done = send_digests(utcnow())
    for address, what in done:
        click.echo(f"{address}: {what}")
    click.echo(f"{sum(what.startswith('sent') for _a, what in done)} digest(s) sent.")
    if any(what.startswith("not sent") for _a, what in done):
        raise SystemExit(1)
