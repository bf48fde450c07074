"""Advertisers: the clients who buy campaigns."""

from flask_babel import gettext as _

from ad_manager.extensions import db
from ad_manager.inventory import Invalid
from ad_manager.models import Advertiser, utcnow


def advertiser_values(data: dict) -> dict:
    """Check an advertiser form's values; give the model's fields or raise ``Invalid``."""
    values = {field: (data.get(field) or "").strip()
              for field in ("name", "contact_name", "contact_email", "notes")}
    if not values["name"]:
        raise Invalid.on("name", _("Give the advertiser a name."))
    return values


def remove_advertiser(advertiser: Advertiser) -> str:
    """Delete an advertiser without campaigns; archive one with campaigns, and them too."""
    if not advertiser.campaigns:
        db.session.delete(advertiser)
        return "delete"
    now = utcnow()
    advertiser.archived_at = now
    for campaign in advertiser.campaigns:
        if campaign.archived_at is None:
            campaign.archived_at = now
    return "archive"
