"""Load the inventory snapshot from the database and keep one per app process.

A handful of queries (sites, zones, inserts with picks, layouts with placements,
campaigns with bookings and creatives, listed articles) build the whole snapshot
at once; ``current_snapshot()`` gives the process's current one, checking the inventory
version at most every ``SNAPSHOT_CHECK_SECONDS``.
"""

from collections import defaultdict

from flask import current_app
from sqlalchemy.orm import selectinload

from ad_manager.catalog.articles import LISTED, insert_rule
from ad_manager.delivery.link_choice import Candidate
from ad_manager.delivery.snapshot import Snapshot, SnapshotHolder, build_snapshot
from ad_manager.extensions import db
from ad_manager.models import Article, Campaign, Insert, Layout, Placement, Site, Zone, utcnow
from ad_manager.models.version import current_inventory_version

EXTENSION_KEY = "ad_manager.inventory"


def listed_articles() -> dict[int, list[Candidate]]:
    """Give every site's listed articles as link candidates, by site id."""
    rows = db.session.execute(
        db.select(Article.site_id, Article.id, Article.url, Article.title, Article.section,
                  Article.tags, Article.published_at, Article.source)
        .where(Article.status == LISTED))
    by_site: dict[int, list[Candidate]] = defaultdict(list)
    for row in rows:
        by_site[row.site_id].append(Candidate(
            id=row.id, url=row.url, title=row.title, section=row.section or "",
            tags=tuple(row.tags or ()), published_at=row.published_at, source=row.source))
    return by_site


def load_snapshot(version: int) -> Snapshot:
    """Read active inventory from the database into a new snapshot."""
    now = utcnow()
    session = db.session
    return build_snapshot(
        version,
        sites=session.scalars(db.select(Site).where(Site.archived_at.is_(None))).all(),
        zones=session.scalars(db.select(Zone).where(Zone.archived_at.is_(None))).all(),
        inserts=session.scalars(db.select(Insert).where(Insert.archived_at.is_(None))
                                .options(selectinload(Insert.picks))).all(),
        layouts=session.scalars(
            db.select(Layout).where(Layout.archived_at.is_(None))
            .options(selectinload(Layout.placements).options(
                selectinload(Placement.zone), selectinload(Placement.insert)))).all(),
        campaigns=session.scalars(
            db.select(Campaign)
            .where(Campaign.archived_at.is_(None), Campaign.state == "active",
                   Campaign.ends_at > now)
            .options(selectinload(Campaign.zones), selectinload(Campaign.inserts),
                     selectinload(Campaign.creatives))).all(),
        articles=listed_articles(),
        insert_rule=insert_rule,
        now=now,
    )


def read_version() -> int:
    return current_inventory_version(db.session.connection())


def holder():
    """Give this app's snapshot holder, creating it on first use."""
    app = current_app._get_current_object()
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = app.extensions.setdefault(EXTENSION_KEY, SnapshotHolder(
            load_snapshot, read_version,
            check_seconds=float(app.config.get("SNAPSHOT_CHECK_SECONDS", 1.0))))
    return found


def current_snapshot() -> Snapshot:
    """Give the process's current inventory snapshot."""
    return holder().get()
