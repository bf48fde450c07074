"""Printing the snippet a site pastes into its article template."""

import click
from flask.cli import with_appcontext

from ad_manager.extensions import db


@click.command("snippet")
@with_appcontext
@click.argument("site_key")
@click.argument("layout_slug")
@click.option("--json", "as_json", is_flag=True, help="Print the parts as one JSON object.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where readers' browsers reach this Ad Manager.")
def snippet_command(site_key: str, layout_slug: str, as_json: bool, base_url: str) -> None:
    """Print what to paste in SITE's article template for LAYOUT."""
    import json

    from sqlalchemy import select

    from ad_manager.models import Layout, Site
    from ad_manager.snippets import snippet_parts

    site = db.session.scalar(select(Site).where(Site.key == site_key))
    if site is None:
        raise click.BadParameter(f"no site with key {site_key!r}", param_hint="SITE")
    layout = db.session.scalar(select(Layout).where(
        Layout.site_id == site.id, Layout.slug == layout_slug, Layout.archived_at.is_(None)))
    if layout is None:
        raise click.BadParameter(f"no layout {layout_slug!r} on {site_key}", param_hint="LAYOUT")
    parts = snippet_parts(site, layout, base_url)
    if as_json:
        click.echo(json.dumps(parts, ensure_ascii=False, indent=2))
        return
    click.echo("<!-- In <head>: -->\n" + parts["head"] + "\n")
    for slug, html in parts["placeholders"].items():
        click.echo(f"<!-- Where zone {slug} goes in the article template: -->\n{html}\n")
    click.echo("<!-- Before </body> (or anywhere): -->\n" + parts["script"])
