"""Which campaigns raise a delivery alert now, and why.

- **behind**: a live campaign with a goal whose delivery is short of its expected
  share by more than ``ALERT_BEHIND_SHARE`` of it (pace as the reports read it,
  ``stats.pace``);
- **ending**: a live campaign ending within ``ALERT_ENDING_DAYS`` days below its goal;
- **refused**: a creative that pages had no place for ("not placed", reported by the
  loader when the layout's anchor, placeholder or selector is missing) in at least
  ``ALERT_NOT_PLACED_SHARE`` of its deliveries of the last 24 hours;
- **anomaly**: a campaign or creative flagged by counting today or yesterday
  (``stats.anomalies``: CTR far from its norm, one address behind much of it).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.inventory.campaigns import status_condition
from ad_manager.models import Campaign, Creative, HourlyStat
from ad_manager.stats.anomalies import anomalies
from ad_manager.stats.pace import campaign_paces

KINDS = ("behind", "ending", "refused", "anomaly")
# Fewer "not placed" than this in a day says nothing (a reader's odd page).
NOT_PLACED_MIN = 5


@dataclass(frozen=True)
class Alert:
    """One reason to look at a campaign, with the figures its sentence gives."""

    kind: str
    campaign: Campaign
    figures: dict = field(default_factory=dict)


def _paced(campaigns: list, now: datetime) -> list[Alert]:
    behind_share = float(current_app.config.get("ALERT_BEHIND_SHARE", 0.10))
    ending = timedelta(days=float(current_app.config.get("ALERT_ENDING_DAYS", 3)))
    found = []
    paces = campaign_paces(campaigns, now)
    for campaign in campaigns:
        pace = paces[campaign.id]
        if not pace.goal:
            continue
        gap = (pace.expected or 0) - pace.delivered
        if pace.expected and gap > behind_share * pace.expected:
            found.append(Alert("behind", campaign, {"gap": gap, "delivered": pace.delivered,
                                                    "expected": pace.expected}))
        if campaign.ends_at - now <= ending and pace.delivered < pace.goal:
            found.append(Alert("ending", campaign, {"left": pace.goal - pace.delivered,
                                                    "delivered": pace.delivered,
                                                    "goal": pace.goal}))
    return found


def _refused(now: datetime) -> list[Alert]:
    share = float(current_app.config.get("ALERT_NOT_PLACED_SHARE", 0.10))
    rows = db.session.execute(
        select(HourlyStat.campaign_id, HourlyStat.creative_id,
               func.sum(HourlyStat.not_placed), func.sum(HourlyStat.rendered))
        .where(HourlyStat.hour >= now - timedelta(hours=24), HourlyStat.creative_id != 0)
        .group_by(HourlyStat.campaign_id, HourlyStat.creative_id))
    found = []
    for campaign_id, creative_id, not_placed, rendered in rows:
        not_placed, rendered = int(not_placed or 0), int(rendered or 0)
        if not_placed < NOT_PLACED_MIN or not_placed < share * (not_placed + rendered):
            continue
        creative = db.session.get(Creative, creative_id)
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is not None and campaign.archived_at is None:
            found.append(Alert("refused", campaign, {
                "creative": creative.name if creative and creative.name else f"#{creative_id}",
                "not_placed": not_placed, "shown": not_placed + rendered}))
    return found


def _flagged(now: datetime) -> list[Alert]:
    found, seen = [], set()
    for day in (now.date(), now.date() - timedelta(days=1)):
        for flag in anomalies(day):
            if flag.dimension == "campaign_id":
                campaign = db.session.get(Campaign, flag.thing_id)
                thing = None
            elif flag.dimension == "creative_id":
                creative = db.session.get(Creative, flag.thing_id)
                campaign = creative.campaign if creative else None
                thing = creative.name if creative and creative.name else f"#{flag.thing_id}"
            else:  # placements have no salesperson: the home page's flags card shows them
                continue
            key = (flag.dimension, flag.thing_id, flag.sign)
            if campaign is None or campaign.archived_at is not None or key in seen:
                continue
            seen.add(key)
            found.append(Alert("anomaly", campaign, {"sign": flag.sign, "value": flag.value,
                                                     "norm": flag.norm, "creative": thing,
                                                     "day": day}))
    return found


def current_alerts(now: datetime, anomalies_too: bool = True) -> list[Alert]:
    """Give every alert now (without anomalies if asked): by kind (behind, ending,
    refused, anomaly), then the most behind or the soonest ending first."""
    live = list(db.session.scalars(select(Campaign).where(status_condition("live", now))
                                   .order_by(Campaign.ends_at, Campaign.id)))
    found = _paced(live, now) + _refused(now) + (_flagged(now) if anomalies_too else [])
    return sorted(found, key=lambda a: (KINDS.index(a.kind), -a.figures.get("gap", 0)))
