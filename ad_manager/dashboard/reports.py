"""Reports: delivery by period with filters, the CSV export, the printable campaign
report, and the figures of the dashboard home."""

from datetime import datetime, timedelta

from flask import Response, render_template, request, stream_with_context, url_for
from flask_babel import format_date, format_datetime
from sqlalchemy import select

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.reports_forms import ReportForm
from ad_manager.extensions import db
from ad_manager.layouts.placements import describe
from ad_manager.models import Article, Campaign, Creative, Insert, Placement, Role, Zone, utcnow
from ad_manager.stats.charts import bar_chart
from ad_manager.stats.delivered import delivered
from ad_manager.stats.export import csv_lines
from ad_manager.stats.pace import pace
from ad_manager.stats.reports import Period, by_dimension, by_time, figures, totals

bp = staff_blueprint("reports", __name__, url_prefix="/reports")


def _bucket_label(line, group: str, short: bool = False) -> str:
    if group == "hour" and not line.whole_day:
        return format_datetime(line.key, "dd/MM HH'h'" if short else "short", rebase=False)
    day = line.key.date() if isinstance(line.key, datetime) else line.key
    return format_date(day, "dd/MM" if short else "medium")


def chart_of(lines, group: str):
    """Give the chart of report lines: rendered bars with their viewable part."""
    return bar_chart([(_bucket_label(line, group, short=True), line.figures.rendered,
                       line.figures.viewable, _bucket_label(line, group)) for line in lines])


def _named(lines, model, attribute: str):
    """Attach the named object (campaign, creative, article) to breakdown lines."""
    ids = [line.key for line in lines]
    found = {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(ids)))}
    return [(found.get(line.key), line) for line in lines]


def not_placed(period) -> list[tuple]:
    """Give (layout name, placement described, figures) of placements pages could not
    host, most not placed first: what staff fix in the layouts."""
    lines = [line for line in by_dimension(period, "placement_id") if line.figures.not_placed]
    found = _named(lines, Placement, "id")
    rows = [(placement.layout.name if placement else "", describe(placement) if placement
             else f"#{line.key}", line.figures) for placement, line in found]
    return sorted(rows, key=lambda row: -row[2].not_placed)


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """Show delivery for a period: table with totals, chart, campaigns and linked articles."""
    form = ReportForm(request.args)
    form.fill_choices()
    today = utcnow().date()
    if not form.check(today):
        return render_template("reports/index.html", form=form, report=None), 422
    period = form.to_period(today)
    lines = by_time(period)
    report = {
        "period": period,
        "lines": [(line, _bucket_label(line, period.group)) for line in lines],
        "total": totals(lines),
        "chart": chart_of(lines, period.group),
        "campaigns": _named(by_dimension(period, "campaign_id"), Campaign, "name"),
        "slots": [("zone", thing, line) for thing, line in _named(
            by_dimension(period, "zone_id"), Zone, "name")] + [
            ("insert", thing, line) for thing, line in _named(
                by_dimension(period, "insert_id"), Insert, "name")],
        "articles": _named(by_dimension(period, "article_id"), Article, "title"),
        "not_placed": not_placed(period),
        "export_url": url_for("reports.export_csv", **request.args.to_dict()),
    }
    return render_template("reports/index.html", form=form, report=report)


@bp.route("/export.csv")
@requires(Role.VIEWER)
def export_csv():
    """Stream the report's CSV export (same filters as the screen)."""
    form = ReportForm(request.args)
    form.fill_choices()
    today = utcnow().date()
    if not form.check(today):
        errors = "; ".join(f"{name}: {', '.join(map(str, errs))}" for name, errs in
                           form.errors.items())
        return Response(errors + "\n", status=422, mimetype="text/plain")
    period = form.to_period(today)
    filename = f"report-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(stream_with_context(csv_lines(period)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/campaign/<int:campaign_id>")
@requires(Role.VIEWER)
def campaign(campaign_id: int):
    """A one-page campaign report to print or send: totals, daily chart, creatives."""
    campaign = db.get_or_404(Campaign, campaign_id)
    now = utcnow()
    last = min(campaign.ends_at, now).date()
    first = min(campaign.starts_at.date(), last)
    period = Period(start=first, end=last, campaign_id=campaign.id)
    lines = by_time(period)
    total_served, _today = delivered([campaign.id], now)[campaign.id]
    creatives = _named(by_dimension(period, "creative_id"), Creative, "name")
    return render_template(
        "reports/campaign.html", campaign=campaign, period=period, total=totals(lines),
        chart=chart_of(lines, "day"), creatives=creatives, now=now,
        pace=pace(total_served, campaign.goal_impressions, campaign.starts_at,
                  campaign.ends_at, now))


def live_campaigns(now: datetime) -> list:
    """Give the live campaigns with their pace, most behind first."""
    campaigns = db.session.scalars(select(Campaign).where(
        Campaign.state == "active", Campaign.archived_at.is_(None),
        Campaign.starts_at <= now, Campaign.ends_at > now).order_by(Campaign.ends_at)).all()
    served = delivered([c.id for c in campaigns], now)
    paced = [(c, pace(served[c.id][0], c.goal_impressions, c.starts_at, c.ends_at, now))
             for c in campaigns]
    order = {"behind": 0, "on_track": 1, "ahead": 2, None: 3}
    return sorted(paced, key=lambda item: order[item[1].status])


def home_panels(now: datetime) -> dict:
    """Give the home page's figures: today, the last 7 days, live campaigns' pace."""
    today = now.date()
    return {
        "today": figures(Period(start=today, end=today)),
        "week": figures(Period(start=today - timedelta(days=6), end=today)),
        "campaigns": live_campaigns(now),
    }
