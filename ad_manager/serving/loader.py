"""``GET /embed.js``: the loader article pages include, cached and revalidated by ETag."""

import hashlib
from pathlib import Path

from flask import Response, request

from ad_manager.delivery.markup import strip_script

EMBED_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "embed.js"
# Short enough that a fix reaches readers within minutes; the ETag makes renewals cheap.
MAX_AGE = 300

_cache: dict[str, tuple[float, bytes, str]] = {}


def embed_source() -> tuple[bytes, str]:
    """Give the loader as served (comments stripped) and its ETag.

    Re-read only when the file changes, so a deploy needs no restart to be seen.
    """
    mtime = EMBED_SCRIPT.stat().st_mtime
    cached = _cache.get("embed")
    if cached is None or cached[0] != mtime:
        body = strip_script(EMBED_SCRIPT.read_text(encoding="utf-8")).encode()
        cached = (mtime, body, hashlib.sha256(body).hexdigest()[:32])
        _cache["embed"] = cached
    return cached[1], cached[2]


def embed_script():
    """Serve the loader to any page (CORS *), public cache, 304 when unchanged."""
    body, etag = embed_source()
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(body, mimetype="text/javascript")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
