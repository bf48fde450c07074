"""The serving side of invalid-traffic filtering: is this request a reader's, on a page
of the site, within its rate limits? (See stats.counting for what is then counted.)"""

from flask import Request

from ad_manager.serving.page_origin import request_reason
from ad_manager.serving.rate_limits import rate_reason
from ad_manager.serving.snapshot_loader import current_snapshot
from ad_manager.stats.validity import SiteRules, rules_of


def site_rules(site_id: int) -> SiteRules | None:
    """Give a live site's counting rules from the snapshot (None for no such site).

    No query: decisions, events and clicks keep being judged while the database is down.
    """
    return rules_of(current_snapshot().site_by_id(site_id))


def own_origin(request: Request) -> str:
    """Give the origin this app is reached at (pages of our own host: demo, previews)."""
    return request.host_url.rstrip("/")


def invalid_request(request: Request, rules: SiteRules, *, limits: str,
                    view_limits: str | None = None, views=(),
                    navigation: bool = False) -> str | None:
    """Give why this request counts nothing ("prefetch", "origin", "rate"), or None.

    ``limits`` and ``view_limits`` name the rate-limit settings of this endpoint, per
    reader address and per page view (``views``); a request already invalid for
    another reason costs no rate-limit hit.
    """
    reason = request_reason(request.headers, rules.origins, rules.domains, own_origin(request),
                            navigation=navigation)
    return reason or rate_reason(limits, request.remote_addr, view_limits, views)
