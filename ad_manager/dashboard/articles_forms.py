"""Forms of the article catalogue screens, and the site choice the catalogue screens share."""

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import request
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from ad_manager.dashboard.pagination import within_calendar
from ad_manager.extensions import db
from ad_manager.models import Site

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
FULL_ADDRESS = _l("Give a full http:// or https:// address.")
STATUS_CHOICES = [("listed", _l("Listed")), ("hidden", _l("Hidden"))]


def active_sites() -> list[Site]:
    """Give the sites staff work on, by name."""
    return list(db.session.scalars(
        db.select(Site).where(Site.archived_at.is_(None)).order_by(Site.name, Site.id)))


def chosen_site(sites: list[Site]) -> Site | None:
    """Give the site named by ``?site=`` (or the posted field), else the first one."""
    wanted = request.values.get("site", "")
    for site in sites:
        if str(site.id) == wanted:
            return site
    return sites[0] if sites else None


def to_utc(value):
    """Read a datetime-local value typed in the dashboard's timezone as a UTC instant."""
    if value is None:
        return None
    zone = ZoneInfo(str(get_timezone()))
    return value.replace(tzinfo=zone).astimezone(UTC)


def to_local(value):
    """Give a stored instant as the naive local time a datetime-local input shows."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(str(get_timezone()))).replace(tzinfo=None)


def _http_only(form, field):
    if field.data and not field.data.lower().startswith(("http://", "https://")):
        raise ValidationError(FULL_ADDRESS)


def web_address(required: bool = True) -> list:
    """Validators of an http(s) address field."""
    return [DataRequired() if required else Optional(),
            URL(require_tld=False, message=FULL_ADDRESS), Length(max=1000), _http_only]


class ArticleForm(FlaskForm):
    url = URLField(_l("Address (canonical URL)"), validators=web_address())
    title = StringField(_l("Headline"), validators=[DataRequired(), Length(max=300)])
    section = StringField(_l("Section"), validators=[Length(max=120)])
    tags = StringField(_l("Tags"), validators=[Length(max=1000)])
    published_at = DateTimeLocalField(_l("Published"), format=DATETIME_FORMATS,
                                      validators=[Optional(), within_calendar])
    image_url = URLField(_l("Image address"), validators=web_address(required=False))
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)


class NewArticleForm(ArticleForm):
    site = SelectField(_l("Site"), coerce=int)


class FeedImportForm(FlaskForm):
    site = SelectField(_l("Site"), coerce=int)
    url = URLField(_l("Feed or sitemap address"), validators=web_address())
    remember = BooleanField(_l("Remember as the site's feed (used by scheduled imports)"),
                            default=True)
