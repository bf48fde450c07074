"""Sites, zones and inserts the layout tests build on (made directly, minimally)."""

from ad_manager.extensions import db
from ad_manager.models import Insert, Site, Zone

BANNER_MAP = [{"min_width": 0, "sizes": ["320x100"]}, {"min_width": 768, "sizes": ["728x90"]}]


def make_site(key="journal", **fields) -> Site:
    site = Site(key=key, name=fields.pop("name", key.title()),
                domains=fields.pop("domains", [f"www.{key}.fr"]), **fields)
    db.session.add(site)
    db.session.flush()
    return site



def make_journal(*extra_domains) -> Site:
    """The catalogue tests' site: "Le Journal" on journal.example (+ ``extra_domains``)."""
    site = make_site(name="Le Journal", domains=["journal.example", *extra_domains])
    db.session.commit()
    return site

def make_zone(site, slug="votre-pub-ici", size_map=None) -> Zone:
    size_map = size_map or BANNER_MAP
    sizes = sorted({size for entry in size_map for size in entry["sizes"]})
    zone = Zone(site_id=site.id, name=slug.replace("-", " ").title(), slug=slug,
                size_map=size_map, sizes=sizes)
    db.session.add(zone)
    db.session.flush()
    return zone


def make_insert(site, slug="a-lire-aussi") -> Insert:
    insert = Insert(site_id=site.id, name="À lire aussi", slug=slug)
    db.session.add(insert)
    db.session.flush()
    return insert


def make_demo_site():
    """The demo site (served on 127.0.0.1) with its zones and insert, made minimally, and
    the demo layouts; give the site and what load_layouts returns. Not committed."""
    from ad_manager.demo.layouts import load_layouts

    site = make_site("demo", domains=["127.0.0.1", "localhost"])
    make_zone(site, "votre-pub-ici")
    make_zone(site, "colonne", [{"min_width": 0, "sizes": ["300x250"]}])
    make_insert(site, "a-lire-aussi")
    return site, load_layouts(site)
