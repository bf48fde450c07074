"""Advertisers: the clients, their contact, notes and campaigns at a glance."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.form_pages import acted, confirm_removal, confirmed, form_page
from ad_manager.dashboard.inventory_views import matching, search_text
from ad_manager.dashboard.pagination import Page, page_number
from ad_manager.extensions import db
from ad_manager.inventory.advertisers import (
    create_advertiser,
    remove_advertiser,
    restore_advertiser,
    update_advertiser,
)
from ad_manager.models import Advertiser, Role, utcnow
from ad_manager.stats.delivered import delivered

bp = staff_blueprint("advertisers", __name__, url_prefix="/advertisers")


class AdvertiserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=120)])
    contact_name = StringField(_l("Contact"), validators=[Length(max=120)])
    contact_email = EmailField(_l("Contact email"), validators=[Optional(), Email(),
                                                                 Length(max=254)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)])


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """List advertisers with search; archived ones on request."""
    q = search_text()
    archived = request.args.get("archived") == "1"
    query = select(Advertiser).where(Advertiser.archived_at.is_not(None) if archived
                                     else Advertiser.archived_at.is_(None))
    query = matching(query, q, Advertiser.name, Advertiser.contact_name,
                     Advertiser.contact_email).order_by(Advertiser.name)
    page, now = Page(query, page_number()), utcnow()
    statuses = {a.id: [c.status(now) for c in a.campaigns] for a in page.items}
    return render_template("advertisers/index.html", page=page, q=q, archived=archived,
                           statuses=statuses)


@bp.route("/<int:advertiser_id>")
@requires(Role.VIEWER)
def show(advertiser_id: int):
    """Show an advertiser and their campaigns: where each stands and what it delivered."""
    advertiser = db.get_or_404(Advertiser, advertiser_id)
    now = utcnow()
    figures = delivered([c.id for c in advertiser.campaigns], now)
    return render_template("advertisers/show.html", advertiser=advertiser, now=now,
                           delivered=figures)


def shown(advertiser: Advertiser) -> str:
    """Give the address of the advertiser's page."""
    return url_for("advertisers.show", advertiser_id=advertiser.id)


def advertiser_form(advertiser: Advertiser | None) -> AdvertiserForm:
    """Give the form, filled from ``advertiser`` on first display."""
    return AdvertiserForm(obj=advertiser) if request.method == "GET" else AdvertiserForm()


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Create an advertiser."""
    form = advertiser_form(None)
    return form_page(form, "advertisers/form.html", lambda: create_advertiser(form.data),
                     then=shown, advertiser=None, message=lambda advertiser: _(
                         "Advertiser %(name)s created.", name=advertiser.name))


@bp.route("/<int:advertiser_id>/edit", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(advertiser_id: int):
    """Change an advertiser."""
    advertiser = db.get_or_404(Advertiser, advertiser_id)
    form = advertiser_form(advertiser)
    return form_page(form, "advertisers/form.html",
                     lambda: update_advertiser(advertiser, form.data),
                     then=shown, advertiser=advertiser, message=lambda advertiser: _(
                         "Advertiser %(name)s saved.", name=advertiser.name))


@bp.route("/<int:advertiser_id>/remove", methods=["GET", "POST"])
@requires(Role.SALES)
def remove(advertiser_id: int):
    """Delete an advertiser without campaigns; archive one with campaigns (after asking)."""
    advertiser = db.get_or_404(Advertiser, advertiser_id)
    if not confirmed():
        return confirm_removal(advertiser.name, bool(advertiser.campaigns), shown(advertiser))
    name = advertiser.name
    archived = remove_advertiser(advertiser) == "archive"
    return acted(True, _("Advertiser %(name)s removed.", name=name),
                 url_for("advertisers.index"), undo=url_for(
                     "advertisers.restore", advertiser_id=advertiser_id) if archived else None)


@bp.route("/<int:advertiser_id>/restore", methods=["POST"])
@requires(Role.SALES)
def restore(advertiser_id: int):
    """Bring an archived advertiser back."""
    advertiser = db.get_or_404(Advertiser, advertiser_id)
    return acted(restore_advertiser(advertiser),
                 _("Advertiser %(name)s restored.", name=advertiser.name), shown(advertiser))
