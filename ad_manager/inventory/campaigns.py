"""Campaigns: flights, tiers, goals, caps, targeting and the zones they are booked into."""

import re
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import and_

from ad_manager import saving
from ad_manager.invalid import Invalid
from ad_manager.inventory import creatives
from ad_manager.inventory.prices import price_text, price_values
from ad_manager.models import Campaign, Role, Zone
from ad_manager.models.inventory import GOAL_MEASURES

TIERS = ("sponsorship", "standard", "house")
PACES = ("even", "asap")
STATES = ("draft", "active", "paused")
DEVICES = ("desktop", "tablet", "phone")
DEFAULT_TIMEZONE = "Europe/Paris"
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


def flight_timezone(zones: list[Zone], default: str = DEFAULT_TIMEZONE) -> ZoneInfo:
    """Give the time zone flight dates are entered in: the booked zones' site's."""
    names = {zone.site.timezone for zone in zones if zone.site is not None}
    if len(names) > 1:
        raise Invalid.on("zones", _("These zones belong to sites in different time zones: "
                                    "book them in separate campaigns."))
    return ZoneInfo(names.pop() if names else default)


def campaign_timezone(campaign: Campaign) -> ZoneInfo:
    """Give the time zone a campaign's flight is shown in (its zones' site's)."""
    try:
        return flight_timezone(campaign.zones)
    except Invalid:  # zones of sites in several time zones: booked before the rule
        return ZoneInfo(DEFAULT_TIMEZONE)


def to_utc(local: datetime, tz: tzinfo) -> datetime:
    """Give the instant of a wall-clock time entered in ``tz``."""
    return local.replace(tzinfo=tz).astimezone(ZoneInfo("UTC"))


def to_local(instant: datetime, tz: tzinfo) -> datetime:
    """Give the wall-clock time (naive) of an instant in ``tz``, for the form."""
    return instant.astimezone(tz).replace(tzinfo=None)


def _count(data: dict, field: str, errors: dict) -> int | None:
    """Read an optional whole number of at least 1 (a goal, a cap)."""
    value = data.get(field)
    if value is None or value == "":
        return None
    if value == 0:
        errors[field] = _("A cap of 0 would never show the campaign: leave it empty for "
                          "no cap.")
    elif value < 0:
        errors[field] = _("Give a number of at least %(n)s.", n=1)
    return value


def _words(text: str) -> list[str]:
    """Split a comma separated list, trimmed and distinct, in order."""
    words: list[str] = []
    for part in (text or "").split(","):
        word = part.strip()
        if word and word not in words:
            words.append(word)
    return words


def campaign_values(data: dict, campaign: Campaign | None = None) -> dict:
    """Check a campaign form's values; give the model's fields or raise ``Invalid``.

    ``data`` holds the parsed form: advertiser_id, name, starts_at and ends_at (naive,
    in the zones' site time zone), tier, weight, goal_impressions, goal_measure
    (rendered, viewable or clicks), daily_cap, pace,
    freq_cap_count, freq_cap_hours, target_sections/tags/languages (comma separated
    text), target_devices (list), zones and inserts (model objects), state, salesperson
    (a User, or None), pricing_model, price (text) and order_number (``inventory.prices``).
    """
    errors: dict[str, str] = {}
    values: dict = {"advertiser_id": data.get("advertiser_id"),
                    "name": (data.get("name") or "").strip(),
                    "tier": data.get("tier"), "pace": data.get("pace"), "state": data.get("state"),
                    "weight": data.get("weight"), "zones": list(data.get("zones") or []),
                    "inserts": list(data.get("inserts") or []),
                    "target_sections": _words(data.get("target_sections", "")),
                    "target_tags": _words(data.get("target_tags", "")),
                    "target_languages": [w.lower() for w in _words(data.get("target_languages",
                                                                            ""))],
                    "target_devices": [d for d in DEVICES if d in (data.get("target_devices")
                                                                   or [])]}
    if any(not LANGUAGE.match(code) for code in values["target_languages"]):
        errors["target_languages"] = _("Write languages as two-letter codes, e.g. fr, en.")
    if not values["advertiser_id"]:
        errors["advertiser_id"] = _("Choose the advertiser.")
    if not values["name"]:
        errors["name"] = _("Give the campaign a name.")
    if values["tier"] not in TIERS:
        errors["tier"] = _("Choose a priority tier.")
    if values["pace"] not in PACES:
        errors["pace"] = _("Choose a delivery pace.")
    if values["state"] not in STATES:
        errors["state"] = _("Choose a state.")
    elif values["state"] == "draft" and campaign is not None and campaign.state != "draft":
        errors["state"] = _("A campaign that was switched on cannot go back to draft: pause it.")
    if values["weight"] is None or values["weight"] < 0:
        errors["weight"] = _("The weight must be 0 or more.")
    for field in ("goal_impressions", "daily_cap", "freq_cap_count", "freq_cap_hours"):
        values[field] = _count(data, field, errors)
    salesperson = data.get("salesperson")
    values["salesperson_id"] = salesperson.id if salesperson is not None else None
    kept = campaign is not None and values["salesperson_id"] == campaign.salesperson_id
    if salesperson is not None and not kept and not (salesperson.active
                                                     and salesperson.can(Role.SALES)):
        errors["salesperson_id"] = _("Choose a salesperson who may sell (sales or admin).")
    values.update(price_values(data, errors))
    values["goal_measure"] = data.get("goal_measure") or "rendered"
    if values["goal_measure"] not in GOAL_MEASURES:
        errors["goal_measure"] = _("Choose what the goal counts.")
    if (values["freq_cap_count"] is None) != (values["freq_cap_hours"] is None):
        errors.setdefault("freq_cap_count", _("Give both how many times and per how many "
                                              "hours, or neither."))
    try:
        tz = flight_timezone(values["zones"])
    except Invalid as error:
        errors.update(error.errors)
        tz = ZoneInfo(DEFAULT_TIMEZONE)
    for field in ("starts_at", "ends_at"):
        if data.get(field) is None:
            errors[field] = _("Give a date and time.")
        else:
            values[field] = to_utc(data[field], tz)
    if "starts_at" in values and "ends_at" in values and values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = _("The end must come after the start.")
    if errors:
        raise Invalid(errors)
    return values


def ever_switched_on(campaign: Campaign) -> bool:
    """Tell whether the campaign left draft: it may have delivered, reports need it."""
    return campaign.state != "draft"


def create_campaign(data: dict) -> Campaign:
    """Add a campaign from a form's values (zones and inserts as rows)."""
    campaign = Campaign(**campaign_values(data))
    return saving.add(campaign, summary=campaign.name)


def update_campaign(campaign: Campaign, data: dict) -> Campaign:
    """Change a campaign from a form's values (when they change nothing, nothing is written).

    Bookings are logged by slug: ids mean nothing to a reader of the log.
    """
    values = campaign_values(data, campaign)
    booked = {}
    for field in ("zones", "inserts"):
        items = values.pop(field)
        if sorted(i.id for i in items) != sorted(i.id for i in getattr(campaign, field)):
            booked[field] = [sorted(i.slug for i in getattr(campaign, field)),
                             sorted(i.slug for i in items)]
            setattr(campaign, field, items)
    saving.change(campaign, values, summary=campaign.name, extra=booked)
    return campaign


def remove_campaign(campaign: Campaign, upload_folder: str = "") -> str:
    """Archive a campaign that was ever switched on, delete a draft; say which."""
    if ever_switched_on(campaign):
        saving.archive(campaign, summary=campaign.name)
        return "archive"
    for creative in list(campaign.creatives):
        creatives.delete_creative(creative, upload_folder)
    campaign.zones.clear()
    campaign.inserts.clear()
    saving.delete(campaign, summary=campaign.name)
    return "delete"


# What a duplicate keeps of the campaign it copies (name, flight and state are new).
COPIED_FIELDS = ("advertiser_id", "tier", "weight", "goal_impressions", "goal_measure",
                 "daily_cap", "pace", "freq_cap_count", "freq_cap_hours", "target_devices")


def duplicate_campaign(campaign: Campaign, data: dict, upload_folder: str = "") -> Campaign:
    """Add a draft copy of ``campaign`` (a renewal): its settings, its live bookings and
    creatives, under ``data``'s name and flight (starts_at, ends_at: naive, in the
    zones' site time zone), checked like a new campaign; raise ``Invalid`` otherwise."""
    values = {field: getattr(campaign, field) for field in COPIED_FIELDS}
    values.update({field: ", ".join(getattr(campaign, field)) for field in (
        "target_sections", "target_tags", "target_languages")})
    values.update(name=data.get("name"), starts_at=data.get("starts_at"),
                  ends_at=data.get("ends_at"), state="draft",
                  zones=[zone for zone in campaign.zones if zone.archived_at is None],
                  inserts=[insert for insert in campaign.inserts if insert.archived_at is None])
    # A renewal is sold at the same price; its order number is the new order's.
    values.update(pricing_model=campaign.pricing_model, price=price_text(campaign.price))
    seller = campaign.salesperson  # kept while they may still sell
    values["salesperson"] = seller if seller and seller.active and seller.can(Role.SALES) else None
    copy = create_campaign(values)
    for creative in campaign.creatives:
        if creative.archived_at is None:
            creatives.copy_creative(creative, copy, upload_folder)
    return copy


def restore_campaign(campaign: Campaign) -> bool:
    """Bring an archived campaign back; give whether it was archived."""
    return saving.restore(campaign, summary=campaign.name)


def status_condition(status: str, now: datetime):
    """Give the SQL condition of campaigns whose ``Campaign.status(now)`` is ``status``.

    Any other value gives every campaign not archived.
    """
    current = Campaign.archived_at.is_(None)
    conditions = {
        "archived": Campaign.archived_at.is_not(None),
        "draft": and_(current, Campaign.state == "draft"),
        "finished": and_(current, Campaign.state != "draft", Campaign.ends_at <= now),
        "paused": and_(current, Campaign.state == "paused", Campaign.ends_at > now),
        "scheduled": and_(current, Campaign.state == "active", Campaign.starts_at > now),
        "live": and_(current, Campaign.state == "active", Campaign.starts_at <= now,
                     Campaign.ends_at > now),
    }
    return conditions.get(status, current)
