"""The demo site itself."""

from sqlalchemy import select

from ad_manager.catalog.articles import is_own_url
from ad_manager.extensions import db
from ad_manager.models import Article, Site

DEMO_KEY = "demo"
# Where the demo is until it is first served (``flask setup --demo`` knows no address).
DEFAULT_BASE_URL = "http://127.0.0.1:5000/"
CONTACT_PATH = "demo/contact-pub"
ARTICLES_PATH = "/demo/articles/"


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
    site.sales_contact_url = DEFAULT_BASE_URL + CONTACT_PATH
    site.house_ad_text = "Votre Pub ici !"
    site.discover_articles = True
    site.archived_at = None
    db.session.flush()
    return site


def follow_address(site: Site, base_url: str) -> bool:
    """Move the demo's own addresses to ``base_url`` (``http://host:port/``); tell if moved.

    The demo's catalogue articles and its sales contact are pages of the demo itself:
    served on another host or port than the last one, their links must follow, or
    every "À lire aussi" link and the house ad would lead to a dead address. The
    caller commits.
    """
    contact = base_url + CONTACT_PATH
    # Only the site's own hosts: a request naming another Host must not send the
    # demo's readers elsewhere.
    if site.sales_contact_url == contact or not is_own_url(site, base_url):
        return False
    site.sales_contact_url = contact
    articles = db.session.scalars(select(Article).where(
        Article.site_id == site.id, Article.url.contains(ARTICLES_PATH))).all()
    for article in articles:
        path = article.url[article.url.index(ARTICLES_PATH):]
        article.url = base_url.rstrip("/") + path
    return True
