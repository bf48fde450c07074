"""Staff's edits of the catalogue: an article typed in by hand, corrected, hidden or listed.

Kept apart from ``catalog.articles``, which the public wing reads: these services
write the audit log, which knows the signed-in user.
"""

from flask_babel import gettext as _

from ad_manager import saving
from ad_manager.catalog.articles import (
    HIDDEN,
    LISTED,
    canonical_url,
    clean_tags,
    find_article,
    save_article,
)
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.models import Article, Site


def article_values(site: Site, data: dict, article: Article | None = None) -> dict:
    """Check an article form's values; give the model's fields or raise ``Invalid``.

    ``data``: url, title, section, tags (a list or comma-separated text),
    published_at (an instant or None), image_url, status. One article per address
    and site: the address is compared as stored (canonical, either trailing slash).
    """
    url = canonical_url(data.get("url") or "")
    other = find_article(site, url)
    if other is not None and (article is None or other.id != article.id):
        raise Invalid.on("url", _("This site already has an article at this address."))
    if data.get("status") not in (LISTED, HIDDEN):
        raise Invalid.on("status", _("Choose listed or hidden."))
    return {"url": url, "title": data.get("title") or "", "section": data.get("section") or "",
            "tags": clean_tags(data.get("tags") or ""), "published_at": data.get("published_at"),
            "image_url": data.get("image_url") or "", "status": data["status"]}


def create_article(site: Site, data: dict) -> Article:
    """Add an article typed by hand to the site's catalogue."""
    values = article_values(site, data)
    status = values.pop("status")
    article, _created = save_article(site, values.pop("url"), **values)
    article.status = status
    return saving.add(article, summary=article.title)


def update_article(article: Article, data: dict) -> Article:
    """Correct an article from a form's values (when they change nothing, nothing is written)."""
    site = db.session.get(Site, article.site_id)
    saving.change(article, article_values(site, data, article), summary=article.title)
    return article


def set_article_status(article: Article, status: str) -> bool:
    """Hide an article from every insert (``hidden``) or list it again; give whether it changed."""
    if status not in (LISTED, HIDDEN):
        raise Invalid.on("status", _("Choose listed or hidden."))
    return bool(saving.change(article, {"status": status}, summary=article.title))
