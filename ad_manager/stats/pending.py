"""Counts a failing store refused, kept in the process and written once it answers again.

The decision counts what it serves after composing the answer; while Redis or the
database is down that write fails, yet the reader sees the ads. Rather than drop
those impressions, the decision keeps the write here (with the moment it happened,
so each lands in its own hour) and the next decisions that count successfully
write a few of the kept ones too. What a process keeps is lost only if the process
dies before its store comes back; ``MAX_KEPT`` bounds the memory it takes.
"""

import logging
import threading
from collections import deque
from collections.abc import Callable

from flask import current_app

log = logging.getLogger(__name__)

MAX_KEPT = 100_000  # page views; about 60 MB at most
RETRY_PER_REQUEST = 50

_lock = threading.Lock()


def _kept() -> deque:
    """This app's kept writes (one list per app and process)."""
    return current_app.extensions.setdefault("ad_manager_pending_counts", deque())


def keep(write: Callable[[], object]) -> None:
    """Keep a write to try again later (the oldest is dropped, and logged, when full)."""
    kept = _kept()
    with _lock:
        if len(kept) >= MAX_KEPT:
            kept.popleft()
            log.error("more than %s page views' counts waiting for the store: one dropped",
                      MAX_KEPT)
        kept.append(write)


def waiting() -> int:
    return len(_kept())


def retry(commit: Callable[[], None], rollback: Callable[[], None],
          errors: tuple[type[BaseException], ...], limit: int = RETRY_PER_REQUEST) -> int:
    """Write up to ``limit`` kept writes, oldest first; stop (keeping it) at a failure."""
    kept = _kept()
    written = 0
    while written < limit:
        with _lock:
            if not kept:
                break
            write = kept.popleft()
        try:
            write()
            commit()
        except errors:
            rollback()
            with _lock:
                kept.appendleft(write)
            break
        written += 1
    return written
