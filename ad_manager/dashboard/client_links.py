"""Client links on a campaign's page: make one (its address shown once), revoke one."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard.form_pages import acted, confirm_step, confirmed
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory.client_links import create_client_link, revoke_client_link
from ad_manager.models import Campaign, ClientLink, Role

bp = staff_blueprint("client_links", __name__, url_prefix="/campaigns")


def links_section(campaign: Campaign) -> str:
    return url_for("campaigns.show", campaign_id=campaign.id) + "#client-links"


@bp.route("/<int:campaign_id>/client-links", methods=["POST"])
@requires(Role.SALES)
def create(campaign_id: int):
    """Make a client link and show its address, the only time it can be read."""
    campaign = db.get_or_404(Campaign, campaign_id)
    try:
        link, token = create_client_link(campaign, current_user)
    except Invalid as invalid:
        db.session.rollback()
        for message in invalid.errors.values():
            flash(message, "error")
        return redirect(links_section(campaign), 303)
    db.session.commit()
    address = url_for("client_report.client_report", campaign_id=str(campaign.id), token=token,
                      _external=True)
    return render_template("campaigns/client_link.html", campaign=campaign, link=link,
                           address=address), 201


@bp.route("/<int:campaign_id>/client-links/<int:link_id>/revoke", methods=["GET", "POST"])
@requires(Role.SALES)
def revoke(campaign_id: int, link_id: int):
    """Revoke a link (after asking, also without JavaScript): from now on it opens nothing."""
    link = db.get_or_404(ClientLink, link_id)
    if link.campaign_id != campaign_id:
        return redirect(url_for("campaigns.show", campaign_id=campaign_id), 303)
    if not confirmed():
        return confirm_step(_("Revoke this link? The advertiser will no longer be able to open "
                              "the report with it."), _("Revoke"), links_section(link.campaign))
    return acted(revoke_client_link(link), _("Client link revoked: it opens nothing any more."),
                 links_section(link.campaign))
