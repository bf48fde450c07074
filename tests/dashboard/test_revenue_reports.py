"""Revenue in the reports: per campaign, advertiser, zone and site on screen, in both
CSV exports (a decimal comma in Excel's), shared among zones by rendered impressions;
and the home page's month against the previous one."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from ad_manager.extensions import db
from ad_manager.models import Placement, utcnow
from tests.factories import banner_shown, count_events, make_world, make_zone


@pytest.fixture
def priced(app):
    """make_world's campaign sold at a CPM of 1,000 €, booked in two zones: today it
    rendered 4 banners in "Sous le titre" (2 viewable, 1 click) and 1 in "Colonne"."""
    world = make_world()
    column = make_zone(world.site, "colonne", [{"min_width": 0, "sizes": ["728x90"]}],
                       name="Colonne")
    placement = Placement(layout=world.layout, where="after_paragraph", paragraph=3,
                          zone_id=column.id)
    db.session.add(placement)
    campaign = world.campaign
    campaign.zones = [world.zone, column]
    campaign.pricing_model, campaign.price = "cpm", Decimal("1000")
    db.session.commit()
    now = utcnow()
    for view in "abcd":
        banner = banner_shown(world, view)
        count_events(world, now, [(banner, "served"), (banner, "rendered")])
    for view in "ab":
        count_events(world, now, [(banner_shown(world, view), "viewable")])
    count_events(world, now, [(banner_shown(world, "a"), "click")])
    side = banner_shown(world, "e", zone=column.id, placement=placement.id)
    count_events(world, now, [(side, "served"), (side, "rendered")])
    world.column = column
    return world


def cells(page: str, table: str, name: str) -> list[str]:
    """Give the cells of the row of ``table`` (its class) that starts with ``name``."""
    body = page.split(f'class="{table}"')[1].split("</table>")[0]
    row = next(r for r in body.split("<tr>") if r.strip().startswith(f"<td>{name}"))
    return [c.split(">", 1)[1].split("</td>")[0].strip() for c in row.split("<td")[2:]]


def test_report_shows_revenue_and_ecpm_by_campaign_advertiser_zone_and_site(viewer_client,
                                                                            priced):
    page = viewer_client.get("/reports/?period=today").text
    assert "Chiffre d’affaires : 5,00\xa0€" in page
    assert cells(page, "report-campaigns", "Rentrée littéraire")[-3:-1] == [
        "5,00\xa0€", "1\u202f000,00\xa0€"]
    assert cells(page, "report-slots", "Sous le titre")[-2:] == ["4,00\xa0€", "1\u202f000,00\xa0€"]
    assert cells(page, "report-slots", "Colonne")[-2:] == ["1,00\xa0€", "1\u202f000,00\xa0€"]
    assert cells(page, "revenue-advertisers", "Librairie du Centre")[-2] == "5,00\xa0€"
    assert cells(page, "revenue-sites", "Le Quotidien")[-2] == "5,00\xa0€"
    filtered = viewer_client.get(f"/reports/?period=today&zone={priced.column.id}").text
    assert "Chiffre d’affaires : 1,00\xa0€" in filtered  # the zone's part only


def test_other_models_count_viewable_clicks_and_flat_days(viewer_client, priced):
    campaign = priced.campaign
    for model, price, total in (("vcpm", "1000", "2,00"), ("cpc", "0.35", "0,35"),
                                ("flat_day", "120", "120,00")):
        campaign.pricing_model, campaign.price = model, Decimal(price)
        db.session.commit()
        page = viewer_client.get("/reports/?period=today").text
        assert f"Chiffre d’affaires : {total}\xa0€" in page, model
    # A flat fee's day without impressions goes equally to the two booked zones.
    page = viewer_client.get("/reports/?period=yesterday").text
    assert "Chiffre d’affaires : 120,00\xa0€" in page


def test_both_csv_exports_carry_revenue_and_ecpm(viewer_client, priced):
    plain = viewer_client.get("/reports/export.csv?period=today").text
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert sum(Decimal(row["revenue"] or 0) for row in rows) == Decimal("5.00")
    banner = [row for row in rows if row["zone"] == "sous-titre" and row["campaign"]]
    assert [(row["revenue"], row["ecpm"]) for row in banner] == [("4.00", "1000.00")]
    assert all(row["revenue"] == "" for row in rows if not row["campaign"])  # links
    excel = viewer_client.get("/reports/export.csv?period=today&dialect=excel-fr")
    rows = list(csv.reader(io.StringIO(excel.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Chiffre d’affaires (EUR)", "eCPM (EUR)"]
    assert ["1,00", "1000,00"] in [row[-2:] for row in rows]


def test_csv_gives_a_flat_fees_day_without_impressions_a_row_per_booked_zone(viewer_client,
                                                                             priced):
    priced.campaign.pricing_model, priced.campaign.price = "flat_day", Decimal("120")
    db.session.commit()
    text = viewer_client.get("/reports/export.csv?period=yesterday").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((row["zone"], row["revenue"], row["rendered"]) for row in rows) == [
        ("colonne", "60.00", "0"), ("sous-titre", "60.00", "0")]


def test_home_shows_this_months_revenue_against_the_previous_month(viewer_client, priced):
    last_month = utcnow().replace(day=1) - timedelta(days=3)
    banner = banner_shown(priced, "old")
    count_events(priced, last_month, [(banner, "served"), (banner, "rendered")])
    priced.campaign.starts_at = last_month - timedelta(days=1)
    db.session.commit()
    page = viewer_client.get("/").text
    section = page.split('class="card home-revenue"')[1].split("</section>")[0]
    assert "5,00\xa0€" in section and "1,00\xa0€" in section
