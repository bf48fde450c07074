"""Sites, for admins: name, embed key, domains, origins, language, house ad, exclusions."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.form_pages import acted, confirm_removal, confirmed, form_page
from ad_manager.dashboard.inventory_views import lines, matching, search_text
from ad_manager.dashboard.pagination import Page, page_number
from ad_manager.extensions import db
from ad_manager.inventory.sites import (
    LANGUAGES,
    archive_site,
    create_site,
    restore_site,
    update_site,
)
from ad_manager.models import Role, Site

bp = staff_blueprint("sites", __name__, url_prefix="/sites")
TEXT_FIELDS = ("name", "key", "language", "timezone", "sales_contact_url", "house_ad_text",
               "discover_articles")
LIST_FIELDS = ("domains", "allowed_origins", "excluded_user_agents", "excluded_ip_ranges")


class SiteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=120)])
    key = StringField(_l("Key"), validators=[Length(max=64)])
    domains = TextAreaField(_l("Domains"))
    allowed_origins = TextAreaField(_l("Allowed origins"))
    language = SelectField(_l("Language"), choices=[(code, code) for code in LANGUAGES])
    timezone = StringField(_l("Time zone"), default="Europe/Paris", validators=[Length(max=64)])
    sales_contact_url = StringField(_l("Sales contact URL"), validators=[Length(max=500)])
    house_ad_text = StringField(_l("House ad text"), default="Votre Pub ici !",
                                validators=[Length(max=120)])
    discover_articles = BooleanField(_l("Pages that load the embed add themselves to the "
                                        "article catalogue"))
    excluded_user_agents = TextAreaField(_l("Excluded user agents"))
    excluded_ip_ranges = TextAreaField(_l("Excluded IP ranges"))


def site_form(site: Site | None) -> SiteForm:
    """Give the form, filled from ``site`` on first display."""
    if site is None or request.method == "POST":
        return SiteForm()
    data = {name: getattr(site, name) for name in TEXT_FIELDS}
    data.update({name: lines(getattr(site, name)) for name in LIST_FIELDS})
    return SiteForm(data=data)


@bp.route("/")
@requires(Role.ADMIN)
def index():
    """List sites with search; archived ones on request."""
    q = search_text()
    archived = request.args.get("archived") == "1"
    query = select(Site).where(Site.archived_at.is_not(None) if archived
                               else Site.archived_at.is_(None)).order_by(Site.name)
    query = matching(query, q, Site.name, Site.key)
    page = Page(query, page_number())
    return render_template("sites/index.html", page=page, q=q, archived=archived)


def listed(_site: Site) -> str:
    """Give the address of the list of sites, where a saved site goes back to."""
    return url_for("sites.index")


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.ADMIN)
def new():
    """Create a site."""
    form = site_form(None)
    return form_page(form, "sites/form.html", lambda: create_site(form.data), then=listed,
                     message=lambda site: _("Site %(name)s created.", name=site.name), site=None)


@bp.route("/<int:site_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def edit(site_id: int):
    """Change a site."""
    site = db.get_or_404(Site, site_id)
    form = site_form(site)
    return form_page(form, "sites/form.html", lambda: update_site(site, form.data), then=listed,
                     message=lambda site: _("Site %(name)s saved.", name=site.name), site=site)


@bp.route("/<int:site_id>/archive", methods=["GET", "POST"])
@requires(Role.ADMIN)
def archive(site_id: int):
    """Archive a site (after asking): its embed stops being answered, reports keep it."""
    site = db.get_or_404(Site, site_id)
    if not confirmed():
        return confirm_removal(site.name, True, url_for("sites.edit", site_id=site.id))
    return acted(archive_site(site), _("Site %(name)s archived.", name=site.name),
                 url_for("sites.index"), undo=url_for("sites.restore", site_id=site.id))


@bp.route("/<int:site_id>/restore", methods=["POST"])
@requires(Role.ADMIN)
def restore(site_id: int):
    """Bring an archived site back."""
    site = db.get_or_404(Site, site_id)
    return acted(restore_site(site), _("Site %(name)s restored.", name=site.name),
                 url_for("sites.edit", site_id=site.id))
