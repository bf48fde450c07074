"""The catalogue as the choice sees it, and the writes every way in shares.

``candidates(site)`` and ``insert_rule(insert)`` turn rows into the plain values
``delivery.link_choice.choose_links`` takes; ``save_article`` adds or updates an article by
its canonical URL, so a feed import, a discovery and a typed entry never duplicate.
"""

import json
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ad_manager.delivery.link_choice import TRACKING_PARAMETERS, Candidate, InsertRule
from ad_manager.extensions import db
from ad_manager.models import Article, Insert, Site

LISTED = "listed"
HIDDEN = "hidden"
MAX_TAGS = 20


def canonical_url(url: str) -> str:
    """Give the address an article is stored under: no fragment, no tracking parameters.

    Scheme and host are lower-cased; the path and the remaining query are kept as
    given, since a site may tell pages apart by them.
    """
    parts = urlsplit((url or "").strip())
    query = [
        (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith(TRACKING_PARAMETERS)
    ]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


def clean_tags(tags: Iterable[str] | str) -> list[str]:
    """Give tags stripped, without blanks or repeats, from a list or a comma-separated text."""
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())[:60]
        if tag and tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    return cleaned[:MAX_TAGS]


def _host(domain: str) -> str:
    """A configured domain as a bare host name: no scheme, port or trailing dot."""
    domain = domain.strip().lower()
    if "//" in domain:
        domain = urlsplit(domain).netloc
    if domain.count(":") == 1:
        domain = domain.split(":")[0]
    return domain.rstrip(".")


def is_own_url(site: Site, url: str, *, when_no_domains: bool = False) -> bool:
    """Tell whether ``url`` is an http(s) page on one of the site's domains (or a subdomain).

    A site without domains owns nothing, unless ``when_no_domains`` says otherwise
    (an import from a feed staff chose themselves).
    """
    try:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    domains = [_host(str(domain)) for domain in site.domains or () if str(domain).strip()]
    if not domains:
        return when_no_domains
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _spellings(url: str) -> list[str]:
    """The canonical URL with and without a trailing slash: one page either way."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") if parts.path.endswith("/") else parts.path + "/"
    other = urlunsplit((parts.scheme, parts.netloc, path or "/", parts.query, ""))
    return [url] if other == url else [url, other]


def find_article(site: Site, url: str) -> Article | None:
    """Give the site's article stored under this address (or its trailing-slash twin)."""
    spellings = _spellings(canonical_url(url))
    found = db.session.scalars(
        db.select(Article).where(Article.site_id == site.id, Article.url.in_(spellings))
    ).all()
    return min(found, key=lambda article: spellings.index(article.url), default=None)


def save_article(site: Site, url: str, *, title: str, section: str = "", tags=(),
                 published_at: datetime | None = None, image_url: str = "",
                 source: str = "manual") -> tuple[Article, bool]:
    """Add the article or update the one under the same canonical URL; give it and
    whether it is new. The status (listed or hidden) of a known article is kept."""
    article = find_article(site, url)
    created = article is None
    if created:
        article = Article(site_id=site.id, url=canonical_url(url), status=LISTED, source=source)
        db.session.add(article)
    article.title = " ".join(title.split())[:300]
    article.section = " ".join((section or "").split())[:120]
    article.tags = clean_tags(tags)
    if published_at is not None or created:
        article.published_at = published_at
    if image_url or created:
        article.image_url = (image_url or "")[:1000]
    if created:
        db.session.flush()  # give it its id, for picks and the caller's audit entry
    return article, created


def candidates(site: Site) -> list[Candidate]:
    """Give the site's listed articles as choice candidates; hidden ones never."""
    rows = db.session.execute(
        db.select(Article.id, Article.url, Article.title, Article.section, Article.tags,
                  Article.published_at)
        .where(Article.site_id == site.id, Article.status == LISTED)
    )
    return [
        Candidate(id=row.id, url=row.url, title=row.title, section=row.section or "",
                  tags=tuple(row.tags or ()), published_at=row.published_at)
        for row in rows
    ]


def insert_rule(insert: Insert) -> InsertRule:
    """Give the insert's way of choosing links as the choice takes it."""
    return InsertRule(
        rules=tuple(insert.rules or ()),
        link_count=insert.link_count,
        max_age_days=insert.max_age_days,
        picks=tuple((pick.article_id, pick.starts_at, pick.ends_at) for pick in insert.picks),
    )


def search_articles(site: Site, *, text: str = "", section: str = "", tag: str = "",
                    status: str = ""):
    """Give the select of the site's articles matching the filters, newest first."""
    query = db.select(Article).where(Article.site_id == site.id)
    text = text.strip()
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(db.or_(Article.title.ilike(pattern), Article.url.ilike(pattern)))
    if section:
        query = query.where(Article.section == section)
    if tag:
        # Tags are a JSON list stored as text on both databases: look for the encoded item.
        query = query.where(db.cast(Article.tags, db.Text).contains(json.dumps(tag),
                                                                     autoescape=True))
    if status in (LISTED, HIDDEN):
        query = query.where(Article.status == status)
    return query.order_by(Article.published_at.desc().nulls_last(), Article.id.desc())


def sections(site: Site) -> list[str]:
    """Give the sections the site's articles use, alphabetically."""
    return list(db.session.scalars(
        db.select(Article.section).where(Article.site_id == site.id, Article.section != "")
        .distinct().order_by(Article.section)
    ))
