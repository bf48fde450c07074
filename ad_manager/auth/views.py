"""Sign in, sign out, and the first-run page that creates the first admin."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ad_manager.auth.accounts import create_user, end_sessions, find_user
from ad_manager.auth.forms import FirstRunForm, LoginForm
from ad_manager.auth.roles import no_user_yet
from ad_manager.auth.sessions import begin_session, close_session
from ad_manager.extensions import db, limiter
from ad_manager.models import Role

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path of this site, never elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_THROTTLE"]


def _failed(response) -> bool:
    """Only failed attempts count towards the throttle."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed,
               error_message="Too many failed sign-in attempts.")
def login():
    """Show the sign-in form and sign the user in."""
    if no_user_yet():
        return redirect(url_for("auth.first_run"))
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active and user.check_password(form.password.data):
            begin_session(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong email or password."))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST, so a link on another site cannot do it), ending the user's
    sessions: a copy of this browser's cookie opens nothing afterwards."""
    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object())
        db.session.commit()
    close_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/first-run", methods=["GET", "POST"])
def first_run():
    """Create the first admin; gone once any account exists."""
    if not no_user_yet():
        abort(404)
    form = FirstRunForm()
    if form.validate_on_submit():
        user = create_user(form.email.data, form.password.data, Role.ADMIN, name=form.name.data,
                           self_signup=True)
        db.session.commit()
        begin_session(user)
        flash(_("Welcome! Your admin account is ready."), "success")
        return redirect(url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/first_run.html", form=form), status
