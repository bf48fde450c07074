"""Inventory for serving tests: a site with the reference article layout.

Zone ``votre-pub-ici`` after the headline (320×100, 728×90 from 768 px), insert
``a-lire-aussi`` after paragraphs 2 and 6, zone ``colonne`` (300×250) placed by
hand; a live campaign with a 728×90 and a 320×100 image, and listed articles of
the "politique" section.
"""

from datetime import UTC, datetime, timedelta

from ad_manager.extensions import db
from ad_manager.models import (
    Advertiser,
    Article,
    Campaign,
    Creative,
    Insert,
    Layout,
    Placement,
    Site,
    Zone,
)

ORIGIN = "https://www.journal.example"


def make_site(key="journal", **fields) -> Site:
    values = {"name": "Le Journal", "domains": ["www.journal.example"],
              "allowed_origins": [ORIGIN, "http://127.0.0.1:*"],
              "sales_contact_url": "https://www.journal.example/contact-pub"}
    values.update(fields)
    site = Site(key=key, **values)
    db.session.add(site)
    db.session.flush()
    return site


def make_layout(site: Site) -> dict:
    """Give the reference layout's zones, insert, layout and placements by name."""
    top = Zone(site_id=site.id, name="Votre pub ici", slug="votre-pub-ici",
               sizes=["320x100", "728x90"],
               size_map=[{"min_width": 0, "sizes": ["320x100"]},
                         {"min_width": 768, "sizes": ["728x90"]}])
    column = Zone(site_id=site.id, name="Colonne", slug="colonne", sizes=["300x250"],
                  size_map=[{"min_width": 0, "sizes": ["300x250"]}], unsold="collapse")
    insert = Insert(site_id=site.id, name="À lire aussi", slug="a-lire-aussi",
                    rules=["section"], link_count=1)
    db.session.add_all([top, column, insert])
    db.session.flush()
    layout = Layout(site_id=site.id, name="Article", slug="article", is_default=True)
    layout.placements = [
        Placement(position=0, where="before_first_paragraph", zone_id=top.id),
        Placement(position=1, where="after_paragraph", paragraph=2, insert_id=insert.id),
        Placement(position=2, where="after_paragraph", paragraph=6, insert_id=insert.id),
        Placement(position=3, where="manual", zone_id=column.id),
    ]
    db.session.add(layout)
    db.session.flush()
    return {"top": top, "column": column, "insert": insert, "layout": layout}


def make_campaign(zones, *, name="Librairie", creatives=None, **fields) -> Campaign:
    """A live campaign booked into ``zones`` with a 728×90 and a 320×100 image."""
    now = datetime.now(UTC)
    advertiser = Advertiser(name=f"Annonceur {name}")
    values = {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=30),
              "state": "active"}
    values.update(fields)
    campaign = Campaign(advertiser=advertiser, name=name, **values)
    campaign.zones = list(zones)
    campaign.creatives = creatives if creatives is not None else [
        Creative(kind="image", width=728, height=90, image_file="wide.png",
                 alt_text="Librairie", click_url="https://librairie.example/"),
        Creative(kind="image", width=320, height=100, image_file="narrow.png",
                 alt_text="Librairie", click_url="https://librairie.example/"),
    ]
    db.session.add(campaign)
    db.session.flush()
    return campaign


def make_articles(site: Site, count=4, section="politique") -> list[Article]:
    now = datetime.now(UTC)
    articles = [Article(site_id=site.id, url=f"https://www.journal.example/{section}/{n}",
                        title=f"Titre {section} {n}", section=section,
                        published_at=now - timedelta(hours=n)) for n in range(1, count + 1)]
    db.session.add_all(articles)
    db.session.flush()
    return articles


def make_inventory(**campaign_fields) -> dict:
    """The whole reference inventory, committed; ``campaign_fields`` go to make_campaign."""
    site = make_site()
    things = make_layout(site)
    things["site"] = site
    things["campaign"] = make_campaign([things["top"]], **campaign_fields)
    things["articles"] = make_articles(site)
    db.session.commit()
    return things
