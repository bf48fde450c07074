"""Pieces shared by the inventory areas' list views: search, and lists as text."""

from flask import request
from sqlalchemy import or_


def search_text() -> str:
    """Read ``?q=`` trimmed and bounded."""
    return request.args.get("q", "").strip()[:100]


def matching(query, text: str, *columns):
    """Narrow ``query`` to rows where any of ``columns`` contains ``text`` (any case)."""
    if not text:
        return query
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query.where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))


def lines(values) -> str:
    """Write a list kept in the model as the textarea shows it, one per line."""
    return "\n".join(values or [])
