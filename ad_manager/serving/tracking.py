"""The events endpoint and the click redirect: where pages report what readers saw.

``POST /e`` takes one page view's batch of signed event tokens (JSON, or the same
as text/plain from ``navigator.sendBeacon``); ``GET /c/<token>`` counts a click and
sends the reader to the destination named in our database for what the token says
was shown, never to anything the request says. No session, no cookie.

Both answer as usual whatever they count: a request not from a page of the site, a
prefetch or one over its rate limit (``serving.traffic``) has its events filtered
with that reason, never refused, so a reader never loses the page or the click.
"""

import logging
from collections import defaultdict

import orjson
from flask import Blueprint, Request, current_app, jsonify, make_response, render_template
from flask import request as flask_request
from flask_babel import force_locale
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from ad_manager.delivery.shown import Shown
from ad_manager.extensions import db
from ad_manager.models import Article, Creative, Site
from ad_manager.models.base import utcnow
from ad_manager.serving import tokens
from ad_manager.serving.answer import Answer, Redirect
from ad_manager.serving.cors import PREFLIGHT_MAX_AGE, origin_allowed
from ad_manager.serving.snapshot_loader import current_snapshot
from ad_manager.serving.traffic import invalid_request, site_rules
from ad_manager.stats import events_journal
from ad_manager.stats.counting import reported

log = logging.getLogger(__name__)

bp = Blueprint("tracking", __name__)

# A batch is one page view's events: a few per placement. Bigger bodies are refused.
MAX_BODY_BYTES = 16 * 1024
MAX_EVENTS = 50
# "not_placed": the page had no place for what was served (the loader says so once).
PAGE_KINDS = ("rendered", "viewable", "not_placed")
# While the counters' store is down, events and clicks are refused with a 503: the page
# sends the batch again later, the click page reloads itself after this many seconds.
RETRY_AFTER_SECONDS = 3
STORE_ERRORS = (SQLAlchemyError, RedisError)


def _cors(request: Request, response, allowed):
    response.vary.add("Origin")
    origin = request.headers.get("Origin", "")
    if origin_allowed(origin, allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Cache-Control"] = "no-store"
    return response


def _refuse(request: Request, status: int, message: str, allowed=()):
    response = jsonify(error="bad events", message=message, status=status, counted=0)
    response.status_code = status
    return _cors(request, response, allowed)


def read_batch(body: bytes) -> list[tuple[Shown, str]]:
    """Give the valid (shown, kind) events of a batch body; junk entries are left out.

    Raise ``ValueError`` when the body is no batch at all or holds too many events.
    """
    try:
        payload = orjson.loads(body)  # UTF-8 only; nesting deeper than 1,024 is refused
    except orjson.JSONDecodeError:
        raise ValueError("the body is not JSON") from None
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list) or not events:
        raise ValueError('the body needs a non-empty "events" list')
    if len(events) > MAX_EVENTS:
        raise ValueError(f"at most {MAX_EVENTS} events per batch")
    keys = tokens.signing_keys(current_app.config)
    valid = []
    read: dict = {}  # a page sends a placement's token with each of its events
    for event in events:
        if not isinstance(event, dict) or event.get("k") not in PAGE_KINDS:
            continue
        token = event.get("t")
        if type(token) is not str:
            continue
        shown = read.get(token)
        if shown is None:
            try:
                shown = read[token] = tokens.read(keys, token, tokens.EVENT_SALT)
            except tokens.BadToken:
                continue
        valid.append((shown, event["k"]))
    return valid


@bp.route("/e", methods=["POST"], provide_automatic_options=False)
def events():
    """Count a batch of rendered/viewable events (``serving.lane`` takes them first)."""
    response = count_events(flask_request._get_current_object())
    return response.response() if isinstance(response, Answer) else response


def count_events(request: Request):
    """Count a batch of rendered/viewable events; 204, or 4xx when nothing in it is
    valid, or 503 when the counters' store is down (the page sends it again)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _refuse(request, 413, f"at most {MAX_BODY_BYTES} bytes per batch")
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _refuse(request, 413, f"at most {MAX_BODY_BYTES} bytes per batch")
    try:
        valid = read_batch(body)
    except ValueError as error:
        return _refuse(request, 400, str(error))
    if not valid:
        return _refuse(request, 400, "no valid event token in the batch")
    by_site = defaultdict(list)
    for shown, kind in valid:
        by_site[shown.site].append((shown, kind))
    allowed = site_origins(next(iter(by_site)))
    now = utcnow()
    try:
        for site_id, site_events in by_site.items():
            rules = site_rules(site_id)
            if rules is None or all(shown.preview for shown, _kind in site_events):
                continue
            keep(request, site_events, site_id, rules, now, limits="RATE_LIMIT_EVENTS_PER_READER",
                 view_limits="RATE_LIMIT_EVENTS_PER_VIEW")
    except STORE_ERRORS:
        # Only when the journal could not be written and the store failed too: nothing
        # of the batch is acknowledged, the page sends it again, and replay keys make
        # sure what did get counted before the failure counts once.
        db.session.rollback()
        log.exception("events refused: the counters' store is unavailable")
        response = _refuse(request, 503, "counting is unavailable; send the batch again later",
                           allowed)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return Answer(b"", request.headers.get("Origin"), allowed, "204 NO CONTENT")


def keep(request: Request, events, site_id: int, rules, now, *, limits: str, view_limits: str,
         navigation: bool = False) -> None:
    """Judge a request's events of one site (not from a page of the site, a prefetch,
    over the rate limits of ``limits`` and ``view_limits``; the reader) and journal
    them (nothing to keep: previews, another site's)."""
    refused = invalid_request(request, rules, limits=limits, view_limits=view_limits,
                              views=sorted({shown.view for shown, _kind in events}),
                              navigation=navigation)
    report = reported(events, user_agent=request.headers.get("User-Agent", ""),
                      remote_addr=request.remote_addr, site_id=site_id, now=now,
                      refused=refused, rules=rules)
    if report is not None:
        events_journal.keep(report)


def site_origins(site_id: int) -> tuple[str, ...]:
    """Give a site's allowed origins from the snapshot (no query: the database may be down)."""
    site = current_snapshot().site_by_id(site_id)
    return site.allowed_origins if site is not None else ()


@bp.route("/e", methods=["OPTIONS"])
def events_preflight():
    """Let article pages of any site we serve post JSON batches."""
    request = flask_request._get_current_object()
    origin = request.headers.get("Origin", "")
    allowed = [pattern for inventory in current_snapshot().sites.values()
               for pattern in inventory.site.allowed_origins if origin_allowed(origin, [pattern])]
    response = _cors(request, make_response("", 204), allowed)
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def destination(shown: Shown) -> str | None:
    """Give where a click on what was shown goes, from our own records only: the
    snapshot's for what is live (no query: clicks go on while the database is down),
    the database's for what is no longer (a campaign ended since the page was read)."""
    url = snapshot_destination(shown)
    if url is None:
        url = database_destination(shown)
    if not url or not url.lower().startswith(("https://", "http://")):
        return None
    return url


def snapshot_destination(shown: Shown) -> str | None:
    """Give the destination the snapshot knows, or None to ask the database."""
    snapshot = current_snapshot()
    if shown.creative is not None:
        creative = snapshot.creative(shown.creative)
        if creative is None or (shown.campaign is not None
                                and creative.campaign_id != shown.campaign):
            return None
        return creative.click_url
    if shown.article is not None:
        article = snapshot.article(shown.site, shown.article)
        return article.url if article is not None else None
    site = snapshot.site_by_id(shown.site)
    return site.sales_contact_url if site is not None else None


def database_destination(shown: Shown) -> str | None:
    """Give the destination as the database records it (None if nowhere)."""
    if shown.creative is not None:
        creative = db.session.get(Creative, shown.creative)
        if creative is None or (shown.campaign is not None
                                and creative.campaign_id != shown.campaign):
            return None
        url = creative.click_url
    elif shown.article is not None:
        article = db.session.get(Article, shown.article)
        url = article.url if article is not None and article.site_id == shown.site else None
    else:
        site = db.session.get(Site, shown.site)
        url = site.sales_contact_url if site is not None else None
    return url


def _bad_click(status: int):
    language = flask_request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "fr"
    with force_locale(language):  # the reader's language, without touching any session
        page = render_template("tracking/bad_click.html", language=language,
                               retry_after=RETRY_AFTER_SECONDS if status == 503 else None)
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# Where ``serving.lane`` leaves a click it did not redirect: the status it came to,
# for the view below to answer with the reader's page (counted nothing, or already
# refused), without deciding the click a second time.
CLICK_VERDICT = "ad_manager.click_verdict"


@bp.route("/c/<token>", methods=["GET"])
def click(token: str):
    """Redirect a click to its destination once counted (``serving.lane`` takes it
    first); a page in the reader's language when it cannot."""
    request = flask_request._get_current_object()
    verdict = request.environ.get(CLICK_VERDICT) or count_click(request, token)
    return _bad_click(verdict) if isinstance(verdict, int) else Redirect(verdict).response()


def count_click(request: Request, token: str) -> str | int:
    """Count a click (GET only, never previews); give its destination, or the status
    of its refusal: 400 (bad token), 404 (nowhere to go), 503 (store down)."""
    try:
        shown = tokens.read_click(tokens.signing_keys(current_app.config), token)
    except tokens.BadToken:
        return 400
    try:
        target = destination(shown)
        if target is None:
            return 404
        rules = site_rules(shown.site)
        if request.method == "GET" and not shown.preview and rules is not None:
            keep(request, [(shown, "click")], shown.site, rules, utcnow(),
                 limits="RATE_LIMIT_CLICKS_PER_READER", view_limits="RATE_LIMIT_CLICKS_PER_VIEW",
                 navigation=True)
    except STORE_ERRORS:
        db.session.rollback()
        log.exception("click refused: the database or the counters' store is unavailable")
        return 503
    return target
