"""Counting what readers were shown: served, rendered, viewable, clicks.

What counts and under which dimensions, what a request reported (``Reported``, judged
while it was answered) and a decision's served counts; ``stats.deciding`` decides
reports (replays, order) and adds them, and ``deciding.record`` counts events right
away. Together they

- drops preview tokens and tokens of another site;
- counts each (page view, placement, creative or article, kind) at most once,
  however often the page or someone else replays its token; a replay is filtered
  as "replay" once, then ignored;
- files as ``filtered``, with its reason (``models.stats.FILTER_REASONS``), every
  event it does not count: of known bots, crawlers and non-browser clients, of the
  site's excluded user agents and IP ranges (IP addresses are looked at, never
  stored), of a page view whose decision was not valid traffic (its token carries
  why), of a request the caller found invalid (not from a page of the site, a
  prefetch, over a rate limit), and a viewable or click without a counted rendered
  of the same page view and placement before it;
- adds the counts to the hour of the page view (the token carries it), so a late
  event never lands in a later hour or day than what was served: in the database in
  the caller's transaction (the caller commits), or in Redis when ``REDIS_URL`` is
  set (``stats fold`` moves them into the database).

"served" is not checked for replays: the decision makes a new page view id each
time, so it cannot repeat, and the hot path saves a write.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ad_manager.delivery.shown import CLICK_MAX_AGE, Shown
from ad_manager.models.stats import FILTER_REASONS
from ad_manager.stats import live
from ad_manager.stats.counters import Dimensions
from ad_manager.stats.readers import reader_key
from ad_manager.stats.validity import SiteRules, reader_reason

# Event kind → the measure it adds to.
KINDS = {"served": "served", "rendered": "rendered", "viewable": "viewable", "click": "clicks",
         "not_placed": "not_placed"}
# Kinds that count only after a counted rendered of the same page view and placement.
AFTER_RENDERED = ("viewable", "click")
# Reasons of a request that leave its events' first sighting to a later request: the
# browser's prefetch of a click link is followed by the reader's own click.
PASSING = ("prefetch",)
# Events of a batch are taken in this order: a rendered before the viewable it allows.
ORDER = {"served": 0, "rendered": 1, "not_placed": 1, "viewable": 2, "click": 3}
# A seen event is remembered as long as its token could be replayed (clicks live longest).
SEEN_FOR = timedelta(seconds=CLICK_MAX_AGE)
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


def page_view_hour(shown: Shown, now: datetime) -> datetime:
    """Give the hour an event is counted in: its page view's, as its token says.

    A token without one, or whose hour is in the future or older than a click may
    be, is counted in the hour it arrives.
    """
    current = hour_of(now)
    if shown.hour is None:
        return current
    hour = datetime.fromtimestamp(shown.hour * 3600, tz=UTC)
    if hour > current or hour < current - SEEN_FOR - timedelta(hours=1):
        return current
    return hour


# Kinds also counted per reader key, for the "one address" anomaly flag.
READER_KINDS = ("rendered", "click")


def filtered_measures(reason: str) -> tuple[str, str]:
    """Give the measures an event filtered for ``reason`` adds to: the total and its reason's."""
    return ("filtered", f"filtered_{reason}")


def reader_dims(shown: Shown, key: str) -> tuple:
    """Give the readers' counts row of an event: where, what, and the reader's key."""
    return (shown.site, shown.placement or 0, shown.campaign or 0, shown.creative or 0, key)


def replay_key(key: str) -> str:
    """Give the key that remembers an event's replay was filtered (once)."""
    return hashlib.sha256(f"{key}|replay".encode()).hexdigest()


@dataclass(frozen=True)
class Reported:
    """What one request reported for one site, as judged while it was answered: the
    events (each with its reader's key for the readers' counts, "" where none is
    kept), the reader's own reason not to count (a bot, an excluded address) and the
    request's (``refused``: not from a page of the site, a prefetch, over a rate
    limit). Counting decides the rest (replays, order) from this alone: the events
    journal (``stats.events_journal``) keeps it as it is, and no address is in it."""

    now: datetime
    site: int
    reader: str | None
    refused: str | None
    events: tuple[tuple[Shown, str, str], ...]


def reported(events: Sequence[tuple[Shown, str]], *, user_agent: str, remote_addr: str | None,
             site_id: int, now: datetime, refused: str | None,
             rules: SiteRules) -> Reported | None:
    """Judge a request's events of one site (None when none of them can count: previews,
    another site's), in the order they are decided: a rendered before what it allows."""
    kept = sorted(((shown, kind) for shown, kind in events
                   if kind in KINDS and not shown.preview and shown.site == site_id),
                  key=lambda event: ORDER[event[1]])
    if not kept:
        return None
    keys: dict = {}
    with_keys = []
    for shown, kind in kept:
        key = ""
        if kind in READER_KINDS:
            day = page_view_hour(shown, now).date()
            key = keys.get(day) or keys.setdefault(day, reader_key(remote_addr, day))
        with_keys.append((shown, kind, key))
    return Reported(now, site_id, reader_reason(rules, user_agent, remote_addr), refused,
                    tuple(with_keys))


def served_counts(served: Sequence[Shown], *, site_id: int, now: datetime) -> dict:
    """Decide what a decision serves, counted or filtered with its reason, touching no
    store: give {(hour, dimensions): {measure: n}} for the served-counts journal
    (``stats.served_journal``), which adds it to the counters off the request path.

    Why the page view is not valid traffic (a bot, an excluded reader, not from a page
    of the site, over a rate limit) the decision already judged and signed into each
    token (``invalid``): it is read from there, not judged again. Everything served is
    counted in the decision's own hour (``page_view_hour`` of its tokens), and served
    has no reader rows: so this runs on every decision without ``Verdicts``.
    """
    hour = hour_of(now)
    counts: dict = {}
    for shown in served:
        if shown.preview or shown.site != site_id:
            continue
        measures = counts.setdefault((hour, dimensions(shown)), {})
        reason = carried_reason(shown)
        for measure in filtered_measures(reason) if reason else ("served",):
            measures[measure] = measures.get(measure, 0) + 1
    return counts


def carried_reason(shown: Shown) -> str | None:
    """Give why the page view's decision was not valid traffic, as its token says."""
    if shown.invalid is not None and shown.invalid not in FILTER_REASONS:
        return "origin"  # a reason this version does not know: still not valid
    return shown.invalid


def without_sighting(kind: str, reason: str | None, refused: str | None) -> bool:
    """Tell whether an event is decided without its replay key: served (a new page view
    each time), or passing through (a prefetch, whose reader's own request follows)."""
    return kind == "served" or (reason in PASSING and reason == refused)


def record_live(report: Reported) -> int:
    """Count a report in Redis: replay checks, order and counts in one step there."""
    now = report.now

    def increments(shown: Shown, kind: str, reason: str | None, reader: str) -> tuple:
        hour = page_view_hour(shown, now)
        bucket = hour.astimezone(UTC).strftime(live.HOUR_FORMAT)
        dims = dimensions(shown)
        if reason is not None:
            return (("stats", bucket, live.field_name(dims, "filtered")),
                    ("stats", bucket, live.field_name(dims, f"filtered_{reason}")))
        found = [("stats", bucket, live.field_name(dims, KINDS[kind]))]
        if kind in READER_KINDS:
            found.append(("readers", hour.date().strftime(live.DAY_FORMAT),
                          live.field_name(reader_dims(shown, reader), KINDS[kind])))
        return tuple(found)

    planned, keys = [], set()
    for shown, kind, reader in report.events:
        reason = report.reader or carried_reason(shown) or report.refused
        if without_sighting(kind, reason, report.refused):
            planned.append(live.Planned("", "", 0, reason is None,
                                        increments(shown, kind, reason, reader), (), "", ()))
            continue
        key = seen_key(shown, kind)
        if key in keys:
            continue  # the same event twice in one batch is one event
        keys.add(key)
        requires = (seen_key(shown, "rendered")
                    if kind in AFTER_RENDERED and reason is None else "")
        planned.append(live.Planned(
            key, requires, shown.signed_at or int(now.timestamp()), reason is None,
            increments(shown, kind, reason, reader),
            increments(shown, kind, "order", reader) if requires else (), replay_key(key),
            increments(shown, kind, "replay", reader)))
    return live.count_batch(planned, int(SEEN_FOR.total_seconds()), int(now.timestamp()))
