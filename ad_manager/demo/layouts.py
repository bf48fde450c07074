"""The demo site's default layout ``article``: the reference article (docs/architecture.md)."""

from sqlalchemy import select

from ad_manager.extensions import db
from ad_manager.models import Insert, Layout, Placement, Site, Zone

# (where, paragraph, kind, slug), in order: the ad under the headline, "À lire aussi"
# after paragraphs 2 and 6, and the right-rail zone in the page's own placeholder.
REFERENCE_PLACEMENTS = (
    ("before_first_paragraph", None, "zone", "votre-pub-ici"),
    ("after_paragraph", 2, "insert", "a-lire-aussi"),
    ("after_paragraph", 6, "insert", "a-lire-aussi"),
    ("manual", None, "zone", "colonne"),
)


def _by_slug(model, site: Site, slug: str):
    return db.session.scalar(select(model).where(model.site_id == site.id, model.slug == slug))


def load_layouts(site: Site) -> Layout:
    """Create or refresh the default layout ``article`` with the reference placements.

    Zones and inserts come from the earlier steps; one that is missing is left out.
    Placements are rebuilt only when they differ, so their ids (and reports) stay.
    """
    layout = _by_slug(Layout, site, "article")
    if layout is None:
        layout = Layout(site_id=site.id, slug="article")
        db.session.add(layout)
    layout.name = "Article"
    layout.body_selector = ""
    layout.is_default = True
    layout.match_sections = []
    layout.match_url_pattern = ""
    layout.rule_order = 0
    layout.archived_at = None
    for other in db.session.scalars(select(Layout).where(
            Layout.site_id == site.id, Layout.slug != "article", Layout.is_default.is_(True))):
        other.is_default = False
    db.session.flush()
    wanted = []
    for where, paragraph, kind, slug in REFERENCE_PLACEMENTS:
        thing = _by_slug(Zone if kind == "zone" else Insert, site, slug)
        if thing is not None:
            wanted.append((where, paragraph, thing.id if kind == "zone" else None,
                           thing.id if kind == "insert" else None))
    present = [(p.where, p.paragraph, p.zone_id, p.insert_id) for p in layout.placements]
    if present != wanted:
        layout.placements.clear()
        db.session.flush()
        for number, (where, paragraph, zone_id, insert_id) in enumerate(wanted, start=1):
            layout.placements.append(Placement(
                position=number, where=where, paragraph=paragraph, zone_id=zone_id,
                insert_id=insert_id, device="all"))
        db.session.flush()
    return layout
