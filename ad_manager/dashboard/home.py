"""The dashboard home page."""

from flask import render_template

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.models import Role

bp = staff_blueprint("home", __name__)


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """Show the home page; the reports area fills it with delivery figures."""
    return render_template("dashboard/home.html")
