"""The dashboard home page."""

from flask import render_template

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.models import Role

bp = staff_blueprint("home", __name__)


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """Show the home page with delivery alerts, today's and the week's figures and live
    campaigns' pace."""
    from ad_manager.alerts.rules import current_alerts
    from ad_manager.alerts.wording import headings, sentence
    from ad_manager.dashboard.getting_started import checklist
    from ad_manager.dashboard.reports import home_panels
    from ad_manager.models import utcnow

    now = utcnow()
    # Anomalies have their own card (with placements and figures): not listed twice.
    alerts = [(a, sentence(a)) for a in current_alerts(now, anomalies_too=False)]
    return render_template("reports/home.html", panels=home_panels(now), steps=checklist(),
                           alerts=alerts, alert_headings=headings())
