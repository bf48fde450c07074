"""The advertiser's client link: one campaign's report, read-only, without an account.

``GET /client/<campaign id>/<token>`` shows the campaign report (the staff's printable
one, ``stats/campaign_report.py``) when the token is a link of that very campaign,
neither expired nor revoked; anything else is the same 404, so a wrong id, a changed
character or a withdrawn link tell nothing apart. Links are made and revoked on the
campaign's page (``inventory/client_links.py``); here they are only read, and their
last opening noted.

Public wing: no session, no cookie, no login machinery (``wings.PUBLIC_BLUEPRINTS``);
the page carries no script and tells no other site where it came from.
"""

from datetime import datetime

from flask import Blueprint, abort
from flask_babel import get_locale
from sqlalchemy import select

from ad_manager.extensions import db
from ad_manager.models import ClientLink, utcnow
from ad_manager.models.client_link import token_hash
from ad_manager.public_pages import render_public
from ad_manager.security_headers import CONTENT_SECURITY_POLICY
from ad_manager.stats.campaign_report import campaign_report

bp = Blueprint("client_report", __name__)
LONGEST_TOKEN = 100  # ours are 43 characters


def open_link(campaign_id: str, token: str, now: datetime) -> ClientLink | None:
    """Give the open link of campaign ``campaign_id`` whose token is ``token``, else None."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    link = db.session.scalar(select(ClientLink).where(ClientLink.token_hash == token_hash(token)))
    if link is None or str(link.campaign_id) != campaign_id or link.status(now) != "open":
        return None
    return link


def private_page(body: str, status: int = 200):
    """Answer a client page: never cached or indexed, no referrer (the token is in the URL)."""
    return body, status, {
        "Cache-Control": "no-store, private",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex, nofollow",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
    }


# The id is read as text: a wrong one of any shape gets this page's 404, like a bad token.
@bp.route("/client/<campaign_id>/<token>")
def client_report(campaign_id: str, token: str):
    """Show the campaign's report to whoever holds a valid link to it."""
    now = utcnow()
    link = open_link(campaign_id, token, now)
    if link is None:
        abort(404)
    link.last_opened_at = now
    db.session.commit()
    report = campaign_report(link.campaign, now)
    return private_page(render_public("client/report.html", report=report, link=link,
                                      locale=str(get_locale())))


@bp.errorhandler(404)
def not_a_link(_error):
    """Answer any wrong link alike, in the reader's language, without the dashboard."""
    return private_page(render_public("client/invalid.html", locale=str(get_locale())), 404)


@bp.after_request
def drop_cookies(response):
    """Make sure no client page sets a cookie, whatever an extension did."""
    response.headers.pop("Set-Cookie", None)
    return response
