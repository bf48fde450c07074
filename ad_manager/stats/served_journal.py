"""The served-counts journal: a decision's counts, one line in this process's journal
(``stats.journal``, files ending in ``.counts``), added to the hourly counters by the
fold, exactly once.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime

import orjson
from sqlalchemy.exc import SQLAlchemyError

from ad_manager.extensions import db
from ad_manager.models.stats import DIMENSIONS
from ad_manager.stats.counters import Dimensions, add_by_hour, add_counts
from ad_manager.stats.journal import Journal, LineKind, app_journal, keep_in

log = logging.getLogger(__name__)

EXTENSION_KEY = "ad_manager.counts_journal"
SUFFIX = ".counts"
# Lines added per transaction at most (a backlog after an outage is added in steps).
FOLD_LINES = 20_000

Counts = Mapping[tuple[datetime, Dimensions], Mapping[str, int]]


def encode(counts: Counts) -> bytes:
    """Give one journal line: [[hour as epoch seconds, [dimensions], {measure: n}], …]."""
    return orjson.dumps([[int(hour.timestamp()), dims, measures]
                         for (hour, dims), measures in counts.items()],
                        option=orjson.OPT_APPEND_NEWLINE)


def decode(line: bytes) -> list[tuple[int, Dimensions, dict[str, int]]]:
    """Give a journal line's entries: (hour as epoch seconds, dimensions, measures);
    raise ``ValueError`` for a line that is not one."""
    entries = [(hour, tuple(dims), measures) for hour, dims, measures in orjson.loads(line)]
    for hour, dims, measures in entries:
        if (type(hour) is not int or len(dims) != len(DIMENSIONS)
                or not all(type(n) is int for n in measures.values())):
            raise ValueError("not a journal line")
    return entries


def add_lines(_journal: Journal, name: str, lines: list[bytes]) -> int:
    """Add the counts of ``lines`` to the hourly counters (in the open transaction).

    Decisions of one hour that showed the same things write the same line: each line
    is read once and its counts multiplied by how often it was written."""
    by_hour: dict = defaultdict(dict)  # epoch hour → {dimensions: {measure: n}}
    for line, times in Counter(lines).items():
        try:
            entries = decode(line)
        except (ValueError, TypeError, AttributeError):
            log.error("journal %s: a line is not readable (%d times); skipped: %r",
                      name, times, line[:200])
            continue
        for hour, dims, measures in entries:
            rows = by_hour[hour]
            row = rows.get(dims)
            if row is None:
                row = rows[dims] = {}
            for measure, n in measures.items():
                row[measure] = row.get(measure, 0) + n * times
    for hour, counts in sorted(by_hour.items()):
        add_counts(datetime.fromtimestamp(hour, tz=UTC), counts)
    return len(lines)


SERVED = LineKind(SUFFIX, encode, add_lines, "served counts", FOLD_LINES)


def journal() -> Journal:
    """Give this app's served-counts journal, creating it on first use."""
    return app_journal(EXTENSION_KEY, SERVED)


def keep(counts: Counts) -> None:
    """Journal a decision's counts; fold now (request mode) or let the process's
    folding thread do it. A journal that cannot be written (a folder that is not
    writable, a full disk) costs the page nothing: the counts go straight to the
    database, as before the journal."""
    keep_in(journal(), counts, _add_now)


def _add_now(counts: Counts) -> None:
    try:
        add_by_hour(counts)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("served counts of a page view lost: no journal and no database")
