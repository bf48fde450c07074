"""Rate limits on /serve, /e and /c/, per reader address and per page view.

Counted in each app process's memory (``LocalWindows``), whatever the shared storage:
a request over a limit is still answered as usual, so a reader keeps the page; what it
would count is filtered as "rate". Settings (``AD_MANAGER_RATE_LIMIT_…``, limits like
"120 per minute", empty to turn one off):

- ``RATE_LIMIT_SERVE_PER_READER``: decisions of one address;
- ``RATE_LIMIT_EVENTS_PER_READER`` / ``…_PER_VIEW``: event batches of one address,
  of one page view;
- ``RATE_LIMIT_CLICKS_PER_READER`` / ``…_PER_VIEW``: clicks of one address, of one
  page view.

Nothing waits on a store: a Redis round trip cost a third of a decision, and two of
them (reader, page view) half of an events batch. A reader spread over several
processes gets that many times each limit. What can be counted stays bounded all the
same: an event counts only with a token of a decision, each once (replay keys), so
the decisions' limit bounds a reader's counted events and clicks. A window is held
for its length, keyed by the address itself, and written nowhere.
"""

import logging
import threading
import time
from functools import lru_cache

from flask import current_app
from limits import RateLimitItem, parse_many

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _parsed(text: str) -> tuple:
    return tuple(parse_many(text))


class LocalWindows:
    """Fixed-window hit counts in this process's memory.

    What ``limits``' ``FixedWindowRateLimiter`` over its ``MemoryStorage`` counts,
    without its cost on the decision's path: that storage starts a timer thread to
    expire its keys whenever the last one has run (every 10 ms under load: a thread
    start every few decisions). Here a key's window holds its end and its hits;
    windows that ended are dropped in one sweep once per longest window.
    """

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._windows: dict[tuple, list] = {}  # key → [end, hits]
        self._lock = threading.Lock()
        self._sweep_at = 0.0

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit; tell whether it is within ``item`` (as ``limits``' ``hit``)."""
        # A tuple, not ``item.key_for`` (a string joined at every hit): the same window.
        key = (item.amount, item.get_expiry(), *identifiers)
        now = self._clock()
        with self._lock:
            if now >= self._sweep_at:
                self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
                self._sweep_at = now + item.get_expiry()
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                window = self._windows[key] = [now + item.get_expiry(), 0]
            window[1] += 1
            return window[1] <= item.amount


def _local_strategy() -> LocalWindows:
    """Give this app's in-memory limiter (one per app and process)."""
    found = current_app.extensions.get("ad_manager.local_limits")
    if found is None:
        found = current_app.extensions.setdefault("ad_manager.local_limits", LocalWindows())
    return found


def over_limit(setting: str, identity: str) -> bool:
    """Count one hit of ``identity`` against the limits of ``setting``; tell if over."""
    text = current_app.config.get(setting) or ""
    if not text.strip():
        return False
    try:
        items = _parsed(text)
    except ValueError:
        log.warning("setting %s is not a rate limit: %r", setting, text)
        return False
    windows = _local_strategy()
    return not all(windows.hit(item, setting, identity) for item in items)


def reader_over(setting: str, remote_addr: str | None) -> bool:
    """Count a hit of this reader's address (held for one window, written nowhere)."""
    return over_limit(setting, remote_addr or "")


def rate_reason(reader_setting: str, remote_addr: str | None, view_setting: str | None = None,
                views=()) -> str | None:
    """Give "rate" when this request is over its reader's or its page view's limit."""
    over = reader_over(reader_setting, remote_addr)
    if view_setting:
        for view in views:
            over = over_limit(view_setting, view) or over
    return "rate" if over else None
