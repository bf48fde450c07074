"""The inventory version: one counter that every change to served inventory bumps.

Each app process keeps an in-memory snapshot of what it serves and compares this
counter (one indexed row, read at most every second) to know when to rebuild it.
The counter is bumped by a session listener in the same transaction as the change,
so a reader that sees the new counter also sees the new rows.

Bulk ``UPDATE``/``DELETE`` statements bypass the ORM's flush and so the listener;
code that uses them on these models must call ``bump_inventory_version`` itself.
"""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ad_manager.extensions import db
from ad_manager.models.catalog import Article, Insert, InsertPick
from ad_manager.models.inventory import Campaign, Creative, Zone
from ad_manager.models.layout import Layout, Placement
from ad_manager.models.site import Site

# Models whose rows the serving snapshot holds.
SERVED_MODELS = (Site, Zone, Campaign, Creative, Article, Insert, InsertPick, Layout, Placement)


class InventoryVersion(db.Model):
    """The single row whose counter says which inventory the snapshots must hold."""

    __tablename__ = "inventory_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)


def bump_inventory_version(connection) -> None:
    """Add one to the counter (creating the row on first use), on ``connection``."""
    table = InventoryVersion.__table__
    bumped = connection.execute(
        table.update().where(table.c.id == 1).values(counter=table.c.counter + 1))
    if bumped.rowcount == 0:
        connection.execute(table.insert().values(id=1, counter=1))


def current_inventory_version(connection) -> int:
    """Give the counter as committed (0 before any inventory was written)."""
    table = InventoryVersion.__table__
    return connection.execute(sa.select(table.c.counter).where(table.c.id == 1)).scalar() or 0


def _touches_inventory(session: Session) -> bool:
    """Tell whether the flush adds, deletes or really changes a served row.

    ``session.dirty`` also holds rows whose attributes were set to the values they
    had: a save that changed nothing must not make every snapshot reload.
    """
    if any(isinstance(obj, SERVED_MODELS) for objects in (session.new, session.deleted)
           for obj in objects):
        return True
    return any(isinstance(obj, SERVED_MODELS) and session.is_modified(obj)
               for obj in session.dirty)


@event.listens_for(Session, "after_flush")
def _bump_on_inventory_change(session: Session, _context) -> None:
    """Bump the version when a flush wrote (or deleted) anything the snapshot holds."""
    if _touches_inventory(session):
        bump_inventory_version(session.connection())
