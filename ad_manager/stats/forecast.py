"""Expected traffic of a zone: a model fitted on its own history of rendered impressions.

Plain Python (no Flask, no database), so the back-test (``bench/forecast_backtest.py``)
runs it on generated history. Counters are kept per UTC hour; traffic follows the
readers' clock, so the model reads each hour on the site's clock:

- **day totals** follow a straight-line trend (least squares on the last
  ``FIT_DAYS`` days) times a factor per weekday (Monday is not Sunday), fitted in turn
  a few times (each fit removes the other's effect);
- **each hour's share** of its day, per weekday, from the same days.

The forecast of an hour is trend(day) × factor(weekday) × share(weekday, hour). With
fewer than ``MIN_HISTORY_DAYS`` days since a zone's first impression there are not
two of each weekday: ``fit`` refuses (``NotEnoughHistory``) instead of guessing.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

MIN_HISTORY_DAYS = 14
FIT_DAYS = 56
ROUNDS = 4


class NotEnoughHistory(ValueError):
    """Fewer days of history than a forecast needs; ``days`` says how many there are."""

    def __init__(self, days: int):
        super().__init__(f"{days} day(s) of history, {MIN_HISTORY_DAYS} needed")
        self.days = days


@dataclass(frozen=True)
class TrafficModel:
    """A zone's fitted traffic: trend per day, weekday factors, hourly shares."""

    origin: date  # day 0 of the trend
    level: float  # impressions a day at day 0, before the weekday factor
    slope: float  # change of that level per day
    weekday: tuple[float, ...]  # 7 factors averaging 1, Monday first
    hourly: tuple[tuple[float, ...], ...]  # per weekday, 24 shares summing to 1
    tz: tzinfo
    history_days: int

    def day_total(self, day: date) -> float:
        """Give the impressions expected on a local day."""
        trend = max(self.level + self.slope * (day - self.origin).days, 0.0)
        return trend * self.weekday[day.weekday()]

    def hour(self, instant: datetime) -> float:
        """Give the impressions expected in the UTC hour starting at ``instant``."""
        local = instant.astimezone(self.tz)
        return self.day_total(local.date()) * self.hourly[local.weekday()][local.hour]


def hours_between(starts_at: datetime, ends_at: datetime) -> list[tuple[datetime, float]]:
    """Give (UTC hour start, share of it inside the span) for each hour the span touches."""
    hour = starts_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    found = []
    while hour < ends_at:
        inside = min(hour + timedelta(hours=1), ends_at) - max(hour, starts_at)
        found.append((hour, inside.total_seconds() / 3600))
        hour += timedelta(hours=1)
    return found


def _local_days(hourly: Mapping[datetime, float], daily: Mapping[date, float], tz: tzinfo):
    """Give day totals and per-day hour counts on the local clock."""
    totals: dict[date, float] = defaultdict(float)
    hours: dict[date, list[float]] = {}
    for instant, count in hourly.items():
        local = instant.astimezone(tz)
        totals[local.date()] += count
        hours.setdefault(local.date(), [0.0] * 24)[local.hour] += count
    for day, count in daily.items():  # rolled-up days: a total, no hours
        totals[day] += count
    return totals, hours


def _line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Give (intercept, slope) of the least-squares line through ``points``."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    return mean_y - slope * mean_x, slope


def fit(hourly: Mapping[datetime, float], today: date, tz: tzinfo,
        daily: Mapping[date, float] | None = None) -> TrafficModel:
    """Fit a zone's traffic model on its counts before local day ``today``.

    ``hourly`` maps UTC hour starts to rendered impressions; ``daily`` maps rolled-up
    days to their totals. Raises ``NotEnoughHistory`` under ``MIN_HISTORY_DAYS``.
    """
    totals, hours = _local_days(hourly, daily or {}, tz)
    seen = sorted(day for day, count in totals.items() if count > 0 and day < today)
    history_days = (today - seen[0]).days if seen else 0
    if history_days < MIN_HISTORY_DAYS:
        raise NotEnoughHistory(history_days)
    # The first day is left out: a zone starts to count in the middle of a day.
    first = max(seen[0] + timedelta(days=1), today - timedelta(days=FIT_DAYS))
    days = [first + timedelta(days=n) for n in range((today - first).days)]
    counts = [totals.get(day, 0.0) for day in days]
    factors = [1.0] * 7
    level = slope = 0.0
    for _ in range(ROUNDS):
        level, slope = _line([(float(n), count / factors[day.weekday()])
                              for n, (day, count) in enumerate(zip(days, counts, strict=True))])
        ratios: dict[int, list[float]] = defaultdict(list)
        for n, (day, count) in enumerate(zip(days, counts, strict=True)):
            trend = level + slope * n
            if trend > 0:
                ratios[day.weekday()].append(count / trend)
        found = [sum(ratios[w]) / len(ratios[w]) if ratios[w] else 1.0 for w in range(7)]
        mean = sum(found) / 7 or 1.0
        factors = [f / mean for f in found]
    return TrafficModel(origin=first, level=level, slope=slope, weekday=tuple(factors),
                        hourly=_hour_shares(hours, days), tz=tz, history_days=history_days)


def _hour_shares(hours: Mapping[date, list[float]], days: Iterable[date]):
    """Give each weekday's 24 hourly shares of its day (even when it has no hours)."""
    sums = [[0.0] * 24 for _ in range(7)]
    for day in days:
        for hour, count in enumerate(hours.get(day, ())):
            sums[day.weekday()][hour] += count
    shares = []
    for weekday in sums:
        total = sum(weekday)
        shares.append(tuple(c / total for c in weekday) if total else tuple([1 / 24] * 24))
    return tuple(shares)


def expected(model: TrafficModel, starts_at: datetime, ends_at: datetime) -> float:
    """Give the impressions expected between two instants."""
    return sum(model.hour(hour) * share for hour, share in hours_between(starts_at, ends_at))
