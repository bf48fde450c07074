"""Campaigns: flights, tiers, caps, targeting and bookings; their creatives on their page."""

from flask import current_app, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.campaigns_forms import campaign_form, duplicate_form, form_values
from ad_manager.dashboard.form_pages import acted, confirm_removal, confirmed, form_page
from ad_manager.dashboard.inventory_views import matching, search_text
from ad_manager.dashboard.pagination import ListPage, Page, page_number
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory.campaign_health import blockers
from ad_manager.inventory.campaign_switch import activate_campaign, pause_campaign
from ad_manager.inventory.campaigns import (
    campaign_timezone,
    create_campaign,
    duplicate_campaign,
    ever_switched_on,
    remove_campaign,
    restore_campaign,
    status_condition,
    update_campaign,
)
from ad_manager.inventory.client_links import campaign_links
from ad_manager.inventory.creatives import allowed_sizes, uncovered_sizes
from ad_manager.models import Advertiser, Campaign, Role, utcnow
from ad_manager.models.base import LARGEST_ID
from ad_manager.stats.delivered import delivered
from ad_manager.stats.pace import campaign_paces
from ad_manager.stats.reasons import GOAL_LABELS, PRICING_LABELS

bp = staff_blueprint("campaigns", __name__, url_prefix="/campaigns")


@bp.app_template_filter("flight_time")
def flight_time(instant, campaign: Campaign) -> str:
    """Write an instant of a campaign's flight in its site's time zone, as it was entered."""
    return format_datetime(instant.astimezone(campaign_timezone(campaign)), "short",
                           rebase=False)

# Sorts of the campaign list by a delivery figure: computed, so sorted in memory.
PACE_ORDER = {"behind": 0, "on_track": 1, "ahead": 2, None: 3}
DELIVERY_SORTS = {
    "gap": lambda p: (p.gap is None, p.gap or 0),  # most behind first
    "delivered": lambda p: -p.delivered,
    "expected": lambda p: (p.expected is None, -(p.expected or 0)),
    "pace": lambda p: (PACE_ORDER[p.status], p.gap or 0),
}

STATUS_CHOICES = [("live", _l("Live")), ("scheduled", _l("Scheduled")),
                  ("paused", _l("Paused")), ("draft", _l("Draft")),
                  ("finished", _l("Finished")), ("archived", _l("Archived"))]


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """List campaigns with search and filters by status and advertiser."""
    q, status = search_text(), request.args.get("status", "")
    advertiser_id = request.args.get("advertiser", "")
    now = utcnow()
    query = select(Campaign).join(Campaign.advertiser).where(status_condition(status, now))
    if advertiser_id.isascii() and advertiser_id.isdigit() and int(advertiser_id) <= LARGEST_ID:
        query = query.where(Campaign.advertiser_id == int(advertiser_id))
    sort = request.args.get("sort", "")
    order = [Campaign.name, Campaign.id] if sort == "name" else [
        Campaign.starts_at.desc(), Campaign.id.desc()]
    query = matching(query, q, Campaign.name, Advertiser.name).order_by(*order)
    if sort in DELIVERY_SORTS:
        campaigns = db.session.scalars(query).all()
        paces = campaign_paces(campaigns, now)
        campaigns.sort(key=lambda c: DELIVERY_SORTS[sort](paces[c.id]))
        page = ListPage(campaigns, page_number())
    else:
        sort = "" if sort != "name" else sort
        page = Page(query, page_number())
        paces = campaign_paces(page.items, now)
    advertisers = db.session.execute(select(Advertiser.id, Advertiser.name).where(
        Advertiser.archived_at.is_(None)).order_by(Advertiser.name)).all()
    return render_template(
        "campaigns/index.html", page=page, paces=paces, sort=sort, q=q, status=status,
        advertiser_id=advertiser_id, now=now, status_choices=STATUS_CHOICES,
        advertiser_choices=[(str(a.id), a.name) for a in advertisers])


@bp.route("/<int:campaign_id>")
@requires(Role.VIEWER)
def show(campaign_id: int):
    """Show a campaign, where it stands, its bookings and its creatives at real size."""
    return campaign_page(db.get_or_404(Campaign, campaign_id))


def campaign_page(campaign: Campaign, refused: list[str] | None = None):
    """Render the campaign's page; ``refused`` lists why "Activate" was refused."""
    now = utcnow()
    total, today = delivered([campaign.id], now).get(campaign.id, (0, 0))
    return render_template("campaigns/show.html", campaign=campaign, now=now,
                           delivered_total=total, rendered_today=today,
                           goal_label=GOAL_LABELS.get(campaign.goal_measure,
                                                      GOAL_LABELS["rendered"]),
                           pace=campaign_paces([campaign], now)[campaign.id],
                           blockers=blockers(campaign, now), refused=refused or [],
                           tz=campaign_timezone(campaign) if campaign.zones else None,
                           sizes=allowed_sizes(campaign), uncovered=uncovered_sizes(campaign),
                           archives=ever_switched_on(campaign), links=campaign_links(campaign),
                           pricing_labels=PRICING_LABELS)


@bp.route("/<int:campaign_id>/activate", methods=["POST"])
@requires(Role.SALES)
def activate(campaign_id: int):
    """Switch the campaign on in one click, unless it could not deliver: then say why."""
    campaign = db.get_or_404(Campaign, campaign_id)
    try:
        switched = activate_campaign(campaign)
    except Invalid as invalid:
        db.session.rollback()
        return campaign_page(campaign, invalid.errors["state"].split("\n")), 422
    return acted(switched, _("Campaign %(name)s activated.", name=campaign.name),
                 shown(campaign))


@bp.route("/<int:campaign_id>/pause", methods=["POST"])
@requires(Role.SALES)
def pause(campaign_id: int):
    """Switch the campaign off in one click; "Activate" switches it on again."""
    campaign = db.get_or_404(Campaign, campaign_id)
    return acted(pause_campaign(campaign), _("Campaign %(name)s paused.", name=campaign.name),
                 shown(campaign))


def shown(campaign: Campaign) -> str:
    """Give the address of the campaign's page."""
    return url_for("campaigns.show", campaign_id=campaign.id)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Create a campaign (for ``?advertiser=ID`` when given)."""
    advertiser = request.args.get("advertiser", "")
    form = campaign_form(None, request.method,
                         int(advertiser) if advertiser.isascii() and advertiser.isdigit() else None)
    return form_page(form, "campaigns/form.html", lambda: create_campaign(form_values(form)),
                     then=shown, campaign=None, message=lambda campaign: _(
                         "Campaign %(name)s created.", name=campaign.name))


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(campaign_id: int):
    """Change a campaign."""
    campaign = db.get_or_404(Campaign, campaign_id)
    form = campaign_form(campaign, request.method)
    return form_page(form, "campaigns/form.html",
                     lambda: update_campaign(campaign, form_values(form)),
                     then=shown, campaign=campaign, message=lambda campaign: _(
                         "Campaign %(name)s saved.", name=campaign.name))


@bp.route("/<int:campaign_id>/duplicate", methods=["GET", "POST"])
@requires(Role.SALES)
def duplicate(campaign_id: int):
    """Copy a campaign as a draft with new dates (a renewal); go on to the copy's edit page."""
    campaign = db.get_or_404(Campaign, campaign_id)
    form = duplicate_form(campaign, request.method)
    return form_page(form, "campaigns/duplicate.html",
                     lambda: duplicate_campaign(campaign, form.data,
                                                current_app.config["UPLOAD_FOLDER"]),
                     then=lambda copy: url_for("campaigns.edit", campaign_id=copy.id),
                     message=lambda copy: _("Draft %(name)s created: check it, then activate "
                                            "it.", name=copy.name),
                     campaign=campaign, tz=campaign_timezone(campaign))


@bp.route("/<int:campaign_id>/remove", methods=["GET", "POST"])
@requires(Role.SALES)
def remove(campaign_id: int):
    """Delete a draft; archive a campaign that was ever switched on (after asking)."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if not confirmed():
        return confirm_removal(campaign.name, ever_switched_on(campaign), shown(campaign))
    name = campaign.name
    archived = remove_campaign(campaign, current_app.config["UPLOAD_FOLDER"]) == "archive"
    return acted(True, _("Campaign %(name)s removed.", name=name), url_for("campaigns.index"),
                 undo=url_for("campaigns.restore", campaign_id=campaign_id) if archived else None)


@bp.route("/<int:campaign_id>/restore", methods=["POST"])
@requires(Role.SALES)
def restore(campaign_id: int):
    """Bring an archived campaign back."""
    campaign = db.get_or_404(Campaign, campaign_id)
    return acted(restore_campaign(campaign),
                 _("Campaign %(name)s restored.", name=campaign.name), shown(campaign))
