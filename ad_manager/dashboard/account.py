"""The signed-in user's own settings: language and password."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, Optional

from ad_manager.auth.accounts import change_password, set_language
from ad_manager.auth.forms import NewPasswordMixin
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.form_pages import form_page, saved
from ad_manager.dashboard.users import LANGUAGE_CHOICES
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
    """Change the user's password after checking the current one."""
    form = PasswordForm()
    response = saved(form, lambda: change_password(me(), form.current.data,
                                                   form.password.data),
                     then=mine, message=lambda _user: _("Password changed."))
    return response or (render_template("account/index.html",
                                        form=LanguageForm(obj=current_user),
                                        password_form=form), 422)
