"""Inserts: saving one with its ordered picks, and previewing the links it would choose."""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ad_manager import saving
from ad_manager.catalog.articles import LISTED, candidates
from ad_manager.delivery.link_choice import Candidate, InsertRule, choose_links_by_rule
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.models import Article, Insert, InsertPick, Site

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = ("name", "slug", "label", "link_count", "max_age_days", "allow_sponsored")


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
    """Replace the insert's picks when they differ, in the given order.

    Gives ``[before, after]`` plainly for the audit log, or ``[]`` when nothing
    changed (and then nothing is written).
    """
    before = [[p.article_id, _iso(p.starts_at), _iso(p.ends_at)] for p in insert.picks]
    after = [[p.article_id, _iso(p.starts_at), _iso(p.ends_at)] for p in picks]
    if before == after:
        return []
    insert.picks = [
        InsertPick(article_id=pick.article_id, position=position,
                   starts_at=pick.starts_at, ends_at=pick.ends_at)
        for position, pick in enumerate(picks)
    ]
    return [before, after]


def insert_values(site: Site, data: dict, insert: Insert | None = None) -> dict:
    """Check an insert form's values; give the model's fields or raise ``Invalid``.

    ``data``: name, slug, label, link_count, max_age_days, allow_sponsored, rules (the
    chain, in order) and picks (``Pick`` rows, in order). A slug is unique per site,
    archived inserts included; the chain has at least one rule, each once; a
    hand-picked list needs at least one pick; a pick's dates, when both are given,
    end after they start.
    """
    errors = {}
    if slug_taken(site, data.get("slug") or "", insert):
        errors["slug"] = _("Another insert of this site has this slug.")
    rules = list(data.get("rules") or [])
    if not rules:
        errors["rules"] = _("Choose at least one rule.")
    elif len(set(rules)) != len(rules):
        errors["rules"] = _("Each rule may come once in the chain.")
    picks = data.get("picks") or []
    if "manual" in rules and not picks:
        errors["picks"] = _("Pick at least one article for a hand-picked list.")
    if any(p.starts_at and p.ends_at and p.ends_at <= p.starts_at for p in picks):
        errors["picks"] = _("The end must come after the start.")
    if errors:
        raise Invalid(errors)
    values = {name: data.get(name) for name in FIELDS}
    values["max_age_days"] = values["max_age_days"] or None
    values["rules"] = rules
    return values


def create_insert(site: Site, data: dict) -> Insert:
    """Add an insert with its picks to ``site`` from a form's values."""
    insert = Insert(site_id=site.id, **insert_values(site, data))
    set_picks(insert, data.get("picks") or [])
    return saving.add(insert, summary=insert.name)


def update_insert(insert: Insert, data: dict) -> Insert:
    """Change an insert and its picks (when nothing changes, nothing is written)."""
    values = insert_values(db.session.get(Site, insert.site_id), data, insert)
    picks = set_picks(insert, data.get("picks") or [])
    saving.change(insert, values, summary=insert.name, extra={"picks": picks} if picks else None)
    return insert


def archive_insert(insert: Insert) -> bool:
    """Archive an insert: layouts stop showing it, reports keep it; give whether it was live."""
    return saving.archive(insert, summary=insert.name)


def restore_insert(insert: Insert) -> bool:
    """Bring an archived insert back; give whether it was archived."""
    return saving.restore(insert, summary=insert.name)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def preview_links(site: Site, rule: InsertRule, *, section: str, tags: list[str],
                  now: datetime) -> list[tuple[str, Candidate]]:
    """Give (rule that filled it, article) per link the insert would show on a page of
    ``section`` with ``tags``."""
    return choose_links_by_rule(rule, candidates(site), page_url="", section=section, tags=tags,
                        exclude=(), now=now)
