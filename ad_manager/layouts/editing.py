"""Creating, changing and archiving layouts, and the order of their matching rules."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager import saving
from ad_manager.audit import record
from ad_manager.delivery.layouts import has_rule
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.layouts.selectors import selector_problem
from ad_manager.models import Layout, Site

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
    """Check the layout's fields; give them ready to set, or raise ``Invalid``."""
    slug = (data.get("slug") or "").strip().lower()
    if not SLUG.match(slug):
        raise Invalid.on("slug", _("Use lower-case letters, digits and dashes."))
    taken = db.session.scalar(
        select(Layout.id).where(Layout.site_id == site.id, Layout.slug == slug))
    if taken is not None and (layout is None or taken != layout.id):
        raise Invalid.on("slug", _("This site already has a layout with this slug."))
    body_selector = (data.get("body_selector") or "").strip()
    if body_selector and selector_problem(body_selector):
        raise Invalid.on("body_selector", _("This is not a valid CSS selector: %(problem)s",
                                            problem=selector_problem(body_selector)))
    rule_order = data.get("rule_order") or 0
    if rule_order < 0:
        raise Invalid.on("rule_order", _("The rule order is a number from 0 up."))
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
        saving.change(other, {"is_default": False}, summary=other.name)


def create_layout(site: Site, data: dict) -> Layout:
    """Add a layout to ``site``; the caller commits."""
    if site is None or site.archived:
        raise Invalid.on("site_id", _("Choose a site."))
    layout = Layout(site_id=site.id, **_clean(site, data, None))
    saving.add(layout, summary=layout.name)
    if layout.is_default:
        _only_default(layout)
    return layout


def update_layout(layout: Layout, data: dict) -> Layout:
    """Change a layout's name, slug, body selector, default flag and rule.

    When the values change nothing, nothing is written.
    """
    changes = saving.change(layout, _clean(layout.site, data, layout), summary=layout.name)
    if changes and layout.is_default:
        _only_default(layout)
    return layout


def archive_layout(layout: Layout) -> bool:
    """Retire a layout: tags naming it fall back to rules and the default; reports keep it.

    An archived layout is no longer the site's default; restoring it does not make
    it the default again. Gives whether it was live.
    """
    if not saving.archive(layout, summary=layout.name):
        return False
    layout.is_default = False
    return True


def restore_layout(layout: Layout) -> bool:
    """Bring an archived layout back, not as the default; give whether it was archived."""
    return saving.restore(layout, summary=layout.name)


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
