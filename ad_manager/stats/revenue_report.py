"""Revenue in reports: the campaigns' prices and counted days, read for a period, and
each counted row's part of it (the rules are in ``stats/revenue.py``).

A day's revenue of a campaign comes from its figures of that whole day, whatever the
report's filters; a report filtered to a zone, site, insert or layout gets the part
of it that its rows rendered. Both the report screen and the CSV export ask here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.models import Campaign, Zone
from ad_manager.models.inventory import campaign_zone
from ad_manager.models.stats import DailyStat, HourlyStat
from ad_manager.stats.reports import Period, _as_date, conditions
from ad_manager.stats.revenue import ZERO, day_revenue, flight_days, share

SUMMED = ("rendered", "viewable", "clicks")
LAST_INSTANT = timedelta(microseconds=1)
LATE_EVENTS = timedelta(days=1)  # a flight ending at midnight ends the day before


@dataclass(frozen=True)
class Pricing:
    """What revenue needs of a priced campaign, its flight in the report's local days."""

    model: str
    price: Decimal
    first: date
    last: date
    advertiser_id: int
    booked: tuple[tuple[int, int], ...]  # (site id, zone id) of the zones it is booked in

    def in_flight(self, day: date, today: date) -> bool:
        return self.first <= day <= min(self.last, today)


def pricings(period: Period) -> dict[int, Pricing]:
    """Give the priced campaigns (never drafts) whose flight touches the period, that the
    period's advertiser or campaign filter keeps, by id."""
    # Flights that touch the period; a day's margin keeps the events a page sent late.
    query = select(Campaign).where(Campaign.price.is_not(None), Campaign.state != "draft",
                                   Campaign.starts_at < period.ends_at + LATE_EVENTS,
                                   Campaign.ends_at > period.starts_at - LATE_EVENTS)
    if period.campaign_id is not None:
        query = query.where(Campaign.id == period.campaign_id)
    if period.advertiser_id is not None:
        query = query.where(Campaign.advertiser_id == period.advertiser_id)
    campaigns = db.session.scalars(query).all()
    booked = defaultdict(list)
    rows = db.session.execute(select(campaign_zone.c.campaign_id, Zone.site_id, Zone.id).join(
        Zone, Zone.id == campaign_zone.c.zone_id).where(
        campaign_zone.c.campaign_id.in_([c.id for c in campaigns])).order_by(Zone.id))
    for campaign_id, site_id, zone_id in rows:
        booked[campaign_id].append((site_id, zone_id))
    return {c.id: Pricing(c.pricing_model, c.price, c.starts_at.astimezone(period.zone).date(),
                          (c.ends_at - LAST_INSTANT).astimezone(period.zone).date(),
                          c.advertiser_id, tuple(booked[c.id])) for c in campaigns}


def campaign_days(period: Period, ids: list[int]) -> dict[tuple[date, int], dict[str, int]]:
    """Give {(local day, campaign id): {rendered, viewable, clicks}} over the period, for
    the whole of each campaign (the report's site, zone, insert and layout filters
    left aside)."""
    whole = Period(start=period.start, end=period.end, timezone=period.timezone)
    found: dict[tuple[date, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(SUMMED, 0))
    if not ids:
        return found
    for model, time_column, to_day in ((HourlyStat, HourlyStat.hour, period.local_day),
                                       (DailyStat, DailyStat.day, _as_date)):
        query = select(time_column.label("at"), model.campaign_id,
                       *[func.sum(getattr(model, name)).label(name) for name in SUMMED]).where(
            *conditions(model, whole), model.campaign_id.in_(ids)).group_by(
            time_column, model.campaign_id)
        for row in db.session.execute(query):
            sums = found[(to_day(row.at), row.campaign_id)]
            for name in SUMMED:
                sums[name] += int(getattr(row, name) or 0)
    return found


@dataclass
class Revenues:
    """The period's revenue of every priced campaign, day by day, and how to share it."""

    period: Period
    today: date
    prices: dict[int, Pricing] = field(default_factory=dict)
    days: dict[tuple[date, int], dict[str, int]] = field(default_factory=dict)
    earned: dict[tuple[date, int], Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, period: Period, today: date) -> "Revenues":
        """Read prices and whole-campaign daily figures; compute each day's revenue."""
        prices = pricings(period)
        days = campaign_days(period, list(prices))
        earned = {}
        for day in period.days():
            for campaign_id, pricing in prices.items():
                figures = days.get((day, campaign_id)) or dict.fromkeys(SUMMED, 0)
                amount = day_revenue(
                    pricing.model, pricing.price, **figures,
                    in_flight=pricing.in_flight(day, today),
                    flight_length=flight_days(pricing.first, pricing.last))
                if amount:
                    earned[(day, campaign_id)] = amount
        return cls(period, today, prices, days, earned)

    def total(self) -> Decimal:
        """Give the period's revenue, every campaign's whole (no filter but advertiser and
        campaign)."""
        return sum(self.earned.values(), ZERO)

    def of_row(self, day: date, campaign_id: int, rendered: int) -> Decimal:
        """Give a counted row's part of its campaign's revenue that day, by its rendered."""
        amount = self.earned.get((day, campaign_id))
        if not amount or not rendered:
            return ZERO
        whole = self.days.get((day, campaign_id), {}).get("rendered", 0)
        return share(amount, {"row": rendered, "rest": max(whole - rendered, 0)}).get(
            "row", ZERO)

    def unrendered(self) -> dict[date, list[tuple[int, int, int, Decimal]]]:
        """Give, by day, (campaign id, site id, zone id, amount) of flat fees earned on days
        the campaign rendered nothing: shared equally by its booked zones, those the
        report's site and zone filters keep (none under an insert or layout filter)."""
        found = defaultdict(list)
        if self.period.insert_id is not None or self.period.layout_id is not None:
            return found
        for (day, campaign_id), amount in sorted(self.earned.items()):
            if self.days.get((day, campaign_id), {}).get("rendered", 0):
                continue
            booked = self.prices[campaign_id].booked
            for (site_id, zone_id), part in share(amount, {}, list(booked)).items():
                if self.period.site_id not in (None, site_id):
                    continue
                if self.period.zone_id not in (None, zone_id):
                    continue
                found[day].append((campaign_id, site_id, zone_id, part))
        return found


@dataclass
class RevenueSums:
    """A report's revenue: in all, and by campaign, advertiser, zone, insert and site."""

    total: Decimal = ZERO
    priced: set[int] = field(default_factory=set)  # campaigns with a price
    campaign: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    advertiser: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    zone: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    insert: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    site: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    def add(self, amount: Decimal, campaign_id: int, advertiser_id: int, site_id: int,
            zone_id: int = 0, insert_id: int = 0) -> None:
        if not amount:
            return
        self.total += amount
        self.campaign[campaign_id] += amount
        self.advertiser[advertiser_id] += amount
        self.site[site_id] += amount
        if zone_id:
            self.zone[zone_id] += amount
        if insert_id:
            self.insert[insert_id] += amount


def revenue_sums(period: Period, today: date) -> RevenueSums:
    """Give the revenue of the period's counted rows (its filters applied), each row's
    part of its campaign's day by rendered impressions, with flat fees of days that
    rendered nothing on the booked zones."""
    revenues = Revenues.of(period, today)
    sums = RevenueSums(priced=set(revenues.prices))
    ids = list(revenues.prices)
    if not ids:
        return sums
    keys = ("campaign_id", "site_id", "zone_id", "insert_id")
    for model, time_column, to_day in ((HourlyStat, HourlyStat.hour, period.local_day),
                                       (DailyStat, DailyStat.day, _as_date)):
        query = select(time_column.label("at"), *[getattr(model, k) for k in keys],
                       func.sum(model.rendered).label("rendered")).where(
            *conditions(model, period), model.campaign_id.in_(ids)).group_by(
            time_column, *[getattr(model, k) for k in keys])
        for row in db.session.execute(query):
            amount = revenues.of_row(to_day(row.at), row.campaign_id, int(row.rendered or 0))
            sums.add(amount, row.campaign_id, revenues.prices[row.campaign_id].advertiser_id,
                     row.site_id, row.zone_id, row.insert_id)
    for rows in revenues.unrendered().values():
        for campaign_id, site_id, zone_id, amount in rows:
            sums.add(amount, campaign_id, revenues.prices[campaign_id].advertiser_id,
                     site_id, zone_id)
    return sums


def month_revenues(today: date, timezone: str) -> tuple[Decimal, Decimal]:
    """Give the revenue of this month so far and of the whole previous month."""
    first = today.replace(day=1)
    previous_last = first - timedelta(days=1)
    this = Revenues.of(Period(start=first, end=today, timezone=timezone), today).total()
    last = Revenues.of(Period(start=previous_last.replace(day=1), end=previous_last,
                              timezone=timezone), today).total()
    return this, last
