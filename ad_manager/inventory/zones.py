"""Zones: the ad slots of a site's pages, their sizes and what they do unsold."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager import saving
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory import sizes, slugs
from ad_manager.models import Campaign, Zone

UNSOLD_CHOICES = ("house", "collapse")


def zone_values(data: dict, site_id: int | None, zone: Zone | None = None) -> dict:
    """Check a zone form's values; give the model's fields or raise ``Invalid``.

    ``data``: name, slug, sizes (list of chosen "WxH"), custom_sizes (text, comma
    separated), size_map (text, one "min width: sizes" row per line), label, unsold.
    """
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    values: dict = {"site_id": site_id, "name": name,
                    "label": (data.get("label") or "").strip(), "unsold": data.get("unsold")}
    if site_id is None:
        errors["site_id"] = _("Choose the site of this zone.")
    if not name:
        errors["name"] = _("Give the zone a name.")
    if values["unsold"] not in UNSOLD_CHOICES:
        errors["unsold"] = _("Choose what an unsold zone does.")
    try:
        values["slug"] = slugs.slug(data.get("slug", ""), "slug", name)
        if site_id is not None and slug_taken(site_id, values["slug"], zone):
            errors["slug"] = _("Another zone of this site already uses this slug.")
    except Invalid as error:
        errors.update(error.errors)
    try:
        chosen = sizes.parse_sizes(list(data.get("sizes") or []), "sizes")
        chosen += [s for s in sizes.parse_sizes([data.get("custom_sizes", "")], "custom_sizes")
                   if s not in chosen]
        if not chosen:
            raise Invalid.on("sizes", _("Choose at least one size."))
        values["size_map"] = sizes.parse_size_map(data.get("size_map", ""), chosen)
        unused = [s for s in chosen if s not in sizes.size_map_sizes(values["size_map"])]
        if unused:
            raise Invalid.on("size_map", _("The size map never uses %(sizes)s: add it to a "
                                           "line or untick it.", sizes=", ".join(unused)))
        values["sizes"] = chosen
    except Invalid as error:
        errors.update(error.errors)
    if errors:
        raise Invalid(errors)
    return values


def slug_taken(site_id: int, slug: str, zone: Zone | None) -> bool:
    """Tell whether another zone of the site has ``slug``."""
    query = select(Zone.id).where(Zone.site_id == site_id, Zone.slug == slug)
    if zone is not None and zone.id is not None:
        query = query.where(Zone.id != zone.id)
    return db.session.scalar(query) is not None


def bookings(zone: Zone, now: datetime) -> dict[str, list[Campaign]]:
    """Give the zone's campaigns live ``now`` and those coming ``next``, by start."""
    booked = sorted((c for c in zone.campaigns if c.archived_at is None),
                    key=lambda c: (c.starts_at, c.id))
    return {"now": [c for c in booked if c.status(now) == "live"],
            "next": [c for c in booked if c.status(now) == "scheduled"]}


def has_delivered(zone: Zone) -> bool:
    """Tell whether a campaign that was ever switched on was booked into the zone."""
    return any(c.state != "draft" for c in zone.campaigns)


def create_zone(data: dict) -> Zone:
    """Add a zone from a form's values (``data["site_id"]`` names its site)."""
    zone = Zone(**zone_values(data, data.get("site_id")))
    return saving.add(zone, summary=zone.name)


def update_zone(zone: Zone, data: dict) -> Zone:
    """Change a zone from a form's values (when they change nothing, nothing is written)."""
    saving.change(zone, zone_values(data, data.get("site_id"), zone), summary=zone.name)
    return zone


def remove_zone(zone: Zone) -> str:
    """Archive a zone that may have delivered, delete one that never did; say which."""
    if has_delivered(zone):
        saving.archive(zone, summary=zone.name)
        return "archive"
    zone.campaigns.clear()
    saving.delete(zone, summary=zone.name)
    return "delete"


def restore_zone(zone: Zone) -> bool:
    """Bring an archived zone back; give whether it was archived."""
    return saving.restore(zone, summary=zone.name)
