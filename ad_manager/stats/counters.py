"""Adding counts to hourly rows: one upsert per row, in the caller's transaction.

SQLite and PostgreSQL both take ``INSERT … ON CONFLICT (bucket) DO UPDATE SET
n = n + excluded.n``, so concurrent writers never lose an increment and never
create a second row for a bucket.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from ad_manager.extensions import db
from ad_manager.models.stats import DIMENSIONS, MEASURES, DailyStat, HourlyStat

# A row's dimensions in DIMENSIONS order: (site, layout, placement, zone, insert,
# campaign, creative, article), 0 where one does not apply.
Dimensions = tuple[int, int, int, int, int, int, int, int]


_upserts: dict = {}


def upsert_statement(model, dialect: str):
    """Give the (cached) upsert of ``model``'s rows: add every measure on conflict.

    Built once per model and dialect and run with many parameter sets, so counting
    costs no statement building on the hot path.
    """
    key = (model, dialect)
    if key not in _upserts:
        table = model.__table__
        time_column = "hour" if model is HourlyStat else "day"
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        _upserts[key] = insert.on_conflict_do_update(
            index_elements=[time_column, *DIMENSIONS],
            set_={m: table.c[m] + insert.excluded[m] for m in MEASURES})
    return _upserts[key]


def add_counts(bucket: datetime, counts: Mapping[Dimensions, Mapping[str, int]], *,
               model=HourlyStat) -> None:
    """Add ``counts`` (dimensions → {measure: n}) to the rows of ``bucket``.

    ``bucket`` is the start of an hour (HourlyStat) or a date (DailyStat). Rows are
    written in a fixed order so two transactions never wait on each other in a cycle.
    """
    time_column = "hour" if model is HourlyStat else "day"
    rows = []
    for dims in sorted(counts):
        measures = {m: int(counts[dims].get(m, 0) or 0) for m in MEASURES}
        if any(measures.values()):
            rows.append({time_column: bucket, **dict(zip(DIMENSIONS, dims, strict=True)),
                         **measures})
    if rows:
        dialect = db.session.get_bind().dialect.name
        db.session.execute(upsert_statement(model, dialect), rows)


def add_by_hour(counts: Mapping[tuple[datetime, Dimensions], Mapping[str, int]]) -> None:
    """Add {(hour, dimensions): {measure: n}} to the hourly rows, an hour at a time in
    order (in the caller's transaction)."""
    by_hour: dict = defaultdict(dict)
    for (hour, dims), measures in counts.items():
        by_hour[hour][dims] = measures
    for hour, rows in sorted(by_hour.items()):
        add_counts(hour, rows)


__all__ = ["DailyStat", "Dimensions", "HourlyStat", "add_by_hour", "add_counts"]
