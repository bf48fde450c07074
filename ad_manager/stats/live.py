"""Counters in Redis (with ``REDIS_URL``), shared by every app server, and their fold.

Readers' events only touch Redis: one script per batch (``count_batch``) checks the
replay keys (``SET NX EX``, their value says whether the event was counted) and adds
to one hash of counters per UTC hour and one of readers' counts per UTC day
(``HINCRBY``), all in one step, so no event is ever seen without being counted.
``fold`` moves the hashes into the database exactly
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

The replay keys go into the database with the counts, so that a Redis restarted
empty does not count a resent event twice: ``replay_keys`` keeps them.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from flask import current_app

from ad_manager.extensions import db
from ad_manager.models.stats import MEASURES, FoldedBatch
from ad_manager.stats import counters, replay_keys
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
        # A stopped or unreachable Redis answers an error within the timeout (events
        # get a 503, the page sends them again) instead of holding the worker.
        seconds = float(current_app.config.get("REDIS_TIMEOUT_SECONDS", 1.0))
        extensions["ad_manager_redis"] = redis.Redis.from_url(
            current_app.config["REDIS_URL"], decode_responses=True,
            socket_timeout=seconds, socket_connect_timeout=seconds)
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


# A batch's replay checks and counts in one step on the server: a worker killed (or a
# connection lost) between the two could otherwise leave an event seen but never
# counted, and the page's retry refused as a replay. Each event comes as 9 arguments:
#   seen key ("" counts unconditionally: served), the rendered key it requires ("" for
#   none), the page view's time, "1" if it counts / "0" if filtered, its increments,
#   its increments when the required rendered was not counted ("order"), its replay
#   key, its increments as a replay, and what the database knows of its keys ("" not
#   asked, "." no need to ask, else the seen key's flag there or "-" for none, then
#   "r" if its replay key is there too).
# Increments are "hash<US>field" entries separated by <RS>; every counters hash is
# named in the registry. Each key set is noted (key → its value) in the log hash beside
# the first counters hash its event adds to (ARGV[6] then that hash's hour), so that
# the fold moves it into the database with the counts.
# KEYS[1] remembers since when this server keeps replay keys (its "epoch"): a key
# missing for a page view older than that (give or take ARGV[5] seconds of clock
# skew) may have been lost with an emptied Redis. The script then changes nothing and
# answers {-1, the events' numbers}: the caller looks their keys up in the database
# and sends the batch again with the answers. A rendered key missing for an older page
# view was lost, not never sent: the event it allows is given the benefit of the doubt.
_COUNT_BATCH = r"""
local ttl, now, registry, counters = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local skew, notes = tonumber(ARGV[5]), ARGV[6]
local epoch = tonumber(redis.call("GET", KEYS[1]) or "")
if not epoch then
  redis.call("SET", KEYS[1], now)
  epoch = now
end
local ask = {}
for i = 7, #ARGV, 9 do
  if ARGV[i] ~= "" and ARGV[i + 8] == "" and tonumber(ARGV[i + 2]) <= epoch + skew
      and redis.call("EXISTS", ARGV[i]) == 0 then
    ask[#ask + 1] = (i - 7) / 9 + 1
  end
end
if #ask > 0 then return {-1, ask} end
local function add(increments, key, flag)
  local first = true
  for entry in string.gmatch(increments, "[^\30]+") do
    local cut = string.find(entry, "\31", 1, true)
    local hash = string.sub(entry, 1, cut - 1)
    redis.call("HINCRBY", hash, string.sub(entry, cut + 1), 1)
    if string.sub(hash, 1, #counters) == counters then redis.call("SADD", registry, hash) end
    if first and key ~= "" then
      redis.call("HSET", notes .. string.sub(hash, #counters + 1), key, flag)
    end
    first = false
  end
end
local counted = 0
for i = 7, #ARGV, 9 do
  local seen, requires, at, flag = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local increments, known = ARGV[i + 4], ARGV[i + 8]
  local stored = string.sub(known, 1, 1)
  if stored == "0" or stored == "1" then redis.call("SET", seen, stored, "NX", "EX", ttl) end
  if string.find(known, "r", 1, true) then
    redis.call("SET", ARGV[i + 6], 0, "NX", "EX", ttl)
  end
  if requires ~= "" then
    local rendered = redis.call("GET", requires)
    if rendered ~= "1" and not (rendered == false and at < epoch) then
      flag, increments = "0", ARGV[i + 5]
    end
  end
  if seen == "" or redis.call("SET", seen, flag, "NX", "EX", ttl) then
    add(increments, seen, flag)
    if flag == "1" then counted = counted + 1 end
  elseif redis.call("SET", ARGV[i + 6], 0, "NX", "EX", ttl) then
    add(ARGV[i + 7], ARGV[i + 6], "0")
  end
end
return {counted}
"""
UNIT, RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class Planned:
    """One event of a batch as the server is to decide it (see ``_COUNT_BATCH``).

    Increments are (hash family, bucket, field) triples: "stats" by UTC hour
    (``HOUR_FORMAT``), "readers" by day (``DAY_FORMAT``).
    """

    seen: str
    requires: str
    at: int
    counts: bool
    increments: tuple[tuple[str, str, str], ...]
    if_not_rendered: tuple[tuple[str, str, str], ...]
    replay: str
    as_replay: tuple[tuple[str, str, str], ...]


def count_batch(events: Sequence[Planned], seconds: int, now: int) -> int:
    """Decide and count a batch's events on the server in one step; give how many counted.

    Replay keys are kept for ``seconds``. If Redis lost its memory since a page view
    of the batch, the keys it may have forgotten are first looked up in the database.
    """
    prefix = _prefix()

    def encoded(increments) -> str:
        return RECORD.join(f"{prefix}{family}:live:{bucket}{UNIT}{name}"
                           for family, bucket, name in increments)

    arguments: list = [seconds, now, _registry(), f"{prefix}stats:live:",
                       replay_keys.CLOCK_SKEW_SECONDS, replay_keys.live_logs(prefix)]
    for event in events:
        arguments += [f"{prefix}seen:{event.seen}" if event.seen else "",
                      f"{prefix}seen:{event.requires}" if event.requires else "",
                      event.at, "1" if event.counts else "0", encoded(event.increments),
                      encoded(event.if_not_rendered), f"{prefix}seen:{event.replay}",
                      encoded(event.as_replay), ""]
    redis_client = client()
    script = current_app.extensions.get("ad_manager_count_script")
    if script is None:
        script = current_app.extensions.setdefault(
            "ad_manager_count_script", redis_client.register_script(_COUNT_BATCH))
    keys = [f"{prefix}epoch"]
    answer = script(keys=keys, args=arguments, client=redis_client)
    if int(answer[0]) == -1:  # Redis came back empty: ask the database, then decide
        asked = {int(n) - 1 for n in answer[1]}
        known = replay_keys.database_answers([(e.seen, e.replay) for e in events], asked)
        for n, answered in enumerate(known):
            arguments[6 + 9 * n + 8] = answered
        answer = script(keys=keys, args=arguments, client=redis_client)
    return int(answer[0])


def field_name(dims: Sequence, measure: str) -> str:
    """Give a counters hash field: the dimensions, then the measure."""
    return ",".join(str(d) for d in dims) + ":" + measure


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
                if family == "stats":
                    # The counts and the replay keys they go with move together.
                    if not replay_keys.rename_with_log(redis_client, prefix, bucket, key, batch):
                        continue
                else:
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
    prefix = _prefix()
    batch_id = key.removeprefix(prefix)
    log_key = replay_keys.batch_log(key, prefix) if batch_id.startswith("stats:") else None
    if db.session.get(FoldedBatch, batch_id) is not None:
        redis_client.delete(*filter(None, (key, log_key)))
        redis_client.srem(_registry(), key)
        return 0
    family, _batch, bucket = batch_id.split(":")[:3]
    try:
        if family == "readers":
            write_reader_counts(datetime.strptime(bucket, DAY_FORMAT).date(),
                                parse_reader_hash(redis_client.hgetall(key)))
        else:
            counters.add_counts(_hour(bucket), parse_hash(redis_client.hgetall(key)))
            # With the counts: a Redis that loses its memory forgets neither.
            replay_keys.remember(replay_keys.seen_rows(redis_client.hgetall(log_key), prefix))
        db.session.add(FoldedBatch(batch_id=batch_id))
        step("commit")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    step("committed")
    redis_client.delete(*filter(None, (key, log_key)))
    redis_client.srem(_registry(), key)
    return 1


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
