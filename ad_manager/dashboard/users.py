"""User management for admins: create accounts, change roles, deactivate."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from ad_manager.auth.accounts import create_user, update_user
from ad_manager.auth.forms import NewPasswordMixin
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.form_pages import form_page
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


def listed(_user: User) -> str:
    """Give the address of the list of accounts, where a saved account goes back to."""
    return url_for("users.index")


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.ADMIN)
def new():
    """Create an account with a first password the new user can change."""
    form = NewUserForm()
    return form_page(form, "users/form.html", lambda: create_user(
        form.email.data, form.password.data, form.role.data, name=form.name.data or "",
        language=form.language.data, active=form.active.data), then=listed, user=None,
        message=lambda user: _("Account %(email)s created.", email=user.email))


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def edit(user_id: int):
    """Change an account's role, name, language or active flag."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    return form_page(form, "users/form.html", lambda: update_user(
        user, form.role.data, form.active.data, form.name.data or "", form.language.data),
        then=listed, user=user,
        message=lambda user: _("Account %(email)s saved.", email=user.email))
