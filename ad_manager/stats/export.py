"""The CSV export of a report: one row per (local day, site, layout, placement, zone
or insert, campaign, creative), streamed, in two dialects.

- ``plain``: comma-separated, ISO dates, English headers (scripts, CLI).
- ``excel-fr``: what French Excel opens as columns: a UTF-8 byte order mark (so
  "Noël" stays "Noël"), ``;`` between cells, French headers, dates as dd/mm/yyyy
  and a decimal comma in the two rates it adds.

Days are the report period's local days (``Period.timezone``): the database sums
hourly rows per UTC hour and rolled-up rows per day, both read in order from
server-side cursors (``yield_per``); the two streams are merged by local day and
each day's rows are summed and written as soon as the day is complete. A year of
hourly data for a hundred creatives never sits in memory, only one day's rows.
The names of sites, layouts, zones, inserts, campaigns and creatives (a few
thousand at most) are looked up beforehand.

Those names are typed by staff, and a spreadsheet runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula:
every text cell so written is neutralised by a leading apostrophe (OWASP's rule,
``spreadsheet_text``). Figures are numbers and are written as they are.
"""

import csv
import heapq
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.models import Campaign, Creative, Insert, Layout, Site, Zone
from ad_manager.models.stats import FILTERED_BY_REASON, DailyStat, HourlyStat
from ad_manager.stats.reports import Period, _as_date, conditions

# "filtered" is every event not counted; each filtered_<reason> the part filtered for
# that reason (models.stats.FILTER_REASONS: what README's "What is counted" explains).
COLUMNS = ["date", "site", "layout", "placement", "zone", "insert", "campaign", "creative",
           "served", "rendered", "viewable", "clicks", "not_placed", "filtered",
           *FILTERED_BY_REASON]
COLUMNS_FR = ["Date", "Site", "Gabarit", "Emplacement", "Zone", "Encart", "Campagne",
              "Création", "Servies", "Impressions", "Visibles", "Clics", "Non placées",
              "Filtrées", "Filtrées : robots", "Filtrées : lecteurs exclus",
              "Filtrées : hors des pages du site", "Filtrées : préchargements",
              "Filtrées : limite de débit", "Filtrées : hors ordre", "Filtrées : rejouées",
              "Taux de visibilité (%)", "Taux de clics (%)"]
KEYS = ("site_id", "layout_id", "placement_id", "zone_id", "insert_id", "campaign_id",
        "creative_id")
MEASURES = ("served", "rendered", "viewable", "clicks", "not_placed", "filtered",
            *FILTERED_BY_REASON)
CHUNK = 1000
# What starts a formula in Excel, LibreOffice or Google Sheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dialect:
    """How one kind of CSV is written."""

    name: str
    delimiter: str
    header: list[str]
    byte_order_mark: bool
    date_format: str | None  # None: ISO
    rates: bool  # add the viewable rate and CTR, in percent
    decimal: str = "."

    def day(self, day: date) -> str:
        return day.strftime(self.date_format) if self.date_format else day.isoformat()

    def percent(self, part: int, whole: int) -> str:
        if not whole:
            return ""
        return f"{100 * part / whole:.2f}".replace(".", self.decimal)


PLAIN = Dialect("plain", ",", COLUMNS, False, None, False)
EXCEL_FR = Dialect("excel-fr", ";", COLUMNS_FR, True, "%d/%m/%Y", True, decimal=",")
DIALECTS = {dialect.name: dialect for dialect in (PLAIN, EXCEL_FR)}


def _ordered(model, time_column, period: Period):
    keys = [getattr(model, k) for k in KEYS]
    return (select(time_column.label("at"), *keys,
                   *[func.sum(getattr(model, m)).label(m) for m in MEASURES])
            .where(*conditions(model, period)).group_by(time_column, *keys)
            .order_by(time_column))


def _stream(query, to_day) -> Iterator[tuple[date, tuple, tuple]]:
    for row in db.session.execute(query, execution_options={"yield_per": CHUNK}):
        yield (to_day(row.at), tuple(getattr(row, k) or 0 for k in KEYS),
               tuple(int(getattr(row, m) or 0) for m in MEASURES))


def day_rows(period: Period) -> Iterator[tuple[date, tuple, list[int]]]:
    """Yield (local day, dimension ids, measures) in day order, summed per day."""
    merged = heapq.merge(
        _stream(_ordered(DailyStat, DailyStat.day, period), _as_date),
        _stream(_ordered(HourlyStat, HourlyStat.hour, period), period.local_day),
        key=lambda item: item[0])
    current, sums = None, {}
    for day, keys, measures in merged:
        if day != current:
            yield from ((current, k, sums[k]) for k in sorted(sums))
            current, sums = day, {}
        found = sums.setdefault(keys, [0] * len(MEASURES))
        for index, value in enumerate(measures):
            found[index] += value
    yield from ((current, k, sums[k]) for k in sorted(sums))


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


def spreadsheet_text(text: str) -> str:
    """Give ``text`` as a spreadsheet shows it and never runs it: a leading
    apostrophe before what would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _label(names: dict[int, str], value: int, dimension: str) -> str:
    if not value:
        return ""
    if dimension == "placement_id":
        return str(value)
    return spreadsheet_text(names.get(value) or f"#{value}")


def csv_lines(period: Period, dialect: Dialect = PLAIN) -> Iterator[str]:
    """Yield the export's CSV text line by line, header first."""
    names = _names()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(dialect.header)
    yield ("\ufeff" if dialect.byte_order_mark else "") + flush()
    for day, keys, measures in day_rows(period):
        cells = ([dialect.day(day)]
                 + [_label(names.get(k, {}), v, k) for k, v in zip(KEYS, keys, strict=True)]
                 + measures)
        if dialect.rates:
            values = dict(zip(MEASURES, measures, strict=True))
            cells += [dialect.percent(values["viewable"], values["rendered"]),
                      dialect.percent(values["clicks"], values["rendered"])]
        writer.writerow(cells)
        yield flush()
