"""Anomaly flags: a placement, campaign or creative whose traffic on a day is far from
its own norm over the days before.

Two signs of invalid traffic that no single request shows (MRC: sophisticated
invalid traffic is found by analysis, not by rules):

- its CTR (clicks / rendered) is ``CTR_FACTOR`` times its norm or more (or as many
  times less), the norm being its CTR over the ``NORM_DAYS`` days before; a thing
  without a norm yet is flagged from ``NEW_CTR``;
- the share of its rendered impressions that came from one reader address is
  ``SHARE_FACTOR`` times its usual top share or more, and at least ``SHARE_FLOOR``.

A day needs ``MIN_RENDERED`` impressions to say anything. Flags are shown, never
acted on: nothing is filtered or removed because of them. Addresses are the
truncated keyed hashes of ``stats.readers``: no IP address is read back.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.models.stats import HourlyStat, ReaderDaily

NORM_DAYS = 7
MIN_RENDERED = 30
CTR_FACTOR = 3.0
NEW_CTR = 0.10
MIN_CLICKS = 5
SHARE_FACTOR = 3.0
SHARE_FLOOR = 0.20
DIMENSIONS = ("placement_id", "campaign_id", "creative_id")


@dataclass(frozen=True)
class Flag:
    """One thing's anomaly on a day: what was measured, and its norm (None: no history)."""

    dimension: str  # "placement_id", "campaign_id" or "creative_id"
    thing_id: int
    sign: str  # "ctr" or "one_address"
    value: float
    norm: float | None
    rendered: int
    site_id: int


def _window(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day - timedelta(days=NORM_DAYS), time(0), tzinfo=UTC)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10]) if isinstance(value, str) else value


def _ctr_flags(day: date, dimension: str, where) -> list[Flag]:
    start, end = _window(day)
    column = getattr(HourlyStat, dimension)
    days: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    sites = {}
    query = (select(func.date(HourlyStat.hour).label("day"), column.label("key"),
                    HourlyStat.site_id, func.sum(HourlyStat.rendered),
                    func.sum(HourlyStat.clicks))
             .where(HourlyStat.hour >= start, HourlyStat.hour < end, column != 0,
                    *where(HourlyStat))
             .group_by(func.date(HourlyStat.hour), column, HourlyStat.site_id))
    for row_day, key, site_id, rendered, clicks in db.session.execute(query):
        figures = days[key][_as_date(row_day)]
        figures[0] += int(rendered or 0)
        figures[1] += int(clicks or 0)
        sites[key] = site_id
    flags = []
    for key, by_day in days.items():
        rendered, clicks = by_day.get(day, (0, 0))
        if rendered < MIN_RENDERED:
            continue
        ctr = clicks / rendered
        before = [figures for when, figures in by_day.items() if when < day]
        norm_rendered = sum(f[0] for f in before)
        norm = sum(f[1] for f in before) / norm_rendered if norm_rendered >= MIN_RENDERED else None
        if norm is None:
            far = ctr >= NEW_CTR and clicks >= MIN_CLICKS
        elif norm == 0:
            far = clicks >= MIN_CLICKS
        else:
            far = ((ctr >= CTR_FACTOR * norm and clicks >= MIN_CLICKS)
                   or (ctr <= norm / CTR_FACTOR and norm * rendered >= 2 * MIN_CLICKS))
        if far:
            flags.append(Flag(dimension, key, "ctr", ctr, norm, rendered, sites[key]))
    return flags


def _share_flags(day: date, dimension: str, where) -> list[Flag]:
    column = getattr(ReaderDaily, dimension)
    query = (select(ReaderDaily.day, column.label("key"), ReaderDaily.site_id,
                    ReaderDaily.reader, func.sum(ReaderDaily.rendered))
             .where(ReaderDaily.day >= day - timedelta(days=NORM_DAYS), ReaderDaily.day <= day,
                    column != 0, *where(ReaderDaily))
             .group_by(ReaderDaily.day, column, ReaderDaily.site_id, ReaderDaily.reader))
    totals: dict = defaultdict(lambda: defaultdict(int))
    tops: dict = defaultdict(lambda: defaultdict(int))
    sites = {}
    for row_day, key, site_id, _reader, rendered in db.session.execute(query):
        row_day, rendered = _as_date(row_day), int(rendered or 0)
        totals[key][row_day] += rendered
        tops[key][row_day] = max(tops[key][row_day], rendered)
        sites[key] = site_id
    flags = []
    for key, by_day in totals.items():
        rendered = by_day.get(day, 0)
        if rendered < MIN_RENDERED:
            continue
        share = tops[key][day] / rendered
        usual = [tops[key][when] / n for when, n in by_day.items()
                 if when < day and n >= MIN_RENDERED]
        norm = sum(usual) / len(usual) if usual else None
        if share >= SHARE_FLOOR and (norm is None or share >= SHARE_FACTOR * norm):
            flags.append(Flag(dimension, key, "one_address", share, norm, rendered, sites[key]))
    return flags


def anomalies(day: date, *, site_id: int | None = None, campaign_id: int | None = None,
              ) -> list[Flag]:
    """Give the day's flags, of one site or campaign if asked, campaigns first."""

    def where(model):
        conditions = []
        if site_id is not None:
            conditions.append(model.site_id == site_id)
        if campaign_id is not None:
            conditions.append(model.campaign_id == campaign_id)
        return conditions

    flags = []
    for dimension in ("campaign_id", "creative_id", "placement_id"):
        flags += _ctr_flags(day, dimension, where) + _share_flags(day, dimension, where)
    return flags
