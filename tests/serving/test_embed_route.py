"""``/embed.js``: cached, revalidated, open to every origin, small, cookie-free."""

import gzip
from pathlib import Path

from ad_manager.delivery.embed_rules import PHONE_MAX_WIDTH
from ad_manager.delivery.markup import BASE_CSS, LABEL_HEIGHT

STATIC = Path(__file__).resolve().parents[2] / "static"
EMBED = STATIC / "embed.js"
CONSTANTS = STATIC / "embed-src" / "constants.js"


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


def test_embed_js_is_the_committed_build_within_4_kb_gzipped(client):
    served = client.get("/embed.js").data
    assert served == EMBED.read_bytes()
    size = len(gzip.compress(served, compresslevel=6))
    head = len(gzip.compress((STATIC / "embed-head.js").read_bytes(), compresslevel=6))
    print(f"\n/embed.js: {len(served)} bytes, {size} gzipped (budget 4096); head script: {head}")
    assert size <= 4 * 1024
    assert b"/*" not in served


def test_embed_css_is_the_placeholders_style_public_and_cached(client):
    response = client.get("/embed.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.text == BASE_CSS
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]
    assert client.get("/embed.css", headers={"If-None-Match": etag}).status_code == 304


def test_loader_sizes_boxes_with_the_python_label_height():
    constants = CONSTANTS.read_text(encoding="utf-8")
    assert f"export const LABEL_HEIGHT = {LABEL_HEIGHT};" in constants
    assert f"export const PHONE_MAX_WIDTH = {PHONE_MAX_WIDTH};" in constants
