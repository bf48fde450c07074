"""Shell commands, all through ``flask --app app …``."""

import sys

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade

from ad_manager.extensions import db
from ad_manager.models import Role


@click.command("setup")
@with_appcontext
@click.option("--demo", is_flag=True, help="Also load the demo site.")
def setup_command(demo: bool) -> None:
    """Create or upgrade the database, compile translations, optionally load the demo."""
    from ad_manager.i18n import compile_catalogues

    compile_catalogues()
    upgrade()
    click.echo("Database is up to date.")
    if demo:
        _load_demo()


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load (or refresh) the demo site and its data."""
    _load_demo()


def _load_demo() -> None:
    from ad_manager.demo import load_demo

    site = load_demo()
    db.session.commit()
    click.echo(f"Demo site '{site.key}' is ready.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VIEWER.value,
              show_default=True)
@click.option("--name", default="")
@click.password_option(help="The first password (asked for when not given).")
def create_user_command(email: str, role: str, name: str, password: str) -> None:
    """Create a staff account from the shell."""
    from email_validator import EmailNotValidError, validate_email

    from ad_manager.auth.accounts import AccountError, create_user
    from ad_manager.auth.forms import PASSWORD_MIN

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    if len(password) < PASSWORD_MIN:
        raise click.BadParameter(f"at least {PASSWORD_MIN} characters", param_hint="password")
    try:
        user = create_user(email, password, Role(role), name=name)
    except AccountError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@click.group("translations")
def translations_group() -> None:
    """Keep the French catalogues whole (for developers)."""


@translations_group.command("check")
@with_appcontext
def translations_check() -> None:
    """List UI strings that no catalogue translates; exit 1 if any."""
    from ad_manager.i18n import missing_translations

    missing = missing_translations()
    for msgid, where in sorted(missing.items()):
        click.echo(f"{where[0]}: {msgid!r}")
    sys.exit(1 if missing else 0)


@translations_group.command("add-missing")
@with_appcontext
@click.argument("area")
def translations_add_missing(area: str) -> None:
    """Append untranslated strings to AREA's catalogue, for you to translate."""
    from ad_manager.i18n import add_missing

    added = add_missing(area)
    click.echo(f"{len(added)} strings added to {area}; fill in their msgstr.")


@translations_group.command("compile")
@with_appcontext
def translations_compile() -> None:
    """Compile every catalogue to its .mo file."""
    from ad_manager.i18n import compile_catalogues

    for path in compile_catalogues():
        click.echo(str(path))


@click.command("import-feed")
@with_appcontext
@click.argument("site_key")
@click.argument("url", required=False)
def import_feed_command(site_key: str, url: str | None) -> None:
    """Import SITE_KEY's articles from URL (RSS, Atom, sitemap, or a local file).

    Without URL, the site's feed URL is used; safe to run from cron (re-import updates).
    """
    from ad_manager.catalog.feeds import FeedError, import_feed
    from ad_manager.models import Site

    site = db.session.scalar(db.select(Site).where(Site.key == site_key))
    if site is None:
        raise click.BadParameter(f"No site with key {site_key!r}.", param_hint="SITE_KEY")
    url = url or site.feed_url
    if not url:
        raise click.UsageError(f"Site {site_key!r} has no feed URL: give one.")
    try:
        result = import_feed(site, url, allow_files=True, progress=click.echo)
    except FeedError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    for skipped in result.skipped[:10]:
        click.echo(f"Skipped (not on the site's domains): {skipped}")


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



@click.command("build-loader")
def build_loader_command() -> None:
    """Build static/embed.js and static/embed-head.js from static/embed-src/ (needs npm ci)."""
    from ad_manager.embed_build import BuildError, report, write

    try:
        click.echo(report(write()))
    except BuildError as error:
        raise click.ClickException(str(error)) from None


from ad_manager.stats.commands import report_command, stats_group  # noqa: E402

COMMANDS = [setup_command, demo_command, create_user_command, translations_group,
            import_feed_command, snippet_command, build_loader_command, stats_group,
            report_command]
