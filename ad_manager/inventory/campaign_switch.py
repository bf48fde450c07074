"""Switching a campaign on and off from its page: one click, logged like any save.

Activate refuses, with the reasons of ``campaign_health``, a campaign that would
deliver nothing (no zone, no active creative, flight over…): switching it on would
only hide the problem.
"""

from datetime import datetime

from ad_manager import saving
from ad_manager.invalid import Invalid
from ad_manager.inventory.campaign_health import activation_blockers
from ad_manager.models import Campaign


def activate_campaign(campaign: Campaign, now: datetime | None = None) -> bool:
    """Switch a draft or paused campaign on; give whether it changed.

    Raises ``Invalid`` on "state", every reason a line, when it could not deliver.
    """
    reasons = activation_blockers(campaign, now)
    if reasons:
        raise Invalid.on("state", "\n".join(reasons))
    return bool(saving.change(campaign, {"state": "active"}, summary=campaign.name))


def pause_campaign(campaign: Campaign) -> bool:
    """Switch an active campaign off (it may be activated again); give whether it changed."""
    if campaign.state != "active" or campaign.archived_at is not None:
        return False
    return bool(saving.change(campaign, {"state": "paused"}, summary=campaign.name))
