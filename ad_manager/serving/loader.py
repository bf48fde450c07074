"""``GET /embed.js`` and ``GET /embed.css``: what article pages load from the ads host.

``/embed.js`` is the built loader (``static/embed.js``, minified by
``flask --app app build-loader`` from ``static/embed-src/``); ``/embed.css`` the boxes'
shared style, which the loader links only when no snippet part brought it (script
tag alone). Both are cached and revalidated by ETag.
"""

import hashlib
from pathlib import Path

from flask import Response, request

from ad_manager.delivery.embed_rules import BASE_CSS

EMBED_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "embed.js"
# Short enough that a fix reaches readers within minutes; the ETag makes renewals cheap.
MAX_AGE = 300

_cache: dict[str, tuple[float, bytes, str]] = {}


def _etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def embed_source() -> tuple[bytes, str]:
    """Give the loader as served and its ETag.

    Re-read only when the file changes, so a deploy needs no restart to be seen.
    """
    mtime = EMBED_SCRIPT.stat().st_mtime
    cached = _cache.get("embed")
    if cached is None or cached[0] != mtime:
        body = EMBED_SCRIPT.read_bytes()
        cached = (mtime, body, _etag(body))
        _cache["embed"] = cached
    return cached[1], cached[2]


def _public(body: bytes, etag: str, mimetype: str) -> Response:
    """Answer any page (CORS *), public cache, 304 when unchanged."""
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def embed_script():
    """Serve the loader."""
    body, etag = embed_source()
    return _public(body, etag, "text/javascript")


_STYLE = BASE_CSS.encode()


def embed_style():
    """Serve the boxes' shared style (``embed_rules.BASE_CSS``)."""
    return _public(_STYLE, _etag(_STYLE), "text/css")
