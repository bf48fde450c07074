"""Articles that add themselves: a page loading the embed tells its URL, title, section,
tags and publication date.

Only when the site allows it, and only for pages on the site's own domains. What a
page says is untrusted: anything odd is ignored, never raised. A discovered article is
marked ``source="discovered"`` so staff can spot and hide it; hiding sticks. A page
view updates what the page says of itself (title, section, tags, date) on articles it
discovered, never on articles staff typed in or a feed imported. A site discovers at
most ``per_hour`` new articles an hour; each addition and change is in the audit log
under "discovery".
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ad_manager.audit_entries import add_entry, changed_fields
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
from ad_manager.models import Article, Site, utcnow

MAX_URL = 1000
MAX_TITLE = 300
MAX_SECTION = 120
DISCOVERED = "discovered"
PROCESS = "discovery"


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


def discovered_last_hour(site: Site) -> int:
    """Count the articles the site discovered in the last hour."""
    return db.session.scalar(db.select(db.func.count(Article.id)).where(
        Article.site_id == site.id, Article.source == DISCOVERED,
        Article.created_at >= utcnow() - timedelta(hours=1)))


def _learn(article: Article, title: str, section: str, tags: list[str],
           published_at: datetime | None) -> None:
    """Update what the page says of itself; audit what changed."""
    data = {"title": title}
    if section:
        data["section"] = section
    if tags:
        data["tags"] = tags
    if published_at is not None:
        data["published_at"] = published_at
    changes = changed_fields(article, data)
    if changes:
        add_entry("update", article, process=PROCESS, summary=article.title, changes=changes)


def discover_article(site: Site, url, title, section, tags, published_at=None, *,
                     per_hour: int | None = None) -> Article | None:
    """Add or update the page as a discovered article; give it, or None when refused.

    Refused: the site doesn't discover, the URL is not an http(s) page of its domains,
    the input is junk, or the site discovered ``per_hour`` articles in the last hour.
    An article staff typed in or a feed imported is given back unchanged. The caller
    commits.
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
    published_at = published_at if isinstance(published_at, datetime) else None
    known = find_article(site, url)
    if known is not None:
        if known.source == DISCOVERED:
            _learn(known, title, section, tags, published_at)
        return known
    if per_hour is not None and discovered_last_hour(site) >= per_hour:
        return None
    try:
        # A savepoint: another page view may add the same page at the same moment.
        with db.session.begin_nested():
            article, _created = save_article(site, url, title=title, section=section, tags=tags,
                                             published_at=published_at, source=DISCOVERED)
            article.status = LISTED
            db.session.flush()
            add_entry("create", article, process=PROCESS, summary=article.title)
    except IntegrityError:
        return find_article(site, url)
    return article
