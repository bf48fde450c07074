"""Who is a reader: the site rules counting applies (bots, excluded readers, where the
site's pages are), read from the serving snapshot or, without one, the database.

``stats.counting`` files what these rules refuse as filtered, with the reason.
"""

import ipaddress
import threading
import time as clock
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from flask import current_app

from ad_manager.delivery.snapshot import SiteInfo
from ad_manager.extensions import db
from ad_manager.models.site import Site

# A change to a site's exclusion list applies within this many seconds.
EXCLUSIONS_CACHE_SECONDS = 5.0

_detector = CrawlerDetect()
_detector_lock = threading.Lock()


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Tell whether a user agent is a bot, crawler, link scanner or non-browser client."""
    if not user_agent or not user_agent.strip():
        return True
    with _detector_lock:  # CrawlerDetect keeps its matches on the instance
        return bool(_detector.isCrawler(user_agent))


def _in_ranges(remote_addr: str | None, ranges: Iterable[str]) -> bool:
    if not remote_addr or not ranges:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    for text in ranges:
        try:
            if address in ipaddress.ip_network(str(text).strip(), strict=False):
                return True
        except ValueError:
            continue  # a bad entry in settings never stops counting
    return False


@dataclass(frozen=True)
class SiteRules:
    """What counting needs of a site: the readers it excludes (user-agent substrings,
    IP ranges) and where its pages are (origins, domains)."""

    user_agents: tuple[str, ...] = ()
    ip_ranges: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def rules_of(site: SiteInfo | None) -> SiteRules | None:
    """Give the rules of a site as the serving snapshot holds it (no query; built once
    per site version, not per request)."""
    if site is None:
        return None
    return SiteRules(
        tuple(part.strip().lower() for part in site.excluded_user_agents if part.strip()),
        tuple(site.excluded_ip_ranges), tuple(site.allowed_origins),
        tuple(domain.lower() for domain in site.domains))


def site_rules(site_id: int) -> SiteRules | None:
    """Give a site's rules (None for no such site), cached a few seconds per process.

    For callers without a snapshot (the shell, tests); serving reads its sites'
    rules from the snapshot (``rules_of``), so counting goes on while the database
    is down.
    """
    cache = current_app.extensions.setdefault("ad_manager_site_rules", {})
    moment = clock.monotonic()
    if site_id in cache and cache[site_id][0] > moment:
        return cache[site_id][1]
    site = db.session.get(Site, site_id)
    rules = None if site is None else SiteRules(
        tuple(str(part).strip().lower() for part in site.excluded_user_agents or []
              if str(part).strip()),
        tuple(str(text) for text in site.excluded_ip_ranges or []),
        tuple(str(origin) for origin in site.allowed_origins or []),
        tuple(str(domain).lower() for domain in site.domains or []))
    cache[site_id] = (moment + EXCLUSIONS_CACHE_SECONDS, rules)
    return rules


def reader_reason(rules: SiteRules, user_agent: str, remote_addr: str | None) -> str | None:
    """Give why this reader is not counted ("bot", "excluded"), or None for a reader."""
    user_agent = (user_agent or "")[:1000]
    if is_bot(user_agent):
        return "bot"
    lowered = user_agent.lower()
    if any(part in lowered for part in rules.user_agents):
        return "excluded"
    return "excluded" if _in_ranges(remote_addr, rules.ip_ranges) else None
