"""The public hot path: the embed loader, decisions, events, clicks, media, demo pages.

These blueprints take no session, set no cookie and need no login. The dashboard
never imports from here but these names.
"""

# Public blueprints: no login, no dashboard headers (the demo pages set their own).
PUBLIC_BLUEPRINTS = frozenset({"serving", "tracking", "media", "demo"})
# Public blueprints whose errors are JSON (their callers are scripts, not people).
JSON_BLUEPRINTS = frozenset({"serving", "tracking"})
