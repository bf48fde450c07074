"""The report screen's question as a GET form: period, grouping, filters."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import DateField, Form, SelectField
from wtforms.validators import Optional

from ad_manager.extensions import db
from ad_manager.models import Advertiser, Campaign, Insert, Layout, Site, Zone
from ad_manager.stats.reports import Period, report_timezone

PERIODS = [("today", _l("Today")), ("yesterday", _l("Yesterday")), ("7d", _l("Last 7 days")),
           ("30d", _l("Last 30 days")), ("month", _l("This month")), ("custom", _l("Custom"))]
GROUPS = [("day", _l("By day")), ("hour", _l("By hour"))]
MAX_DAYS = 400
MAX_HOUR_DAYS = 31


def optional_id(value):
    """Read a select's id: empty means "all"."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not among the choices: the field says so


def preset_dates(preset: str, today: date) -> tuple[date, date]:
    """Give the first and last day of a preset period."""
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset == "30d":
        return today - timedelta(days=29), today
    if preset == "month":
        return today.replace(day=1), today
    return today - timedelta(days=6), today


class ReportForm(Form):
    """What to report on; read from the query string, so a report has a URL to share."""

    period = SelectField(_l("Period"), choices=PERIODS, default="7d")
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    group = SelectField(_l("Group"), choices=GROUPS, default="day")
    site = SelectField(_l("Site"), coerce=optional_id, validate_choice=True)
    advertiser = SelectField(_l("Advertiser"), coerce=optional_id)
    campaign = SelectField(_l("Campaign"), coerce=optional_id)
    zone = SelectField(_l("Zone"), coerce=optional_id)
    insert = SelectField(_l("Insert"), coerce=optional_id)
    layout = SelectField(_l("Layout"), coerce=optional_id)

    def fill_choices(self) -> None:
        """Offer every site, advertiser, campaign, zone, insert and layout (archived too)."""
        self.site.choices = [("", _l("All sites"))] + [(s.id, s.name) for s in db.session.scalars(
            select(Site).order_by(Site.name))]
        self.advertiser.choices = [("", _l("All advertisers"))] + [
            (a.id, a.name) for a in db.session.scalars(
                select(Advertiser).order_by(Advertiser.name))]
        self.campaign.choices = [("", _l("All campaigns"))] + [
            (c.id, c.name) for c in db.session.scalars(
                select(Campaign).order_by(Campaign.starts_at.desc()))]
        self.zone.choices = [("", _l("All zones"))] + [(z.id, z.name) for z in db.session.scalars(
            select(Zone).order_by(Zone.name))]
        self.insert.choices = [("", _l("All inserts"))] + [
            (i.id, i.name) for i in db.session.scalars(select(Insert).order_by(Insert.name))]
        self.layout.choices = [("", _l("All layouts"))] + [
            (lay.id, lay.name) for lay in db.session.scalars(select(Layout).order_by(Layout.name))]

    def timezone(self) -> str:
        """Give the time zone the report reads in (see ``report_timezone``)."""
        site = self.site.data if self.site.data and self.site.data > 0 else None
        campaign = self.campaign.data if self.campaign.data and self.campaign.data > 0 else None
        return report_timezone(site_id=site, campaign_id=campaign)

    def check(self, today: date) -> bool:
        """Validate, including the custom dates and the period's length."""
        if not self.validate():
            return False
        if self.period.data == "custom":
            if self.start.data is None:
                self.start.errors.append(_l("Give the first day."))
            if self.end.data is None:
                self.end.errors.append(_l("Give the last day."))
            if self.start.errors or self.end.errors:
                return False
            if self.start.data > self.end.data:
                self.end.errors.append(_l("The last day comes before the first."))
                return False
        first, last = self.dates(today)
        if first.year < 2000 or last.year > 2100:
            self.start.errors.append(_l("Pick days between 2000 and 2100."))
            return False
        days = (last - first).days + 1
        if days > MAX_DAYS:
            self.end.errors.append(_l("At most %(n)s days at once.", n=MAX_DAYS))
            return False
        if self.group.data == "hour" and days > MAX_HOUR_DAYS:
            self.group.errors.append(_l("Group by day for more than %(n)s days.", n=MAX_HOUR_DAYS))
            return False
        return True

    def dates(self, today: date) -> tuple[date, date]:
        if self.period.data == "custom" and self.start.data and self.end.data:
            return self.start.data, self.end.data
        return preset_dates(self.period.data, today)

    def to_period(self, today: date, timezone: str = "UTC") -> Period:
        first, last = self.dates(today)
        return Period(start=first, end=last, group=self.group.data or "day", timezone=timezone,
                      site_id=self.site.data, advertiser_id=self.advertiser.data,
                      campaign_id=self.campaign.data, zone_id=self.zone.data,
                      insert_id=self.insert.data, layout_id=self.layout.data)
