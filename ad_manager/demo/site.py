"""The demo site itself."""

from sqlalchemy import select

from ad_manager.extensions import db
from ad_manager.models import Site

DEMO_KEY = "demo"


def load_site() -> Site:
    """Create or refresh the site with key ``demo``, open to local pages on any port."""
    site = db.session.scalar(select(Site).where(Site.key == DEMO_KEY))
    if site is None:
        site = Site(key=DEMO_KEY)
        db.session.add(site)
    site.name = "Le Quotidien de démo"
    site.domains = ["127.0.0.1", "localhost"]
    # Any port of the two local hosts, so a developer can paste the tag in a local page.
    site.allowed_origins = ["http://127.0.0.1:*", "http://localhost:*"]
    site.language = "fr"
    site.timezone = "Europe/Paris"
    site.sales_contact_url = "http://127.0.0.1:5000/demo/contact-pub"
    site.house_ad_text = "Votre Pub ici !"
    site.discover_articles = True
    site.archived_at = None
    db.session.flush()
    return site
