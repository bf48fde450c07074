"""Report queries: figures for a period, grouped by day or hour, with filters.

Counters are stored per UTC hour; reports read them on the site's clock. A
period is a run of local days in a time zone (the site's, see
``report_timezone``): its hours are picked by their UTC instants and each is put
in the local day it falls in, so "Monday" means Monday in Paris, not in London.
Every day (or hour) of the period gets a line, zeros included.

Rolled-up days (``DailyStat``, kept per UTC day once hourly rows are older than
``ROLLUP_AFTER_DAYS``) have no hours any more: each shows under its own date, and
grouped by hour as one whole-day bucket at that day's local midnight.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.models import Campaign, Site
from ad_manager.models.stats import FILTER_REASONS, MEASURES, DailyStat, HourlyStat

COUNTED = MEASURES
FILTERS = ("site_id", "campaign_id", "zone_id", "insert_id", "layout_id")


def zone_of(name: str | None) -> ZoneInfo:
    """Give the ZoneInfo of a time zone name; UTC for an empty or unknown one."""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class Period:
    """A report's question: which local days in which time zone, grouped how, filtered."""

    start: date
    end: date  # inclusive
    group: str = "day"  # "day" or "hour"
    site_id: int | None = None
    advertiser_id: int | None = None
    campaign_id: int | None = None
    zone_id: int | None = None
    insert_id: int | None = None
    layout_id: int | None = None
    timezone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.timezone)

    def midnight(self, day: date) -> datetime:
        """Give the UTC instant a local day begins."""
        return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)

    @property
    def starts_at(self) -> datetime:
        return self.midnight(self.start)

    @property
    def ends_at(self) -> datetime:
        return self.midnight(self.end + timedelta(days=1))

    def local_day(self, instant: datetime) -> date:
        """Give the local day an instant (a stored UTC hour) falls in."""
        return instant.astimezone(self.zone).date()

    def days(self) -> list[date]:
        """Give every day of the period, in order."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def hours(self) -> list[datetime]:
        """Give the UTC start of every hour of the period (23 or 25 on a DST day)."""
        count = int((self.ends_at - self.starts_at).total_seconds() // 3600)
        return [self.starts_at + timedelta(hours=n) for n in range(count)]


def default_timezone() -> str:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Paris"


def report_timezone(site_id: int | None = None, campaign_id: int | None = None) -> str:
    """Give the time zone a report reads in: the filtered site's, else the
    campaign's site's, else the one all sites share, else the dashboard's."""
    from ad_manager.stats.delivered import campaign_timezones

    if site_id is not None:
        found = db.session.get(Site, site_id)
        if found is not None and found.timezone:
            return found.timezone
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is not None:
        return campaign_timezones([campaign_id])[campaign_id]
    zones = set(db.session.scalars(select(Site.timezone).where(
        Site.archived_at.is_(None)).distinct()))
    zones.discard(None)
    zones.discard("")
    if len(zones) == 1:
        return zones.pop()
    return default_timezone()


@dataclass
class Figures:
    """Counts of one report line, with the rates sales read."""

    served: int = 0
    rendered: int = 0
    viewable: int = 0
    clicks: int = 0
    filtered: int = 0
    not_placed: int = 0
    filtered_bot: int = 0
    filtered_excluded: int = 0
    filtered_origin: int = 0
    filtered_prefetch: int = 0
    filtered_rate: int = 0
    filtered_order: int = 0
    filtered_replay: int = 0

    def add(self, other) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + int(getattr(other, name, 0) or 0))

    def filtered_by_reason(self) -> dict[str, int]:
        """Give {reason: events filtered for it}, reasons with none left out."""
        found = {reason: getattr(self, f"filtered_{reason}") for reason in FILTER_REASONS}
        return {reason: n for reason, n in found.items() if n}

    @property
    def viewable_rate(self) -> float | None:
        """Viewable / rendered, or None when nothing rendered."""
        return self.viewable / self.rendered if self.rendered else None

    @property
    def ctr(self) -> float | None:
        """Clicks / rendered (click-through rate), or None when nothing rendered."""
        return self.clicks / self.rendered if self.rendered else None


@dataclass
class Line:
    """One line of a report: its key (bucket or thing) and its figures."""

    key: object
    figures: Figures = field(default_factory=Figures)
    whole_day: bool = False


def conditions(model, period: Period) -> list:
    """Give the WHERE conditions of ``period`` on hourly or daily rows."""
    if model is HourlyStat:
        where = [model.hour >= period.starts_at, model.hour < period.ends_at]
    else:
        where = [model.day >= period.start, model.day <= period.end]
    for name in FILTERS:
        value = getattr(period, name)
        if value is not None:
            where.append(getattr(model, name) == value)
    if period.advertiser_id is not None:
        where.append(model.campaign_id.in_(
            select(Campaign.id).where(Campaign.advertiser_id == period.advertiser_id)))
    return where


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _sums(model):
    return [func.sum(getattr(model, name)).label(name) for name in COUNTED]


def by_time(period: Period) -> list[Line]:
    """Give one line per local day (or UTC hour) of the period, zeros included, in order.

    Grouped by hour, a line's key is the hour's UTC start: show it on the local
    clock with ``key.astimezone(period.zone)`` (keys stay distinct on the night the
    clocks go back, when a local hour happens twice).
    """
    hourly_group = period.group == "hour"
    keys = period.hours() if hourly_group else period.days()
    lines: dict[object, Line] = {key: Line(key) for key in keys}
    hourly = select(HourlyStat.hour, *_sums(HourlyStat)).where(
        *conditions(HourlyStat, period)).group_by(HourlyStat.hour)
    for row in db.session.execute(hourly):
        key = row.hour if hourly_group else period.local_day(row.hour)
        lines.setdefault(key, Line(key)).figures.add(row)
    daily = select(DailyStat.day, *_sums(DailyStat)).where(
        *conditions(DailyStat, period)).group_by(DailyStat.day)
    rolled = set()
    for row in db.session.execute(daily):
        day = _as_date(row.day)
        key = period.midnight(day) if hourly_group else day
        line = lines.setdefault(key, Line(key))
        line.figures.add(row)
        if hourly_group:
            line.whole_day = True
            rolled.add(day)
    if rolled:  # a rolled-up day's hours are in its whole-day line
        lines = {key: line for key, line in lines.items() if line.whole_day
                 or period.local_day(key) not in rolled or any(line.figures.__dict__.values())}
    return [lines[key] for key in sorted(lines)]


def by_dimension(period: Period, dimension: str) -> list[Line]:
    """Give one line per value of a dimension (e.g. "creative_id", "article_id").

    Rows where the dimension does not apply (0) are left out. Lines come most
    rendered first.
    """
    lines: dict[int, Line] = defaultdict(lambda: Line(None))
    for model in (HourlyStat, DailyStat):
        column = getattr(model, dimension)
        query = select(column.label("key"), *_sums(model)).where(
            *conditions(model, period), column != 0).group_by(column)
        for row in db.session.execute(query):
            line = lines[row.key]
            line.key = row.key
            line.figures.add(row)
    return sorted(lines.values(), key=lambda line: (-line.figures.rendered,
                                                    -line.figures.served, line.key))


def totals(lines: list[Line]) -> Figures:
    """Add up report lines."""
    total = Figures()
    for line in lines:
        total.add(line.figures)
    return total


def figures(period: Period) -> Figures:
    """Give the period's totals."""
    return totals(by_time(period))
