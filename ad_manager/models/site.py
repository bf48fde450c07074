"""The publisher's websites that embed Ad Manager."""

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ad_manager.extensions import db
from ad_manager.models.base import Archivable, Timestamps

HOUSE_AD_TEXT = "Votre Pub ici !"


class Site(Timestamps, Archivable, db.Model):
    """A website: its embed key, its domains and who may call us from it."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    # Host names whose pages are the site's own (article discovery, preview fetches).
    domains: Mapped[list] = mapped_column(JSON, default=list)
    # Origins allowed to call the serving endpoints (CORS), e.g. "https://www.example.fr".
    allowed_origins: Mapped[list] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    sales_contact_url: Mapped[str] = mapped_column(String(500), default="")
    house_ad_text: Mapped[str] = mapped_column(String(120), default=HOUSE_AD_TEXT)
    # Whether pages that load the embed may add themselves to the article catalogue.
    discover_articles: Mapped[bool] = mapped_column(default=False)
    # The RSS/Atom feed or XML sitemap the catalogue is imported from (CLI default, cron).
    feed_url: Mapped[str] = mapped_column(String(1000), default="")
    # Readers not to count, besides known bots: user-agent substrings and IP ranges (CIDR).
    excluded_user_agents: Mapped[list] = mapped_column(JSON, default=list)
    excluded_ip_ranges: Mapped[list] = mapped_column(JSON, default=list)

    zones = relationship("Zone", back_populates="site", order_by="Zone.name")
    layouts = relationship("Layout", back_populates="site", order_by="Layout.rule_order")
    inserts = relationship("Insert", back_populates="site", order_by="Insert.name")

    def __repr__(self) -> str:
        return f"<Site {self.key}>"
