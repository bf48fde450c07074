"""Delivery counters: per hour (recent) and per day (rolled up), plus counting bookkeeping.

A counter row is keyed by its time bucket and its dimensions (site, layout,
placement, zone, insert, campaign, creative, linked article). A dimension that does
not apply is 0, not NULL, so that one unique constraint covers every row on SQLite
and PostgreSQL alike (NULLs are never equal in a unique constraint). Dimensions are
plain numbers without foreign keys: reports keep the figures of deleted things.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, String, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column

from ad_manager.extensions import db
from ad_manager.models.base import UTCDateTime, utcnow

# The dimensions of a counter row, in the order of the unique constraint.
DIMENSIONS = ("site_id", "layout_id", "placement_id", "zone_id", "insert_id", "campaign_id",
              "creative_id", "article_id")
# Why an event was filtered instead of counted (general invalid traffic, MRC): a bot or
# non-browser user agent, a reader the site excludes, a request not from a page of the
# site, a prefetch or prerender, over a rate limit, a viewable or click without a counted
# rendered before it, a token sent again (once per event). stats.reasons names them.
FILTER_REASONS = ("bot", "excluded", "origin", "prefetch", "rate", "order", "replay")
FILTERED_BY_REASON = tuple(f"filtered_{reason}" for reason in FILTER_REASONS)
# The measures: what was counted. "filtered" is every event not counted, and each
# filtered_<reason> the part filtered for that reason; "not_placed" the placements
# served to a page that had no place for them (no anchor paragraph, no placeholder,
# selector not found): never shown, never charged.
MEASURES = ("served", "rendered", "viewable", "clicks", "filtered", "not_placed",
            *FILTERED_BY_REASON)


class Counters:
    """Dimensions (0 = does not apply) and measures shared by hourly and daily rows."""

    site_id: Mapped[int] = mapped_column(index=True)
    layout_id: Mapped[int] = mapped_column(default=0)
    placement_id: Mapped[int] = mapped_column(default=0)
    zone_id: Mapped[int] = mapped_column(default=0)
    insert_id: Mapped[int] = mapped_column(default=0)
    campaign_id: Mapped[int] = mapped_column(default=0, index=True)
    creative_id: Mapped[int] = mapped_column(default=0)
    article_id: Mapped[int] = mapped_column(default=0)
    served: Mapped[int] = mapped_column(default=0)
    rendered: Mapped[int] = mapped_column(default=0)
    viewable: Mapped[int] = mapped_column(default=0)
    clicks: Mapped[int] = mapped_column(default=0)
    filtered: Mapped[int] = mapped_column(default=0)
    not_placed: Mapped[int] = mapped_column(default=0)
    filtered_bot: Mapped[int] = mapped_column(default=0, server_default="0")
    filtered_excluded: Mapped[int] = mapped_column(default=0, server_default="0")
    filtered_origin: Mapped[int] = mapped_column(default=0, server_default="0")
    filtered_prefetch: Mapped[int] = mapped_column(default=0, server_default="0")
    filtered_rate: Mapped[int] = mapped_column(default=0, server_default="0")
    filtered_order: Mapped[int] = mapped_column(default=0, server_default="0")
    filtered_replay: Mapped[int] = mapped_column(default=0, server_default="0")


class HourlyStat(Counters, db.Model):
    """What was counted in one UTC hour for one combination of dimensions."""

    __tablename__ = "stats_hourly"
    __table_args__ = (UniqueConstraint("hour", *DIMENSIONS, name="uq_stats_hourly_bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The start of the UTC hour.
    hour: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DailyStat(Counters, db.Model):
    """What was counted in one UTC day, once its hourly rows are rolled up."""

    __tablename__ = "stats_daily"
    __table_args__ = (UniqueConstraint("day", *DIMENSIONS, name="uq_stats_daily_bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)


class SeenEvent(db.Model):
    """An event already received (hash of page view, placement, thing shown, kind).

    Kept until its token could no longer be replayed; the rollup removes old ones.
    ``counted`` is false for an event that was filtered: a viewable or click counts
    only after a counted rendered. A replay is remembered under a key of its own,
    so that it is filtered once, however often it comes back.
    """

    __tablename__ = "stats_seen_event"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    counted: Mapped[bool] = mapped_column(default=True, server_default=sa_true())


class FoldedBatch(db.Model):
    """A batch of Redis counters already moved into the database (applied once only)."""

    __tablename__ = "stats_folded_batch"

    batch_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    folded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JournalMark(db.Model):
    """How far one served-counts journal file has been added to the counters (bytes).

    Moved in the transaction that adds the counts (``stats.journal``), so a line is
    added once, whatever process folds it and whenever it dies.
    """

    __tablename__ = "stats_journal_mark"

    name: Mapped[str] = mapped_column(String(160), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)


class ReaderDaily(db.Model):
    """Rendered impressions and clicks of one reader address in one UTC day, for the
    anomaly flags ("a large share of this campaign's traffic comes from one address").

    ``reader`` is ``stats.readers.reader_key``: a keyed hash of the address salted by
    the day and cut to 24 bits; no IP address is stored. Rows older than the anomaly
    window are deleted by the rollup.
    """

    __tablename__ = "stats_reader_daily"
    __table_args__ = (UniqueConstraint("day", "site_id", "placement_id", "campaign_id",
                                       "creative_id", "reader", name="uq_stats_reader_daily"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    site_id: Mapped[int] = mapped_column()
    placement_id: Mapped[int] = mapped_column(default=0)
    campaign_id: Mapped[int] = mapped_column(default=0)
    creative_id: Mapped[int] = mapped_column(default=0)
    reader: Mapped[str] = mapped_column(String(16))
    rendered: Mapped[int] = mapped_column(default=0)
    clicks: Mapped[int] = mapped_column(default=0)
