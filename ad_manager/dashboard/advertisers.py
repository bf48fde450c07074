"""Advertisers: the clients, their contact, notes and campaigns at a glance."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional

from ad_manager import audit
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.inventory_views import matching, search_text, show_errors
from ad_manager.dashboard.pagination import Page, form_status, page_number
from ad_manager.extensions import db
from ad_manager.inventory import Invalid
from ad_manager.inventory.advertisers import advertiser_values, remove_advertiser
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


def save(advertiser: Advertiser | None):
    """Create or change an advertiser from the posted form."""
    form = AdvertiserForm(obj=advertiser) if request.method == "GET" else AdvertiserForm()
    if form.validate_on_submit():
        try:
            values = advertiser_values(form.data)
        except Invalid as invalid:
            show_errors(form, invalid)
        else:
            if advertiser is None:
                advertiser = Advertiser(**values)
                db.session.add(advertiser)
                db.session.flush()
                audit.record("create", advertiser, summary=advertiser.name)
                flash(_("Advertiser %(name)s created.", name=advertiser.name), "success")
            else:
                changes = audit.changed_fields(advertiser, values)
                audit.record("update", advertiser, summary=advertiser.name, changes=changes)
                flash(_("Advertiser %(name)s saved.", name=advertiser.name), "success")
            db.session.commit()
            return redirect(url_for("advertisers.show", advertiser_id=advertiser.id), 303)
    return render_template("advertisers/form.html", form=form, advertiser=advertiser
                           ), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Create an advertiser."""
    return save(None)


@bp.route("/<int:advertiser_id>/edit", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(advertiser_id: int):
    """Change an advertiser."""
    return save(db.get_or_404(Advertiser, advertiser_id))


@bp.route("/<int:advertiser_id>/remove", methods=["POST"])
@requires(Role.SALES)
def remove(advertiser_id: int):
    """Delete an advertiser without campaigns; archive one with campaigns."""
    advertiser = db.get_or_404(Advertiser, advertiser_id)
    name = advertiser.name
    audit.record(remove_advertiser(advertiser), advertiser, summary=name)
    db.session.commit()
    flash(_("Advertiser %(name)s removed.", name=name), "success")
    return redirect(url_for("advertisers.index"), 303)


@bp.route("/<int:advertiser_id>/restore", methods=["POST"])
@requires(Role.SALES)
def restore(advertiser_id: int):
    """Bring an archived advertiser back."""
    advertiser = db.get_or_404(Advertiser, advertiser_id)
    if advertiser.archived_at is not None:
        advertiser.archived_at = None
        audit.record("restore", advertiser, summary=advertiser.name)
        db.session.commit()
        flash(_("Advertiser %(name)s restored.", name=advertiser.name), "success")
    return redirect(url_for("advertisers.show", advertiser_id=advertiser.id), 303)
