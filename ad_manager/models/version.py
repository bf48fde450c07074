"""The inventory versions: counters that every change to served inventory bumps.

Each app process keeps an in-memory snapshot of what it serves and compares these
counters (three indexed rows, read at most every second) to know when to refresh it.
Row 1 counts changes to inventory (sites, zones, layouts…, and anything deleted):
the snapshot is rebuilt. Row 2 counts new and changed articles (typed in, imported,
discovered from pages): only the changed articles are read and join the snapshot's
article index, so a site discovering its pages costs no rebuild. Row 3 counts new
and changed campaigns and creatives (a sale booked, a weight or a flight edited, a
creative added or paused, a campaign archived): only those campaigns are read again
and take their places in the zones and inserts, so a sales team editing all day costs
each app process a few rows, not its whole inventory. The counters are bumped by a
session listener in the same transaction as the change, so a reader that sees a new
counter also sees the new rows.

Which campaigns changed is logged, not guessed from clocks: each move of row 3 writes
the campaigns it concerns to ``campaign_change`` under the counter's new value, in
the same transaction. A process whose snapshot holds counter N and now reads M reads
again exactly the campaigns logged with N < version ≤ M. The values commit in order:
the upsert that moves the counter locks its row until commit on PostgreSQL (the next
writer waits, then takes the next value) and SQLite has one writer at a time, so a
reader that sees M also sees every change logged under M or less. Every value has at
least one logged campaign; when some value in the range has none (pruned after
``CAMPAIGN_CHANGES_KEPT`` by the rollup job, or the counter moved by hand without
ids) the process rebuilds its snapshot instead.

Bulk ``UPDATE``/``DELETE`` statements bypass the ORM's flush and so the listener;
code that uses them on these models must call ``bump_inventory_version`` (or, for
campaigns and creatives only, ``record_campaign_changes``) itself.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from ad_manager.extensions import db
from ad_manager.models.base import UTCDateTime, utcnow
from ad_manager.models.catalog import Article, Insert, InsertPick
from ad_manager.models.inventory import Campaign, Creative, Zone
from ad_manager.models.layout import Layout, Placement
from ad_manager.models.site import Site

# Models whose rows the serving snapshot holds.
SERVED_MODELS = (Site, Zone, Campaign, Creative, Article, Insert, InsertPick, Layout, Placement)
INVENTORY = 1  # the counter's row: inventory, rebuilt whole
CATALOG = 2  # the counter's row: new or changed articles, read incrementally
CAMPAIGNS = 3  # the counter's row: new or changed campaigns, read incrementally
# How long the campaigns' change log is kept (``prune_campaign_changes``): a process
# whose snapshot is older than that (stuck, or cut off from the database) rebuilds.
CAMPAIGN_CHANGES_KEPT = timedelta(days=1)


class InventoryVersion(db.Model):
    """The single row whose counter says which inventory the snapshots must hold."""

    __tablename__ = "inventory_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)


class CampaignChange(db.Model):
    """A campaign written (itself, its bookings or its creatives) by the transaction
    that moved the campaigns' counter to ``version``."""

    __tablename__ = "campaign_change"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    campaign_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # When it was logged (by the writer's clock): only to prune the log, never to read it.
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def bump_inventory_version(connection, row: int = INVENTORY) -> int:
    """Add one to a counter (creating its row on first use), on ``connection``; give
    its new value.

    One upsert: two writers creating the row at once both count, neither fails. On
    PostgreSQL it locks the row until the transaction ends, so the values commit in
    the order they were given.
    """
    table = InventoryVersion.__table__
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)
    statement = insert(table).values(id=row, counter=1)
    return connection.execute(statement.on_conflict_do_update(
        index_elements=[table.c.id], set_={"counter": table.c.counter + 1})
        .returning(table.c.counter)).scalar_one()


def record_campaign_changes(connection, campaign_ids: Iterable[int]) -> int:
    """Move the campaigns' counter and log ``campaign_ids`` under its new value, on
    ``connection`` (in the writer's transaction); give the value.

    With no ids the counter still moves: the processes then rebuild their snapshots.
    """
    version = bump_inventory_version(connection, CAMPAIGNS)
    now = utcnow()
    rows = [{"version": version, "campaign_id": campaign_id, "changed_at": now}
            for campaign_id in sorted(set(campaign_ids))]
    if rows:
        connection.execute(CampaignChange.__table__.insert(), rows)
    return version


def changed_campaigns(after: int, upto: int) -> sa.Select:
    """Give the query of the ids of the campaigns logged with ``after`` < version ≤
    ``upto`` (an id may come more than once)."""
    table = CampaignChange.__table__
    return sa.select(table.c.campaign_id).where(table.c.version > after,
                                                table.c.version <= upto)


def campaign_changes_complete(connection, after: int, upto: int) -> bool:
    """Say whether every value ``after`` < version ≤ ``upto`` of the campaigns' counter
    still has its changes logged (none pruned, none moved without ids)."""
    table = CampaignChange.__table__
    found = connection.execute(sa.select(sa.func.count(sa.distinct(table.c.version)))
                               .where(table.c.version > after, table.c.version <= upto))
    return found.scalar_one() == upto - after


def prune_campaign_changes(connection, now: datetime | None = None) -> int:
    """Forget the campaign changes logged more than ``CAMPAIGN_CHANGES_KEPT`` ago;
    give how many rows went.

    Whole versions go, from the oldest (everything up to the newest version logged
    before the cutoff), so the log always holds an unbroken run of the latest ones.
    """
    table = CampaignChange.__table__
    cutoff = (now or utcnow()) - CAMPAIGN_CHANGES_KEPT
    newest_old = (sa.select(sa.func.max(table.c.version))
                  .where(table.c.changed_at < cutoff).scalar_subquery())
    return connection.execute(table.delete().where(table.c.version <= newest_old)).rowcount


def current_inventory_version(connection) -> int:
    """Give the inventory counter as committed (0 before any inventory was written)."""
    return current_versions(connection)[0]


def current_versions(connection) -> tuple[int, int, int]:
    """Give the (inventory, catalog, campaigns) counters as committed, in one query."""
    table = InventoryVersion.__table__
    found = dict(connection.execute(sa.select(table.c.id, table.c.counter)
                                    .where(table.c.id.in_((INVENTORY, CATALOG, CAMPAIGNS))))
                 .all())
    return found.get(INVENTORY, 0), found.get(CATALOG, 0), found.get(CAMPAIGNS, 0)


def _changes(session: Session) -> tuple[set[int], set[int]]:
    """Give which counters a flush moves, and the campaigns it wrote (row 3's).

    Articles written only move the catalog's counter; campaigns and creatives written
    (not deleted, and no creative moved to another campaign) only the campaigns'.
    ``session.dirty`` also holds rows whose attributes were set to the values they
    had: a save that changed nothing moves no counter, so no snapshot reloads.
    """
    rows, campaigns = set(), set()
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for objects, deleting in ((session.new, False), (changed, False), (session.deleted, True)):
        for obj in objects:
            if isinstance(obj, Article) and not deleting:
                rows.add(CATALOG)
            elif isinstance(obj, Campaign) and not deleting:
                campaigns.add(obj.id)
            elif (isinstance(obj, Creative) and not deleting and obj.campaign_id is not None
                  and not sa.inspect(obj).attrs.campaign_id.history.deleted):
                campaigns.add(obj.campaign_id)
            elif isinstance(obj, SERVED_MODELS):
                rows.add(INVENTORY)
    if campaigns:
        rows.add(CAMPAIGNS)
    return rows, campaigns


@event.listens_for(Session, "after_flush")
def _bump_on_inventory_change(session: Session, _context) -> None:
    """Bump the versions when a flush wrote (or deleted) anything the snapshot holds,
    logging the campaigns it wrote (a booking or a creative counts as its campaign's).

    Counter rows are taken in the same order by every writer (no deadlock).
    """
    rows, campaigns = _changes(session)
    connection = session.connection()
    for row in sorted(rows):
        if row == CAMPAIGNS:
            record_campaign_changes(connection, campaigns)
        else:
            bump_inventory_version(connection, row)
