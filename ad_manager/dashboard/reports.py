"""Reports: delivery by period with filters, the CSV export, the printable campaign
report, and the figures of the dashboard home."""

from datetime import datetime, timedelta

from flask import Response, current_app, render_template, request, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.reports_forms import ReportForm
from ad_manager.extensions import db
from ad_manager.layouts.placements import describe
from ad_manager.models import (
    Article,
    Campaign,
    Creative,
    Insert,
    Placement,
    Role,
    Site,
    Zone,
    utcnow,
)
from ad_manager.stats.anomalies import anomalies
from ad_manager.stats.campaign_report import (
    bucket_label,
    campaign_report,
    chart_of,
    filtered_lines,
    named,
)
from ad_manager.stats.export import DIALECTS, EXCEL_FR, PLAIN, csv_lines
from ad_manager.stats.pace import campaign_paces
from ad_manager.stats.reasons import DIMENSION_LABELS, GOAL_LABELS
from ad_manager.stats.reports import (
    Figures,
    Period,
    by_dimension,
    by_time,
    figures,
    report_timezone,
    totals,
    zone_of,
)
from ad_manager.stats.revenue_report import month_revenues, revenue_sums

bp = staff_blueprint("reports", __name__, url_prefix="/reports")


def local_today(timezone: str, now: datetime | None = None):
    """Give today's date on a time zone's clock."""
    return (now or utcnow()).astimezone(zone_of(timezone)).date()


def flagged(day, **where) -> list[dict]:
    """Give the day's anomaly flags (stats.anomalies) with what each thing is called."""
    rows = []
    for flag in anomalies(day, **where):
        model = {"campaign_id": Campaign, "creative_id": Creative,
                 "placement_id": Placement}[flag.dimension]
        thing = db.session.get(model, flag.thing_id)
        if thing is None:
            name = f"#{flag.thing_id}"
        elif model is Placement:
            name = f"{thing.layout.name} · {describe(thing)}"
        else:
            name = thing.name or f"#{flag.thing_id}"
        rows.append({"flag": flag, "kind": DIMENSION_LABELS[flag.dimension], "name": name,
                     "campaign_id": flag.thing_id if model is Campaign else None})
    return rows


def not_placed(period) -> list[tuple]:
    """Give (layout name, placement described, figures) of placements pages could not
    host, most not placed first: what staff fix in the layouts."""
    lines = [line for line in by_dimension(period, "placement_id") if line.figures.not_placed]
    found = named(lines, Placement)
    rows = [(placement.layout.name if placement else "", describe(placement) if placement
             else f"#{line.key}", line.figures) for placement, line in found]
    return sorted(rows, key=lambda row: -row[2].not_placed)


def advertiser_lines(campaigns: list[tuple]) -> list[tuple]:
    """Add up campaign lines by advertiser: (advertiser, figures), most rendered first."""
    found: dict[int, tuple] = {}
    for campaign, line in campaigns:
        if campaign is not None:
            found.setdefault(campaign.advertiser_id,
                             (campaign.advertiser, Figures()))[1].add(line.figures)
    return sorted(found.values(), key=lambda item: -item[1].rendered)


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """Show delivery for a period: table with totals, chart, campaigns and linked articles."""
    form = ReportForm(request.args)
    form.fill_choices()
    if not form.validate():
        return render_template("reports/index.html", form=form, report=None), 422
    timezone = form.timezone()
    if not form.check(local_today(timezone)):
        return render_template("reports/index.html", form=form, report=None), 422
    period = form.to_period(local_today(timezone), timezone)
    lines = by_time(period)
    campaigns = named(by_dimension(period, "campaign_id"), Campaign)
    report = {
        "period": period,
        "lines": [(line, bucket_label(line, period)) for line in lines],
        "total": totals(lines),
        "counted": any(line.figures.served or line.figures.filtered for line in lines),
        "chart": chart_of(lines, period),
        "campaigns": campaigns,
        "advertisers": advertiser_lines(campaigns),
        "sites": named(by_dimension(period, "site_id"), Site),
        "revenue": revenue_sums(period, local_today(timezone)),
        "slots": [("zone", thing, line) for thing, line in named(
            by_dimension(period, "zone_id"), Zone)] + [
            ("insert", thing, line) for thing, line in named(
                by_dimension(period, "insert_id"), Insert)],
        "articles": named(by_dimension(period, "article_id"), Article),
        "not_placed": not_placed(period),
        "filtered": filtered_lines(totals(lines)),
        "flags": flagged(period.end, site_id=period.site_id, campaign_id=period.campaign_id),
    }
    return render_template("reports/index.html", form=form, report=report)


@bp.route("/export.csv")
@requires(Role.VIEWER)
def export_csv():
    """Stream the report's CSV export (same filters as the screen), plain or for
    French Excel (``dialect=excel-fr``)."""
    form = ReportForm(request.args)
    form.fill_choices()
    dialect = DIALECTS.get(request.args.get("dialect") or PLAIN.name)
    valid = form.validate()
    timezone = form.timezone() if valid else None
    if dialect is None or not valid or not form.check(local_today(timezone)):
        errors = "; ".join(f"{name}: {', '.join(map(str, errs))}" for name, errs in
                           form.errors.items()) or _("Unknown export format.")
        return Response(errors + "\n", status=422, mimetype="text/plain")
    period = form.to_period(local_today(timezone), timezone)
    suffix = "-excel" if dialect is EXCEL_FR else ""
    filename = f"report-{period.start.isoformat()}-{period.end.isoformat()}{suffix}.csv"
    lines = csv_lines(period, dialect, local_today(timezone), current_app.config["CURRENCY"])
    return Response(stream_with_context(lines),
                    mimetype="text/csv", headers={
                        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/campaign/<int:campaign_id>")
@requires(Role.VIEWER)
def campaign(campaign_id: int):
    """A one-page campaign report to print or send: totals, daily chart, creatives."""
    report = campaign_report(db.get_or_404(Campaign, campaign_id))
    return render_template("reports/campaign.html", report=report,
                           flags=flagged(report.period.end, campaign_id=campaign_id))


def live_campaigns(now: datetime) -> list:
    """Give the live campaigns with their pace: behind first (most behind first), then
    on track, ahead and without a goal."""
    campaigns = db.session.scalars(select(Campaign).where(
        Campaign.state == "active", Campaign.archived_at.is_(None),
        Campaign.starts_at <= now, Campaign.ends_at > now).order_by(Campaign.ends_at)).all()
    paces = campaign_paces(campaigns, now)
    order = {"behind": 0, "on_track": 1, "ahead": 2, None: 3}
    return sorted(((c, paces[c.id]) for c in campaigns),
                  key=lambda item: (order[item[1].status], item[1].gap or 0))


def home_panels(now: datetime) -> dict:
    """Give the home page's figures: today, the last 7 days (on the sites' clock),
    live campaigns' pace, this month's revenue and the previous month's."""
    timezone = report_timezone()
    today = local_today(timezone, now)
    return {
        "timezone": timezone,
        "today": figures(Period(start=today, end=today, timezone=timezone)),
        "week": figures(Period(start=today - timedelta(days=6), end=today, timezone=timezone)),
        "campaigns": live_campaigns(now),
        "flags": flagged(now.date()),
        "flags_day": now.date(),
        "goal_labels": GOAL_LABELS,
        "months": month_revenues(today, timezone),
    }
