"""Counting what readers were shown: served, rendered, viewable, clicks.

``record`` is the one way in, for the decision (served), the events endpoint
(rendered, viewable) and the click redirect (click). It

- drops preview tokens and tokens of another site;
- counts events of known bots, crawlers and non-browser clients, and of the site's
  excluded user agents and IP ranges, in ``filtered`` only (IP addresses are looked
  at, never stored);
- counts each (page view, placement, creative or article, kind) at most once,
  however often the page or someone else replays its token;
- adds the counts to the hour's rows: in the database in the caller's transaction
  (the caller commits), or in Redis when ``REDIS_URL`` is set (``stats fold`` moves
  them into the database).

"served" is not checked for replays: the decision makes a new page view id each
time, so it cannot repeat, and the hot path saves a write.
"""

import hashlib
import ipaddress
import threading
import time as clock
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ad_manager.delivery.shown import CLICK_MAX_AGE, Shown
from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.models.site import Site
from ad_manager.models.stats import SeenEvent
from ad_manager.stats import live
from ad_manager.stats.counters import Dimensions, add_counts

# Event kind → the measure it adds to.
KINDS = {"served": "served", "rendered": "rendered", "viewable": "viewable", "click": "clicks",
         "not_placed": "not_placed"}
# A seen event is remembered as long as its token could be replayed (clicks live longest).
SEEN_FOR = timedelta(seconds=CLICK_MAX_AGE)
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
class Exclusions:
    """A site's own list of readers not to count: user-agent substrings and IP ranges."""

    user_agents: tuple[str, ...] = ()
    ip_ranges: tuple[str, ...] = ()


def site_exclusions(site_id: int) -> Exclusions | None:
    """Give a site's exclusions (None for no such site), cached a few seconds per process.

    The decision counts "served" on every page view; this spares it a query.
    """
    cache = current_app.extensions.setdefault("ad_manager_exclusions", {})
    moment = clock.monotonic()
    if site_id in cache and cache[site_id][0] > moment:
        return cache[site_id][1]
    site = db.session.get(Site, site_id)
    rules = None if site is None else Exclusions(
        tuple(str(part).strip().lower() for part in site.excluded_user_agents or []
              if str(part).strip()),
        tuple(str(text) for text in site.excluded_ip_ranges or []))
    cache[site_id] = (moment + EXCLUSIONS_CACHE_SECONDS, rules)
    return rules


def is_excluded(rules: Exclusions, user_agent: str, remote_addr: str | None) -> bool:
    """Tell whether this reader is not to be counted: a bot or excluded by the site."""
    user_agent = (user_agent or "")[:1000]
    if is_bot(user_agent):
        return True
    lowered = user_agent.lower()
    if any(part in lowered for part in rules.user_agents):
        return True
    return _in_ranges(remote_addr, rules.ip_ranges)


def dimensions(shown: Shown) -> Dimensions:
    """Give the counter row's dimensions of what was shown (0 where one does not apply)."""
    return (shown.site, shown.layout or 0, shown.placement or 0, shown.zone or 0,
            shown.insert or 0, shown.campaign or 0, shown.creative or 0, shown.article or 0)


def seen_key(shown: Shown, kind: str) -> str:
    """Give the replay key of an event: its page view, placement, thing shown and kind."""
    text = f"{shown.site}|{shown.view}|{shown.placement}|{shown.creative}|{shown.article}|{kind}"
    return hashlib.sha256(text.encode()).hexdigest()


def hour_of(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def record(events: Sequence[tuple[Shown, str]], *, user_agent: str, remote_addr: str | None,
           site_id: int, now: datetime | None = None) -> int:
    """Count events of one page view's reader; give how many were counted."""
    now = now or utcnow()
    rules = site_exclusions(site_id)
    if rules is None:
        return 0
    events = [(shown, kind) for shown, kind in events
              if kind in KINDS and not shown.preview and shown.site == site_id]
    if not events:
        return 0
    counts: dict[Dimensions, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if is_excluded(rules, user_agent, remote_addr):
        for shown, _kind in events:
            counts[dimensions(shown)]["filtered"] += 1
        _add(hour_of(now), counts)
        return 0
    if live.enabled():  # replay check and count at once, on the Redis server
        return live.count_first_seen(hour_of(now), [
            (None if kind == "served" else seen_key(shown, kind), dimensions(shown), KINDS[kind])
            for shown, kind in events], int(SEEN_FOR.total_seconds()))
    replayable = list(dict.fromkeys(seen_key(s, k) for s, k in events if k != "served"))
    first = first_seen(replayable, now)
    counted = 0
    for shown, kind in events:
        if kind != "served":
            key = seen_key(shown, kind)
            if key not in first:
                continue
            first.discard(key)  # the same event twice in one batch counts once
        counts[dimensions(shown)][KINDS[kind]] += 1
        counted += 1
    if counts:
        _add(hour_of(now), counts)
    return counted


def first_seen(keys: Sequence[str], now: datetime) -> set[str]:
    """Remember ``keys`` in the database; give those not seen before (without Redis)."""
    if not keys:
        return set()
    dialect = db.session.get_bind().dialect.name
    statement = _remember_statement(dialect)
    expires = now + SEEN_FOR
    # One cached statement per key: a key it inserts (and returns) is a first sighting.
    return {key for key in keys if db.session.execute(
        statement, {"key": key, "expires_at": expires}).first() is not None}


_remember: dict = {}


def _remember_statement(dialect: str):
    """Give the (cached) INSERT of a replay key that does nothing when it is known."""
    if dialect not in _remember:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = SeenEvent.__table__
        _remember[dialect] = insert(table).on_conflict_do_nothing(
            index_elements=["key"]).returning(table.c.key)
    return _remember[dialect]

def _add(hour: datetime, counts) -> None:
    if live.enabled():
        live.add_counts(hour, counts)
    else:
        add_counts(hour, counts)

