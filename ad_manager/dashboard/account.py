"""The signed-in user's own settings: language, password, and their sessions."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, Optional

from ad_manager.auth.accounts import change_password, end_sessions, set_language
from ad_manager.auth.forms import NewPasswordMixin
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.auth.sessions import begin_session, close_session
from ad_manager.dashboard.form_pages import form_page, saved
from ad_manager.dashboard.users import LANGUAGE_CHOICES
from ad_manager.extensions import db
from ad_manager.models import Role

bp = staff_blueprint("account", __name__, url_prefix="/account")


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validators=[Optional()])


class PasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


def me():
    """Give the signed-in user's row (not the proxy: the audit log names its type)."""
    return current_user._get_current_object()


def mine(_user) -> str:
    """Give the address of the user's own settings."""
    return url_for("account.index")


@bp.route("/", methods=["GET", "POST"])
@requires(Role.VIEWER)
def index():
    """Show and save the user's language; the password has its own form below."""
    form = LanguageForm(obj=current_user)
    return form_page(form, "account/index.html",
                     lambda: set_language(me(), form.language.data), then=mine,
                     message=lambda _user: _("Preferences saved."),
                     password_form=PasswordForm(formdata=None))


@bp.route("/password", methods=["POST"])
@requires(Role.VIEWER)
def password():
    """Change the user's password after checking the current one; the user's other
    sessions end, this one goes on."""
    form = PasswordForm()
    response = saved(form, lambda: begin_session(change_password(me(), form.current.data,
                                                                 form.password.data)),
                     then=mine, message=lambda _user: _("Password changed."))
    return response or (render_template("account/index.html",
                                        form=LanguageForm(obj=current_user),
                                        password_form=form), 422)


@bp.route("/sessions", methods=["POST"])
@requires(Role.VIEWER)
def sign_out_everywhere():
    """End every session of the user, on every device, this one included."""
    end_sessions(me(), action="sessions")
    db.session.commit()
    close_session()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))
