"""Article layouts: where each zone and insert goes in an article page."""

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ad_manager.extensions import db
from ad_manager.models.base import Archivable, Timestamps

# Where a placement goes. "after_paragraph" and "after_paragraph_from_end" take
# ``paragraph``; the three selector positions take ``selector``; "manual" fills the
# page's own <div data-adm-zone="SLUG"> placeholder.
POSITIONS = (
    "before_first_paragraph",
    "after_paragraph",
    "after_paragraph_from_end",
    "after_body",
    "before_selector",
    "after_selector",
    "inside_selector",
    "manual",
)


class Layout(Timestamps, Archivable, db.Model):
    """A site's article layout; the embed tag names it, or rules pick it."""

    __tablename__ = "layout"
    __table_args__ = (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(64))
    # CSS selector of the article body; empty means the built-in list of CMS selectors.
    body_selector: Mapped[str] = mapped_column(String(300), default="")
    # Used when the tag names no layout and no rule matches.
    is_default: Mapped[bool] = mapped_column(default=False)
    # Rules for tags that name no layout: sections and/or a URL pattern; first match wins.
    match_sections: Mapped[list] = mapped_column(JSON, default=list)
    match_url_pattern: Mapped[str] = mapped_column(String(300), default="")
    rule_order: Mapped[int] = mapped_column(default=0)

    site = relationship("Site", back_populates="layouts")
    placements = relationship(
        "Placement", back_populates="layout", order_by="Placement.position",
        cascade="all, delete-orphan",
    )


class Placement(Timestamps, db.Model):
    """One entry of a layout: where (position) and what (a zone or an insert)."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    layout_id: Mapped[int] = mapped_column(ForeignKey("layout.id", ondelete="CASCADE"), index=True)
    # Order of the placement within its layout.
    position: Mapped[int] = mapped_column(default=0)
    where: Mapped[str] = mapped_column(String(32))
    paragraph: Mapped[int | None]
    selector: Mapped[str] = mapped_column(String(300), default="")
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"))
    insert_id: Mapped[int | None] = mapped_column(ForeignKey("insert.id"))
    # "all", "phone" (narrow screens only) or "wide" (wider screens only).
    device: Mapped[str] = mapped_column(String(8), default="all")
    min_paragraphs: Mapped[int | None]

    layout = relationship("Layout", back_populates="placements")
    zone = relationship("Zone")
    insert = relationship("Insert")

    @property
    def kind(self) -> str:
        """Give "zone" or "insert", as the embed's ``data-adm-kind`` says it."""
        return "zone" if self.zone_id is not None else "insert"
