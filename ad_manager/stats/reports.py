"""Report queries: figures for a period, grouped by day or hour, with filters.

Reports read hourly rows (recent) and daily rows (rolled up) as one: a rolled-up
day simply has no hours any more, so grouped by hour it shows as one whole-day
bucket. Periods and buckets are UTC days and hours, like the counters.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.models import Campaign
from ad_manager.models.stats import FILTER_REASONS, MEASURES, DailyStat, HourlyStat

COUNTED = MEASURES
FILTERS = ("site_id", "campaign_id", "zone_id", "insert_id", "layout_id")


@dataclass(frozen=True)
class Period:
    """A report's question: which UTC days, how grouped, filtered by what."""

    start: date
    end: date  # inclusive
    group: str = "day"  # "day" or "hour"
    site_id: int | None = None
    advertiser_id: int | None = None
    campaign_id: int | None = None
    zone_id: int | None = None
    insert_id: int | None = None
    layout_id: int | None = None

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=UTC)


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


def day_of_hour():
    """Give the SQL expression of an hourly row's UTC day (SQLite and PostgreSQL)."""
    return func.date(HourlyStat.hour)


def _sums(model):
    return [func.sum(getattr(model, name)).label(name) for name in COUNTED]


def by_time(period: Period) -> list[Line]:
    """Give one line per day (or hour) of the period that has figures, in order."""
    lines: dict[object, Line] = {}
    if period.group == "hour":
        hourly = select(HourlyStat.hour, *_sums(HourlyStat)).where(
            *conditions(HourlyStat, period)).group_by(HourlyStat.hour)
        for row in db.session.execute(hourly):
            lines.setdefault(row.hour, Line(row.hour)).figures.add(row)
    else:
        day = day_of_hour()
        hourly = select(day.label("day"), *_sums(HourlyStat)).where(
            *conditions(HourlyStat, period)).group_by(day)
        for row in db.session.execute(hourly):
            key = _as_date(row.day)
            lines.setdefault(key, Line(key)).figures.add(row)
    daily = select(DailyStat.day, *_sums(DailyStat)).where(
        *conditions(DailyStat, period)).group_by(DailyStat.day)
    for row in db.session.execute(daily):
        key = _as_date(row.day)
        if period.group == "hour":
            key = datetime.combine(key, time(0), tzinfo=UTC)
        line = lines.setdefault(key, Line(key, whole_day=period.group == "hour"))
        line.figures.add(row)
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
