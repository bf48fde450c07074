"""Creatives, managed from their campaign's page: image uploads, HTML and text ads."""

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ad_manager import audit
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.inventory_fields import WITHIN_COLUMN
from ad_manager.dashboard.inventory_views import show_errors
from ad_manager.dashboard.pagination import form_status
from ad_manager.extensions import db
from ad_manager.inventory import Invalid
from ad_manager.inventory.creatives import KINDS, allowed_sizes, creative_values, remove_creative
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


def save(campaign: Campaign, kind: str, creative: Creative | None):
    """Create or change a creative of ``campaign`` from the posted form."""
    if request.method == "GET" and creative is not None:
        form = CreativeForm(obj=creative)
    else:
        form = CreativeForm()
    if form.validate_on_submit():
        upload = form.image.data.read() if form.image.data else None
        try:
            values = creative_values(
                kind, form.data, campaign, upload=upload, creative=creative,
                upload_folder=current_app.config["UPLOAD_FOLDER"],
                max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
        except Invalid as invalid:
            show_errors(form, invalid)
        else:
            if creative is None:
                creative = Creative(**values)
                db.session.add(creative)
                db.session.flush()
                audit.record("create", creative, summary=f"{campaign.name}: {creative.kind}")
                flash(_("Creative added to %(name)s.", name=campaign.name), "success")
            else:
                changes = audit.changed_fields(creative, values)
                audit.record("update", creative, summary=f"{campaign.name}: {creative.kind}",
                             changes=changes)
                flash(_("Creative saved."), "success")
            db.session.commit()
            return redirect(url_for("campaigns.show", campaign_id=campaign.id) + "#creatives", 303)
    return render_template("creatives/form.html", form=form, campaign=campaign, kind=kind,
                           creative=creative, sizes=allowed_sizes(campaign)), form_status(form)


@bp.route("/new/<int:campaign_id>/<kind>", methods=["GET", "POST"])
@requires(Role.SALES)
def new(campaign_id: int, kind: str):
    """Add an image, HTML or text creative to a campaign."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if kind not in KINDS or campaign.archived:
        abort(404)
    return save(campaign, kind, None)


@bp.route("/<int:creative_id>/edit", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(creative_id: int):
    """Change a creative (an image may be replaced or kept)."""
    creative = db.get_or_404(Creative, creative_id)
    return save(creative.campaign, creative.kind, creative)


@bp.route("/<int:creative_id>/remove", methods=["POST"])
@requires(Role.SALES)
def remove(creative_id: int):
    """Delete a creative of a draft campaign; archive one that may have delivered."""
    creative = db.get_or_404(Creative, creative_id)
    campaign = creative.campaign
    audit.record(remove_creative(creative, current_app.config["UPLOAD_FOLDER"]), creative,
                 summary=f"{campaign.name}: {creative.kind}")
    db.session.commit()
    flash(_("Creative removed."), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id) + "#creatives", 303)


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
