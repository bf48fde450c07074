"""Zones: a site's ad slots, their sizes, size map and what they do unsold."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.form_pages import (
    acted,
    confirm_removal,
    confirmed,
    form_page,
)
from ad_manager.dashboard.inventory_fields import CheckboxesField
from ad_manager.dashboard.inventory_views import matching, search_text
from ad_manager.dashboard.pagination import Page, page_number
from ad_manager.extensions import db
from ad_manager.inventory.sizes import IAB_SIZES, format_size_map
from ad_manager.inventory.zones import (
    bookings,
    create_zone,
    has_delivered,
    remove_zone,
    restore_zone,
    update_zone,
)
from ad_manager.models import Role, Site, Zone, utcnow
from ad_manager.models.base import LARGEST_ID
from ad_manager.stats.availability import weeks_ahead

bp = staff_blueprint("zones", __name__, url_prefix="/zones")


class ZoneForm(FlaskForm):
    site_id = SelectField(_l("Site"), coerce=int)
    name = StringField(_l("Name"), validators=[Length(max=120)])
    slug = StringField(_l("Slug"), validators=[Length(max=64)])
    sizes = CheckboxesField(_l("Sizes"), choices=[(s, s.replace("x", "×")) for s in IAB_SIZES])
    custom_sizes = StringField(_l("Other sizes"), validators=[Length(max=200)])
    size_map = TextAreaField(_l("Size map"))
    label = StringField(_l("Label"), default="Publicité", validators=[Length(max=60)])
    unsold = RadioField(_l("When unsold"), default="house", choices=[
        ("house", _l("Show the house ad")), ("collapse", _l("Collapse"))])


def current_sites() -> list[Site]:
    """Give the sites not archived, by name."""
    return list(db.session.scalars(select(Site).where(Site.archived_at.is_(None))
                                   .order_by(Site.name)))


def zone_form(zone: Zone | None) -> ZoneForm:
    """Give the form, filled from ``zone`` on first display."""
    if zone is None or request.method == "POST":
        form = ZoneForm()
    else:
        form = ZoneForm(data={
            "site_id": zone.site_id, "name": zone.name, "slug": zone.slug, "label": zone.label,
            "unsold": zone.unsold, "sizes": [s for s in zone.sizes if s in IAB_SIZES],
            "custom_sizes": ", ".join(s for s in zone.sizes if s not in IAB_SIZES),
            "size_map": format_size_map(zone.size_map)})
    sites = current_sites()
    if zone is not None and zone.site not in sites:  # an archived site keeps its zones
        sites.append(zone.site)
    form.site_id.choices = [(site.id, site.name) for site in sites]
    return form


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """List zones with search and a site filter; archived ones on request."""
    q, site_id = search_text(), request.args.get("site", "")
    archived = request.args.get("archived") == "1"
    query = select(Zone).join(Zone.site).where(
        Zone.archived_at.is_not(None) if archived else Zone.archived_at.is_(None))
    if site_id.isascii() and site_id.isdigit() and int(site_id) <= LARGEST_ID:
        query = query.where(Zone.site_id == int(site_id))
    query = matching(query, q, Zone.name, Zone.slug).order_by(Site.name, Zone.name)
    page, now = Page(query, page_number()), utcnow()
    live = {zone.id: len(bookings(zone, now)["now"]) for zone in page.items}
    site_choices = [(str(site.id), site.name) for site in current_sites()]
    return render_template("zones/index.html", page=page, q=q, site_id=site_id,
                           archived=archived, site_choices=site_choices, live=live)


@bp.route("/<int:zone_id>")
@requires(Role.VIEWER)
def show(zone_id: int):
    """Show a zone, what is booked into it now and next, and its weeks ahead."""
    zone = db.get_or_404(Zone, zone_id)
    now = utcnow()
    return render_template("zones/show.html", zone=zone, booked=bookings(zone, now),
                           archives=has_delivered(zone), weeks=weeks_ahead(zone, now))


def shown(zone: Zone) -> str:
    """Give the address of the zone's page."""
    return url_for("zones.show", zone_id=zone.id)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Create a zone."""
    form = zone_form(None)
    return form_page(form, "zones/form.html", lambda: create_zone(form.data), then=shown,
                     message=lambda zone: _("Zone %(name)s created.", name=zone.name), zone=None)


@bp.route("/<int:zone_id>/edit", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(zone_id: int):
    """Change a zone."""
    zone = db.get_or_404(Zone, zone_id)
    form = zone_form(zone)
    return form_page(form, "zones/form.html", lambda: update_zone(zone, form.data), then=shown,
                     message=lambda zone: _("Zone %(name)s saved.", name=zone.name), zone=zone)


@bp.route("/<int:zone_id>/remove", methods=["GET", "POST"])
@requires(Role.SALES)
def remove(zone_id: int):
    """Delete a zone that never delivered; archive one that may have (after asking)."""
    zone = db.get_or_404(Zone, zone_id)
    archives = has_delivered(zone)
    if not confirmed():
        return confirm_removal(zone.name, archives, shown(zone))
    name = zone.name
    archived = remove_zone(zone) == "archive"
    return acted(True, _("Zone %(name)s removed.", name=name), url_for("zones.index"),
                 undo=url_for("zones.restore", zone_id=zone_id) if archived else None)


@bp.route("/<int:zone_id>/restore", methods=["POST"])
@requires(Role.SALES)
def restore(zone_id: int):
    """Bring an archived zone back."""
    zone = db.get_or_404(Zone, zone_id)
    return acted(restore_zone(zone), _("Zone %(name)s restored.", name=zone.name), shown(zone))
