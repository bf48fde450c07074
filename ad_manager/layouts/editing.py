"""Creating, changing and archiving layouts, and the order of their matching rules."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager.audit import changed_fields, record
from ad_manager.delivery.layouts import has_rule
from ad_manager.extensions import db
from ad_manager.layouts import LayoutError
from ad_manager.layouts.selectors import selector_problem
from ad_manager.models import Layout, Site, utcnow

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse_sections(text: str) -> list[str]:
    """Turn "politique, Sport ,," into ["politique", "sport"] (lower case, no repeats)."""
    sections = []
    for part in (text or "").split(","):
        section = part.strip().lower()
        if section and section not in sections:
            sections.append(section)
    return sections


def site_layouts(site_id: int, archived: bool = False) -> list[Layout]:
    """Give a site's layouts, rules first in their order, then by name."""
    query = select(Layout).where(Layout.site_id == site_id)
    retired = Layout.archived_at.is_not(None)
    query = query.where(retired if archived else ~retired)
    return list(db.session.scalars(query.order_by(Layout.rule_order, Layout.name)))


def _clean(site: Site, data: dict, layout: Layout | None) -> dict:
    """Check the layout's fields; give them ready to set, or raise LayoutError."""
    slug = (data.get("slug") or "").strip().lower()
    if not SLUG.match(slug):
        raise LayoutError(_("Use lower-case letters, digits and dashes."), "slug")
    taken = db.session.scalar(
        select(Layout.id).where(Layout.site_id == site.id, Layout.slug == slug))
    if taken is not None and (layout is None or taken != layout.id):
        raise LayoutError(_("This site already has a layout with this slug."), "slug")
    body_selector = (data.get("body_selector") or "").strip()
    if body_selector and selector_problem(body_selector):
        raise LayoutError(_("This is not a valid CSS selector: %(problem)s",
                            problem=selector_problem(body_selector)), "body_selector")
    rule_order = data.get("rule_order") or 0
    if rule_order < 0:
        raise LayoutError(_("The rule order is a number from 0 up."), "rule_order")
    return {
        "name": (data.get("name") or "").strip() or slug,
        "slug": slug,
        "body_selector": body_selector,
        "is_default": bool(data.get("is_default")),
        "match_sections": parse_sections(data.get("match_sections") or ""),
        "match_url_pattern": (data.get("match_url_pattern") or "").strip(),
        "rule_order": rule_order,
    }


def _only_default(layout: Layout) -> None:
    """Make ``layout`` the site's only default: a site has at most one."""
    others = db.session.scalars(select(Layout).where(
        Layout.site_id == layout.site_id, Layout.is_default.is_(True), Layout.id != layout.id))
    for other in others:
        other.is_default = False
        record("update", other, summary=other.name, changes={"is_default": [True, False]})


def create_layout(site: Site, data: dict) -> Layout:
    """Add a layout to ``site``; the caller commits."""
    if site is None or site.archived:
        raise LayoutError(_("Choose a site."), "site_id")
    fields = _clean(site, data, None)
    layout = Layout(site_id=site.id, **fields)
    db.session.add(layout)
    db.session.flush()
    if layout.is_default:
        _only_default(layout)
    record("create", layout, summary=layout.name)
    return layout


def update_layout(layout: Layout, data: dict) -> dict:
    """Change a layout's name, slug, body selector, default flag and rule; give the changes."""
    fields = _clean(layout.site, data, layout)
    changes = changed_fields(layout, fields)
    if changes:
        if layout.is_default:
            _only_default(layout)
        record("update", layout, summary=layout.name, changes=changes)
    return changes


def archive_layout(layout: Layout) -> None:
    """Retire a layout: tags naming it fall back to rules and the default; reports keep it."""
    layout.archived_at = utcnow()
    layout.is_default = False
    record("archive", layout, summary=layout.name)


def move_rule(layout: Layout, step: int) -> bool:
    """Swap the layout's rule with the one before (-1) or after (+1); give whether it moved.

    Renumbers the site's rules 0, 1, 2… so the order is always plain.
    """
    rules = [lay for lay in site_layouts(layout.site_id) if has_rule(lay)]
    if layout not in rules:
        return False
    index = rules.index(layout)
    other = index + step
    if not 0 <= other < len(rules):
        return False
    rules[index], rules[other] = rules[other], rules[index]
    for order, rule in enumerate(rules):
        rule.rule_order = order
    record("move", layout, summary=layout.name,
           changes={"rule_order": [index, other]})
    return True
