"""A small published world for the counting and report tests: one site with a zone,
an insert, a layout, a live campaign with two creatives and two articles."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from ad_manager.delivery.shown import Shown
from ad_manager.extensions import db
from ad_manager.models import (
    Advertiser,
    Article,
    Campaign,
    Creative,
    HourlyStat,
    Insert,
    Layout,
    Placement,
    Site,
    Zone,
)
from ad_manager.serving.tokens import CLICK_SALT, EVENT_SALT, sign

SECRET = "test-secret"
BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0 Safari/537.36")


def make_world(now: datetime | None = None) -> SimpleNamespace:
    """Create the world and commit it; give its objects by name."""
    now = now or datetime.now(UTC)
    site = Site(name="Le Quotidien", key="quotidien", allowed_origins=["https://www.quotidien.fr"],
                sales_contact_url="https://www.quotidien.fr/publicite",
                excluded_user_agents=["InternalMonitor"], excluded_ip_ranges=["10.1.0.0/16"])
    zone = Zone(site=site, name="Sous le titre", slug="sous-titre", sizes=["728x90"],
                size_map=[{"min_width": 0, "sizes": ["728x90"]}])
    insert = Insert(site=site, name="À lire aussi", slug="a-lire-aussi")
    layout = Layout(site=site, name="Article", slug="article", is_default=True)
    advertiser = Advertiser(name="Librairie du Centre")
    campaign = Campaign(advertiser=advertiser, name="Rentrée littéraire", starts_at=now - timedelta(
        days=10), ends_at=now + timedelta(days=20), state="active", goal_impressions=3000)
    banner = Creative(campaign=campaign, name="Bannière", kind="image", width=728, height=90,
                      click_url="https://librairie.example/rentree")
    text_ad = Creative(campaign=campaign, name="Texte", kind="text", headline="Des livres",
                       click_url="https://librairie.example/texte")
    db.session.add_all([site, zone, insert, layout, advertiser, campaign, banner, text_ad])
    db.session.flush()
    article = Article(site_id=site.id, url="https://www.quotidien.fr/politique/debat",
                      title="Le débat de la semaine", section="politique")
    other = Article(site_id=site.id, url="https://www.quotidien.fr/sport/match",
                    title="Le match", section="sport")
    zone_placement = Placement(layout=layout, where="before_first_paragraph", zone_id=zone.id)
    insert_placement = Placement(layout=layout, where="after_paragraph", paragraph=2,
                                 insert_id=insert.id)
    db.session.add_all([article, other, zone_placement, insert_placement])
    db.session.commit()
    return SimpleNamespace(site=site, zone=zone, insert=insert, layout=layout,
                           advertiser=advertiser, campaign=campaign, banner=banner,
                           text_ad=text_ad, article=article, other=other,
                           zone_placement=zone_placement, insert_placement=insert_placement)


def banner_shown(world, view: str = "view-1", **changes) -> Shown:
    """What a page view showed in the zone: the banner."""
    values = {"view": view, "site": world.site.id, "layout": world.layout.id,
                  "placement": world.zone_placement.id, "zone": world.zone.id,
                  "campaign": world.campaign.id, "creative": world.banner.id}
    values.update(changes)
    return Shown(**values)


def link_shown(world, view: str = "view-1", article=None, **changes) -> Shown:
    """What a page view showed in the insert: a link to an article."""
    values = {"view": view, "site": world.site.id, "layout": world.layout.id,
                  "placement": world.insert_placement.id, "insert": world.insert.id,
                  "article": (article or world.article).id}
    values.update(changes)
    return Shown(**values)


def event_token(shown: Shown) -> str:
    return sign(SECRET, shown, EVENT_SALT)


def click_token(shown: Shown) -> str:
    return sign(SECRET, shown, CLICK_SALT)


def totals() -> tuple:
    """Sum served, rendered, viewable, clicks and filtered over all hourly rows."""
    row = db.session.execute(sa.select(
        sa.func.sum(HourlyStat.served), sa.func.sum(HourlyStat.rendered),
        sa.func.sum(HourlyStat.viewable), sa.func.sum(HourlyStat.clicks),
        sa.func.sum(HourlyStat.filtered))).one()
    return tuple(n or 0 for n in row)
