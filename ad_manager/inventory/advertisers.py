"""Advertisers: the clients who buy campaigns."""

from flask_babel import gettext as _

from ad_manager import saving
from ad_manager.invalid import Invalid
from ad_manager.models import Advertiser


def advertiser_values(data: dict) -> dict:
    """Check an advertiser form's values; give the model's fields or raise ``Invalid``."""
    values = {field: (data.get(field) or "").strip()
              for field in ("name", "contact_name", "contact_email", "notes")}
    if not values["name"]:
        raise Invalid.on("name", _("Give the advertiser a name."))
    return values


def create_advertiser(data: dict) -> Advertiser:
    """Add an advertiser from a form's values."""
    advertiser = Advertiser(**advertiser_values(data))
    return saving.add(advertiser, summary=advertiser.name)


def update_advertiser(advertiser: Advertiser, data: dict) -> Advertiser:
    """Change an advertiser from a form's values (when they change nothing, nothing is written)."""
    saving.change(advertiser, advertiser_values(data), summary=advertiser.name)
    return advertiser


def remove_advertiser(advertiser: Advertiser) -> str:
    """Delete an advertiser without campaigns; archive one with campaigns, and them too."""
    if not advertiser.campaigns:
        saving.delete(advertiser, summary=advertiser.name)
        return "delete"
    saving.archive(advertiser, summary=advertiser.name)
    for campaign in advertiser.campaigns:
        if campaign.archived_at is None:
            campaign.archived_at = advertiser.archived_at
    return "archive"


def restore_advertiser(advertiser: Advertiser) -> bool:
    """Bring an archived advertiser back, with the campaigns archived along with it (the
    same instant: "Undo" puts back what the remove took); give whether it was archived.

    Campaigns archived on their own before stay archived.
    """
    when = advertiser.archived_at
    if not saving.restore(advertiser, summary=advertiser.name):
        return False
    for campaign in advertiser.campaigns:
        if campaign.archived_at == when:
            saving.restore(campaign, summary=campaign.name)
    return True
