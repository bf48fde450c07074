"""The inventory versions: counters that every change to served inventory bumps.

Each app process keeps an in-memory snapshot of what it serves and compares these
counters (two indexed rows, read at most every second) to know when to refresh it.
Row 1 counts changes to inventory (sites, zones, layouts…, and anything deleted):
the snapshot is rebuilt. Row 2 counts new and changed articles (typed in, imported,
discovered from pages): only the changed articles are read and join the snapshot's
article index, so a site discovering its pages costs no rebuild. Row 3 counts new
and changed campaigns and creatives (a sale booked, a weight or a flight edited, a
creative added or paused, a campaign archived): only those campaigns are read again
(their ``updated_at`` is stamped by the same flush, bookings and creatives included)
and take their places in the zones and inserts, so a sales team editing all day costs
each app process a few rows, not its whole inventory. The counters are bumped by a
session listener in the same transaction as the change, so a reader that sees a new
counter also sees the new rows.

Bulk ``UPDATE``/``DELETE`` statements bypass the ORM's flush and so the listener;
code that uses them on these models must call ``bump_inventory_version`` itself.
"""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.models.catalog import Article, Insert, InsertPick
from ad_manager.models.inventory import Campaign, Creative, Zone
from ad_manager.models.layout import Layout, Placement
from ad_manager.models.site import Site

# Models whose rows the serving snapshot holds.
SERVED_MODELS = (Site, Zone, Campaign, Creative, Article, Insert, InsertPick, Layout, Placement)
INVENTORY = 1  # the counter's row: inventory, rebuilt whole
CATALOG = 2  # the counter's row: new or changed articles, read incrementally
CAMPAIGNS = 3  # the counter's row: new or changed campaigns, read incrementally


class InventoryVersion(db.Model):
    """The single row whose counter says which inventory the snapshots must hold."""

    __tablename__ = "inventory_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)


def bump_inventory_version(connection, row: int = INVENTORY) -> None:
    """Add one to a counter (creating its row on first use), on ``connection``.

    One upsert: two writers creating the row at once both count, neither fails.
    """
    table = InventoryVersion.__table__
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)
    statement = insert(table).values(id=row, counter=1)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[table.c.id], set_={"counter": table.c.counter + 1}))


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
    """Bump the versions when a flush wrote (or deleted) anything the snapshot holds;
    stamp the campaigns it wrote (a booking or a creative changes no campaign column)."""
    rows, campaigns = _changes(session)
    connection = session.connection()
    if campaigns:
        table = Campaign.__table__
        connection.execute(table.update().where(table.c.id.in_(sorted(campaigns)))
                           .values(updated_at=utcnow()))
    for row in sorted(rows):
        bump_inventory_version(connection, row)
