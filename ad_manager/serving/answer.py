"""The readers' answers as WSGI takes them: a decision's JSON, an events batch's 204,
a click's redirect.

Every such answer is this reader's own: never cached, varying by origin, readable by
the site's origins only. The lane sends an ``Answer`` as it is; a werkzeug ``Response``
would cost a tenth of a decision.
"""

from functools import lru_cache

from flask import current_app
from werkzeug.urls import iri_to_uri

from ad_manager.serving.cors import origin_allowed

# A reader's answer is their own: never cached, and it varies by origin.
NOT_CACHED = (("Vary", "Origin"), ("Cache-Control", "no-store"))


class Answer:
    """A reader's answer: its status, its body (JSON, or none) and the few headers it
    always has (``NOT_CACHED``, and the origin when the site allows it)."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, body: bytes, origin: str | None, allowed: tuple[str, ...],
                 status: str = "200 OK"):
        self.body, self.status = body, status
        self.headers = [("Content-Type", "application/json"),
                        ("Content-Length", str(len(body))), *NOT_CACHED] if body else [
                            *NOT_CACHED]
        if origin_allowed(origin, allowed):
            self.headers.append(("Access-Control-Allow-Origin", origin))

    def __call__(self, environ, start_response):
        start_response(self.status, self.headers)
        return [self.body] if self.body else []

    def response(self):
        """Give it as the app's response class, for Flask's view."""
        return current_app.response_class(self.body, status=self.status, headers=self.headers)


class Redirect:
    """A counted click's 302 to its destination, never cached, telling the destination
    only our origin; the address as a URI (what werkzeug's redirect sends), no body."""

    __slots__ = ("headers",)

    def __init__(self, target: str):
        self.headers = [("Location", _as_uri(target)), ("Cache-Control", "no-store"),
                        ("Referrer-Policy", "origin"), ("Content-Length", "0")]

    def __call__(self, environ, start_response):
        start_response("302 FOUND", self.headers)
        return []

    def response(self):
        """Give it as the app's response class, for Flask's view."""
        return current_app.response_class(status=302, headers=self.headers)


@lru_cache(maxsize=1024)
def _as_uri(target: str) -> str:
    return iri_to_uri(target)


def not_cached(response):
    """Mark a response of a reader's endpoint with ``NOT_CACHED`` (an error, a
    preflight; an ``Answer`` carries them already)."""
    response.vary.add("Origin")
    response.headers["Cache-Control"] = "no-store"
    return response
