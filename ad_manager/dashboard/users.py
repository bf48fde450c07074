"""User management for admins: create accounts, change roles, deactivate."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from ad_manager.auth.accounts import AccountError, create_user, update_user
from ad_manager.auth.forms import NewPasswordMixin
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.pagination import form_status
from ad_manager.extensions import db
from ad_manager.models import Role, User

bp = staff_blueprint("users", __name__, url_prefix="/users")

ROLE_CHOICES = [("viewer", _l("Viewer")), ("sales", _l("Sales")), ("admin", _l("Admin"))]
LANGUAGE_CHOICES = [("", _l("Browser language")), ("fr", "Français"), ("en", "English")]


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    active = BooleanField(_l("Active"), default=True)


class NewUserForm(NewPasswordMixin, UserForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


@bp.route("/")
@requires(Role.ADMIN)
def index():
    """List staff accounts."""
    users = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("users/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.ADMIN)
def new():
    """Create an account with a first password the new user can change."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, form.role.data,
                               name=form.name.data or "", language=form.language.data)
            user.active = form.active.data
        except AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("users.index"), 303)
    return render_template("users/form.html", form=form, user=None), form_status(form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def edit(user_id: int):
    """Change an account's role, name, language or active flag."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(user, form.role.data, form.active.data, form.name.data or "",
                        form.language.data, actor=None)
        except AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("users.index"), 303)
    return render_template("users/form.html", form=form, user=user), form_status(form)
