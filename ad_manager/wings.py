"""Which blueprints make up the public wing: the names both wings need to agree on.

The public wing (the loader, decisions, events, clicks, media and the demo pages)
takes no session, sets no cookie and needs no login; the error handlers, the input
guards, the security headers and the session interface all ask this module which
wing a request belongs to, so none of them imports the serving package itself.
"""

# Public blueprints: no login, no dashboard headers (the demo pages set their own).
PUBLIC_BLUEPRINTS = frozenset({"serving", "tracking", "media", "demo"})
# Public blueprints whose errors are JSON (their callers are scripts, not people).
JSON_BLUEPRINTS = frozenset({"serving", "tracking"})
