"""``GET /serve``: one decision per page view, every placement of the page at once.

The page says which site and layout, what it is about and how wide it is; the
answer (the public contract in docs/architecture.md) holds each placement filled,
with a signed token for each thing shown (its events', and its click link's).
Inventory comes from the process's snapshot, never from a query per request; the
writes are the ``served`` counters and, on sites that allow it, the discovery of a
new article. No session, no cookie; CORS for the site's origins only.
"""

import base64
import logging
import os
import threading
import time
from functools import lru_cache
from random import Random
from urllib.parse import quote

import orjson
from flask import Request, current_app
from flask import request as flask_request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, NotFound

from ad_manager.catalog.discovery import discover_article
from ad_manager.delivery.answer import Links, Page, compose
from ad_manager.delivery.creative_choice import PageContext
from ad_manager.delivery.devices import device_class
from ad_manager.delivery.layouts import match_layout
from ad_manager.delivery.link_choice import normalise_url
from ad_manager.delivery.page_request import PageRequest
from ad_manager.errors import handle_http_error
from ad_manager.extensions import db
from ad_manager.models import Site, utcnow
from ad_manager.serving import tokens
from ad_manager.serving.answer import Answer, not_cached
from ad_manager.serving.cors import allow_origin, reject_unknown
from ad_manager.serving.creative_html import sign_creative
from ad_manager.serving.page_query import query_args, read_page_request
from ad_manager.serving.snapshot_loader import current_delivered, current_snapshot
from ad_manager.serving.traffic import invalid_request
from ad_manager.stats import served_journal
from ad_manager.stats.counting import served_counts
from ad_manager.stats.validity import reader_reason, rules_of

log = logging.getLogger(__name__)
# The draws among campaigns, creatives and links: Python's generator, seeded from the
# system's randomness in each process (a gunicorn worker forked from a preloaded app
# draws its own sequence). Nothing secret rides on it (the page view id is the
# system's randomness, ``ViewIds``); SystemRandom cost a system call per draw.
_random = Random()
os.register_at_fork(after_in_child=_random.seed)


class ViewIds:
    """Page view ids: 12 bytes of the system's randomness each (16 URL-safe characters,
    as ``secrets.token_urlsafe(12)``), read ``batch`` ids at a time: one system call
    per id cost a twentieth of a decision. A forked process starts a batch of its own."""

    def __init__(self, batch: int = 512):
        self._batch = batch
        self._lock = threading.Lock()
        self._ids: list[str] = []
        os.register_at_fork(after_in_child=self._ids.clear)

    def __call__(self) -> str:
        with self._lock:
            if not self._ids:
                raw = base64.urlsafe_b64encode(os.urandom(12 * self._batch)).decode()
                # In place: the list the fork hook above clears is this one.
                self._ids[:] = [raw[n:n + 16] for n in range(0, len(raw), 16)]
            return self._ids.pop()


new_view_id = ViewIds()


def web_links(root: str) -> Links:
    """Give token signing and absolute URLs under this app's address (``app_root``)."""
    # Tokens are signed with the current key; the same links serve every page view of
    # a second (their tokens' timestamp) at that address.
    return _links(root, current_app.config["SECRET_KEY"], int(time.time()))


@lru_cache(maxsize=16)
def _links(root: str, secret: str, second: int) -> Links:
    def media_url(filename: str) -> str:
        return f"{root}media/{_quoted(filename)}"  # the media blueprint's /media/<filename>

    signer = tokens.PageSigner(secret, at=second)

    def signed(shown) -> tuple[str, str]:
        token = signer(shown)
        return token, f"{root}c/{token}"

    return Links(
        tokens=signed,
        media_url=media_url,
        html_url=lambda site, creative: f"{root}h/{sign_creative(secret, site, creative)}",
    )


@lru_cache(maxsize=4096)
def _quoted(filename: str) -> str:
    return quote(filename)  # the snapshot's few creatives' files, quoted once each


def app_root(request: Request) -> str:
    """Give this app's address as the request reached it ("https://ads.example/"):
    ``url_root``, but without working out a second URL when the app is at the host's
    root (``host_url`` is worked out anyway, for the origins)."""
    return request.url_root if request.root_path else request.host_url


def origins(site, request: Request) -> tuple[str, ...]:
    """Give the origins that may read the site's decisions: its own, and ours (previews)."""
    return (*site.allowed_origins, request.host_url.rstrip("/"))


def find_site_and_layout(page: PageRequest):
    """Give the site's inventory and the page's layout from the snapshot, or 404."""
    site = current_snapshot().site(page.site)
    if site is None:
        raise NotFound(f"unknown site {page.site!r}")
    if page.layout and all(layout.slug != page.layout for layout in site.layouts):
        raise NotFound(f"site {page.site!r} has no layout {page.layout!r}")
    layout = match_layout(site.layouts, slug=page.layout, section=page.section, url=page.url)
    if layout is None:
        raise NotFound(f"site {page.site!r} has no layout for this page")
    return site, layout


def discover(site_id: int, page: PageRequest, known_articles) -> None:
    """Add the page to the site's catalogue (or update it), when the site allows it.

    Pages the catalogue already holds as they say they are, and articles staff typed
    in or a feed imported (which discovery never changes), write nothing: most page
    views of a discovering site cost no write. A failure here never costs the answer.
    """
    known = known_articles.get(normalise_url(page.url)) if page.url else None
    if not page.url or (known is not None and (known.source != "discovered" or (
            known.title == page.title and (not page.section or known.section == page.section)
            and (not page.tags or known.tags == page.tags)
            and (page.published is None or known.published_at == page.published)))):
        return
    try:
        discover_article(db.session.get(Site, site_id), page.url, page.title, page.section,
                         list(page.tags), page.published,
                         per_hour=current_app.config["DISCOVERY_PER_HOUR"])
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("article discovery failed for %s", page.url)


def count_served(served, site_id: int, now) -> None:
    """Count what the answer serves: one line appended to this process's journal,
    added to the counters off the request path (a store down costs the page nothing)."""
    served_journal.keep(served_counts(served, site_id=site_id, now=now))


def invalid_decision(request: Request, rules, user_agent: str) -> str | None:
    """Give why this page view is not valid traffic (its tokens will carry it), or None.

    A bot or excluded reader, a prefetch, a request not from a page of the site, a
    reader over the decisions' rate limit: the page is answered all the same, and
    nothing it leads to is counted.
    """
    return (reader_reason(rules, user_agent, request.remote_addr)
            or invalid_request(request, rules, limits="RATE_LIMIT_SERVE_PER_READER"))


def serve():
    """Answer one page view: every placement of its layout, filled; errors as JSON.

    A GET comes through ``serving.lane`` instead, unless it is answered with an error.
    """
    request = flask_request._get_current_object()
    try:
        response = answer_page(request)
    except HTTPException as error:
        # The site's own pages may read why (no CORS error in their console).
        response = handle_http_error(error)
        site = current_snapshot().site(request.args.get("site", "")[:64])
        allow_origin(response, request.headers.get("Origin"),
                     origins(site.site, request) if site else ())
    if isinstance(response, Answer):
        return response.response()
    return not_cached(response)


def answer_page(request: Request):
    """Check the request, compose the answer, count what it serves: an ``Answer``, or
    (a preflight) a response.

    ``request`` is passed, not read from Flask's context: ``serving.lane`` calls this
    without one.
    """
    try:
        page_request = read_page_request(query_args(request.query_string),
                                         len(request.query_string))
    except BadRequest:
        if request.method == "OPTIONS":
            return not_cached(allow_origin(current_app.response_class(status=204), None, ()))
        raise
    site, layout = find_site_and_layout(page_request)
    origin = request.headers.get("Origin")
    allowed = origins(site.site, request)
    if request.method == "OPTIONS":
        return not_cached(allow_origin(current_app.response_class(status=204), origin,
                                       allowed, preflight=True))
    if reject_unknown(origin, allowed):
        raise Forbidden(f"origin {origin!r} may not embed site {page_request.site!r}")
    now = utcnow()
    user_agent = request.headers.get("User-Agent", "")[:512]
    context = PageContext(
        section=page_request.section.casefold(),
        tags=frozenset(tag.casefold() for tag in page_request.tags),
        device=device_class(user_agent),
        language=page_request.language or site.site.language.split("-")[0].casefold())
    counts = not page_request.preview and request.method == "GET"  # a HEAD shows nothing
    rules = rules_of(site.site)
    root = app_root(request)
    page = Page(inventory=site, layout=layout, request=page_request, context=context,
                view=new_view_id(), now=now, rng=_random,
                delivered=current_delivered(), links=web_links(root),
                invalid=invalid_decision(request, rules, user_agent) if counts else None,
                prefer_largest=bool(current_app.config.get("PREFER_LARGEST_CREATIVE")))
    answer = compose(page)
    answer["events"] = f"{root}e"
    if counts:
        count_served(page.served, site.site.id, now)
        if site.site.discover_articles:
            discover(site.site.id, page_request, site.known_articles)
    # Compact UTF-8 JSON, unsorted: orjson writes the same bytes as ``json.dumps(answer,
    # ensure_ascii=False, separators=(",", ":"))`` at a fifteenth of its cost.
    return Answer(orjson.dumps(answer), origin, allowed)
