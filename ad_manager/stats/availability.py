"""Availability: what a flight in some zones can still deliver, and whether a goal fits.

Expected traffic comes from each zone's own history (``stats.forecast``: rendered
impressions by weekday and hour on the site's clock, with a trend). From it we take
what campaigns of a higher or the same tier already booked in those zones over the
same hours, the way the decision shares them out (``delivery.creative_choice``):

- a booked campaign with a goal needs what it has left of it (in rendered
  impressions, through its zones' viewable rate or CTR when its goal counts those),
  spread over the rest of its flight and its zones in proportion to their traffic;
- one without a goal takes every impression of a higher tier's hours, and its
  weight's share of the same tier's.

What is left is compared with the goal (what is left of it, for a campaign under
way): "can" deliver with ``RISK`` to spare, "cannot" below ``1 - RISK`` of it, "at
risk" between. ``RISK`` is the tolerance the back-test holds the forecast to. The
counters do not record a page's section, tags, device or language: with targeting,
the figure is an upper bound, and "can" becomes "at risk".
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from ad_manager.delivery.creative_choice import TIERS
from ad_manager.extensions import db
from ad_manager.models import Campaign, Zone
from ad_manager.models.inventory import campaign_zone
from ad_manager.models.stats import DailyStat, HourlyStat
from ad_manager.stats.delivered import delivered
from ad_manager.stats.forecast import (
    FIT_DAYS,
    NotEnoughHistory,
    TrafficModel,
    fit,
    hours_between,
)
from ad_manager.stats.reports import zone_of

RISK = 0.15
BOOKED_STATES = ("active", "paused")


@dataclass(frozen=True)
class Ask:
    """A flight to forecast: the form's values, UTC instants."""

    zone_ids: tuple[int, ...]
    starts_at: datetime
    ends_at: datetime
    tier: str = "standard"
    weight: int = 1
    goal: int | None = None
    goal_measure: str = "rendered"
    daily_cap: int | None = None
    targeted: bool = False
    campaign_id: int | None = None  # the campaign being edited: never booked against itself


@dataclass
class Availability:
    """What the flight's zones can deliver, and the verdict against the goal."""

    expected: int = 0  # rendered impressions expected in the flight (the rest of it)
    booked: int = 0  # of which higher or same tiers take
    available: int = 0  # rendered impressions left
    available_goal: int | None = None  # the same in the goal's measure (capped)
    goal_left: int | None = None  # what the goal still needs
    verdict: str | None = None  # "can", "at_risk", "cannot"; None without a goal
    capped: bool = False  # the daily cap limits the flight below what is available
    short: list = field(default_factory=list)  # (zone, days of history) under the minimum
    competitors: int = 0  # booked campaigns counted

    @property
    def enough_history(self) -> bool:
        return not self.short


class Traffic:
    """Traffic models of zones, fitted once per request, on one clock."""

    def __init__(self, now: datetime, timezone: str):
        self.now = now
        self.tz = zone_of(timezone)
        self.today = now.astimezone(self.tz).date()
        self.models: dict[int, TrafficModel | NotEnoughHistory] = {}
        self.spans: dict[tuple, dict] = {}

    def model(self, zone_id: int) -> TrafficModel | NotEnoughHistory:
        """Give the zone's fitted model, or why there is none."""
        if zone_id not in self.models:
            since = datetime.combine(self.today - timedelta(days=FIT_DAYS + 1), time(0),
                                     tzinfo=self.tz).astimezone(UTC)
            hourly = dict(db.session.execute(
                select(HourlyStat.hour, func.sum(HourlyStat.rendered))
                .where(HourlyStat.zone_id == zone_id, HourlyStat.hour >= since)
                .group_by(HourlyStat.hour)).all())
            daily = {day if not isinstance(day, str) else datetime.fromisoformat(day).date():
                     rendered for day, rendered in db.session.execute(
                         select(DailyStat.day, func.sum(DailyStat.rendered))
                         .where(DailyStat.zone_id == zone_id, DailyStat.day >= since.date())
                         .group_by(DailyStat.day))}
            try:
                self.models[zone_id] = fit({h: float(c or 0) for h, c in hourly.items()},
                                           self.today, self.tz,
                                           {d: float(c or 0) for d, c in daily.items()})
            except NotEnoughHistory as short:
                self.models[zone_id] = short
        return self.models[zone_id]

    def hours(self, zone_id: int, starts_at: datetime, ends_at: datetime) -> dict:
        """Give {UTC hour: impressions expected} of a zone from now on (none without a model)."""
        key = (zone_id, starts_at, ends_at)
        if key not in self.spans:  # a long booking is spread once, not once a week asked
            model = self.model(zone_id)
            self.spans[key] = {} if isinstance(model, NotEnoughHistory) else {
                hour: model.hour(hour) * share
                for hour, share in hours_between(max(starts_at, self.now), ends_at)}
        return dict(self.spans[key])


def rates(zone_ids) -> dict[str, float]:
    """Give what one rendered impression is worth in each goal measure, from history."""
    rendered, viewable, clicks = db.session.execute(
        select(func.sum(HourlyStat.rendered), func.sum(HourlyStat.viewable),
               func.sum(HourlyStat.clicks)).where(HourlyStat.zone_id.in_(list(zone_ids)))).one()
    rendered = int(rendered or 0)
    if not rendered:
        return {"rendered": 1.0, "viewable": 0.0, "clicks": 0.0}
    return {"rendered": 1.0, "viewable": int(viewable or 0) / rendered,
            "clicks": int(clicks or 0) / rendered}


def rank(tier: str) -> int:
    return TIERS.index(tier) if tier in TIERS else len(TIERS)


def competitors(ask: Ask) -> list[Campaign]:
    """Give the campaigns of a higher or the same tier booked in the zones over the flight."""
    booked_here = select(campaign_zone.c.campaign_id).where(
        campaign_zone.c.zone_id.in_(ask.zone_ids))
    found = db.session.scalars(
        select(Campaign).where(Campaign.id.in_(booked_here), Campaign.archived_at.is_(None),
                               Campaign.state.in_(BOOKED_STATES),
                               Campaign.starts_at < ask.ends_at,
                               Campaign.ends_at > ask.starts_at).order_by(Campaign.id)).all()
    return sorted((c for c in found if c.id != ask.campaign_id and rank(c.tier) <= rank(ask.tier)),
                  key=lambda c: (rank(c.tier), c.id))


def _take(left: dict, campaign: Campaign, ask: Ask, traffic: Traffic, figures: dict) -> None:
    """Take what ``campaign`` will deliver in the asked zones and hours out of ``left``."""
    if campaign.goal_impressions:
        zones = [z.id for z in campaign.zones if z.archived_at is None]
        rate = rates(zones).get(campaign.goal_measure, 1.0) or 1.0
        need = max(campaign.goal_impressions - figures.get(campaign.id, (0, 0))[0], 0) / rate
        spread = {z: traffic.hours(z, campaign.starts_at, campaign.ends_at) for z in zones}
        total = sum(sum(hours.values()) for hours in spread.values())
        if not total:
            return
        for zone_id, hours in left.items():
            theirs = spread.get(zone_id, {})
            for hour in hours:
                if hour in theirs:
                    hours[hour] -= min(hours[hour], need * theirs[hour] / total)
        return
    share = 1.0 if rank(campaign.tier) < rank(ask.tier) else (
        campaign.weight / (campaign.weight + ask.weight) if campaign.weight else 0.0)
    booked = {z.id for z in campaign.zones}
    for zone_id, hours in left.items():
        if zone_id in booked:
            for hour in hours:
                if campaign.starts_at <= hour < campaign.ends_at:
                    hours[hour] -= hours[hour] * share


def availability(ask: Ask, traffic: Traffic) -> Availability:
    """Forecast what the asked flight can deliver in its zones; judge it against its goal."""
    found = Availability()
    for zone_id in ask.zone_ids:
        model = traffic.model(zone_id)
        if isinstance(model, NotEnoughHistory):
            found.short.append((db.session.get(Zone, zone_id), model.days))
    if found.short or not ask.zone_ids:
        return found
    left = {z: traffic.hours(z, ask.starts_at, ask.ends_at) for z in ask.zone_ids}
    found.expected = round(sum(sum(hours.values()) for hours in left.values()))
    others = competitors(ask)
    figures = delivered([c.id for c in others] + ([ask.campaign_id] if ask.campaign_id else []),
                        traffic.now)
    for campaign in others:
        _take(left, campaign, ask, traffic, figures)
    found.competitors = len(others)
    found.available = round(sum(sum(hours.values()) for hours in left.values()))
    found.booked = found.expected - found.available
    if not ask.goal:
        return found
    rate = rates(ask.zone_ids).get(ask.goal_measure, 1.0)
    reachable = found.available
    if ask.daily_cap:
        days = len({h.astimezone(traffic.tz).date() for h in left[ask.zone_ids[0]]})
        if ask.daily_cap * days < reachable:
            reachable, found.capped = ask.daily_cap * days, True
    found.available_goal = round(reachable * rate)
    done = figures.get(ask.campaign_id, (0, 0))[0] if ask.campaign_id else 0
    found.goal_left = max(ask.goal - done, 0)
    found.verdict = verdict(found.available_goal, found.goal_left, ask.targeted)
    return found


def verdict(available: int, needed: int, targeted: bool = False) -> str:
    """Say whether ``available`` covers ``needed``: "can", "at_risk" or "cannot"."""
    if needed <= 0 or available >= needed * (1 + RISK):
        return "at_risk" if targeted and needed > 0 else "can"
    if available >= needed * (1 - RISK):
        return "at_risk"
    return "cannot"


@dataclass(frozen=True)
class Week:
    """A week of a zone's calendar: its first local day and what a standard booking gets."""

    monday: object
    availability: Availability


def weeks_ahead(zone: Zone, now: datetime, weeks: int = 8) -> list[Week]:
    """Give the zone's next ``weeks`` weeks (this one's rest first), on its site's clock,
    with what a new standard campaign could still get in each."""
    traffic = Traffic(now, zone.site.timezone if zone.site else "UTC")
    monday = traffic.today - timedelta(days=traffic.today.weekday())
    found = []
    for n in range(weeks):
        first = monday + timedelta(weeks=n)
        starts_at = datetime.combine(first, time(0), tzinfo=traffic.tz).astimezone(UTC)
        ends_at = datetime.combine(first + timedelta(weeks=1), time(0),
                                   tzinfo=traffic.tz).astimezone(UTC)
        found.append(Week(first, availability(Ask((zone.id,), starts_at, ends_at), traffic)))
    return found
