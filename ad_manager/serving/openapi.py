"""``GET /openapi.json``: the public wing described in OpenAPI 3.1.

What an article page, a CMS plugin or a reader's browser may ask of us, and what each
answer looks like: the loader, decisions, events, clicks, HTML creatives' documents,
images, snippets, the demo pages and the advertiser's client report. No session, no
cookie, nothing secret: it is what the pages already do. Kept true by
``tests/serving/test_openapi.py``, which checks that every public route is described
and lets schemathesis send generated requests to each operation.
"""

from flask import current_app, request

KEY = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
TOKEN = {"type": "string", "minLength": 1, "maxLength": 1000, "pattern": "^[^/]+$"}
NAME = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/]+$"}


def _json(schema: str | dict) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"application/json": {"schema": ref}}


def _answer(description: str, content: dict | None = None, headers: dict | None = None) -> dict:
    answer = {"description": description}
    if content is not None:
        answer["content"] = content
    if headers:
        answer["headers"] = headers
    return answer


HTML = {"text/html": {"schema": {"type": "string"}}}
ERROR = _json("Error")
NO_CONTENT = _answer("Nothing to say: CORS preflight answered, or the batch was taken.")
NOT_MODIFIED = _answer("Unchanged since the ETag the browser sent.")


def _query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


def _path(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema,
            "description": description}


SERVE_PARAMETERS = [
    _query("site", KEY, "The site's embed key.", required=True),
    _query("layout", KEY, "The layout's slug (else the site's rules pick one)."),
    _query("url", {"type": "string", "maxLength": 2000},
           "The page's canonical http(s) address."),
    _query("title", {"type": "string"}, "The page's headline (cut to 300 characters)."),
    _query("section", {"type": "string"}, "The page's section (cut to 120 characters)."),
    _query("tags", {"type": "string"}, "The page's tags, comma-separated."),
    _query("published", {"type": "string"}, "The page's publication date, ISO 8601."),
    _query("vw", {"type": "string", "pattern": "^[0-9]{1,5}$"},
           "The viewport's width in pixels (up to 20000)."),
    _query("lang", {"type": "string", "maxLength": 35}, "The page's language (fr, fr-FR)."),
    _query("fc", {"type": "string"}, "With consent, what the page remembers for frequency "
           "caps: JSON {campaign id: [unix times]}."),
    _query("preview", {"type": "string", "enum": ["0", "1"]},
           "1: the dashboard's preview, counted nowhere."),
]

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error", "message", "status"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                       "status": {"type": "integer"},
                       "counted": {"type": "integer", "description": "events counted (0)"}},
    },
    "Decision": {
        "type": "object", "required": ["view", "events", "layout", "placements"],
        "properties": {
            "view": {"type": "string", "description": "this page view's id"},
            "events": {"type": "string", "description": "where to POST events (/e)"},
            "layout": {"type": "object", "required": ["id", "slug"], "properties": {
                "id": {"type": "integer"}, "slug": {"type": "string"},
                "body_selector": {"type": ["string", "null"]},
                "body_selectors": {"type": "array", "items": {"type": "string"}}}},
            "placements": {"type": "array", "items": {"$ref": "#/components/schemas/Placement"}},
        },
    },
    "Placement": {
        "type": "object", "required": ["id", "kind", "where"],
        "properties": {
            "id": {"type": "integer"}, "kind": {"enum": ["zone", "insert"]},
            "where": {"type": "string"}, "paragraph": {"type": ["integer", "null"]},
            "selector": {"type": ["string", "null"]}, "device": {"type": "string"},
            "min_paragraphs": {"type": ["integer", "null"]},
            "zone": {"type": "object", "properties": {
                "slug": {"type": "string"}, "label": {"type": ["string", "null"]},
                "size_map": {"type": "array"}}},
            "ad": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Ad"}]},
            "insert": {"type": "object", "properties": {
                "slug": {"type": "string"}, "label": {"type": ["string", "null"]}}},
            "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}},
        },
    },
    "Ad": {
        "type": "object", "required": ["type", "click", "event"],
        "properties": {
            "type": {"enum": ["image", "html", "text", "house"]},
            "width": {"type": ["integer", "null"]}, "height": {"type": ["integer", "null"]},
            "campaign": {"type": ["integer", "null"]}, "fc": {"type": "boolean"},
            "click": {"type": "string", "description": "the click link (/c/<token>)"},
            "event": {"type": "string", "description": "the token of its events"},
            "src": {"type": "string"}, "alt": {"type": ["string", "null"]},
            "headline": {"type": ["string", "null"]}, "body": {"type": ["string", "null"]},
        },
    },
    "Link": {
        "type": "object", "required": ["title", "url", "sponsored", "click", "event"],
        "properties": {
            "title": {"type": "string"}, "url": {"type": "string"},
            "sponsored": {"type": "boolean"}, "campaign": {"type": "integer"},
            "fc": {"type": "boolean"}, "click": {"type": "string"}, "event": {"type": "string"},
        },
    },
    "EventBatch": {
        "type": "object", "required": ["events"],
        "properties": {"events": {"type": "array", "minItems": 1, "maxItems": 50, "items": {
            "type": "object", "required": ["t", "k"], "properties": {
                "t": {"type": "string", "description": "an event token of the decision"},
                "k": {"enum": ["rendered", "viewable", "not_placed"]}}}}},
    },
    "Snippet": {
        "type": "object", "required": ["head", "placeholders", "script"],
        "properties": {"head": {"type": "string"}, "script": {"type": "string"},
                       "placeholders": {"type": "object",
                                        "additionalProperties": {"type": "string"}}},
    },
}


def _get(summary: str, responses: dict, parameters=(), tag: str = "pages") -> dict:
    operation = {"summary": summary, "tags": [tag], "responses": responses}
    if parameters:
        operation["parameters"] = list(parameters)
    return operation


PATHS = {
    "/embed.js": {"get": _get("The loader, for one async script tag per article page.", {
        "200": _answer("The script (public cache, ETag).", {"text/javascript": {}}),
        "304": NOT_MODIFIED}, tag="embed")},
    "/embed.css": {"get": _get("The boxes' style, for pages that load the script tag alone.", {
        "200": _answer("The style sheet.", {"text/css": {}}), "304": NOT_MODIFIED},
        tag="embed")},
    "/serve": {
        "get": _get("One decision per page view: every placement of the layout, filled.", {
            "200": _answer("The decision; its tokens count the events and clicks.",
                           _json("Decision")),
            "400": _answer("A parameter is missing or unreadable.", ERROR),
            "403": _answer("The page's origin may not embed this site.", ERROR),
            "404": _answer("No such site, or no layout for this page.", ERROR),
        }, SERVE_PARAMETERS, tag="embed"),
        "options": _get("CORS preflight of a decision.", {
            "204": NO_CONTENT,
            "404": _answer("No such site, or no layout for this page.", ERROR)},
            SERVE_PARAMETERS, tag="embed"),
    },
    "/e": {
        "post": {
            "summary": "A page view's batch of events (rendered, viewable, not placed).",
            "tags": ["embed"],
            "requestBody": {"required": True, "content": {
                "text/plain": {"schema": {"type": "string"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/EventBatch"}}}},
            "responses": {
                "204": NO_CONTENT,
                "400": _answer("No batch, or no valid token in it.", ERROR),
                "413": _answer("Over 16 KB.", ERROR),
                "503": _answer("Counting is unavailable: send the batch again.", ERROR,
                               {"Retry-After": {"schema": {"type": "string"}}}),
            },
        },
        "options": _get("CORS preflight of an event batch.", {"204": NO_CONTENT},
                        tag="embed"),
    },
    "/c/{token}": {"get": _get(
        "A click: counted once, then sent to the destination our records name.", {
            "302": _answer("To the creative's, article's or sales contact's address.",
                           headers={"Location": {"schema": {"type": "string"},
                                                 "required": True}}),
            "400": _answer("A forged or expired link: a page saying so.", HTML),
            "404": _answer("What was clicked is gone: a page saying so.", HTML),
            "503": _answer("Try again in a moment: a page that reloads itself.", HTML),
        }, [_path("token", TOKEN, "The token of a thing shown, as its decision's click link "
                                  "carries it.")], tag="embed")},
    "/h/{token}": {"get": _get("An HTML creative's own document, for a sandboxed frame.", {
        "200": _answer("The document, under a sandboxing policy of its own.", HTML),
        "404": _answer("A forged or expired token, or a creative no longer served.", HTML),
    }, [_path("token", TOKEN, "The document's token, from a decision.")], tag="embed")},
    "/media/{filename}": {"get": _get("A creative's image (cached for a year).", {
        "200": _answer("The image.", {"image/*": {}}), "304": NOT_MODIFIED,
        "404": _answer("No such image.", {"text/plain": {"schema": {"type": "string"}}}),
    }, [_path("filename", NAME, "The image's file name, from a decision.")], tag="embed")},
    "/snippet/{site_key}/{layout_slug}.json": {"get": _get(
        "What a CMS prints in article pages for a layout (head, placeholders, script).", {
            "200": _answer("The parts.", _json("Snippet")),
            "404": _answer("No such site or layout.", ERROR),
        }, [_path("site_key", KEY, "The site's embed key."),
            _path("layout_slug", KEY, "The layout's slug.")], tag="integrations")},
    "/demo/article": {"get": _get("The demo site's reference article.", {
        "200": _answer("The page.", HTML)})},
    "/demo/articles/{slug}": {"get": _get("An article of the demo site's catalogue.", {
        "200": _answer("The page.", HTML), "404": _answer("No such article.", HTML),
    }, [_path("slug", NAME, "The article's slug.")])},
    "/demo/contact-pub": {"get": _get("The demo site's advertising contact page.", {
        "200": _answer("The page.", HTML)})},
    "/client/{campaign_id}/{token}": {"get": _get(
        "The report an advertiser was sent a link to (no sign-in, one campaign).", {
            "200": _answer("The campaign's report.", HTML),
            "404": _answer("A wrong, expired or revoked link: one page for all.", HTML),
        }, [_path("campaign_id", NAME, "The campaign's id."),
            _path("token", TOKEN, "The link's secret.")])},
    "/openapi.json": {"get": _get("This description.", {
        "200": _answer("OpenAPI 3.1.", {"application/json": {"schema": {"type": "object"}}})},
        tag="integrations")},
}


def openapi_document(server: str = "/") -> dict:
    """Give the public wing's description, its server being ``server``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ad Manager public endpoints", "version": "1",
                 "description": "What article pages, readers' browsers and CMS plugins ask "
                                "of the ad server. No cookie, no session; CORS only for "
                                "each site's own origins (decisions and events)."},
        "servers": [{"url": server}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


def openapi_json():
    """Answer the description as JSON, cacheable by anyone."""
    response = current_app.json.response(openapi_document(request.url_root))
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
