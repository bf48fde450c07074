"""Sales price a campaign on its form: pricing model, price (decimal comma or point)
and order number, shown on its page; a bad price is a clear error and saves nothing."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Campaign
from tests.dashboard.conftest import campaign_form
from tests.factories import make_advertiser, make_campaign


def test_sales_price_a_campaign_and_read_it_on_its_page(app, sales_client):
    response = sales_client.post("/campaigns/new", data=campaign_form(
        make_advertiser(), pricing_model="cpm", price="2,50", order_number=" BC-2026-118 "))
    assert response.status_code == 303
    campaign = db.session.scalar(sa.select(Campaign))
    assert (campaign.pricing_model, campaign.price, campaign.order_number) == (
        "cpm", Decimal("2.50"), "BC-2026-118")
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert "2,50\xa0€" in page and "CPM (pour mille impressions)" in page
    assert "BC-2026-118" in page
    english = sales_client.get(f"/campaigns/{campaign.id}/edit",
                               headers={"Accept-Language": "en"}).text
    assert 'value="2.50"' in english and 'value="BC-2026-118"' in english


def test_changing_the_price_is_audited_and_an_empty_price_means_not_priced(app, sales_client):
    campaign = make_campaign(price=Decimal("2.5"), pricing_model="cpm")
    response = sales_client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        campaign.advertiser, name=campaign.name, pricing_model="cpc", price="0.125"))
    assert response.status_code == 303
    db.session.refresh(campaign)
    assert (campaign.pricing_model, campaign.price) == ("cpc", Decimal("0.125"))
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "campaign", AuditEntry.action == "update")).all()[-1]
    assert entry.changes["price"] == ["2.5000", "0.125"]
    assert "0,125\xa0€" in sales_client.get(f"/campaigns/{campaign.id}").text
    sales_client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        campaign.advertiser, name=campaign.name, price=""))
    db.session.refresh(campaign)
    assert campaign.price is None
    assert "Sans prix" in sales_client.get(f"/campaigns/{campaign.id}").text


@pytest.mark.parametrize(("price", "message"), [
    ("-1", "Un prix ne peut pas être négatif."),
    ("abc", "Donnez le prix en chiffres, par exemple 2,50."),
    ("2,5,0", "Donnez le prix en chiffres, par exemple 2,50."),
    ("NaN", "Donnez le prix en chiffres, par exemple 2,50."),
    ("Infinity", "Donnez le prix en chiffres, par exemple 2,50."),
    ("1e400", "Ce prix est trop élevé."),
    ("1.23456", "Donnez le prix avec 4 décimales au plus."),
])
def test_a_bad_price_is_refused_and_nothing_is_saved(app, sales_client, price, message):
    response = sales_client.post("/campaigns/new", data=campaign_form(
        make_advertiser(), price=price))
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0


def test_an_unknown_pricing_model_is_refused(app, sales_client):
    response = sales_client.post("/campaigns/new", data=campaign_form(
        make_advertiser(), pricing_model="barter", price="10"))
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0


def test_a_renewal_keeps_the_price_but_not_the_order_number(app, sales_client):
    campaign = make_campaign(pricing_model="flat_day", price=Decimal("150"),
                             order_number="BC-2026-118")
    response = sales_client.post(f"/campaigns/{campaign.id}/duplicate", data={
        "name": "Librairie 2027", "starts_at": "2027-01-04T00:00",
        "ends_at": "2027-01-18T00:00"})
    assert response.status_code == 303
    copy = db.session.scalar(sa.select(Campaign).where(Campaign.name == "Librairie 2027"))
    assert (copy.pricing_model, copy.price, copy.order_number) == (
        "flat_day", Decimal("150"), "")
