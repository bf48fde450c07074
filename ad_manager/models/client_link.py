"""Client links: a campaign's report an advertiser opens without an account.

The address carries a random token; only its SHA-256 hash is stored, so a copy of
the database opens no report. A link is good until it expires (90 days by default)
or is revoked.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ad_manager.extensions import db
from ad_manager.models.base import UTCDateTime, utcnow

LIFETIME = timedelta(days=90)


def new_token() -> str:
    """Give a fresh unguessable token for a link's address (256 random bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Give the stored form of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def expires_default() -> datetime:
    return utcnow() + LIFETIME


class ClientLink(db.Model):
    """A read-only link to one campaign's report, for the advertiser."""

    __tablename__ = "client_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleting a draft campaign deletes its links (a campaign that delivered is archived).
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"),
                                             index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, default=expires_default)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)

    campaign = relationship("Campaign")
    created_by = relationship("User")

    def status(self, now: datetime) -> str:
        """Say where the link stands: "open", "expired" or "revoked"."""
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "open"
