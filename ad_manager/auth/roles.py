"""Who may reach a dashboard view: login, first run, and the role each view needs.

Every dashboard blueprint is made by ``staff_blueprint``, whose ``before_request``
checks the signed-in user against the role the view declared with ``requires``.
A view that declares nothing needs the admin role, so a forgotten declaration
fails closed.
"""

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from ad_manager.extensions import db
from ad_manager.models import Role, User


def requires(role: Role | str):
    """Mark a view as needing at least ``role``."""

    def mark(view):
        view.required_role = Role(role)
        return view

    return mark


def required_role(endpoint: str) -> Role:
    """Give the role an endpoint needs (admin when it declares none)."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "required_role", Role.ADMIN)


def no_user_yet() -> bool:
    """Tell whether the first-run page should still be offered."""
    return db.session.query(User.id).limit(1).first() is None


def _guard():
    """Send anonymous users to login (or first run) and refuse too small a role."""
    if no_user_yet():
        return redirect(url_for("auth.first_run"))
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not current_user.can(required_role(request.endpoint)):
        abort(403)
    return None


def _vary_on_htmx(response):
    """Full pages and htmx fragments share URLs; caches must tell them apart."""
    response.vary.add("HX-Request")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def staff_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """Make a dashboard blueprint whose every view needs a signed-in staff member."""
    blueprint = Blueprint(name, import_name, **options)
    blueprint.before_request(_guard)
    blueprint.after_request(_vary_on_htmx)
    return blueprint
