"""Revenue: what a campaign earns from what was counted, and how it is shared out.

Plain Python (no Flask, no database): ``stats/revenue_report.py`` feeds it the
counted figures. Every amount is a ``Decimal`` in the reports' currency (setting
``CURRENCY``, EUR by default); it is rounded to the cent only when shown.

A campaign's revenue is computed **per local day** of its site, from that day's
counted figures (invalid traffic excluded), by its pricing model
(``models.inventory.PRICING_MODELS``):

- ``cpm``: price × rendered impressions ÷ 1,000;
- ``vcpm`` (viewable CPM): price × viewable impressions ÷ 1,000;
- ``cpc``: price × clicks;
- ``flat_day``: the price, for each day of the flight;
- ``flat_flight``: the price ÷ the flight's days, for each day of the flight (the
  whole price once the flight has run).

Flat fees earn for days of the flight up to today, never for days to come. A day's
revenue is then **shared among the zones and inserts where the campaign rendered
that day, by its rendered impressions in each** (so a site's revenue is the sum of
its zones' and inserts'); a flat fee's day without any impression is shared equally
among the zones the campaign is booked in. eCPM = revenue ÷ rendered impressions ×
1,000.
"""

from collections.abc import Hashable
from datetime import date
from decimal import Decimal

THOUSAND = Decimal(1000)
ZERO = Decimal(0)
CENT = Decimal("0.01")


def flight_days(first: date, last: date) -> int:
    """Give how many local days a flight touches, its first and last included."""
    return max((last - first).days + 1, 0)


def day_revenue(model: str, price: Decimal | None, *, rendered: int = 0, viewable: int = 0,
                clicks: int = 0, in_flight: bool = True, flight_length: int = 1) -> Decimal:
    """Give what a campaign earns on one day from that day's counted figures.

    ``in_flight`` says whether the day is a day of the flight up to today (flat fees
    earn only then); ``flight_length`` is the flight's number of days.
    """
    if price is None:
        return ZERO
    if model == "cpm":
        return price * rendered / THOUSAND
    if model == "vcpm":
        return price * viewable / THOUSAND
    if model == "cpc":
        return price * clicks
    if model == "flat_day":
        return price if in_flight else ZERO
    if model == "flat_flight":
        return price / max(flight_length, 1) if in_flight else ZERO
    raise ValueError(f"unknown pricing model {model!r}")


def ecpm(revenue: Decimal, rendered: int) -> Decimal | None:
    """Give revenue per thousand rendered impressions, or None when nothing rendered."""
    if not rendered:
        return None
    return revenue * THOUSAND / rendered


def share(revenue: Decimal, rendered: dict[Hashable, int],
          booked: list[Hashable] = ()) -> dict[Hashable, Decimal]:
    """Share ``revenue`` among parts by their rendered impressions.

    With no impression anywhere, it goes equally to ``booked`` (the campaign's zones),
    or nowhere when there are none. The parts add up to ``revenue`` (to 28 digits).
    """
    total = sum(rendered.values())
    if total:
        return {key: revenue * n / total for key, n in rendered.items() if n}
    if not booked or not revenue:
        return {}
    return {key: revenue / len(booked) for key in booked}


def cents(amount: Decimal | None) -> Decimal | None:
    """Round an amount to the cent (half up), as reports and exports show it."""
    if amount is None:
        return None
    return amount.quantize(CENT, rounding="ROUND_HALF_UP")
