"""The steps every area's service functions share: add, change, archive, restore.

Each step writes the row and its audit entry in the same transaction; the caller
(a dashboard view, a shell command) commits once. A change that changes nothing
writes nothing: no audit entry, and since no served row is modified, no bump of the
inventory version (``models.version``).
"""

from ad_manager.audit import record
from ad_manager.audit_entries import changed_fields
from ad_manager.extensions import db
from ad_manager.models import utcnow


def add(obj, summary: str, actor=None):
    """Add a new row, give it its id, and record its creation; give it back.

    ``actor`` is who the log names, by default the signed-in user (see ``audit.record``).
    """
    db.session.add(obj)
    db.session.flush()
    record("create", obj, actor=actor, summary=summary)
    return obj


def change(obj, values: dict, summary: str, extra: dict | None = None) -> dict:
    """Set ``values`` on ``obj`` and record an "update" entry when anything changed.

    ``extra`` holds changes the caller applied itself (bookings, picks), already as
    ``{field: [before, after]}``. Gives every change; an empty dict means a no-op save.
    """
    changes = changed_fields(obj, values) | (extra or {})
    if changes:
        record("update", obj, summary=summary, changes=changes)
    return changes


def archive(obj, summary: str) -> bool:
    """Archive a row that may have delivered (reports keep it); give whether it changed."""
    if obj.archived_at is not None:
        return False
    obj.archived_at = utcnow()
    record("archive", obj, summary=summary)
    return True


def restore(obj, summary: str) -> bool:
    """Bring an archived row back; give whether it was archived."""
    if obj.archived_at is None:
        return False
    obj.archived_at = None
    record("restore", obj, summary=summary)
    return True


def delete(obj, summary: str) -> None:
    """Delete a row that never delivered, recording it first (while it has its id)."""
    record("delete", obj, summary=summary)
    db.session.delete(obj)
