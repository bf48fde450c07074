"""The campaign report: what one campaign delivered over its flight, on its site's clock.

One report for two readers: staff open it from the dashboard (``/reports/campaign/ID``,
to print or send) and the advertiser through a client link (``/client/…``, no account).
Both pages render ``templates/reports/_campaign_report.html`` from what ``campaign_report``
gives; the staff page adds what only staff see (anomaly flags, a way into the reports).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_date, format_datetime
from sqlalchemy import select

from ad_manager.extensions import db
from ad_manager.models import Campaign, Creative, utcnow
from ad_manager.stats.charts import Chart, bar_chart
from ad_manager.stats.delivered import delivered
from ad_manager.stats.pace import Pace, pace
from ad_manager.stats.reasons import GOAL_LABELS, REASON_LABELS
from ad_manager.stats.reports import (
    Figures,
    Period,
    by_dimension,
    by_time,
    report_timezone,
    totals,
    zone_of,
)


def bucket_label(line, period: Period, short: bool = False) -> str:
    """Give a report line's day or hour as the site's clock reads it."""
    if isinstance(line.key, datetime):
        local = line.key.astimezone(period.zone)
        if line.whole_day:
            return format_date(local.date(), "dd/MM" if short else "medium")
        return format_datetime(local, "dd/MM HH'h'" if short else "short", rebase=False)
    return format_date(line.key, "dd/MM" if short else "medium")


def chart_of(lines, period: Period) -> Chart:
    """Give the chart of report lines: rendered bars with their viewable part."""
    return bar_chart([(bucket_label(line, period, short=True), line.figures.rendered,
                       line.figures.viewable, bucket_label(line, period)) for line in lines])


def named(lines, model) -> list[tuple]:
    """Attach the named object (campaign, creative, article…) to breakdown lines."""
    ids = [line.key for line in lines]
    found = {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(ids)))}
    return [(found.get(line.key), line) for line in lines]


def filtered_lines(figures_: Figures) -> list[tuple[str, int]]:
    """Give (reason's label, events) of what was filtered, most first."""
    found = figures_.filtered_by_reason()
    return sorted(((str(REASON_LABELS[reason]), n) for reason, n in found.items()),
                  key=lambda row: -row[1])


@dataclass
class CampaignReport:
    """What the campaign report shows: totals, one line per day, chart, creatives."""

    campaign: Campaign
    period: Period
    now: datetime  # on the site's clock
    total: Figures
    days: list[tuple]  # (line, label) for every day of the period, zeros included
    chart: Chart
    creatives: list[tuple]  # (creative or None, line), most rendered first
    pace: Pace
    goal_label: str
    filtered: list[tuple[str, int]]


def campaign_period(campaign: Campaign, now: datetime) -> Period:
    """Give the report's period: the flight's local days, up to today at most."""
    timezone = report_timezone(campaign_id=campaign.id)
    zone = zone_of(timezone)
    last = min(campaign.ends_at - timedelta(microseconds=1), now).astimezone(zone).date()
    first = min(campaign.starts_at.astimezone(zone).date(), last)
    return Period(start=first, end=last, campaign_id=campaign.id, timezone=timezone)


def campaign_report(campaign: Campaign, now: datetime | None = None) -> CampaignReport:
    """Give the campaign's report from its first day to its last (or today)."""
    now = now or utcnow()
    period = campaign_period(campaign, now)
    lines = by_time(period)
    towards_goal, _today = delivered([campaign.id], now)[campaign.id]
    total = totals(lines)
    return CampaignReport(
        campaign=campaign, period=period, now=now.astimezone(period.zone), total=total,
        days=[(line, bucket_label(line, period)) for line in lines],
        chart=chart_of(lines, period),
        creatives=named(by_dimension(period, "creative_id"), Creative),
        pace=pace(towards_goal, campaign.goal_impressions, campaign.starts_at,
                  campaign.ends_at, now),
        goal_label=str(GOAL_LABELS.get(campaign.goal_measure, GOAL_LABELS["rendered"])),
        filtered=filtered_lines(total))
