"""The signed-in user's own settings: language and password."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, Optional

from ad_manager.audit import record
from ad_manager.auth.forms import NewPasswordMixin
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.pagination import form_status
from ad_manager.dashboard.users import LANGUAGE_CHOICES
from ad_manager.extensions import db
from ad_manager.models import Role

bp = staff_blueprint("account", __name__, url_prefix="/account")


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validators=[Optional()])


class PasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


@bp.route("/", methods=["GET", "POST"])
@requires(Role.VIEWER)
def index():
    """Show and save the user's language; the password has its own form below."""
    form = LanguageForm(obj=current_user)
    if form.validate_on_submit():
        current_user.language = form.language.data or None
        record("update", current_user, summary=current_user.email,
               changes={"language": current_user.language})
        db.session.commit()
        flash(_("Preferences saved."), "success")
        return redirect(url_for("account.index"), 303)
    return render_template("account/index.html", form=form,
                           password_form=PasswordForm(formdata=None)), form_status(form)


@bp.route("/password", methods=["POST"])
@requires(Role.VIEWER)
def password():
    """Change the user's password after checking the current one."""
    form = PasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            current_user.set_password(form.password.data)
            record("password", current_user, summary=current_user.email)
            db.session.commit()
            flash(_("Password changed."), "success")
            return redirect(url_for("account.index"), 303)
        form.current.errors.append(_("This is not your current password."))
    return render_template("account/index.html", form=LanguageForm(obj=current_user),
                           password_form=form), 422
