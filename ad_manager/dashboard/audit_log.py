"""The audit log, readable by admins."""

from flask import render_template, request
from sqlalchemy import select

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.pagination import Page, page_number
from ad_manager.models import AuditEntry, Role

bp = staff_blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@requires(Role.ADMIN)
def index():
    """List changes, newest first, optionally of one kind of object."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    kind = request.args.get("type", "")
    if kind:
        query = query.where(AuditEntry.object_type == kind[:32])
    return render_template("audit/index.html", page=Page(query, page_number()), kind=kind)
