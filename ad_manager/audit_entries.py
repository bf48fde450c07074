"""Audit log entries as they are written, by a person or by a process.

``ad_manager.audit.record`` writes what a signed-in person did; a process of the
public wing (a page that adds itself to the catalogue: "discovery") writes here
directly, since it has no person and must not reach the login machinery. Either way
the entry joins the current transaction, so it lands exactly when the change does.
"""

from ad_manager.extensions import db
from ad_manager.models import AuditEntry


def add_entry(action: str, obj, *, user=None, process: str = "shell", summary: str = "",
              changes: dict | None = None) -> AuditEntry:
    """Add an entry for ``action`` on ``obj`` by ``user``, or by ``process`` without one."""
    entry = AuditEntry(
        user_id=user.id if user is not None else None,
        actor=user.email if user is not None else process,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "id", None),
        summary=summary[:300],
        changes=changes or None,
    )
    db.session.add(entry)
    return entry


def changed_fields(obj, data: dict) -> dict:
    """Set ``data`` on ``obj`` and give ``{field: [before, after]}`` for what changed."""
    changes = {}
    for field, value in data.items():
        before = getattr(obj, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(obj, field, value)
    return changes


def _plain(value):
    """Make a value fit for the JSON column of the log."""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)
