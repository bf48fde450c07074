"""Deciding what requests reported: counted once, or filtered with a reason.

``decide`` takes reports (``counting.Reported``) in the order they were made, as the
events journal's fold gives them, and decides each event against the replay keys the
database keeps (``stats_seen_event``): a replay is filtered once, a viewable or click
without a counted rendered before it is filtered for "order" (or waits, when its
rendered may still be in another journal), then adds the counts in the open
transaction. ``record`` and ``count_now`` count right away (tests, the fallback of a
process that cannot write its journal; Redis when ``REDIS_URL`` is set).
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select

from ad_manager.delivery.shown import Shown
from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.models.stats import SeenEvent
from ad_manager.stats import live, replay_keys
from ad_manager.stats.counters import add_by_hour
from ad_manager.stats.counting import (
    AFTER_RENDERED,
    KINDS,
    READER_KINDS,
    SEEN_FOR,
    Reported,
    carried_reason,
    dimensions,
    filtered_measures,
    page_view_hour,
    reader_dims,
    record_live,
    replay_key,
    reported,
    seen_key,
    without_sighting,
)
from ad_manager.stats.readers import write_reader_counts
from ad_manager.stats.validity import SiteRules, site_rules


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
        add_by_hour(self.counts)
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
        return record_live(report)
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
