"""Importing a site's articles from its feed or sitemap (cron-friendly)."""

import sys

import click
from flask.cli import with_appcontext

from ad_manager.extensions import db


@click.command("import-feed")
@with_appcontext
@click.argument("site_key")
@click.argument("url", required=False)
@click.option("--file", "path", type=click.Path(dir_okay=False),
              help="Read the feed or sitemap from this local file instead of an address.")
def import_feed_command(site_key: str, url: str | None, path: str | None) -> None:
    """Import SITE_KEY's articles from URL (RSS, Atom or sitemap), or from a local
    file given with --file.

    Without either, the site's feed URL is used; safe to run from cron (re-import
    updates). Addresses get the dashboard's guard: public http(s) addresses only.
    """
    from ad_manager.catalog.feeds import FeedError, import_feed
    from ad_manager.models import Site

    site = db.session.scalar(db.select(Site).where(Site.key == site_key))
    if site is None:
        raise click.BadParameter(f"No site with key {site_key!r}.", param_hint="SITE_KEY")
    if url and path:
        raise click.UsageError("Give an address or --file, not both.")
    url = "" if path else url or site.feed_url
    if not url and not path:
        raise click.UsageError(f"Site {site_key!r} has no feed URL: give one.")
    try:
        result = import_feed(site, url, path=path or "", progress=click.echo)
    except FeedError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    for skipped in result.skipped[:10]:
        click.echo(f"Skipped (not on the site's domains): {skipped}")
