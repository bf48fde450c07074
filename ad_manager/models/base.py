"""Column types and mixins shared by the domain models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, types
from sqlalchemy.orm import Mapped, mapped_column

# The largest value of an Integer column (int4 on PostgreSQL, which refuses a larger
# number even in a WHERE clause): ids from outside are checked against it.
LARGEST_ID = 2**31 - 1


def utcnow() -> datetime:
    """Give the current time, timezone-aware, in UTC (a callable for defaults)."""
    return datetime.now(UTC)


class UTCDateTime(types.TypeDecorator):
    """Store instants as naive UTC and give them back timezone-aware.

    SQLite keeps no timezone; PostgreSQL would convert to the session's. Storing
    naive UTC everywhere makes both behave the same.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an instant is expected")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Timestamps:
    """When a row was created and last changed."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Archivable:
    """Rows that have delivered are archived instead of deleted, so reports keep them."""

    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


def render_migration_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy ones in migrations.

    Migrations then don't import the app's code, which may change after them.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
