"""What campaigns have delivered: towards their goal in total, and rendered today.

Billing follows the IAB/MRC impression guidelines: an impression counts when the ad
began to render on the reader's page (``rendered``), never when it was only served.

Goals, daily caps and pacing read this on the decision path, so answers are cached
per process for ``CACHE_SECONDS``: a campaign can overshoot its goal or daily cap
by what all app servers serve in that time (plus, with Redis, nothing more: unfolded
counters are read too). "Today" is the day in the campaign's site timezone (its
first zone's site; the app's default timezone otherwise).
"""

import time as clock
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

CACHE_SECONDS = 5.0
CAMPAIGN = 5  # index of campaign_id in a counter row's dimensions


def _cache() -> dict:
    return current_app.extensions.setdefault("ad_manager_delivered", {})


def forget_delivered() -> None:
    """Drop cached figures (tests, and after a fold)."""
    _cache().clear()


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


def _query(campaign_ids: list[int], now: datetime) -> dict[int, tuple[int, int]]:
    measures = goal_measures(campaign_ids)
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for model in (HourlyStat, DailyStat):
        for row in db.session.execute(
                select(model.campaign_id, *[func.sum(getattr(model, m)).label(m)
                                            for m in GOAL_MEASURES])
                .where(model.campaign_id.in_(campaign_ids)).group_by(model.campaign_id)):
            for measure in GOAL_MEASURES:
                totals[row.campaign_id][measure] += int(getattr(row, measure) or 0)
    today: dict[int, int] = defaultdict(int)
    by_start = defaultdict(list)
    for campaign_id, timezone in campaign_timezones(campaign_ids).items():
        by_start[start_of_day(now, timezone)].append(campaign_id)
    for start, ids in by_start.items():
        for campaign_id, rendered in db.session.execute(
                select(HourlyStat.campaign_id, func.sum(HourlyStat.rendered))
                .where(HourlyStat.campaign_id.in_(ids), HourlyStat.hour >= start)
                .group_by(HourlyStat.campaign_id)):
            today[campaign_id] += int(rendered or 0)
    _add_unfolded(campaign_ids, totals, today, by_start)
    return {cid: (totals[cid][measures[cid]], today[cid]) for cid in campaign_ids}


def _add_unfolded(campaign_ids, totals, today, by_start) -> None:
    """Add what Redis holds and the fold has not moved yet."""
    from ad_manager.stats import live

    if not live.enabled():
        return
    wanted = set(campaign_ids)
    starts = {cid: start for start, ids in by_start.items() for cid in ids}
    for hour, counts in live.unfolded():
        for dims, figures in counts.items():
            campaign_id = dims[CAMPAIGN]
            if campaign_id in wanted:
                for measure in GOAL_MEASURES:
                    totals[campaign_id][measure] += figures.get(measure, 0)
                if hour >= starts[campaign_id]:
                    today[campaign_id] += figures.get("rendered", 0)


def delivered(campaign_ids: Iterable[int], now: datetime) -> dict[int, tuple[int, int]]:
    """Give {campaign id: (delivered towards the goal, rendered today)}, cached briefly.

    The goal's figure is in the campaign's goal measure (rendered impressions,
    viewable impressions or clicks); the day's, for the daily cap, is rendered
    impressions. Never served: a campaign is billed for ads that began to render.
    """
    ids = sorted({int(cid) for cid in campaign_ids})
    if not ids:
        return {}
    cache = _cache()
    moment = clock.monotonic()
    missing = [cid for cid in ids if cid not in cache or cache[cid][0] < moment]
    if missing:
        for cid, figures in _query(missing, now).items():
            cache[cid] = (moment + CACHE_SECONDS, figures)
    return {cid: cache[cid][1] for cid in ids}
