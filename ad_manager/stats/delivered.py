"""How many impressions campaigns have delivered: in total and today.

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
from ad_manager.models import Site, Zone
from ad_manager.models.inventory import campaign_zone
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


def _from_database(campaign_ids: list[int], now: datetime, totals: dict, today: dict,
                   starts: dict) -> None:
    """Add the folded counts of ``campaign_ids`` to ``totals`` and ``today``."""
    for model in (HourlyStat, DailyStat):
        for campaign_id, served in db.session.execute(
                select(model.campaign_id, func.sum(model.served))
                .where(model.campaign_id.in_(campaign_ids)).group_by(model.campaign_id)):
            totals[campaign_id] += int(served or 0)
    by_start = defaultdict(list)
    for campaign_id, timezone in campaign_timezones(campaign_ids).items():
        by_start[start_of_day(now, timezone)].append(campaign_id)
    for start, ids in by_start.items():
        for campaign_id, served in db.session.execute(
                select(HourlyStat.campaign_id, func.sum(HourlyStat.served))
                .where(HourlyStat.campaign_id.in_(ids), HourlyStat.hour >= start)
                .group_by(HourlyStat.campaign_id)):
            today[campaign_id] += int(served or 0)
        starts.update(dict.fromkeys(ids, start))


def _add_unfolded(totals, today, starts) -> None:
    """Add what Redis holds and the fold has not moved yet."""
    from ad_manager.stats import live

    if not live.enabled():
        return
    wanted = starts.keys()
    for hour, counts in live.unfolded():
        for dims, measures in counts.items():
            campaign_id = dims[CAMPAIGN]
            if campaign_id in wanted:
                served = measures.get("served", 0)
                totals[campaign_id] += served
                if hour >= starts[campaign_id]:
                    today[campaign_id] += served


def delivered(campaign_ids: Iterable[int], now: datetime) -> dict[int, tuple[int, int]]:
    """Give {campaign id: (impressions served in total, served today)}."""
    ids = sorted({int(cid) for cid in campaign_ids})
    totals: dict[int, int] = defaultdict(int)
    today: dict[int, int] = defaultdict(int)
    starts: dict[int, datetime] = {}
    for first in range(0, len(ids), CHUNK):
        _from_database(ids[first:first + CHUNK], now, totals, today, starts)
    _add_unfolded(totals, today, starts)
    return {cid: (totals[cid], today[cid]) for cid in ids}
