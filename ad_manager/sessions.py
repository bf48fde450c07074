"""The session cookie, kept off the public serving wing.

Flask-Login's after-request hook reads the session on every request, which makes
Flask add ``Vary: Cookie`` (and could add a ``Set-Cookie``) to any response. Article
pages call the public blueprints on every view: those answers must carry neither,
so shared caches keep them and the reader's browser keeps nothing of ours.
"""

from flask import request
from flask.sessions import SecureCookieSessionInterface

from ad_manager.serving import PUBLIC_BLUEPRINTS


class StaffOnlySessionInterface(SecureCookieSessionInterface):
    """Save the session (and vary on it) only for staff pages, never for public ones."""

    def save_session(self, app, session, response) -> None:
        if request.blueprint in PUBLIC_BLUEPRINTS:
            return
        super().save_session(app, session, response)
