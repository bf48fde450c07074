"""The site's article catalogue and the related-link inserts that point into it."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ad_manager.extensions import db
from ad_manager.models.base import Archivable, Timestamps, UTCDateTime
from ad_manager.models.inventory import campaign_insert

INSERT_LABEL = "À lire aussi :"
# What new inserts (and the demo's) choose by (delivery/link_choice.py RULES): a page
# without a known section or tag still gets the latest articles.
DEFAULT_RULES = ("section", "tags", "latest")


class Article(Timestamps, db.Model):
    """An article of the site, a candidate for "À lire aussi" links."""

    __tablename__ = "article"
    __table_args__ = (UniqueConstraint("site_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(String(300))
    section: Mapped[str] = mapped_column(String(120), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    image_url: Mapped[str] = mapped_column(String(1000), default="")
    # "listed" or "hidden".
    status: Mapped[str] = mapped_column(String(8), default="listed")
    # "manual", "feed" or "discovered".
    source: Mapped[str] = mapped_column(String(12), default="manual")


class Insert(Timestamps, Archivable, db.Model):
    """A related-link insert: a label then one to three linked headlines."""

    __tablename__ = "insert"
    __table_args__ = (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(60), default=INSERT_LABEL)
    # The choice rules in order (catalog/choice.py RULES): "manual" (hand-picked
    # list), "section", "tags", "latest"; each fills what the ones before left.
    rules: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_RULES))
    link_count: Mapped[int] = mapped_column(default=1)
    max_age_days: Mapped[int | None]
    allow_sponsored: Mapped[bool] = mapped_column(default=False)

    site = relationship("Site", back_populates="inserts")
    picks = relationship(
        "InsertPick", back_populates="insert", order_by="InsertPick.position",
        cascade="all, delete-orphan",
    )
    campaigns = relationship("Campaign", secondary=campaign_insert, back_populates="inserts")


class InsertPick(db.Model):
    """A hand-picked article of an insert, in order, optionally for a period."""

    __tablename__ = "insert_pick"

    id: Mapped[int] = mapped_column(primary_key=True)
    insert_id: Mapped[int] = mapped_column(ForeignKey("insert.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    insert = relationship("Insert", back_populates="picks")
    article = relationship("Article")
