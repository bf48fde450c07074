"""Delivery alerts sent: one digest per staff member and day, never two."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ad_manager.extensions import db
from ad_manager.models.base import UTCDateTime, utcnow


class DigestSent(db.Model):
    """The daily alert digest went to ``user_id`` for ``day`` (written with the sending,
    so that a second run of the cron job that day sends nothing)."""

    __tablename__ = "alert_digest_sent"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_alert_digest_sent_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    alerts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
