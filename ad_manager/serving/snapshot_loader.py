"""Load the inventory snapshot from the database and keep one per app process.

A handful of queries (sites, zones, inserts with picks, layouts with placements,
campaigns with bookings and creatives, listed articles) build the whole snapshot
at once; articles written since (discovered, imported, edited) and campaigns written
since (edited, booked, paused, given a creative) are read alone and join it
(``models.version`` says which counter moves for what, and logs which campaigns each
move of the campaigns' counter concerns). ``current_snapshot()``
gives the process's current one and ``current_delivered()`` its campaigns' delivery
figures. A background thread of
each process (``SNAPSHOT_REFRESH = "background"``) checks the versions every
``SNAPSHOT_CHECK_SECONDS`` and the figures every ``DELIVERED_REFRESH_SECONDS``;
with ``"request"`` (tests, ``flask run``) the request that finds them due does.
While the database or Redis is down, decisions keep the last snapshot and figures.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import NamedTuple

from flask import current_app
from sqlalchemy.orm import selectinload

from ad_manager.catalog.articles import LISTED, insert_rule
from ad_manager.delivery.link_choice import Candidate
from ad_manager.delivery.snapshot import Snapshot
from ad_manager.delivery.snapshot_build import build_snapshot
from ad_manager.delivery.snapshot_holder import SnapshotHolder, settled
from ad_manager.extensions import db
from ad_manager.models import (
    Article,
    Campaign,
    Creative,
    Insert,
    Layout,
    Placement,
    Site,
    Zone,
    utcnow,
)
from ad_manager.models.inventory import campaign_insert, campaign_zone
from ad_manager.models.version import (
    campaign_changes_complete,
    changed_campaigns,
    current_versions,
)
from ad_manager.stats.delivered import delivered

EXTENSION_KEY = "ad_manager.inventory"
# Article changes are read again from this long before the latest one seen: a change
# committed late by another server, stamped by its clock, is not missed. (Campaign
# changes need no such margin: they are logged under the campaigns' counter.)
ARTICLE_OVERLAP = timedelta(seconds=60)
ARTICLE_COLUMNS = (Article.site_id, Article.id, Article.url, Article.title, Article.section,
                   Article.tags, Article.published_at, Article.source)


def _candidate(row) -> Candidate:
    return Candidate(id=row.id, url=row.url, title=row.title, section=row.section or "",
                     tags=tuple(row.tags or ()), published_at=row.published_at,
                     source=row.source)


def listed_articles() -> dict[int, list[Candidate]]:
    """Give every site's listed articles as link candidates, by site id."""
    rows = db.session.execute(db.select(*ARTICLE_COLUMNS).where(Article.status == LISTED))
    by_site: dict[int, list[Candidate]] = defaultdict(list)
    for row in rows:
        by_site[row.site_id].append(_candidate(row))
    return by_site


def _latest_article_change() -> datetime | None:
    return db.session.scalar(db.select(db.func.max(Article.updated_at)))


def load_snapshot(version, previous: Snapshot | None = None) -> Snapshot:
    """Give the snapshot of ``version`` (inventory, catalog, campaigns): incremental
    when only articles or campaigns changed since ``previous``, else read whole.

    The snapshot holds at least what ``version`` counts (it is read after the counters,
    so it may hold a later change too: reading that campaign or article again next time
    gives the same result).
    """
    if (previous is not None and isinstance(version, tuple)
            and isinstance(previous.version, tuple) and len(previous.version) == len(version)
            and previous.version[0] == version[0]
            and (version[1] == previous.version[1] or previous.articles_as_of is not None)):
        snapshot = previous
        if version[2] != previous.version[2]:
            snapshot = with_changed_campaigns(snapshot, version)
        if snapshot is not None and version[1] != previous.version[1]:
            snapshot = with_changed_articles(snapshot, version)
        if snapshot is not None:
            return snapshot if snapshot.version == version else replace(snapshot,
                                                                         version=version)
    now = utcnow()
    session = db.session
    as_of = _latest_article_change()
    # A long-running server's process keeps its whole snapshots out of the cycle
    # collector's way; tests and ``flask run`` ("request" mode) build many and keep none.
    keep = settled if current_app.config.get("SNAPSHOT_REFRESH") == "background" else _as_is
    return keep(build_snapshot(
        version,
        sites=session.scalars(db.select(Site).where(Site.archived_at.is_(None))).all(),
        zones=session.scalars(db.select(Zone).where(Zone.archived_at.is_(None))).all(),
        inserts=session.scalars(db.select(Insert).where(Insert.archived_at.is_(None))
                                .options(selectinload(Insert.picks))).all(),
        layouts=session.scalars(
            db.select(Layout).where(Layout.archived_at.is_(None))
            .options(selectinload(Layout.placements).options(
                selectinload(Placement.zone), selectinload(Placement.insert)))).all(),
        campaigns=live_campaigns(now),
        articles=listed_articles(),
        insert_rule=insert_rule,
        now=now,
        articles_as_of=as_of,
    ))


def _as_is(snapshot: Snapshot) -> Snapshot:
    return snapshot


class _Ref(NamedTuple):
    id: int


def live_campaigns(now: datetime) -> list[SimpleNamespace]:
    """Give the live campaigns as look-alikes of the model (their columns, ``.zones``,
    ``.inserts``, ``.creatives``), read as plain rows in four queries.

    Campaigns are most of a snapshot: 10,000 of them as ORM objects took two seconds
    to load, every time an edit moved the inventory version, in a thread sharing the
    worker with readers' requests. Plain rows take a fraction of that.
    """
    table = Campaign.__table__
    return campaign_rows(db.select(table.c.id).where(
        table.c.archived_at.is_(None), table.c.state == "active", table.c.ends_at > now))


def campaign_rows(live) -> list[SimpleNamespace]:
    """Give the campaigns whose ids ``live`` selects, as ``live_campaigns`` does."""
    table, creatives = Campaign.__table__, Creative.__table__
    session = db.session
    rows = session.execute(db.select(table).where(table.c.id.in_(live)))
    names = tuple(rows.keys())
    by_id = {row.id: SimpleNamespace(**dict(zip(names, row, strict=True)), zones=[], inserts=[],
                                     creatives=[])
             for row in rows}
    for link, column, attribute in ((campaign_zone, "zone_id", "zones"),
                                    (campaign_insert, "insert_id", "inserts")):
        for campaign_id, other_id in session.execute(
                db.select(link.c.campaign_id, link.c[column])
                .where(link.c.campaign_id.in_(live))):
            if campaign_id in by_id:
                getattr(by_id[campaign_id], attribute).append(_Ref(other_id))
    for row in session.execute(db.select(creatives).where(creatives.c.campaign_id.in_(live))
                               .order_by(creatives.c.id)):
        if row.campaign_id in by_id:
            by_id[row.campaign_id].creatives.append(row)
    return list(by_id.values())


def with_changed_campaigns(previous: Snapshot, version) -> Snapshot | None:
    """Give ``previous`` with the campaigns written since it was read (no rebuild): the
    sales team's edits cost each process those campaigns' rows, not its inventory.

    Those are the campaigns logged between the two values of the campaigns' counter,
    however many were written just before. None when the log no longer holds them
    all (pruned while this process was behind): the caller rebuilds.
    """
    after, upto = previous.version[2], version[2]
    changed = campaign_rows(changed_campaigns(after, upto))
    # Checked after the read, not before: the log only loses rows, so a range whole
    # now was whole while the campaigns were read (a prune in between is caught).
    if not campaign_changes_complete(db.session.connection(), after, upto):
        return None
    # The snapshot's version says which changes it holds: no time to carry.
    return previous.with_campaigns(version, changed, now=utcnow())


def with_changed_articles(previous: Snapshot, version) -> Snapshot:
    """Give ``previous`` with the articles written since it was read (no rebuild)."""
    since = previous.articles_as_of - ARTICLE_OVERLAP
    rows = db.session.execute(db.select(*ARTICLE_COLUMNS, Article.status, Article.updated_at)
                              .where(Article.updated_at > since)).all()
    changed = [(row.site_id, _candidate(row), row.status == LISTED) for row in rows]
    latest = max((row.updated_at for row in rows), default=previous.articles_as_of)
    return previous.with_articles(version, changed, max(latest, previous.articles_as_of))


def read_version() -> tuple[int, int, int]:
    return current_versions(db.session.connection())


def load_delivered(campaign_ids: Iterable[int]) -> Mapping[int, tuple[int, int]]:
    return delivered(campaign_ids, utcnow())


def holder() -> SnapshotHolder:
    """Give this app's snapshot holder, creating it on first use."""
    app = current_app._get_current_object()
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        config = app.config
        found = app.extensions.setdefault(EXTENSION_KEY, SnapshotHolder(
            load_snapshot, read_version, load_delivered=load_delivered,
            check_seconds=float(config.get("SNAPSHOT_CHECK_SECONDS", 0.5)),
            delivered_seconds=float(config.get("DELIVERED_REFRESH_SECONDS", 5.0)),
            background=config.get("SNAPSHOT_REFRESH", "background") == "background",
            context=app.app_context))
    return found


def current_snapshot() -> Snapshot:
    """Give the process's current inventory snapshot."""
    return holder().get()


def current_delivered() -> Mapping[int, tuple[int, int]]:
    """Give the last known {campaign id: (delivered towards the goal, rendered today)}."""
    return holder().delivered
