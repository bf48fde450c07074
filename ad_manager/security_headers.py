"""Security headers for staff pages: only our own scripts, no framing by others.

Serving responses (the embed loader, decisions, events) are left alone: article
pages of other origins call them. A blueprint that needs another policy (the demo
article page, creative previews) sets its own headers, which are kept.
"""

from flask import request

from ad_manager.wings import PUBLIC_BLUEPRINTS

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'self'",
])


def add_security_headers(response):
    """Set CSP, framing and referrer rules on every page but the serving wing's."""
    if request.blueprint in PUBLIC_BLUEPRINTS:
        return response
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
