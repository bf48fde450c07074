"""``/embed.js``: cached, revalidated, open to every origin, small, cookie-free."""

import gzip
import re
from pathlib import Path

from ad_manager.delivery.markup import BASE_CSS, LABEL_HEIGHT

EMBED = Path(__file__).resolve().parents[2] / "static" / "embed.js"


def test_embed_js_is_public_and_cached(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"]
    assert b"window.admanager" in response.data


def test_embed_js_answers_304_when_unchanged(client):
    etag = client.get("/embed.js").headers["ETag"]
    response = client.get("/embed.js", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert client.get("/embed.js", headers={"If-None-Match": '"other"'}).status_code == 200


def test_embed_js_sets_no_cookie_and_does_not_vary_on_one(client):
    response = client.get("/embed.js")
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower()
    assert "Content-Security-Policy" not in response.headers


def test_embed_js_stays_within_5_kb_gzipped(client):
    served = client.get("/embed.js").data
    assert len(gzip.compress(served, compresslevel=6)) <= 5 * 1024
    assert b"/*" not in served


def test_loader_styles_boxes_exactly_as_the_placeholders_do():
    source = EMBED.read_text(encoding="utf-8")
    assert re.search(r"CSS_TEXT = '([^']*)'", source).group(1) == BASE_CSS
    assert f"var LABEL = {LABEL_HEIGHT};" in source
