"""Adding counts to hourly rows: one upsert per row, in the caller's transaction.

SQLite and PostgreSQL both take ``INSERT … ON CONFLICT (bucket) DO UPDATE SET
n = n + excluded.n``, so concurrent writers never lose an increment and never
create a second row for a bucket.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from ad_manager.extensions import db
from ad_manager.models.stats import DIMENSIONS, MEASURES, DailyStat, HourlyStat

# A row's dimensions in DIMENSIONS order: (site, layout, placement, zone, insert,
# campaign, creative, article), 0 where one does not apply.
Dimensions = tuple[int, int, int, int, int, int, int, int]


def _insert(model):
    """Give the dialect's INSERT that knows ``ON CONFLICT``."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def add_counts(bucket: datetime, counts: Mapping[Dimensions, Mapping[str, int]], *,
               model=HourlyStat) -> None:
    """Add ``counts`` (dimensions → {measure: n}) to the rows of ``bucket``.

    ``bucket`` is the start of an hour (HourlyStat) or a date (DailyStat). Rows are
    written in a fixed order so two transactions never wait on each other in a cycle.
    """
    time_column = "hour" if model is HourlyStat else "day"
    table = model.__table__
    for dims in sorted(counts):
        measures = {m: int(n) for m, n in counts[dims].items() if m in MEASURES and n}
        if not measures:
            continue
        values = {time_column: bucket, **dict(zip(DIMENSIONS, dims, strict=True))}
        values.update({m: measures.get(m, 0) for m in MEASURES})
        statement = _insert(model).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[time_column, *DIMENSIONS],
            set_={m: table.c[m] + statement.excluded[m] for m in measures},
        )
        db.session.execute(statement)


__all__ = ["DailyStat", "Dimensions", "HourlyStat", "add_counts"]
