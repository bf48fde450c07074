"""Record who changed what, and when, in the audit log.

``record`` adds an entry to the current transaction, so the entry lands exactly
when the change it describes does.
"""

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ad_manager.audit_entries import add_entry


def _current_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(action: str, obj, actor=None, summary: str = "", changes: dict | None = None):
    """Add an audit entry for ``action`` ("create", "update", "archive", …) on ``obj``.

    ``actor`` is the user who acted; by default the signed-in user, and the shell
    when there is none.
    """
    if hasattr(obj, "_get_current_object"):  # e.g. current_user: log the user, not the proxy
        obj = obj._get_current_object()
    return add_entry(action, obj, user=actor or _current_actor(), summary=summary,
                     changes=changes)


# How the log names actions and objects on screen; unknown ones show as recorded.
ACTION_LABELS = {
    "create": _l("created"), "update": _l("changed"), "archive": _l("archived"),
    "delete": _l("deleted"), "restore": _l("restored"), "password": _l("password changed"),
    "activate": _l("activated"), "pause": _l("paused"), "resume": _l("resumed"),
    "import": _l("imported"), "move": _l("moved"), "sessions": _l("signed out everywhere"),
}
OBJECT_LABELS = {
    "user": _l("user"), "site": _l("site"), "zone": _l("zone"), "advertiser": _l("advertiser"),
    "campaign": _l("campaign"), "creative": _l("creative"), "article": _l("article"),
    "insert": _l("insert"), "layout": _l("layout"), "placement": _l("placement"),
    "clientlink": _l("client link"),
    "localproxy": _l("user"),  # entries written before proxies were unwrapped
}
# How the log shows recorded values that are codes (campaign states, tiers, pace).
VALUE_LABELS = {
    "draft": _l("Draft"), "active": _l("Active"), "paused": _l("Paused"),
    "sponsorship": _l("Sponsorship"), "standard": _l("Standard"), "house": _l("House"),
    "even": _l("Even across the flight"), "asap": _l("As fast as possible"),
}


def action_label(action: str) -> str:
    """Give the on-screen name of an audited action."""
    return str(ACTION_LABELS.get(action, action))


def object_label(object_type: str) -> str:
    """Give the on-screen name of an audited kind of object."""
    return str(OBJECT_LABELS.get(object_type, object_type))


def value_label(value) -> str:
    """Give a recorded value as people read it: codes named, lists joined, nothing as —."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list):
        return ", ".join(value_label(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value_label(item)}" for key, item in value.items())
    return str(VALUE_LABELS.get(value, value)) if isinstance(value, str) else str(value)
