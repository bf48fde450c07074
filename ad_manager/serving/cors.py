"""Cross-origin access to the decision: only the site's own pages may read it.

A site lists its origins (``https://www.example.fr``); ``http://127.0.0.1:*``
accepts any port of that host, for developers' local pages. Nothing else is a
pattern: no "*" for every origin, no wildcard subdomains.
"""

from collections.abc import Iterable
from functools import lru_cache

PREFLIGHT_MAX_AGE = 86400
DEFAULT_PORTS = {"http": "80", "https": "443"}


def _origin_parts(origin: str) -> tuple[str, str, str] | None:
    """Give (scheme, host, port) of an origin; the default port is ""; None if malformed."""
    scheme, sep, netloc = origin.strip().rstrip("/").lower().partition("://")
    if not sep or scheme not in DEFAULT_PORTS or not netloc or "/" in netloc or "@" in netloc:
        return None
    host, port = netloc, ""
    if ":" in netloc and not netloc.endswith("]"):
        host, _, port = netloc.rpartition(":")
    if not host or not (port == "*" or port.isdigit() or port == ""):
        return None
    if port == DEFAULT_PORTS[scheme]:
        port = ""
    return scheme, host, port


def origin_allowed(origin: str | None, allowed: Iterable[str]) -> bool:
    """Tell whether a request's ``Origin`` is one of the site's allowed origins."""
    if not origin or len(origin) > 300:
        return False
    return _origin_allowed(origin, tuple(allowed))


# Every decision asks about the same few (origin, site's origins) pairs several times:
# the answer is remembered (a page sending made-up origins only churns the oldest out).
@lru_cache(maxsize=4096)
def _origin_allowed(origin: str, allowed: tuple[str, ...]) -> bool:
    parts = _origin_parts(origin)
    if parts is None or parts[2] == "*":
        return False
    for entry in allowed:
        wanted = _origin_parts(str(entry))
        if wanted is None or wanted[:2] != parts[:2]:
            continue
        if wanted[2] in ("*", parts[2]):
            return True
    return False


def allow_origin(response, origin: str | None, allowed: Iterable[str], *, preflight=False):
    """Add CORS headers for an allowed origin; say the answer varies by origin."""
    response.vary.add("Origin")
    if origin_allowed(origin, allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
        if preflight:
            response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
            response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def reject_unknown(origin: str | None, allowed: Iterable[str]) -> bool:
    """Tell whether to refuse: a browser page of an origin the site doesn't list.

    Requests without ``Origin`` (same-origin navigations, server checks) are served.
    """
    return origin is not None and not origin_allowed(origin, allowed)
