"""Counters in Redis (with ``REDIS_URL``), shared by every app server, and their fold.

Readers' events only touch Redis: replay keys with ``SET NX EX`` (their value says
whether the event was counted), one hash of counters per UTC hour and one of readers'
counts per UTC day (``HINCRBY``). ``fold`` moves the hashes into the database exactly
once:

1. ``RENAME`` the live hash to a batch key named with a fresh batch id (new events
   start a new live hash);
2. add the batch's counts to the hourly rows AND record the batch id in
   ``stats_folded_batch``, in one database transaction;
3. delete the batch key.

A crash between any two steps leaves a batch key behind; the next fold applies it
only if its id is not yet recorded, else just deletes it. So nothing is lost (the
key stays until it is applied) and nothing is doubled (the id is recorded with the
counts, atomically).
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime

import redis
from flask import current_app

from ad_manager.extensions import db
from ad_manager.models.stats import MEASURES, FoldedBatch
from ad_manager.stats import counters
from ad_manager.stats.counters import Dimensions
from ad_manager.stats.readers import READER_MEASURES, ReaderDims, write_reader_counts

HOUR_FORMAT = "%Y%m%d%H"
DAY_FORMAT = "%Y%m%d"


def enabled() -> bool:
    """Tell whether counters go to Redis rather than straight to the database."""
    return bool(current_app.config.get("REDIS_URL"))


class NotDurable(redis.RedisError):
    """The Redis server would lose acknowledged counts on a restart: we count nothing there."""


def client() -> redis.Redis:
    """Give this app's Redis client (one connection pool per process).

    Before the first count, the server must keep what it is given across a restart
    (``appendonly yes``, see the README); otherwise counting is refused (events get
    a 503) until it does. ``REDIS_REQUIRE_APPENDONLY = False`` skips the check, for
    a Redis whose durability is ensured otherwise or a throwaway test server.
    """
    extensions = current_app.extensions
    if "ad_manager_redis" not in extensions:
        extensions["ad_manager_redis"] = redis.Redis.from_url(
            current_app.config["REDIS_URL"], decode_responses=True)
    found = extensions["ad_manager_redis"]
    if not extensions.get("ad_manager_redis_durable"):
        if current_app.config.get("REDIS_REQUIRE_APPENDONLY", True):
            check_durable(found)
        extensions["ad_manager_redis_durable"] = True
    return found


def check_durable(redis_client: redis.Redis) -> None:
    """Raise ``NotDurable`` unless the server writes every change to its append-only file."""
    try:
        appendonly = redis_client.config_get("appendonly").get("appendonly")
    except redis.ResponseError as error:  # CONFIG disabled (some managed services)
        raise NotDurable(f"cannot read the Redis persistence settings ({error}); set "
                         "AD_MANAGER_REDIS_REQUIRE_APPENDONLY=false if it is durable") from None
    if appendonly != "yes":
        raise NotDurable("Redis runs without appendonly: acknowledged events would be lost "
                         "on a restart; refusing to count there (see README, Redis)")


def _prefix() -> str:
    return current_app.config.get("REDIS_PREFIX") or "adm:"


def first_seen(keys: Mapping[str, bool], seconds: int) -> set[str]:
    """Remember replay keys for ``seconds``, each with whether its event was counted;
    give those not seen before."""
    pipe = client().pipeline(transaction=False)
    for key, counted in keys.items():
        pipe.set(f"{_prefix()}seen:{key}", 1 if counted else 0, nx=True, ex=seconds)
    return {key for key, fresh in zip(keys, pipe.execute(), strict=True) if fresh}


# Replay check and count in one step on the server: a worker killed (or a connection
# lost) between the two could otherwise leave an event seen but never counted, and
# its retry refused as a replay.
_COUNT_FIRST_SEEN = """
local counted = 0
for i = 3, #ARGV, 2 do
  local seen = ARGV[i]
  if seen == "" or redis.call("SET", ARGV[2] .. seen, 1, "NX", "EX", tonumber(ARGV[1])) then
    redis.call("HINCRBY", KEYS[1], ARGV[i + 1], 1)
    counted = counted + 1
  end
end
if counted > 0 then redis.call("SADD", KEYS[2], KEYS[1]) end
return counted
"""


def count_first_seen(hour: datetime, events: Sequence[tuple[str | None, Dimensions, str]],
                     seconds: int) -> int:
    """Count each (replay key or None, dimensions, measure) whose key is new, atomically.

    Keys are remembered for ``seconds``; None counts unconditionally (served).
    """
    key = f"{_prefix()}stats:live:{hour.astimezone(UTC).strftime(HOUR_FORMAT)}"
    arguments = [seconds, f"{_prefix()}seen:"]
    for seen, dims, measure in events:
        arguments += [seen or "", _field(dims, measure)]
    redis_client = client()
    script = current_app.extensions.get("ad_manager_count_script")
    if script is None:
        script = current_app.extensions.setdefault(
            "ad_manager_count_script", redis_client.register_script(_COUNT_FIRST_SEEN))
    return int(script(keys=[key, _registry()], args=arguments, client=redis_client))


def counted_keys(keys: Sequence[str]) -> set[str]:
    """Give those of ``keys`` remembered as counted events."""
    keys = list(dict.fromkeys(keys))
    values = client().mget([f"{_prefix()}seen:{key}" for key in keys])
    return {key for key, value in zip(keys, values, strict=True) if value == "1"}


def _field(dims: Dimensions, measure: str) -> str:
    return ",".join(str(d) for d in dims) + ":" + measure


def add_counts(hour: datetime, counts: Mapping[Dimensions, Mapping[str, int]]) -> None:
    """Add counts to the live hash of ``hour``."""
    key = f"{_prefix()}stats:live:{hour.astimezone(UTC).strftime(HOUR_FORMAT)}"
    pipe = client().pipeline(transaction=False)
    for dims, measures in counts.items():
        for measure, n in measures.items():
            if n:
                pipe.hincrby(key, _field(dims, measure), int(n))
    pipe.sadd(_registry(), key)
    pipe.execute()


def _registry() -> str:
    """The set naming every counters hash (live or batch): delivery reads these only.

    A SCAN for them would walk every replay key too, millions on a busy day.
    """
    return f"{_prefix()}stats:keys"


def parse_hash(fields: Mapping[str, str]) -> dict[Dimensions, dict[str, int]]:
    """Read a counters hash back into dimensions → {measure: n}; skip junk fields."""
    counts: dict[Dimensions, dict[str, int]] = defaultdict(dict)
    for field, value in fields.items():
        dims_text, _, measure = field.partition(":")
        try:
            dims = tuple(int(d) for d in dims_text.split(","))
            n = int(value)
        except ValueError:
            continue
        if len(dims) == 8 and measure in MEASURES:
            counts[dims][measure] = counts[dims].get(measure, 0) + n
    return counts


def _hour(text: str) -> datetime:
    return datetime.strptime(text, HOUR_FORMAT).replace(tzinfo=UTC)


def unfolded() -> list[tuple[datetime, dict[Dimensions, dict[str, int]]]]:
    """Give the counts still in Redis (live and pending batches), by hour."""
    found = []
    redis_client = client()
    keys = sorted(redis_client.smembers(_registry()))
    pipe = redis_client.pipeline(transaction=False)
    for key in keys:
        pipe.hgetall(key)
    for key, fields in zip(keys, pipe.execute(), strict=True):
        if not fields:  # folded since: forget it (a new count names it again)
            redis_client.srem(_registry(), key)
            continue
        hour = key.removeprefix(_prefix()).split(":")[2]
        found.append((_hour(hour), parse_hash(fields)))
    return found


# What Redis holds for the fold: counters by hour ("stats"), readers' counts by day.
FAMILIES = ("stats", "readers")


def fold(on_step: Callable[[str], None] | None = None) -> int:
    """Move every Redis counter into the database exactly once; give batches applied.

    ``on_step(name)`` is called after "renamed", before "commit" and after
    "committed": tests raise there to crash the fold between steps.
    """
    step = on_step or (lambda name: None)
    redis_client = client()
    prefix = _prefix()
    applied = 0
    for family in FAMILIES:
        for key in list(redis_client.scan_iter(match=f"{prefix}{family}:batch:*", count=500)):
            applied += _apply_batch(key, step)
        for key in list(redis_client.scan_iter(match=f"{prefix}{family}:live:*", count=500)):
            bucket = key.removeprefix(prefix).split(":")[2]
            batch = f"{prefix}{family}:batch:{bucket}:{uuid.uuid4().hex}"
            try:
                redis_client.rename(key, batch)
                if family == "stats":
                    # A count arriving right now names its new live hash again with its
                    # next count.
                    redis_client.pipeline(transaction=False).sadd(_registry(), batch).srem(
                        _registry(), key).execute()
            except redis.ResponseError:  # another fold took it first
                continue
            step("renamed")
            applied += _apply_batch(batch, step)
    return applied


def _apply_batch(key: str, step: Callable[[str], None]) -> int:
    """Apply one batch key unless its id is recorded; delete it afterwards."""
    redis_client = client()
    batch_id = key.removeprefix(_prefix())
    if db.session.get(FoldedBatch, batch_id) is not None:
        redis_client.delete(key)
        redis_client.srem(_registry(), key)
        return 0
    family, _batch, bucket = batch_id.split(":")[:3]
    try:
        if family == "readers":
            write_reader_counts(datetime.strptime(bucket, DAY_FORMAT).date(),
                                parse_reader_hash(redis_client.hgetall(key)))
        else:
            counters.add_counts(_hour(bucket), parse_hash(redis_client.hgetall(key)))
        db.session.add(FoldedBatch(batch_id=batch_id))
        step("commit")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    step("committed")
    redis_client.delete(key)
    redis_client.srem(_registry(), key)
    return 1


def add_reader_counts(day: date, counts: Mapping[ReaderDims, Mapping[str, int]]) -> None:
    """Add readers' counts to the live hash of ``day``."""
    key = f"{_prefix()}readers:live:{day.strftime(DAY_FORMAT)}"
    pipe = client().pipeline(transaction=False)
    for dims, measures in counts.items():
        for measure, n in measures.items():
            if n:
                pipe.hincrby(key, ",".join(str(d) for d in dims) + ":" + measure, int(n))
    pipe.execute()


def parse_reader_hash(fields: Mapping[str, str]) -> dict[ReaderDims, dict[str, int]]:
    """Read a readers hash back into (site, placement, campaign, creative, reader) → counts."""
    counts: dict = defaultdict(dict)
    for field, value in fields.items():
        dims_text, _, measure = field.partition(":")
        parts = dims_text.split(",")
        try:
            dims = (*(int(d) for d in parts[:4]), parts[4])
            n = int(value)
        except (ValueError, IndexError):
            continue
        if measure in READER_MEASURES and len(parts) == 5:
            counts[dims][measure] = counts[dims].get(measure, 0) + n
    return counts
