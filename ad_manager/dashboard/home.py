"""The dashboard home page."""

from flask import render_template

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.models import Role

bp = staff_blueprint("home", __name__)


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """Show the home page with today's and the week's figures and live campaigns' pace."""
    from ad_manager.dashboard.getting_started import checklist
    from ad_manager.dashboard.reports import home_panels
    from ad_manager.models import utcnow

    return render_template("reports/home.html", panels=home_panels(utcnow()), steps=checklist())
