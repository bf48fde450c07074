"""Revenue rules (stats/revenue.py): each pricing model from counted figures, eCPM, and
how a day's revenue is shared among zones by rendered impressions."""

from datetime import date
from decimal import Decimal

import pytest

from ad_manager.stats.revenue import cents, day_revenue, ecpm, flight_days, share

FIGURES = {"rendered": 12_500, "viewable": 8_000, "clicks": 40}


def test_cpm_earns_the_price_per_thousand_rendered_impressions():
    assert day_revenue("cpm", Decimal("2.50"), **FIGURES) == Decimal("31.25")


def test_viewable_cpm_earns_per_thousand_viewable_impressions():
    assert day_revenue("vcpm", Decimal("4"), **FIGURES) == Decimal("32")


def test_cpc_earns_the_price_per_click():
    assert day_revenue("cpc", Decimal("0.35"), **FIGURES) == Decimal("14.00")


def test_flat_fee_per_day_earns_its_price_each_day_of_the_flight_only():
    assert day_revenue("flat_day", Decimal("150"), **FIGURES) == Decimal("150")
    assert day_revenue("flat_day", Decimal("150"), rendered=0) == Decimal("150")
    assert day_revenue("flat_day", Decimal("150"), **FIGURES, in_flight=False) == 0


def test_flat_fee_for_the_flight_is_spread_over_its_days():
    days = flight_days(date(2026, 12, 1), date(2026, 12, 24))
    assert days == 24
    daily = day_revenue("flat_flight", Decimal("1200"), flight_length=days)
    assert daily == Decimal("50")
    assert sum(day_revenue("flat_flight", Decimal("1000"), flight_length=3)
               for _ in range(3)).quantize(Decimal("0.01")) == Decimal("1000.00")
    assert day_revenue("flat_flight", Decimal("1200"), flight_length=24, in_flight=False) == 0


def test_no_price_earns_nothing_and_an_unknown_model_is_refused():
    assert day_revenue("cpm", None, **FIGURES) == 0
    with pytest.raises(ValueError):
        day_revenue("barter", Decimal("1"), **FIGURES)


def test_ecpm_is_revenue_per_thousand_rendered():
    assert ecpm(Decimal("14"), 12_500) == Decimal("1.12")
    assert ecpm(Decimal("14"), 0) is None


def test_revenue_is_shared_by_rendered_impressions():
    parts = share(Decimal("100"), {"top": 3000, "column": 1000, "insert": 0})
    assert parts == {"top": Decimal("75"), "column": Decimal("25")}


def test_a_day_without_impressions_is_shared_equally_among_booked_zones():
    assert share(Decimal("90"), {}, ["top", "column", "footer"]) == {
        "top": Decimal("30"), "column": Decimal("30"), "footer": Decimal("30")}
    assert share(Decimal("90"), {}, []) == {}


def test_amounts_show_rounded_half_up_to_the_cent():
    assert cents(Decimal("2.345")) == Decimal("2.35")
    assert cents(None) is None
