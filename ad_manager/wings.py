"""Which blueprints make up the public wing: the names both wings need to agree on.

The public wing (the loader, decisions, events, clicks, media, the demo pages and the
advertiser's client report) takes no session, sets no cookie and needs no login; the
error handlers, the input guards, the security headers, the locale choice and the
session interface all ask this module which wing a request belongs to, so none of
them imports the serving package itself.
"""

# Public blueprints: no login, no dashboard headers (the demo pages and the advertiser's
# client report set their own).
PUBLIC_BLUEPRINTS = frozenset({"serving", "tracking", "media", "demo", "client_report"})
# Public blueprints whose errors are JSON (their callers are scripts, not people).
JSON_BLUEPRINTS = frozenset({"serving", "tracking"})
