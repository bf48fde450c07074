"""What campaigns have delivered: towards their goal in total, and rendered today.

Billing follows the IAB/MRC impression guidelines: an impression counts when the ad
began to render on the reader's page (``rendered``), never when it was only served.
A campaign's goal counts rendered impressions, viewable impressions or clicks
(``Campaign.goal_measure``); daily caps and pacing's day count rendered impressions.

Goals, daily caps and pacing need these figures on the decision path; each process
reads them for all its snapshot's campaigns every ``DELIVERED_REFRESH_SECONDS`` off
the request path (``serving.snapshot_loader``), so a campaign can overshoot its goal
or daily cap by what all app servers serve in that time (with Redis, unfolded
counters are read too), or for as long as the stores are down: decisions then go
on with the last known figures. "Today" is the day in the campaign's site timezone
(its first zone's site; the app's default timezone otherwise).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.models import Campaign, Site, Zone
from ad_manager.models.inventory import GOAL_MEASURES, campaign_zone
from ad_manager.models.stats import DailyStat, HourlyStat

CAMPAIGN = 5  # index of campaign_id in a counter row's dimensions
CHUNK = 500  # campaign ids per query: 10,000 campaigns stay within every driver's limits


def campaign_timezones(campaign_ids: Iterable[int]) -> dict[int, str]:
    """Give each campaign's site timezone, by the zones it is booked into."""
    default = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris")
    found = dict.fromkeys(campaign_ids, default)
    rows = db.session.execute(
        select(campaign_zone.c.campaign_id, Site.timezone)
        .join(Zone, Zone.id == campaign_zone.c.zone_id).join(Site, Site.id == Zone.site_id)
        .where(campaign_zone.c.campaign_id.in_(list(found))).order_by(Zone.id))
    seen = set()
    for campaign_id, timezone in rows:
        if campaign_id not in seen and timezone:
            found[campaign_id] = timezone
            seen.add(campaign_id)
    return found


def start_of_day(now: datetime, timezone: str) -> datetime:
    """Give the instant the local day of ``now`` began in ``timezone``."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("Europe/Paris")
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)


def goal_measures(campaign_ids: list[int]) -> dict[int, str]:
    """Give what each campaign's goal counts (rendered impressions unless it says)."""
    rows = db.session.execute(select(Campaign.id, Campaign.goal_measure)
                              .where(Campaign.id.in_(campaign_ids)))
    found = {row.id: row.goal_measure for row in rows}
    return {cid: found.get(cid) if found.get(cid) in GOAL_MEASURES else "rendered"
            for cid in campaign_ids}


def _from_database(campaign_ids: list[int], now: datetime, totals: dict, today: dict,
                   starts: dict) -> None:
    """Add the folded counts of ``campaign_ids`` to ``totals`` (by measure) and
    ``today`` (rendered)."""
    for model in (HourlyStat, DailyStat):
        for row in db.session.execute(
                select(model.campaign_id, *[func.sum(getattr(model, m)).label(m)
                                            for m in GOAL_MEASURES])
                .where(model.campaign_id.in_(campaign_ids)).group_by(model.campaign_id)):
            for measure in GOAL_MEASURES:
                totals[row.campaign_id][measure] += int(getattr(row, measure) or 0)
    by_start = defaultdict(list)
    for campaign_id, timezone in campaign_timezones(campaign_ids).items():
        by_start[start_of_day(now, timezone)].append(campaign_id)
    for start, ids in by_start.items():
        for campaign_id, rendered in db.session.execute(
                select(HourlyStat.campaign_id, func.sum(HourlyStat.rendered))
                .where(HourlyStat.campaign_id.in_(ids), HourlyStat.hour >= start)
                .group_by(HourlyStat.campaign_id)):
            today[campaign_id] += int(rendered or 0)
        starts.update(dict.fromkeys(ids, start))


def _add_unfolded(totals, today, starts) -> None:
    """Add what Redis holds and the fold has not moved yet."""
    from ad_manager.stats import live

    if not live.enabled():
        return
    wanted = starts.keys()
    for hour, counts in live.unfolded():
        for dims, figures in counts.items():
            campaign_id = dims[CAMPAIGN]
            if campaign_id in wanted:
                for measure in GOAL_MEASURES:
                    totals[campaign_id][measure] += figures.get(measure, 0)
                if hour >= starts[campaign_id]:
                    today[campaign_id] += figures.get("rendered", 0)


def delivered(campaign_ids: Iterable[int], now: datetime) -> dict[int, tuple[int, int]]:
    """Give {campaign id: (delivered towards the goal, rendered today)}.

    The goal's figure is in the campaign's goal measure; the day's, for the daily cap,
    is rendered impressions. Never served: a campaign is billed for ads that began
    to render.
    """
    ids = sorted({int(cid) for cid in campaign_ids})
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    today: dict[int, int] = defaultdict(int)
    starts: dict[int, datetime] = {}
    measures: dict[int, str] = {}
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first:first + CHUNK]
        _from_database(chunk, now, totals, today, starts)
        measures.update(goal_measures(chunk))
    _add_unfolded(totals, today, starts)
    return {cid: (totals[cid][measures.get(cid, "rendered")], today[cid]) for cid in ids}
