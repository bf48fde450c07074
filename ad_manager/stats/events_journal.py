"""Readers' events journalled like served counts: a page's report acknowledged once it is
in this process's file, decided and counted off the request path.

``POST /e`` and ``GET /c/`` used to count inside the request: a transaction (replay
keys looked up and written, counters upserted, a commit) or two Redis round trips
and a script, most of their time, and a 503 whenever the store was down. Now the
request judges what only it can judge (the reader's user agent and address against
the site's rules, the page's origin, the rate limits: ``counting.reported``) and
appends that judgement, one line, to this process's events journal
(``stats.journal``, files ending in ``.events`` beside the served counts). The fold
decides the rest in the order the lines were written: replays and a viewable or click
without its rendered (``deciding.decide``), with the replay keys the database keeps.

What it promises, beyond the journal's own (nothing acknowledged lost when a process
dies; nothing added twice; a store outage costs nothing):

- **No address is written.** A line holds the reader's keyed, truncated hash for the
  readers' counts (``stats.readers``), never the address.
- **A rendered on its way is waited for.** In background mode, a viewable or click
  whose rendered is not counted yet stops its file's fold for up to
  ``EVENTS_ORDER_WAIT_SECONDS`` (30): the rendered may be in another process's file
  or on another server, folded a few seconds later. After that it is filtered for
  "order", as it would have been in the request.
"""

import logging
import time
from datetime import UTC, datetime, timedelta

import orjson
from flask import current_app

from ad_manager.delivery.shown import Shown
from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.stats import journal
from ad_manager.stats.counting import Reported
from ad_manager.stats.deciding import count_now, decide

log = logging.getLogger(__name__)
EXTENSION_KEY = "ad_manager.events_journal"
# Lines decided per transaction at most: a few events each, each with its replay keys.
FOLD_LINES = 2_000


def encode(report: Reported) -> bytes:
    """Give one line: [time, site, reader's reason, request's reason, [[shown, kind,
    reader key], …]] (a ``Shown`` is written with all its fields)."""
    return orjson.dumps([report.now.timestamp(), report.site, report.reader, report.refused,
                         [list(event) for event in report.events]],
                        option=orjson.OPT_APPEND_NEWLINE)


def decode(line: bytes) -> Reported:
    now, site, reader, refused, events = orjson.loads(line)
    return Reported(datetime.fromtimestamp(now, tz=UTC), site, reader, refused,
                    tuple((Shown(**shown), kind, key) for shown, kind, key in events))


def add_lines(found: journal.Journal, name: str, lines: list[bytes]) -> int:
    """Decide and add the reports of ``lines`` in order; give how many lines were added
    (those from the first report that waits for its rendered on are left)."""
    reports, numbers = [], []
    for number, line in enumerate(lines):
        try:
            reports.append(decode(line))
            numbers.append(number)
        except (ValueError, TypeError, KeyError):
            log.error("events journal %s: a line is not readable; skipped: %r", name, line[:200])
    decided, _counted = decide(reports, waits_after(found))
    return numbers[decided] if decided < len(reports) else len(lines)


def waits_after(found: journal.Journal) -> datetime | None:
    """Give the time after which a report waits for its rendered (None: none waits).

    The other processes and servers fold every few seconds while the database takes
    writes: a rendered they acknowledged has reached it within the wait, counted from
    the report or from this process's last failed fold, whichever is later (after an
    outage every server has a backlog to add).
    """
    wait = current_app.config["EVENTS_ORDER_WAIT_SECONDS"]
    if not wait or current_app.config.get("SNAPSHOT_REFRESH", "background") != "background":
        return None
    now = time.time()
    if now - found.failed_at < wait:
        return datetime.min.replace(tzinfo=UTC)  # every report waits
    return utcnow() - timedelta(seconds=wait)


EVENTS = journal.LineKind(".events", encode, add_lines, "readers' events", FOLD_LINES)


def events_journal() -> journal.Journal:
    """Give this app's events journal, creating it on first use."""
    return journal.app_journal(EXTENSION_KEY, EVENTS)


def keep(report: Reported) -> None:
    """Journal a request's report (see ``journal.keep_in``). When the journal cannot be
    written, the report is counted in the store within the request: a store that fails
    then raises, for the caller to answer (a 503)."""
    journal.keep_in(events_journal(), report, _count_directly)


def _count_directly(report: Reported) -> None:
    count_now(report)
    db.session.commit()  # a failure rolls back in the caller, which answers 503

