"""Creatives, managed from their campaign's page: image uploads, HTML and text ads."""

from flask import (
    abort,
    current_app,
    make_response,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.form_pages import acted, confirm_removal, confirmed, form_page
from ad_manager.dashboard.inventory_fields import WITHIN_COLUMN
from ad_manager.extensions import db
from ad_manager.inventory.campaigns import ever_switched_on
from ad_manager.inventory.creatives import (
    KINDS,
    allowed_sizes,
    create_creative,
    remove_creative,
    restore_creative,
    update_creative,
)
from ad_manager.models import Campaign, Creative, Role

bp = staff_blueprint("creatives", __name__, url_prefix="/creatives")
# An HTML creative's preview runs in a sandbox of its own: an opaque origin, no access
# to the dashboard, its own scripts and styles allowed.
FRAME_POLICY = ("sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox; "
                "default-src * data: blob: 'unsafe-inline' 'unsafe-eval'; frame-ancestors 'self'")


class CreativeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=120)])
    image = FileField(_l("Image file"))
    size = StringField(_l("Size"), validators=[Length(max=20)])
    html = TextAreaField(_l("HTML"))
    headline = StringField(_l("Headline"), validators=[Length(max=120)])
    body = TextAreaField(_l("Text"), validators=[Length(max=300)])
    alt_text = StringField(_l("Alternative text"), validators=[Length(max=200)])
    click_url = StringField(_l("Click-through URL"), validators=[Length(max=2000)])
    weight = IntegerField(_l("Weight"), default=1, validators=[Optional(), WITHIN_COLUMN])
    active = BooleanField(_l("Active"), default=True)


def creative_form(creative: Creative | None) -> CreativeForm:
    """Give the form, filled from ``creative`` on first display."""
    if request.method == "GET" and creative is not None:
        return CreativeForm(obj=creative)
    return CreativeForm()


def upload(form: CreativeForm) -> dict:
    """Give the posted image and where and how large images are stored, for the service."""
    return {"upload": form.image.data.read() if form.image.data else None,
            "upload_folder": current_app.config["UPLOAD_FOLDER"],
            "max_bytes": current_app.config["UPLOAD_MAX_BYTES"]}


def in_campaign(creative: Creative) -> str:
    """Give the address of the creatives on their campaign's page."""
    return url_for("campaigns.show", campaign_id=creative.campaign_id) + "#creatives"


@bp.route("/new/<int:campaign_id>/<kind>", methods=["GET", "POST"])
@requires(Role.SALES)
def new(campaign_id: int, kind: str):
    """Add an image, HTML or text creative to a campaign."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if kind not in KINDS or campaign.archived:
        abort(404)
    form = creative_form(None)
    return form_page(form, "creatives/form.html",
                     lambda: create_creative(campaign, kind, form.data, **upload(form)),
                     then=in_campaign, message=lambda _creative: _(
                         "Creative added to %(name)s.", name=campaign.name),
                     campaign=campaign, kind=kind, creative=None, sizes=allowed_sizes(campaign))


@bp.route("/<int:creative_id>/edit", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(creative_id: int):
    """Change a creative (an image may be replaced or kept)."""
    creative = db.get_or_404(Creative, creative_id)
    form = creative_form(creative)
    return form_page(form, "creatives/form.html",
                     lambda: update_creative(creative, form.data, **upload(form)),
                     then=in_campaign, message=lambda _creative: _("Creative saved."),
                     campaign=creative.campaign, kind=creative.kind, creative=creative,
                     sizes=allowed_sizes(creative.campaign))


@bp.route("/<int:creative_id>/remove", methods=["GET", "POST"])
@requires(Role.SALES)
def remove(creative_id: int):
    """Delete a creative of a draft campaign; archive one that may have delivered (after
    asking)."""
    creative = db.get_or_404(Creative, creative_id)
    then = in_campaign(creative)
    if not confirmed():
        return confirm_removal(creative.title, ever_switched_on(creative.campaign), then)
    was_active = creative.active
    archived = remove_creative(creative, current_app.config["UPLOAD_FOLDER"]) == "archive"
    return acted(True, _("Creative removed."), then, undo=url_for(
        "creatives.restore", creative_id=creative_id) if archived else None,
        undo_values={"switch_on": "yes"} if was_active else None)


@bp.route("/<int:creative_id>/restore", methods=["POST"])
@requires(Role.SALES)
def restore(creative_id: int):
    """Bring an archived creative back, switched off until staff switch it on."""
    creative = db.get_or_404(Creative, creative_id)
    switch_on = request.form.get("switch_on") == "yes"  # "Undo" of a remove: as it was
    return acted(restore_creative(creative, switch_on), _("Creative restored."),
                 in_campaign(creative))


@bp.route("/<int:creative_id>/frame")
@requires(Role.VIEWER)
def frame(creative_id: int):
    """Give an HTML creative as a document for its sandboxed preview frame."""
    creative = db.get_or_404(Creative, creative_id)
    if creative.kind != "html":
        abort(404)
    document = ("<!doctype html><html><head><meta charset=\"utf-8\"><style>html,body{margin:0;"
                "overflow:hidden}</style></head><body>" + (creative.html or "") + "</body></html>")
    response = make_response(document)
    response.headers["Content-Security-Policy"] = FRAME_POLICY
    return response
