"""The CSV export of a report: one row per (day, site, layout, placement, zone or
insert, campaign, creative), streamed.

The database sums hourly and daily rows per day in one query whose rows are read
in chunks from a server-side cursor (``yield_per``), and each CSV line is yielded
as soon as it is written: a year of hourly data for a hundred creatives never sits
in memory. Only the names of sites, layouts, zones, inserts, campaigns and
creatives (a few thousand at most) are looked up beforehand.
"""

import csv
import io
from collections.abc import Iterator
from datetime import date

from sqlalchemy import func, literal, select, union_all

from ad_manager.extensions import db
from ad_manager.models import Campaign, Creative, Insert, Layout, Site, Zone
from ad_manager.models.stats import DailyStat, HourlyStat
from ad_manager.stats.reports import Period, conditions, day_of_hour

COLUMNS = ["date", "site", "layout", "placement", "zone", "insert", "campaign", "creative",
           "served", "rendered", "viewable", "clicks", "not_placed"]
KEYS = ("site_id", "layout_id", "placement_id", "zone_id", "insert_id", "campaign_id",
        "creative_id")
MEASURES = ("served", "rendered", "viewable", "clicks", "not_placed")
CHUNK = 1000


def export_query(period: Period):
    """Give the per-day query of the export, hourly and daily rows together."""
    parts = []
    for model, day in ((HourlyStat, day_of_hour()), (DailyStat, func.date(DailyStat.day))):
        parts.append(select(day.label("day"), *[getattr(model, k) for k in KEYS],
                            *[getattr(model, m) for m in MEASURES], literal(1).label("n"))
                     .where(*conditions(model, period)))
    rows = union_all(*parts).subquery()
    keys = [rows.c.day, *[rows.c[k] for k in KEYS]]
    return (select(*keys, *[func.sum(rows.c[m]).label(m) for m in MEASURES])
            .group_by(*keys).order_by(*keys))


def _names() -> dict[str, dict[int, str]]:
    """Give the names the CSV shows for each dimension (slugs for zones and inserts)."""

    def named(query) -> dict[int, str]:
        return {row[0]: row[1] for row in db.session.execute(query)}

    return {
        "site_id": named(select(Site.id, Site.key)),
        "layout_id": named(select(Layout.id, Layout.slug)),
        "zone_id": named(select(Zone.id, Zone.slug)),
        "insert_id": named(select(Insert.id, Insert.slug)),
        "campaign_id": named(select(Campaign.id, Campaign.name)),
        "creative_id": named(select(Creative.id, Creative.name)),
    }


def _label(names: dict[int, str], value: int, dimension: str) -> str:
    if not value:
        return ""
    if dimension == "placement_id":
        return str(value)
    return names.get(value) or f"#{value}"


def _day(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def csv_lines(period: Period) -> Iterator[str]:
    """Yield the export's CSV text line by line, header first."""
    names = _names()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield flush()
    result = db.session.execute(export_query(period), execution_options={"yield_per": CHUNK})
    for row in result:
        writer.writerow([_day(row.day)]
                        + [_label(names.get(k, {}), getattr(row, k), k) for k in KEYS]
                        + [int(getattr(row, m) or 0) for m in MEASURES])
        yield flush()
