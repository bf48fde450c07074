"""The CSV export of a report: one row per (local day, site, layout, placement, zone
or insert, campaign, creative), streamed, in two dialects.

- ``plain``: comma-separated, ISO dates, English headers (scripts, CLI).
- ``excel-fr``: what French Excel opens as columns: a UTF-8 byte order mark (so
  "Noël" stays "Noël"), ``;`` between cells, French headers, dates as dd/mm/yyyy
  and a decimal comma in the two rates it adds and in amounts.

Both end with the row's revenue and eCPM in the reports' currency (``CURRENCY``), to
the cent: its part of its campaign's revenue that day, by rendered impressions
(``stats/revenue.py``); empty for a row of no priced campaign. A flat fee's day on
which the campaign rendered nothing gets a row of its own per booked zone, with
zero counts and its part of the fee.

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
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from ad_manager.extensions import db
from ad_manager.models import Campaign, Creative, Insert, Layout, Site, Zone, utcnow
from ad_manager.models.stats import FILTERED_BY_REASON, DailyStat, HourlyStat
from ad_manager.stats.reports import Period, _as_date, conditions
from ad_manager.stats.revenue import cents, ecpm
from ad_manager.stats.revenue_report import Revenues

# "filtered" is every event not counted; each filtered_<reason> the part filtered for
# that reason (models.stats.FILTER_REASONS: what README's "What is counted" explains).
COLUMNS = ["date", "site", "layout", "placement", "zone", "insert", "campaign", "creative",
           "served", "rendered", "viewable", "clicks", "not_placed", "filtered",
           *FILTERED_BY_REASON, "revenue", "ecpm"]
COLUMNS_FR = ["Date", "Site", "Gabarit", "Emplacement", "Zone", "Encart", "Campagne",
              "Création", "Servies", "Impressions", "Visibles", "Clics", "Non placées",
              "Filtrées", "Filtrées : robots", "Filtrées : lecteurs exclus",
              "Filtrées : hors des pages du site", "Filtrées : préchargements",
              "Filtrées : limite de débit", "Filtrées : hors ordre", "Filtrées : rejouées",
              "Taux de visibilité (%)", "Taux de clics (%)", "Chiffre d’affaires ({currency})",
              "eCPM ({currency})"]
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

    def amount(self, value: Decimal | None) -> str:
        """Write an amount to the cent, empty for none."""
        return "" if value is None else f"{cents(value):f}".replace(".", self.decimal)

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


def csv_lines(period: Period, dialect: Dialect = PLAIN, today: date | None = None,
              currency: str = "EUR") -> Iterator[str]:
    """Yield the export's CSV text line by line, header first.

    ``today`` (the period's local today by default) ends the days flat fees earn.
    """
    names = _names()
    revenues = Revenues.of(period, today or utcnow().astimezone(period.zone).date())
    unrendered = revenues.unrendered()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    def row(day, keys, measures, amount):
        cells = ([dialect.day(day)]
                 + [_label(names.get(k, {}), v, k) for k, v in zip(KEYS, keys, strict=True)]
                 + measures)
        values = dict(zip(MEASURES, measures, strict=True))
        if dialect.rates:
            cells += [dialect.percent(values["viewable"], values["rendered"]),
                      dialect.percent(values["clicks"], values["rendered"])]
        per_thousand = None if amount is None else ecpm(amount, values["rendered"])
        writer.writerow([*cells, dialect.amount(amount), dialect.amount(per_thousand)])

    def fees_until(last: date | None):
        """Write the flat fees' rows of days up to ``last`` (all when None)."""
        for day in sorted(d for d in unrendered if last is None or d <= last):
            for campaign_id, site_id, zone_id, amount in unrendered.pop(day):
                row(day, (site_id, 0, 0, zone_id, 0, campaign_id, 0), [0] * len(MEASURES),
                    amount)

    writer.writerow([name.format(currency=currency) for name in dialect.header])
    yield ("\ufeff" if dialect.byte_order_mark else "") + flush()
    current = None
    for day, keys, measures in day_rows(period):
        if day != current:
            fees_until(day - timedelta(days=1))
            current = day
        campaign_id = keys[KEYS.index("campaign_id")]
        amount = (revenues.of_row(day, campaign_id, measures[MEASURES.index("rendered")])
                  if campaign_id in revenues.prices else None)
        row(day, keys, measures, amount)
        yield flush()
    fees_until(None)
    yield flush()
