"""Availability before booking: the campaign form's live forecast panel (htmx)."""

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.campaigns_forms import CampaignForm
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory.campaigns import flight_timezone, to_utc
from ad_manager.models import Role, Zone, utcnow
from ad_manager.models.base import LARGEST_ID
from ad_manager.stats.availability import Ask, Traffic, availability
from ad_manager.stats.reasons import GOAL_LABELS

bp = staff_blueprint("availability", __name__, url_prefix="/availability")


def read_ask(args) -> tuple[Ask | None, list[Zone], str | None]:
    """Read the campaign form's values from a query; give the ask, its zones and, when
    it cannot be forecast yet, what is missing."""
    form = CampaignForm(formdata=args, meta={"csrf": False})
    ids = [i for i in (form.zones.data or []) if isinstance(i, int) and 0 < i <= LARGEST_ID]
    zones = list(db.session.scalars(select(Zone).where(Zone.id.in_(ids)).order_by(Zone.id)))
    if not zones:
        return None, zones, _("Choose at least one zone to see what it can deliver.")
    if form.starts_at.data is None or form.ends_at.data is None:
        return None, zones, _("Give the flight's start and end to see what it can deliver.")
    try:
        tz = flight_timezone(zones)
    except Invalid as invalid:
        return None, zones, invalid.errors["zones"]
    starts_at, ends_at = to_utc(form.starts_at.data, tz), to_utc(form.ends_at.data, tz)
    if ends_at <= starts_at:
        return None, zones, _("The end must come after the start.")
    if ends_at <= utcnow():
        return None, zones, _("This flight is over: nothing is left to forecast.")
    number = {name: getattr(form, name).data for name in ("weight", "goal_impressions",
                                                          "daily_cap")}
    number = {name: value if isinstance(value, int) and 0 <= value <= LARGEST_ID else None
              for name, value in number.items()}
    campaign = args.get("campaign", "")
    targeted = any((args.get(name) or "").strip() for name in (
        "target_sections", "target_tags", "target_languages")) or bool(form.target_devices.data)
    return Ask(zone_ids=tuple(z.id for z in zones), starts_at=starts_at, ends_at=ends_at,
               tier=form.tier.data, weight=number["weight"] if number["weight"] is not None
               else 1, goal=number["goal_impressions"] or None,
               goal_measure=form.goal_measure.data if form.goal_measure.data in GOAL_LABELS
               else "rendered", daily_cap=number["daily_cap"] or None, targeted=targeted,
               campaign_id=int(campaign) if campaign.isascii() and campaign.isdigit()
               and int(campaign) <= LARGEST_ID else None), zones, None


@bp.route("/campaign")
@requires(Role.SALES)
def campaign():
    """Give the campaign form's forecast panel for the values it holds now."""
    ask, zones, missing = read_ask(request.args)
    found = None
    if ask is not None:
        found = availability(ask, Traffic(utcnow(), zones[0].site.timezone))
    return render_template("availability/_forecast.html", ask=ask, found=found, missing=missing,
                           goal_labels=GOAL_LABELS)
