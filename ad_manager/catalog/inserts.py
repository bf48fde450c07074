"""Inserts: saving one with its ordered picks, and previewing the links it would choose."""

import re
from dataclasses import dataclass
from datetime import datetime

from ad_manager.catalog.articles import LISTED, candidates
from ad_manager.delivery.link_choice import Candidate, InsertRule, choose_links_by_rule
from ad_manager.extensions import db
from ad_manager.models import Article, Insert, InsertPick, Site

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Pick:
    """A hand-picked article as the form gives it."""

    article_id: int
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def slug_taken(site: Site, slug: str, insert: Insert | None = None) -> bool:
    """Tell whether another insert of the site (archived ones too) has this slug."""
    query = db.select(Insert.id).where(Insert.site_id == site.id, Insert.slug == slug)
    if insert is not None and insert.id is not None:
        query = query.where(Insert.id != insert.id)
    return db.session.scalar(query.limit(1)) is not None


def pickable_articles(site: Site, keep=(), limit: int = 500) -> list[Article]:
    """Give the listed articles an editor can pick, newest first, plus the ones in ``keep``
    (ids already picked: an article hidden since stays in its row rather than vanish)."""
    shown = Article.status == LISTED
    if keep:
        shown = db.or_(shown, Article.id.in_(list(keep)))
    return list(db.session.scalars(
        db.select(Article).where(Article.site_id == site.id, shown)
        .order_by(Article.published_at.desc().nulls_last(), Article.id.desc()).limit(limit)))


def set_picks(insert: Insert, picks: list[Pick]) -> list[list]:
    """Replace the insert's picks, in the given order; give them plainly for the audit log."""
    before = [[p.article_id, _iso(p.starts_at), _iso(p.ends_at)] for p in insert.picks]
    insert.picks = [
        InsertPick(article_id=pick.article_id, position=position,
                   starts_at=pick.starts_at, ends_at=pick.ends_at)
        for position, pick in enumerate(picks)
    ]
    after = [[p.article_id, _iso(p.starts_at), _iso(p.ends_at)] for p in picks]
    return [before, after] if before != after else []


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def preview_links(site: Site, rule: InsertRule, *, section: str, tags: list[str],
                  now: datetime) -> list[tuple[str, Candidate]]:
    """Give (rule that filled it, article) per link the insert would show on a page of
    ``section`` with ``tags``."""
    return choose_links_by_rule(rule, candidates(site), page_url="", section=section, tags=tags,
                        exclude=(), now=now)
