"""Rolling old hourly rows up into daily rows, forgetting expired replay keys, the
readers' counts older than the anomaly flags' window and the campaign changes logged
more than a day ago (``models.version``).

Each day is one transaction: its hourly rows are summed into the daily rows and
deleted together, so a rerun (or a crash and a rerun) never counts a day twice.
Days are UTC days, like the hours they are made of.
"""

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.models.stats import (
    DIMENSIONS,
    MEASURES,
    DailyStat,
    HourlyStat,
    ReaderDaily,
    SeenEvent,
)
from ad_manager.models.version import prune_campaign_changes
from ad_manager.stats.anomalies import NORM_DAYS
from ad_manager.stats.counters import add_counts


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def days_to_roll(cutoff: datetime) -> list[date]:
    """Give the UTC days that have hourly rows, all of whose hours are before ``cutoff``."""
    hours = db.session.scalars(select(HourlyStat.hour).where(HourlyStat.hour < cutoff)
                               .distinct())
    return sorted({hour.date() for hour in hours if day_start(hour.date()) + timedelta(
        days=1) <= cutoff})


def roll_day(day: date) -> int:
    """Sum one day's hourly rows into daily rows and delete them; give rows rolled."""
    start, end = day_start(day), day_start(day) + timedelta(days=1)
    in_day = (HourlyStat.hour >= start) & (HourlyStat.hour < end)
    dims = [getattr(HourlyStat, d) for d in DIMENSIONS]
    sums = db.session.execute(
        select(*dims, *[func.sum(getattr(HourlyStat, m)) for m in MEASURES], func.count())
        .where(in_day).group_by(*dims))
    counts, rows = {}, 0
    for row in sums:
        counts[tuple(row[:len(DIMENSIONS)])] = dict(zip(MEASURES, row[len(DIMENSIONS):-1],
                                                        strict=True))
        rows += row[-1]
    add_counts(day, counts, model=DailyStat)
    db.session.execute(delete(HourlyStat).where(in_day))
    return rows


def rollup(now: datetime | None = None, after_days: int | None = None,
           on_day=None) -> list[date]:
    """Roll up every day older than ``after_days`` (ROLLUP_AFTER_DAYS); give the days.

    ``on_day(day, rows)`` is told of each day once it is committed (progress).
    """
    now = now or utcnow()
    if after_days is None:
        after_days = int(current_app.config.get("ROLLUP_AFTER_DAYS", 35))
    cutoff = day_start((now - timedelta(days=after_days)).date())
    days = days_to_roll(cutoff)
    for day in days:
        try:
            rows = roll_day(day)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        if on_day is not None:
            on_day(day, rows)
    db.session.execute(delete(SeenEvent).where(SeenEvent.expires_at < now))
    # Readers' counts serve the anomaly flags' window only.
    db.session.execute(delete(ReaderDaily).where(
        ReaderDaily.day < (now - timedelta(days=NORM_DAYS + 1)).date()))
    # The campaigns' change log serves app processes at most a day behind.
    prune_campaign_changes(db.session.connection(), now)
    db.session.commit()
    return days
