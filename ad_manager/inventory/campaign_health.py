"""Why a campaign does not deliver, said plainly for the campaign page.

A campaign saves in any state (a draft with no zone is a fine start), so its page
lists what still stops it: archived, draft or paused, flight over, booked nowhere,
no active creative, a booked size no creative fits, a weight of 0. "Activate"
refuses while any of these (but a partly covered size) would keep it from delivering.
"""

from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _

from ad_manager.inventory.campaigns import campaign_timezone
from ad_manager.inventory.creatives import allowed_sizes, uncovered_sizes
from ad_manager.models import Campaign
from ad_manager.models.base import utcnow


def _when(instant: datetime, campaign: Campaign) -> str:
    return format_datetime(instant.astimezone(campaign_timezone(campaign)), "short",
                           rebase=False)


def blockers(campaign: Campaign, now: datetime | None = None) -> list[str]:
    """Say plainly, one reason a line, why the campaign does not deliver now (or will
    not when its flight starts); an empty list when nothing stops it."""
    now = now or utcnow()
    reasons = []
    if campaign.archived_at is not None:
        reasons.append(_("It is archived: restore it first."))
    if campaign.state == "draft":
        reasons.append(_("It is a draft: activate it to deliver."))
    elif campaign.state == "paused":
        reasons.append(_("It is paused: activate it to deliver again."))
    return reasons + _setup_reasons(campaign, now, partial=True)


def activation_blockers(campaign: Campaign, now: datetime | None = None) -> list[str]:
    """Give what would stop the campaign from delivering anything once activated (its
    state aside); a booked size no creative fits does not, the others still show."""
    now = now or utcnow()
    reasons = [_("It is archived: restore it first.")] if campaign.archived_at else []
    return reasons + _setup_reasons(campaign, now, partial=False)


def _setup_reasons(campaign: Campaign, now: datetime, partial: bool) -> list[str]:
    """The reasons of ``blockers`` past the state: flight, bookings, creatives, weight;
    ``partial`` also names booked sizes no creative fits while others are covered."""
    reasons = []
    if now >= campaign.ends_at:
        reasons.append(_("Its flight ended on %(end)s.", end=_when(campaign.ends_at, campaign)))
    live_zones = [zone for zone in campaign.zones if zone.archived_at is None]
    live_inserts = [insert for insert in campaign.inserts if insert.archived_at is None]
    if not live_zones and not live_inserts:
        reasons.append(_("It is booked into no zone: edit it and choose zones."))
    active = [c for c in campaign.creatives if c.active and c.archived_at is None]
    if not active:
        reasons.append(_("It has no active creative: add an image, text or HTML ad."))
    elif live_zones and (missing := uncovered_sizes(campaign)) and (
            partial or (len(missing) == len(allowed_sizes(campaign)) and not live_inserts)):
        reasons.append(_("No active creative fits %(sizes)s: those slots show something else.",
                         sizes=", ".join(missing).replace("x", "×")))
    elif live_inserts and not live_zones and not any(c.kind == "text" for c in active):
        reasons.append(_("Inserts take only text ads: add a text creative."))
    if campaign.weight == 0:
        reasons.append(_("Its weight is 0: it never wins a draw."))
    return reasons
