"""Articles that add themselves: a page loading the embed tells its URL, title, section, tags.

Only when the site allows it, and only for pages on the site's own domains. What a
page says is untrusted: anything odd is ignored, never raised. A discovered article is
marked ``source="discovered"`` so staff can spot and hide it; hiding sticks.
"""

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError

from ad_manager.catalog.articles import (
    LISTED,
    canonical_url,
    clean_tags,
    find_article,
    is_own_url,
    save_article,
)
from ad_manager.catalog.feed_entries import title_from_url
from ad_manager.extensions import db
from ad_manager.models import Article, Site

MAX_URL = 1000
MAX_TITLE = 300
MAX_SECTION = 120


def _text(value, limit: int) -> str:
    """Give a page-supplied value as one line of plain text, or "" when it is no text."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


def _tags(value) -> list[str]:
    if isinstance(value, str):
        return clean_tags(value)
    if isinstance(value, Iterable):
        return clean_tags(tag for tag in value if isinstance(tag, str))
    return []


def discover_article(site: Site, url, title, section, tags) -> Article | None:
    """Add or update the page as a discovered article; give it, or None when refused.

    Refused: the site doesn't discover, the URL is not an http(s) page of its domains,
    or the input is junk. A known article gets the page's current title (and section and
    tags when the page gives them) but keeps its status and source. The caller commits.
    """
    if site is None or not site.discover_articles:
        return None
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL:
        return None
    if not is_own_url(site, url):
        return None
    url = canonical_url(url)
    title = _text(title, MAX_TITLE) or title_from_url(url)
    section = _text(section, MAX_SECTION)
    tags = _tags(tags)
    known = find_article(site, url)
    if known is not None:
        known.title = title
        if section:
            known.section = section
        if tags:
            known.tags = tags
        return known
    try:
        # A savepoint: another page view may add the same page at the same moment.
        with db.session.begin_nested():
            article, _created = save_article(site, url, title=title, section=section, tags=tags,
                                             source="discovered")
            article.status = LISTED
    except IntegrityError:
        return find_article(site, url)
    return article
