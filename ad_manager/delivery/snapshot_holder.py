"""A process's current snapshot, kept fresh off the request path.

``SnapshotHolder`` compares the inventory versions at most every ``check_seconds``,
in a background thread of each process, rebuilds (or updates) the snapshot when they
moved, and keeps the campaigns' delivery figures; a failing refresh keeps what it has.
"""

import contextlib
import gc
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from ad_manager.delivery.process import current_pid
from ad_manager.delivery.snapshot import Snapshot

log = logging.getLogger(__name__)

# After a build that took t seconds, the next look at the version waits at least
# REST_PER_BUILD × t: a process spends at most a third of its time building.
REST_PER_BUILD = 2.0
# The interpreter's thread switch interval in a process with a refresher (seconds).
SWITCH_INTERVAL = 0.0005


def settled(snapshot: Snapshot) -> Snapshot:
    """Take a whole snapshot, and everything the process holds so far, out of the cycle
    collector's way (``gc.freeze``), and give it back.

    Python's collector walks every container object now and then: in a worker holding
    the app's modules and a snapshot, one pass took 70 ms with 10 campaigns (a reader's
    request stalled that long, and about 20 µs per decision on average), far more with
    10,000 campaigns and 50,000 articles. Nothing in a snapshot refers back to itself
    (``tests/serving/test_snapshot_memory.py``), so reference counting still frees a
    replaced one, frozen or not. What is frozen with it and only a cycle collection
    could free (the request a sync worker is answering while its refresher builds: a
    few kilobytes) stays, once per whole build; incremental updates freeze nothing.
    """
    # A full collection first, so that no garbage is frozen with the rest (a request
    # promoted to the oldest generation before it ended is a cycle, with its environ):
    # once per whole build, which takes far longer itself.
    gc.collect()
    gc.freeze()
    return snapshot


class SnapshotHolder:
    """Keep a process's snapshot and its delivery figures fresh; never make a reader wait.

    ``read_version()`` gives the inventory's version (any comparable value);
    ``load(version, previous)`` builds the snapshot of that version (``previous`` is
    the one held, for an incremental update, or None). ``load_delivered(campaign_ids)``
    gives {campaign id: (delivered towards the goal, rendered today)} for those campaigns.

    ``refresh()`` looks at the version at most every ``check_seconds`` (and, after a
    build that took t seconds, not before ``REST_PER_BUILD`` × t) and at the
    delivery figures of all its campaigns every ``delivered_seconds`` (by ``clock``,
    injectable for tests); after an incremental update, only the figures of the
    campaigns it read again or added are read (an edit a second on 10,000 campaigns
    re-read them all every second: a tenth of a worker).
    With ``background=True`` a daemon thread of the process calls it, inside
    ``context()``, so no request ever waits for a rebuild or a query but the very
    first, which builds the first snapshot; otherwise ``get()`` calls it when it is
    due. A failing refresh (database or Redis down) keeps the snapshot and figures
    it has and tries again at the next interval: decisions go on being served.
    """

    def __init__(self, load: Callable[[object, Snapshot | None], Snapshot],
                 read_version: Callable[[], object], *, check_seconds: float = 1.0,
                 load_delivered: Callable[[Iterable[int]], Mapping[int, tuple[int, int]]]
                 | None = None, delivered_seconds: float = 5.0, background: bool = False,
                 context: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext,
                 clock: Callable[[], float] = time.monotonic):
        self._load = load
        self._read_version = read_version
        self._load_delivered = load_delivered
        self.check_seconds = check_seconds
        self.delivered_seconds = delivered_seconds
        self.background = background
        self._context = context
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._version: object = None
        self._checked_at = float("-inf")
        self._delivered_at = float("-inf")
        self.delivered: Mapping[int, tuple[int, int]] = MappingProxyType({})
        self._thread_pid: int | None = None
        self._stopped = threading.Event()

    def get(self) -> Snapshot:
        """Give the current snapshot (building the first one if there is none yet)."""
        snapshot = self._snapshot
        if snapshot is None:
            with self._lock:
                if self._snapshot is None:
                    self._first()
            snapshot = self._snapshot
        if self.background:
            if self._thread_pid != current_pid():  # none yet, or this is a forked worker
                self._start_thread()
        elif self._due() and self._lock.acquire(blocking=False):
            try:
                self._refresh_locked()
            finally:
                self._lock.release()
        return self._snapshot

    def refresh(self) -> None:
        """Refresh what is due: the snapshot if the version moved, the delivery figures."""
        with self._lock:
            if self._snapshot is None:
                self._first()
            else:
                self._refresh_locked()

    def stop(self) -> None:
        """Stop the background refresher (tests, and app shutdown)."""
        self._stopped.set()

    def _first(self) -> None:
        """Build the first snapshot: a failure here is the request's (nothing to fall back on)."""
        version = self._read_version()
        self._snapshot = self._load(version, None)
        self._version = version
        self._checked_at = self._clock()
        self._refresh_delivered()

    def _due(self) -> bool:
        moment = self._clock()
        return (moment - self._checked_at >= self.check_seconds
                or moment - self._delivered_at >= self.delivered_seconds)

    def _refresh_locked(self) -> None:
        if self._clock() - self._checked_at >= self.check_seconds:
            rest = 0.0
            try:
                version = self._read_version()
                if version != self._version:
                    started = self._clock()
                    self._snapshot = self._load(version, self._snapshot)
                    self._version = version
                    self._add_missing_figures()
                    rest = REST_PER_BUILD * (self._clock() - started)
            except Exception:
                log.exception("inventory snapshot not refreshed; serving version %s",
                              self._version)
            # After a long build, rest before the next look: building shares the
            # worker with readers' requests (one GIL), and edits once a second on a
            # large inventory would otherwise keep it building all the time.
            self._checked_at = self._clock() + max(0.0, rest - self.check_seconds)
        if self._clock() - self._delivered_at >= self.delivered_seconds:
            self._refresh_delivered()

    def _refresh_delivered(self) -> None:
        if self._load_delivered is None:
            return
        try:
            self.delivered = MappingProxyType(dict(self._load_delivered(
                self._snapshot.campaign_ids)))
        except Exception:
            log.exception("delivery figures not refreshed; deciding with the last known ones")
        self._delivered_at = self._clock()

    def _add_missing_figures(self) -> None:
        """Read the figures of the campaigns the new snapshot read again or holds and
        the figures do not (sold, resumed, booked since); the others' stay until the
        next full read. After a whole build, read them all."""
        if self._load_delivered is None:
            return
        reread = self._snapshot.campaigns_reread
        if reread is None:
            self._delivered_at = float("-inf")
            return
        known = self.delivered
        missing = [cid for cid in self._snapshot.campaign_ids
                   if cid not in known or cid in reread]
        if not missing:
            return
        try:
            added = self._load_delivered(missing)
        except Exception:
            log.exception("delivery figures of new campaigns not read; reading all soon")
            self._delivered_at = float("-inf")
            return
        self.delivered = MappingProxyType({**known, **added})

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread_pid == current_pid():
                return
            self._thread_pid = current_pid()
            self._stopped = threading.Event()
        # While the refresher builds, a request thread waiting for the GIL gets it back
        # after this interval (Python's default, 5 ms, is paid at every socket read
        # and query of the request).
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        threading.Thread(target=self._run, name="snapshot-refresher", daemon=True).start()

    def _run(self) -> None:
        stopped = self._stopped
        pause = max(0.05, min(self.check_seconds, self.delivered_seconds) / 4)
        while not stopped.wait(pause):
            if not self._due():
                continue
            try:
                with self._context():
                    self.refresh()
            except Exception:  # the context itself failed: try again later
                log.exception("snapshot refresher cycle failed")
