"""``flask --app app build-loader``: build the page scripts from their sources."""

import click


@click.command("build-loader")
def build_loader_command() -> None:
    """Build static/embed.js and static/embed-head.js from static/embed-src/ (needs npm ci)."""
    from ad_manager.embed_build import BuildError, report, write

    try:
        click.echo(report(write()))
    except BuildError as error:
        raise click.ClickException(str(error)) from None
