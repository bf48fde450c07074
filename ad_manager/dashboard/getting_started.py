"""The home page's "Getting started" checklist: each step, whether it is done, and
whether the signed-in user may do it.

A step is shown only to users whose role may open the page that does it (so a
salesperson never sees "define your sites"); the checklist disappears once every
step the user may do is done (a salesperson whose part is done is not left looking at
a list of ticks while an admin has yet to paste the tag).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import exists, select

from ad_manager.auth.roles import required_role
from ad_manager.extensions import db
from ad_manager.models import Campaign, Creative, Insert, Layout, Placement, Site, Zone
from ad_manager.models.inventory import campaign_zone
from ad_manager.models.stats import DailyStat, HourlyStat


@dataclass(frozen=True)
class Step:
    label: str
    endpoint: str  # where the step is done
    action: str  # the endpoint whose role decides who sees the step
    done: bool


def _any(*conditions) -> bool:
    return bool(db.session.scalar(select(exists().where(*conditions))))


def steps() -> list[Step]:
    """Give every step of the checklist, done or not."""
    live = Campaign.archived_at.is_(None)
    return [
        Step(_l("Define your sites."), "sites.index", "sites.new",
             _any(Site.archived_at.is_(None))),
        Step(_l("Add the ad zones of your sites."), "zones.index", "zones.new",
             _any(Zone.archived_at.is_(None))),
        Step(_l("Book advertisers' campaigns and creatives into the zones."), "campaigns.index",
             "campaigns.new", _any(live, Campaign.state == "active",
                                   Campaign.id.in_(select(campaign_zone.c.campaign_id)),
                                   Campaign.id.in_(select(Creative.campaign_id).where(
                                       Creative.archived_at.is_(None))))),
        Step(_l("Set up related-link inserts."), "inserts.index", "inserts.new",
             _any(Insert.archived_at.is_(None))),
        Step(_l("Place zones and inserts in an article layout."), "layouts.index", "layouts.add",
             _any(Layout.archived_at.is_(None), Layout.id.in_(select(Placement.layout_id)))),
        Step(_l("Paste the embed tag into your article template."), "layouts.index",
             "sites.new", _any(HourlyStat.id.isnot(None)) or _any(DailyStat.id.isnot(None))),
    ]


def checklist() -> list[Step] | None:
    """Give the steps the signed-in user may do, or None once all of those are done."""
    mine = [step for step in steps() if current_user.can(required_role(step.action))]
    if all(step.done for step in mine):
        return None
    return mine
