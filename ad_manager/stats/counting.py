"""Counting what readers were shown: served, rendered, viewable, clicks.

``record`` is the one way in, for the decision (served), the events endpoint
(rendered, viewable) and the click redirect (click). It

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
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ad_manager.delivery.shown import CLICK_MAX_AGE, Shown
from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.models.stats import FILTER_REASONS, SeenEvent
from ad_manager.stats import live, replay_keys
from ad_manager.stats.counters import Dimensions, add_counts
from ad_manager.stats.readers import reader_key, write_reader_counts
from ad_manager.stats.validity import SiteRules, reader_reason, site_rules

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


class Verdicts:
    """Events as they are decided: counted, or filtered with a reason."""

    def __init__(self) -> None:
        self.counts: dict = defaultdict(lambda: defaultdict(int))
        self.readers: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        self.counted = 0

    def count(self, event: "Event") -> None:
        shown, kind = event.shown, event.kind
        hour = page_view_hour(shown, event.now)
        self.counts[(hour, dimensions(shown))][KINDS[kind]] += 1
        self.counted += 1
        if kind in READER_KINDS:
            self.readers[hour.date()][reader_dims(shown, event.reader)][KINDS[kind]] += 1

    def filter(self, event: "Event", reason: str) -> None:
        measures = self.counts[(page_view_hour(event.shown, event.now), dimensions(event.shown))]
        for measure in filtered_measures(reason):
            measures[measure] += 1

    def add(self) -> None:
        by_hour: dict = defaultdict(dict)
        for (hour, dims), measures in self.counts.items():
            by_hour[hour][dims] = measures
        for hour, counts in sorted(by_hour.items()):
            _add(hour, counts)
        for day, counts in sorted(self.readers.items()):
            write_reader_counts(day, counts)


class Event:
    """One event of a report as counting decides it: ``reason`` is why it is not
    counted as far as known before its replay key, ``request`` which of the reports
    decided together it came in, ``key`` its replay key and ``requires`` the replay
    key of the rendered it needs ("" for none), each worked out once."""

    __slots__ = ("key", "kind", "now", "reader", "reason", "request", "requires", "shown")

    def __init__(self, shown: Shown, kind: str, reason: str | None, now: datetime,
                 reader: str, request: int) -> None:
        self.shown, self.kind, self.reason, self.now = shown, kind, reason, now
        self.reader, self.request = reader, request
        self.key = seen_key(shown, kind)
        self.requires = (seen_key(shown, "rendered")
                         if kind in AFTER_RENDERED and reason is None else "")


def record(events: Sequence[tuple[Shown, str]], *, user_agent: str, remote_addr: str | None,
           site_id: int, now: datetime | None = None, refused: str | None = None,
           rules: SiteRules | None = None) -> int:
    """Count events of one page view's reader right away; give how many were counted.

    ``refused`` is the reason the caller found the request itself invalid ("origin",
    "prefetch", "rate"): its events are filtered with it. ``rules`` are the site's
    (read from the database when not given).
    """
    rules = rules or site_rules(site_id)
    if rules is None:
        return 0
    found = reported(events, user_agent=user_agent, remote_addr=remote_addr, site_id=site_id,
                     now=now or utcnow(), refused=refused, rules=rules)
    return count_now(found) if found is not None else 0


def count_now(report: Reported) -> int:
    """Count one report in the counters' store (Redis when set, else the database, in
    the caller's transaction); give how many of its events were counted."""
    if live.enabled():
        return _record_live(report)
    return decide([report])[1]


def decide(reports: Sequence[Reported], wait_after: datetime | None = None) -> tuple[int, int]:
    """Decide and add reports to the database's counters in their order (in the open
    transaction): give how many reports were decided, and how many events counted.

    With ``wait_after``, the decision stops before the first report made after that
    time with a viewable or click whose rendered is not counted yet: the rendered may
    still be on its way through another process's journal or another server's. That
    report and those after it are left for a later call, which decides them as usual
    (filtered for "order" if the rendered never came) once they are older.
    """
    events = [[Event(shown, kind, report.reader or carried_reason(shown) or report.refused,
                     report.now, reader, number) for shown, kind, reader in report.events]
              for number, report in enumerate(reports)]
    if wait_after is not None:
        cut = _first_waiting(reports, events, wait_after)
        reports, events = reports[:cut], events[:cut]
    verdicts = Verdicts()
    later = []
    for report, its_events in zip(reports, events, strict=True):
        for event in its_events:
            if without_sighting(event.kind, event.reason, report.refused):
                if event.reason:
                    verdicts.filter(event, event.reason)
                else:
                    verdicts.count(event)
            else:
                later.append(event)
    if later:
        _decide_events(later, verdicts, max(report.now for report in reports))
    verdicts.add()
    return len(reports), verdicts.counted


def _first_waiting(reports: Sequence[Reported], events: Sequence[Sequence[Event]],
                   wait_after: datetime) -> int:
    """Give the number of the first report to wait for (see ``decide``), or how many
    there are."""
    cut = len(reports)
    known: set[str] = set()
    asked: set[str] = set()
    while True:
        needed: dict[str, int] = {}
        rendered = set()
        for number in range(cut):
            young = reports[number].now > wait_after
            for event in events[number]:
                if event.reason is None and event.kind == "rendered":
                    rendered.add(event.key)
                elif event.requires and young:
                    needed.setdefault(event.requires, number)
        missing = set(needed) - rendered
        if missing - asked:
            known |= counted_keys(list(missing - asked))
            asked |= missing
        missing -= known
        if not missing:
            return cut
        cut = min(needed[key] for key in missing)


def served_counts(served: Sequence[Shown], *, site_id: int, now: datetime) -> dict:
    """Decide what a decision serves, counted or filtered with its reason, touching no
    store: give {(hour, dimensions): {measure: n}} for the served-counts journal
    (``stats.journal``), which adds it to the counters off the request path.

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


def _record_live(report: Reported) -> int:
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


def _decide_events(events: Sequence[Event], verdicts: Verdicts, now: datetime) -> None:
    """Decide rendered, then viewable and clicks: first sightings, order, replays.

    The same event twice in one report is one event; in a later report (the page, or
    someone else, sending it again) it is a replay, filtered once."""
    replays: dict[str, Event] = {}
    rendered_counted: set[str] = set()
    for group in (("rendered", "not_placed"), AFTER_RENDERED):
        batch = [(event, event.key) for event in events if event.kind in group]
        if not batch:
            continue
        rendered_counted |= counted_keys([event.requires for event, _key in batch
                                          if event.requires
                                          and event.requires not in rendered_counted])
        verdict: dict[str, str | None] = {}
        for event, key in batch:
            if key in verdict:
                continue
            reason = event.reason
            if event.requires and event.requires not in rendered_counted:
                reason = "order"
            verdict[key] = reason
        first = first_seen({key: reason is None for key, reason in verdict.items()}, now)
        decided: dict[str, int] = {}
        for event, key in batch:
            if key in decided:
                if decided[key] != event.request:
                    replays.setdefault(replay_key(key), event)
                continue
            decided[key] = event.request
            if key not in first:
                replays.setdefault(replay_key(key), event)
            elif verdict[key] is None:
                verdicts.count(event)
                if event.kind == "rendered":
                    rendered_counted.add(key)
            else:
                verdicts.filter(event, verdict[key])
    if replays:
        for key in first_seen(dict.fromkeys(replays, False), now):
            verdicts.filter(replays[key], "replay")


def counted_keys(keys: Sequence[str]) -> set[str]:
    """Give those of ``keys`` remembered as counted events."""
    if not keys:
        return set()
    # Through the session's connection: the ORM's execution costs a batch more than
    # the query (the same for ``replay_keys.remember``).
    rows = db.session.connection().execute(select(SeenEvent.key).where(
        SeenEvent.key.in_(list(set(keys))), SeenEvent.counted.is_(True)))
    return set(rows.scalars())


def first_seen(keys: Mapping[str, bool], now: datetime) -> set[str]:
    """Remember ``keys`` (each with whether its event was counted); give those not
    seen before."""
    expires = now + SEEN_FOR
    return replay_keys.remember([{"key": key, "expires_at": expires, "counted": counted}
                                 for key, counted in keys.items()])


def _add(hour: datetime, counts) -> None:
    add_counts(hour, counts)

