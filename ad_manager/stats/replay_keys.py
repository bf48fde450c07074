"""Redis's replay keys kept in the database too, so that a Redis restarted empty
does not count a page's resent events a second time.

A replay key (``seen:<key>`` in Redis) says that one event of one page view was
already decided, and whether it was counted: the page sending it again is a replay,
not a second count. Redis may restart empty (its data lost), and its replay keys
with it; a resend of an event counted before the loss would then count again. So:

- the counting script (``live.count_batch``) notes each key it sets in a log hash
  beside the counters hash its event adds to (``seenlog:live:<hour>`` beside
  ``stats:live:<hour>``);
- the fold renames the log with its counters hash in one step (``rename_with_log``)
  and writes its keys into the ``stats_seen_event`` table in the transaction that
  adds the counts (``seen_rows``, ``remember``): a Redis that loses its memory
  forgets neither. They are kept as long as a click may come (``CLICK_MAX_AGE``);
  the rollup deletes them afterwards;
- a Redis found empty (no "epoch" key) remembers since when it keeps replay keys;
  an event of a page view from before that (give or take ``CLOCK_SKEW_SECONDS``)
  whose key is missing is looked up in the database before it is decided
  (``database_answers``), so a resend of an event counted (and folded) before the
  loss stays a replay. An event counted after the last fold lost its count with the
  rest of Redis: its key is not in the database, and its resend counts it again, once.

Without Redis, counting keeps its replay keys in that table directly (``counting``).
"""

from collections.abc import Mapping, Sequence
from datetime import timedelta

import redis
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ad_manager.delivery.shown import CLICK_MAX_AGE
from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.models.stats import SeenEvent

# A page view signed up to this many seconds after an emptied Redis took its first
# count may still have had events counted before (the servers' clocks differ a little).
CLOCK_SKEW_SECONDS = 5
# Renames a live counters hash and its log of replay keys to their batch names, together.
_RENAME_PAIR = r"""
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
redis.call("RENAME", KEYS[1], KEYS[2])
if redis.call("EXISTS", KEYS[3]) == 1 then redis.call("RENAME", KEYS[3], KEYS[4]) end
return 1
"""


def live_logs(prefix: str) -> str:
    """Give the start of the live logs' names (an hour's log adds the hour)."""
    return f"{prefix}seenlog:live:"


def batch_log(batch_key: str, prefix: str) -> str:
    """Give the name of the log of replay keys beside a stats batch key."""
    return f"{prefix}seenlog:batch:" + batch_key.removeprefix(f"{prefix}stats:batch:")


def rename_with_log(redis_client: redis.Redis, prefix: str, bucket: str, key: str,
                    batch: str) -> bool:
    """Rename the live counters hash ``key`` of hour ``bucket`` to ``batch`` and its log
    of replay keys to the batch's, in one step; False if the hash is gone."""
    return bool(redis_client.eval(_RENAME_PAIR, 4, key, batch, live_logs(prefix) + bucket,
                                  batch_log(batch, prefix)))


def database_answers(keys: Sequence[tuple[str, str]], asked: set[int]) -> list[str]:
    """Say what the database knows of each event's (seen, replay) keys, for the count
    script's second round: "." for an event not ``asked`` about (by index), else its
    seen key's flag there ("1", "0", or "-" for none), then "r" if its replay key is
    there too."""
    stored = stored_keys([key for n in asked for key in keys[n]])
    answers = []
    for n, (seen, replay) in enumerate(keys):
        known = "."
        if n in asked:
            known = {True: "1", False: "0", None: "-"}[stored.get(seen)]
            known += "r" if replay in stored else ""
        answers.append(known)
    return answers


def stored_keys(keys: Sequence[str]) -> dict[str, bool]:
    """Give those of the replay ``keys`` the database keeps, each with its flag (counted)."""
    if not keys:
        return {}
    rows = db.session.execute(select(SeenEvent.key, SeenEvent.counted).where(
        SeenEvent.key.in_(list(set(keys)))))
    return {row.key: bool(row.counted) for row in rows}


def seen_rows(fields: Mapping[str, str], prefix: str) -> list[dict]:
    """Give the replay keys noted in a log hash as ``stats_seen_event`` rows."""
    name = f"{prefix}seen:"
    expires = utcnow() + timedelta(seconds=CLICK_MAX_AGE)
    return [{"key": field.removeprefix(name), "expires_at": expires, "counted": value == "1"}
            for field, value in fields.items() if field.startswith(name)]


def remember(rows: list[dict]) -> set[str]:
    """Keep replay keys in the database (``stats_seen_event`` rows; a key already there
    stays as it is); give the keys that were not there: first sightings.

    One statement for all of them (SQLAlchemy writes the rows as multi-row INSERTs),
    through the session's connection: the ORM's execution costs a batch more than the
    query. Counting without Redis remembers its keys here as it decides; the Redis
    fold keeps Redis's here with the counts it adds."""
    if not rows:
        return set()
    connection = db.session.connection()
    # In key order: folds of several processes insert overlapping keys at once (a page
    # resending its batch to another server), and rows locked in one order by every
    # transaction never wait on each other in a cycle (a deadlock, on PostgreSQL).
    rows = sorted(rows, key=lambda row: row["key"])
    return set(connection.execute(_remember_statement(connection.dialect.name), rows).scalars())


_remember: dict = {}


def _remember_statement(dialect: str):
    """Give the (cached) INSERT of a replay key that does nothing when it is known."""
    if dialect not in _remember:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = SeenEvent.__table__
        _remember[dialect] = insert(table).on_conflict_do_nothing(
            index_elements=["key"]).returning(table.c.key)
    return _remember[dialect]
