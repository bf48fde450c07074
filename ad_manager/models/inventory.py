"""What sales sells: zones, advertisers, campaigns and their creatives."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, ForeignKey, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ad_manager.extensions import db
from ad_manager.models.base import Archivable, Timestamps, UTCDateTime

campaign_zone = Table(
    "campaign_zone",
    db.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", ForeignKey("zone.id", ondelete="CASCADE"), primary_key=True),
)

campaign_insert = Table(
    "campaign_insert",
    db.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("insert_id", ForeignKey("insert.id", ondelete="CASCADE"), primary_key=True),
)


class Zone(Timestamps, Archivable, db.Model):
    """An ad slot of a site's pages, e.g. the "Votre Pub ici !" slot under the headline."""

    __tablename__ = "zone"
    __table_args__ = (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(64))
    # Sizes offered, as "WIDTHxHEIGHT" strings, e.g. ["728x90", "320x100"].
    sizes: Mapped[list] = mapped_column(JSON, default=list)
    # Responsive map: [{"min_width": 0, "sizes": ["320x100"]}, {"min_width": 768, ...}].
    size_map: Mapped[list] = mapped_column(JSON, default=list)
    label: Mapped[str] = mapped_column(String(60), default="Publicité")
    # What an unsold zone does: "house" (show the house ad) or "collapse".
    unsold: Mapped[str] = mapped_column(String(16), default="house")

    site = relationship("Site", back_populates="zones")
    campaigns = relationship("Campaign", secondary=campaign_zone, back_populates="zones")

    def __repr__(self) -> str:
        return f"<Zone {self.slug}>"


class Advertiser(Timestamps, Archivable, db.Model):
    """A client who buys campaigns."""

    __tablename__ = "advertiser"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    campaigns = relationship("Campaign", back_populates="advertiser", order_by="Campaign.starts_at")


# What a campaign's goal may count: impressions (ads that began to render), viewable
# impressions, clicks (IAB/MRC: never ads merely served).
GOAL_MEASURES = ("rendered", "viewable", "clicks")
# How a campaign may be sold: what its revenue counts is stats/revenue.py's rule.
PRICING_MODELS = ("cpm", "cpc", "vcpm", "flat_day", "flat_flight")


class Campaign(Timestamps, Archivable, db.Model):
    """A booking of an advertiser's creatives into zones (and inserts) for a flight."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    advertiser_id: Mapped[int] = mapped_column(ForeignKey("advertiser.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "sponsorship" > "standard" > "house".
    tier: Mapped[str] = mapped_column(String(16), default="standard")
    weight: Mapped[int] = mapped_column(default=1)
    # The goal: how many of ``goal_measure`` the campaign is sold, or None for no goal.
    goal_impressions: Mapped[int | None]
    # What the goal counts: "rendered" (impressions), "viewable" (viewable impressions)
    # or "clicks". Daily caps and pacing count rendered impressions whatever the goal.
    goal_measure: Mapped[str] = mapped_column(String(16), default="rendered",
                                              server_default="rendered")
    # Rendered impressions a day at most, or None.
    daily_cap: Mapped[int | None]
    # "even" (spread across the flight) or "asap".
    pace: Mapped[str] = mapped_column(String(8), default="even")
    freq_cap_count: Mapped[int | None]
    freq_cap_hours: Mapped[int | None]
    target_sections: Mapped[list] = mapped_column(JSON, default=list)
    target_tags: Mapped[list] = mapped_column(JSON, default=list)
    # Any of "desktop", "tablet", "phone"; empty means all.
    target_devices: Mapped[list] = mapped_column(JSON, default=list)
    target_languages: Mapped[list] = mapped_column(JSON, default=list)
    # "draft", "active" or "paused"; what readers see also depends on the flight dates.
    state: Mapped[str] = mapped_column(String(16), default="draft")
    # How it is sold (stats/revenue.py): "cpm", "cpc", "vcpm" (viewable CPM), "flat_day"
    # (a fee per day of the flight) or "flat_flight" (one fee for the flight).
    pricing_model: Mapped[str] = mapped_column(String(16), default="cpm", server_default="cpm")
    # The price in the reports' currency (setting CURRENCY), or None when not priced.
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    # The order's reference in the publisher's own books, free text.
    order_number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The staff member who sold it: their daily digest of delivery alerts names it.
    salesperson_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, default=None)

    advertiser = relationship("Advertiser", back_populates="campaigns")
    zones = relationship("Zone", secondary=campaign_zone, back_populates="campaigns")
    inserts = relationship("Insert", secondary=campaign_insert, back_populates="campaigns")
    creatives = relationship("Creative", back_populates="campaign", order_by="Creative.id")
    salesperson = relationship("User")

    def status(self, now: datetime) -> str:
        """Say plainly where the campaign stands at ``now``.

        One of draft, scheduled, live, paused, finished, archived.
        """
        if self.archived_at is not None:
            return "archived"
        if self.state == "draft":
            return "draft"
        if now >= self.ends_at:
            return "finished"
        if self.state == "paused":
            return "paused"
        if now < self.starts_at:
            return "scheduled"
        return "live"


class Creative(Timestamps, Archivable, db.Model):
    """What a reader sees in a zone: an image, an HTML snippet or a text ad."""

    __tablename__ = "creative"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    # "image", "html" or "text".
    kind: Mapped[str] = mapped_column(String(8))
    width: Mapped[int | None]
    height: Mapped[int | None]
    # Image creatives: the file name in our own upload storage and its MIME type.
    image_file: Mapped[str | None] = mapped_column(String(200))
    image_type: Mapped[str | None] = mapped_column(String(40))
    # HTML creatives: stored as given, rendered only in a sandboxed iframe.
    html: Mapped[str | None] = mapped_column(Text)
    # Text creatives (also sponsored links in inserts).
    headline: Mapped[str | None] = mapped_column(String(120))
    body: Mapped[str | None] = mapped_column(String(300))
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    click_url: Mapped[str] = mapped_column(String(2000))
    weight: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)

    campaign = relationship("Campaign", back_populates="creatives")

    @property
    def size(self) -> str | None:
        """Give the creative's size as "WxH", or None for a text creative."""
        if self.width and self.height:
            return f"{self.width}x{self.height}"
        return None

    @property
    def title(self) -> str:
        """Give what staff call the creative: its name, else its headline, else its size."""
        return self.name or self.headline or self.size or ""
