"""Pieces shared by the inventory areas' views: search, errors, removal messages."""

from flask import request
from sqlalchemy import or_

from ad_manager.inventory import Invalid


def search_text() -> str:
    """Read ``?q=`` trimmed and bounded."""
    return request.args.get("q", "").strip()[:100]


def matching(query, text: str, *columns):
    """Narrow ``query`` to rows where any of ``columns`` contains ``text`` (any case)."""
    if not text:
        return query
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query.where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))


def show_errors(form, invalid: Invalid) -> None:
    """Put each rule's message next to its field (the form's top when it has none)."""
    for field, message in invalid.errors.items():
        target = getattr(form, field, None)
        if target is None:
            form.form_errors.append(message)
            continue
        if not isinstance(target.errors, list):
            target.errors = list(target.errors)
        target.errors.append(message)


def lines(values) -> str:
    """Write a list kept in the model as the textarea shows it, one per line."""
    return "\n".join(values or [])
