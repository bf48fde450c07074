"""Record who changed what, and when, in the audit log.

``record`` adds an entry to the current transaction, so the entry lands exactly
when the change it describes does.
"""

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ad_manager.audit_entries import add_entry
from ad_manager.audit_entries import changed_fields as changed_fields  # what views call


def _current_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(action: str, obj, actor=None, summary: str = "", changes: dict | None = None):
    """Add an audit entry for ``action`` ("create", "update", "archive", …) on ``obj``.

    ``actor`` is the user who acted; by default the signed-in user, and the shell
    when there is none.
    """
    return add_entry(action, obj, user=actor or _current_actor(), summary=summary,
                     changes=changes)


# How the log names actions and objects on screen; unknown ones show as recorded.
ACTION_LABELS = {
    "create": _l("created"), "update": _l("changed"), "archive": _l("archived"),
    "delete": _l("deleted"), "restore": _l("restored"), "password": _l("password changed"),
    "activate": _l("activated"), "pause": _l("paused"), "resume": _l("resumed"),
    "import": _l("imported"), "move": _l("moved"),
}
OBJECT_LABELS = {
    "user": _l("user"), "site": _l("site"), "zone": _l("zone"), "advertiser": _l("advertiser"),
    "campaign": _l("campaign"), "creative": _l("creative"), "article": _l("article"),
    "insert": _l("insert"), "layout": _l("layout"), "placement": _l("placement"),
}


def action_label(action: str) -> str:
    """Give the on-screen name of an audited action."""
    return str(ACTION_LABELS.get(action, action))


def object_label(object_type: str) -> str:
    """Give the on-screen name of an audited kind of object."""
    return str(OBJECT_LABELS.get(object_type, object_type))
