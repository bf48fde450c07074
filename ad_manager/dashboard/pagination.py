"""Shared pieces of dashboard views: pagination and form-error status."""

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms.validators import ValidationError

from ad_manager.extensions import db

PAGE_SIZE = 25
FIRST_YEAR, LAST_YEAR = 1900, 2200


class Page:
    """One page of a query's rows, with what the pager needs."""

    def __init__(self, query, page: int, size: int = PAGE_SIZE):
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        self.total = total or 0
        self.size = size
        self.pages = max(1, -(-self.total // size))
        self.number = min(max(1, page), self.pages)
        self.items = db.session.scalars(query.limit(size).offset((self.number - 1) * size)).all()

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


class ListPage(Page):
    """One page of a list already in memory (rows sorted by a computed figure)."""

    def __init__(self, items: list, page: int, size: int = PAGE_SIZE):
        self.total = len(items)
        self.size = size
        self.pages = max(1, -(-self.total // size))
        self.number = min(max(1, page), self.pages)
        self.items = items[(self.number - 1) * size:self.number * size]


def page_number() -> int:
    """Read ``?page=`` leniently: junk means the first page."""
    value = request.args.get("page", "1")
    return min(int(value), 10**6) if value.isascii() and value.isdigit() else 1


def within_calendar(_form, field) -> None:
    """Refuse a date so far away that moving it to UTC would leave the calendar."""
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_("Give a date between %(first)d and %(last)d.",
                                first=FIRST_YEAR, last=LAST_YEAR))


def form_status(form) -> int:
    """Give 422 for a form re-rendered with errors (htmx is set to swap it), else 200."""
    return 422 if form.errors else 200
