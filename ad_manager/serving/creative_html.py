"""``GET /h/<token>``: an HTML creative's own document, for a sandboxed iframe.

A ``srcdoc`` frame inherits the host page's Content-Security-Policy, so on a page
with a strict ``script-src`` the creative's scripts never ran. Served from our
host instead, the creative has a policy of its own. The token (signed with the
app secret, salt of its own, expiring) names the site and the creative, so nobody
can make us serve HTML of their choosing. The ``sandbox`` CSP directive keeps the
document in an opaque origin even when opened directly: it can never read our
dashboard's cookies or the host page. No cookie, no session, no database query.
"""

from flask import current_app
from itsdangerous import BadData

from ad_manager.serving import tokens
from ad_manager.serving.snapshot_loader import current_snapshot

HTML_SALT = "adm-html"
# The frame loads right after the decision; a page restored from the back/forward
# cache may load it again hours later.
HTML_MAX_AGE = 6 * 3600
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"
# Ad HTML loads its scripts, images and pixels from anywhere, inline or not; what
# protects the reader and the publisher is the sandbox (opaque origin, no top
# navigation), not a list of sources. Any page may frame it.
CREATIVE_POLICY = (f"sandbox {SANDBOX}; default-src * data: blob: 'unsafe-inline' "
                   "'unsafe-eval'; base-uri 'none'; frame-ancestors *")
CACHE = "private, max-age=300"


def sign_creative(keys: tokens.Keys, site_id: int, creative_id: int) -> str:
    """Sign the token of one creative's HTML document (with the current key)."""
    return tokens.dumps(keys, [site_id, creative_id], HTML_SALT)


def read_creative(keys: tokens.Keys, token: str) -> tuple[int, int] | None:
    """Give ``(site id, creative id)`` of a token, or None for a forged or expired one."""
    try:
        payload = tokens.loads(keys, token[:500], HTML_SALT, HTML_MAX_AGE)
    except BadData:
        return None
    if (not isinstance(payload, list) or len(payload) != 2
            or not all(type(n) is int for n in payload)):
        return None
    return payload[0], payload[1]


def creative_html(site_id: int, creative_id: int) -> str | None:
    """Find the creative's HTML among the site's booked campaigns in the snapshot."""
    for site in current_snapshot().sites.values():
        if site.site.id != site_id:
            continue
        for booked in site.campaigns_by_zone.values():
            for tier in booked.tiers:
                for campaign in tier:
                    for creative in campaign.creatives:
                        if creative.id == creative_id and creative.kind == "html":
                            return creative.html or ""
    return None


def html_creative(token: str):
    """Answer the creative's HTML under its own sandboxing policy, never cached for long."""
    found = read_creative(tokens.signing_keys(current_app.config), token)
    html = creative_html(*found) if found else None
    if html is None:
        # Inside an ad frame (a page restored hours later): an empty 404, not a JSON error.
        response = current_app.response_class("", status=404, mimetype="text/html")
    else:
        # As the dashboard's preview frames it: no margin, no scrollbar in a box of fixed size.
        response = current_app.response_class(
            '<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;'
            "overflow:hidden}</style></head><body>" + html + "</body></html>",
            mimetype="text/html")
    response.headers["Content-Security-Policy"] = CREATIVE_POLICY
    response.headers["Cache-Control"] = CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
