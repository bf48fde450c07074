"""Forms of the sign-in and first-run pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

PASSWORD_MIN = 10


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class NewPasswordMixin:
    """Password and confirmation, with the length rule of every account."""

    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(min=PASSWORD_MIN, max=200,
                               message=_l("At least 10 characters."))])
    confirm = PasswordField(_l("Confirm password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class FirstRunForm(NewPasswordMixin, FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
