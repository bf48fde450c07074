"""Rendering a page of the public wing (demo pages, the advertiser's client report).

The dashboard's context processors look up the signed-in user, which reads the
session and adds ``Vary: Cookie``: a public page is the same for every reader, so
it renders from the Jinja environment alone (translations, filters and ``url_for``
are the environment's, and work).
"""

from flask import current_app


def render_public(template: str, **context) -> str:
    """Render ``template`` without the dashboard's context processors."""
    return current_app.jinja_env.get_template(template).render(**context)
