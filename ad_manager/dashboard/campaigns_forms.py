"""The campaign form and how it reads from and writes to a campaign."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateTimeLocalField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ad_manager.dashboard.inventory_fields import WITHIN_COLUMN, CheckboxesField
from ad_manager.dashboard.pagination import within_calendar
from ad_manager.extensions import db
from ad_manager.inventory.campaigns import campaign_timezone, to_local
from ad_manager.inventory.prices import price_text
from ad_manager.models import Advertiser, Campaign, Insert, Role, Site, User, Zone
from ad_manager.models.base import LARGEST_ID, utcnow
from ad_manager.stats.reasons import PRICING_LABELS

DATETIME = "%Y-%m-%dT%H:%M"
TIER_CHOICES = [("sponsorship", _l("Sponsorship")), ("standard", _l("Standard")),
                ("house", _l("House"))]
PACE_CHOICES = [("even", _l("Even across the flight")), ("asap", _l("As fast as possible"))]
GOAL_CHOICES = [("rendered", _l("Impressions (ads rendered)")),
                ("viewable", _l("Viewable impressions")), ("clicks", _l("Clicks"))]
STATE_CHOICES = [("draft", _l("Draft")), ("active", _l("Active")), ("paused", _l("Paused"))]
PRICING_CHOICES = list(PRICING_LABELS.items())
DEVICE_CHOICES = [("desktop", _l("Desktop")), ("tablet", _l("Tablet")), ("phone", _l("Phone"))]


def optional_number(label):
    return IntegerField(label, validators=[Optional(), WITHIN_COLUMN])


class CampaignForm(FlaskForm):
    advertiser_id = SelectField(_l("Advertiser"), coerce=int)
    name = StringField(_l("Name"), validators=[Length(max=120)])
    starts_at = DateTimeLocalField(_l("Start"), format=DATETIME,
                                   validators=[Optional(), within_calendar])
    ends_at = DateTimeLocalField(_l("End"), format=DATETIME,
                                 validators=[Optional(), within_calendar])
    zones = CheckboxesField(_l("Zones"), coerce=int)
    inserts = CheckboxesField(_l("Sponsored links in inserts"), coerce=int)
    tier = SelectField(_l("Priority tier"), choices=TIER_CHOICES, default="standard")
    weight = IntegerField(_l("Weight within its tier"), default=1,
                          validators=[Optional(), WITHIN_COLUMN])
    goal_impressions = optional_number(_l("Goal (total)"))
    goal_measure = SelectField(_l("The goal counts"), choices=GOAL_CHOICES, default="rendered")
    daily_cap = optional_number(_l("Daily cap (impressions)"))
    pace = RadioField(_l("Delivery pace"), choices=PACE_CHOICES, default="even")
    freq_cap_count = optional_number(_l("Frequency cap: times"))
    freq_cap_hours = optional_number(_l("per hours"))
    target_sections = StringField(_l("Sections"), validators=[Length(max=500)])
    target_tags = StringField(_l("Tags"), validators=[Length(max=500)])
    target_devices = CheckboxesField(_l("Devices"), choices=DEVICE_CHOICES)
    target_languages = StringField(_l("Languages"), validators=[Length(max=100)])
    state = SelectField(_l("State"), choices=STATE_CHOICES, default="draft")
    # Checked by the service (a user who may sell); absent from a post means nobody.
    salesperson_id = SelectField(_l("Salesperson"), coerce=int, validate_choice=False)
    pricing_model = SelectField(_l("Sold by"), choices=PRICING_CHOICES, default="cpm")
    price = StringField(_l("Price"), validators=[Length(max=32)])
    order_number = StringField(_l("Order number"), validators=[Length(max=64)])

    def validate_salesperson_id(self, field):
        """Refuse an id the list does not offer (a forged post), before any query."""
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a salesperson from the list."))


def campaign_form(campaign: Campaign | None, method: str, advertiser_id: int | None = None):
    """Give the form with its choices, filled from ``campaign`` on first display."""
    if campaign is None or method == "POST":
        data = {"salesperson_id": current_user.id if current_user.can(Role.SALES) else 0}
        if advertiser_id:
            data["advertiser_id"] = advertiser_id
        form = CampaignForm(data=data)
    else:
        data = {name: getattr(campaign, name) for name in (
            "advertiser_id", "name", "tier", "weight", "goal_impressions", "goal_measure",
            "daily_cap", "pace",
            "freq_cap_count", "freq_cap_hours", "target_devices", "state", "salesperson_id",
            "pricing_model", "order_number")}
        data["price"] = price_text(campaign.price)
        tz = campaign_timezone(campaign)
        data.update(starts_at=to_local(campaign.starts_at, tz),
                    ends_at=to_local(campaign.ends_at, tz),
                    zones=[z.id for z in campaign.zones], inserts=[i.id for i in campaign.inserts],
                    **{name: ", ".join(getattr(campaign, name)) for name in (
                        "target_sections", "target_tags", "target_languages")})
        form = CampaignForm(data=data)
    advertisers = select(Advertiser).order_by(Advertiser.name).where(
        Advertiser.archived_at.is_(None) | (Advertiser.id == (campaign.advertiser_id
                                                               if campaign else None)))
    form.advertiser_id.choices = [(a.id, a.name) for a in db.session.scalars(advertisers)]
    sellers = select(User).where(
        (User.active.is_(True) & User.role.in_([Role.SALES.value, Role.ADMIN.value]))
        | (User.id == (campaign.salesperson_id if campaign else None)))
    form.salesperson_id.choices = [(0, _l("Nobody"))] + [
        (u.id, u.name or u.email) for u in db.session.scalars(sellers.order_by(User.name,
                                                                               User.email))]
    if campaign is not None and campaign.state != "draft":  # no way back to draft
        form.state.choices = [c for c in STATE_CHOICES if c[0] != "draft"]
    booked_zones = [z.id for z in campaign.zones] if campaign else []
    booked_inserts = [i.id for i in campaign.inserts] if campaign else []
    zones = select(Zone).join(Zone.site).where(
        Zone.archived_at.is_(None) | Zone.id.in_(booked_zones)).order_by(Site.name, Zone.name)
    form.zones.choices = [(z.id, f"{z.site.name} · {z.name} ({', '.join(z.sizes)})")
                          for z in db.session.scalars(zones)]
    inserts = select(Insert).join(Insert.site).where(
        (Insert.archived_at.is_(None) & Insert.allow_sponsored.is_(True))
        | Insert.id.in_(booked_inserts)).order_by(
        Site.name, Insert.name)
    form.inserts.choices = [(i.id, f"{i.site.name} · {i.name}") for i in
                            db.session.scalars(inserts)]
    return form


def form_values(form: CampaignForm) -> dict:
    """Give the form's data with zones and inserts as model objects, for the rules."""
    data = dict(form.data)
    data["zones"] = list(db.session.scalars(select(Zone).where(Zone.id.in_(form.zones.data or []))))
    data["inserts"] = list(db.session.scalars(
        select(Insert).where(Insert.id.in_(form.inserts.data or []))))
    chosen = form.salesperson_id.data  # an id past the database's range names nobody
    data["salesperson"] = (db.session.get(User, chosen)
                           if chosen and 0 < chosen <= LARGEST_ID else None)
    return data


class DuplicateForm(FlaskForm):
    """What a copy of a campaign asks: its name and its new flight."""

    name = StringField(_l("Name"), validators=[Length(max=120)])
    starts_at = DateTimeLocalField(_l("Start"), format=DATETIME,
                                   validators=[Optional(), within_calendar])
    ends_at = DateTimeLocalField(_l("End"), format=DATETIME,
                                 validators=[Optional(), within_calendar])


def duplicate_form(campaign: Campaign, method: str) -> DuplicateForm:
    """Give the copy's form; first shown with "<name> (copy)" and a flight as long as the
    campaign's, starting tomorrow at its start's time (in its site's time zone)."""
    if method == "POST":
        return DuplicateForm()
    tz = campaign_timezone(campaign)
    start, end = to_local(campaign.starts_at, tz), to_local(campaign.ends_at, tz)
    tomorrow = to_local(utcnow(), tz).date() + timedelta(days=1)
    new_start = datetime.combine(tomorrow, start.time())
    return DuplicateForm(data={"name": _("%(name)s (copy)", name=campaign.name)[:120],
                               "starts_at": new_start, "ends_at": new_start + (end - start)})
