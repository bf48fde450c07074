"""Keep the session away from the public serving wing.

Flask-Login touches the session after every request (to refresh its remember
cookie), which makes Flask add ``Vary: Cookie`` and possibly a cookie to every
response. Serving responses must carry neither: readers' browsers and CDNs would
treat them as personal. This interface saves no session for public blueprints,
nor for a URL that matched no route (a bot probing ``/media/..%2f…`` gets its 404
without a cookie).
"""

from flask import request
from flask.sessions import SecureCookieSessionInterface

from ad_manager.wings import PUBLIC_BLUEPRINTS


class StaffOnlySessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session of the dashboard, never written by public blueprints."""

    def open_session(self, app, request):
        if self.get_cookie_name(app) not in request.cookies:
            # A reader's request carries no session: build no serializer for it.
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if request.blueprint in PUBLIC_BLUEPRINTS or request.url_rule is None:
            return
        super().save_session(app, session, response)
