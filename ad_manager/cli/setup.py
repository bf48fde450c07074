"""Setting up: the database, the demo, staff accounts and the translations."""

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
