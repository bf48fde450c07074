"""Sales book campaigns: flights in the site's time zone, tiers, caps, targeting, status."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import Advertiser, AuditEntry, Campaign
from tests.dashboard.conftest import YES, campaign_form
from tests.factories import make_advertiser, make_campaign, make_site, make_zone


def test_sales_books_a_campaign_with_its_flight_in_the_site_time_zone(app, sales_client):
    zone = make_zone(make_site(timezone="Europe/Paris"))
    advertiser = make_advertiser()
    response = sales_client.post("/campaigns/new", data=campaign_form(advertiser, [zone]))
    assert response.status_code == 303
    campaign = db.session.scalar(db.select(Campaign))
    # Midnight in Paris in winter is 23:00 UTC the day before.
    assert campaign.starts_at == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert campaign.ends_at == datetime(2026, 12, 24, 22, 59, tzinfo=UTC)
    assert [z.slug for z in campaign.zones] == ["votre-pub-ici"]
    assert (campaign.weight, campaign.goal_impressions, campaign.daily_cap) == (3, 100000, None)
    assert campaign.target_sections == ["culture", "sport"]
    assert campaign.target_devices == ["phone"]
    assert campaign.status(datetime(2026, 12, 10, tzinfo=UTC)) == "live"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "campaign"))
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert "Programmée" in page or "En ligne" in page
    # The form shows the flight back in the site's time zone.
    assert 'value="2026-12-01T00:00"' in sales_client.get(f"/campaigns/{campaign.id}/edit").text


def test_end_before_start_is_refused(app, sales_client):
    advertiser = make_advertiser()
    response = sales_client.post("/campaigns/new", data=campaign_form(
        advertiser, starts_at="2026-12-24T00:00", ends_at="2026-12-01T00:00"))
    assert response.status_code == 422
    assert "La fin doit venir après le début" in response.text
    assert db.session.scalar(db.select(Campaign)) is None


@pytest.mark.parametrize("field", ["goal_impressions", "daily_cap", "freq_cap_count"])
def test_a_cap_of_zero_is_refused(app, sales_client, field):
    response = sales_client.post("/campaigns/new", data=campaign_form(make_advertiser(),
                                                                      **{field: "0"}))
    assert response.status_code == 422
    assert "Un plafond de 0" in response.text
    assert db.session.scalar(db.select(Campaign)) is None


def test_a_negative_goal_is_refused(app, sales_client):
    response = sales_client.post("/campaigns/new", data=campaign_form(
        make_advertiser(), goal_impressions="-100"))
    assert response.status_code == 422
    assert "au moins 1" in response.text


def test_a_weight_below_zero_is_refused_and_zero_accepted(app, sales_client):
    advertiser = make_advertiser()
    response = sales_client.post("/campaigns/new", data=campaign_form(advertiser, weight="-1"))
    assert response.status_code == 422
    assert "Le poids doit être de 0 ou plus" in response.text
    response = sales_client.post("/campaigns/new", data=campaign_form(advertiser, weight="0"))
    assert response.status_code == 303


def test_target_languages_are_language_codes(app, sales_client):
    response = sales_client.post("/campaigns/new", data=campaign_form(
        make_advertiser(), target_languages="fr, français"))
    assert response.status_code == 422
    assert "codes à deux lettres" in response.text


def test_frequency_cap_needs_both_numbers(app, sales_client):
    response = sales_client.post("/campaigns/new", data=campaign_form(
        make_advertiser(), freq_cap_hours=""))
    assert response.status_code == 422
    assert db.session.scalar(db.select(Campaign)) is None


def test_a_campaign_that_was_switched_on_cannot_return_to_draft(app, sales_client):
    campaign = make_campaign(advertiser=make_advertiser())
    response = sales_client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        campaign.advertiser, state="draft"))
    assert response.status_code == 422
    response = sales_client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        campaign.advertiser, state="paused", name="Noël (pause)"))
    assert response.status_code == 303
    db.session.refresh(campaign)
    assert (campaign.state, campaign.name) == ("paused", "Noël (pause)")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.changes["state"] == ["active", "paused"]


def test_deleting_a_draft_removes_it_but_a_live_campaign_is_archived(app, sales_client):
    advertiser = make_advertiser()
    draft = make_campaign(advertiser=advertiser, state="draft", name="Brouillon")
    live = make_campaign(advertiser=advertiser, name="En ligne")
    draft_id, live_id = draft.id, live.id
    assert sales_client.post(f"/campaigns/{draft_id}/remove", data=YES).status_code == 303
    assert sales_client.post(f"/campaigns/{live_id}/remove", data=YES).status_code == 303
    db.session.expire_all()
    assert db.session.get(Campaign, draft_id) is None
    archived = db.session.get(Campaign, live_id)
    assert archived.status(datetime.now(UTC)) == "archived"
    listing = sales_client.get("/campaigns/").text
    assert f"/campaigns/{live_id}\"" not in listing
    assert f"/campaigns/{live_id}\"" in sales_client.get("/campaigns/?status=archived").text
    assert sales_client.post(f"/campaigns/{live_id}/restore").status_code == 303
    db.session.expire_all()
    assert db.session.get(Campaign, live_id).status(datetime.now(UTC)) == "live"


def test_campaign_list_filters_by_status_and_search(app, viewer_client):
    advertiser = make_advertiser()
    make_campaign(advertiser=advertiser, name="Soldes")
    make_campaign(advertiser=advertiser, days=(-30, -1), name="Rentrée")
    live = viewer_client.get("/campaigns/?status=live").text
    assert "Soldes" in live and "Rentrée" not in live
    assert "Rentrée" in viewer_client.get("/campaigns/?status=finished").text
    fragment = viewer_client.get("/campaigns/?q=rentr", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert "Rentrée" in fragment.text and "Soldes" not in fragment.text


def test_viewer_reads_campaigns_but_cannot_book(app, viewer_client):
    advertiser = make_advertiser()
    campaign = make_campaign(advertiser=advertiser, state="draft")
    assert viewer_client.get(f"/campaigns/{campaign.id}").status_code == 200
    assert viewer_client.post("/campaigns/new",
                              data=campaign_form(advertiser)).status_code == 403
    assert viewer_client.post(f"/campaigns/{campaign.id}/remove").status_code == 403


def test_sales_creates_an_advertiser_and_archiving_keeps_its_campaigns(app, sales_client):
    response = sales_client.post("/advertisers/new", data={
        "name": "Vélos Martin", "contact_name": "Paul Martin",
        "contact_email": "paul@velos-martin.fr", "notes": "Client depuis 2019"})
    assert response.status_code == 303
    advertiser = db.session.scalar(db.select(Advertiser))
    assert sales_client.post("/advertisers/new", data={"name": " "}).status_code == 422
    campaign = make_campaign(advertiser=advertiser, name="Noël 2026")
    assert "Vélos Martin" in sales_client.get("/advertisers/?q=martin").text
    page = sales_client.get(f"/advertisers/{advertiser.id}").text
    assert "Noël 2026" in page and "Client depuis 2019" in page
    assert sales_client.post(f"/advertisers/{advertiser.id}/remove", data=YES).status_code == 303
    db.session.refresh(advertiser)
    db.session.refresh(campaign)
    assert advertiser.archived and campaign.archived


def test_advertiser_list_pages_through_many_clients(app, viewer_client):
    for number in range(30):
        make_advertiser(f"Client {number:02d}")
    first = viewer_client.get("/advertisers/").text
    second = viewer_client.get("/advertisers/?page=2").text
    assert "Client 00" in first and "Client 29" not in first
    assert "Client 29" in second and "Page 2" in second


def test_flights_are_shown_in_the_time_zone_they_were_entered_in(app, sales_client):
    zone = make_zone(make_site(timezone="America/Montreal"))
    response = sales_client.post("/campaigns/new", data=campaign_form(make_advertiser(), [zone]))
    assert response.status_code == 303
    campaign = db.session.scalar(db.select(Campaign))
    assert campaign.starts_at == datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert "01/12/2026 00:00" in page and "America/Montreal" in page


def test_zones_of_sites_in_different_time_zones_cannot_share_a_campaign(app, sales_client):
    paris = make_zone(make_site())
    montreal = make_zone(make_site(key="montreal", timezone="America/Montreal"))
    response = sales_client.post("/campaigns/new", data=campaign_form(
        make_advertiser(), [paris, montreal]))
    assert response.status_code == 422
    assert "fuseaux horaires différents" in response.text


def test_campaign_page_leads_to_the_report_for_the_client(app, viewer_client):
    campaign = make_campaign([make_zone(make_site())], advertiser=make_advertiser(),
                             state="draft")
    db.session.commit()
    page = viewer_client.get(f"/campaigns/{campaign.id}").text
    assert f'href="/reports/campaign/{campaign.id}"' in page
    assert viewer_client.get(f"/reports/campaign/{campaign.id}").status_code == 200


def test_a_campaign_names_its_salesperson_who_may_sell(app, sales_client, staff):
    advertiser = make_advertiser()
    new_form = sales_client.get("/campaigns/new").text
    assert f'<option selected value="{staff["sales"].id}">' in new_form  # the seller, by default
    response = sales_client.post("/campaigns/new", data=campaign_form(
        advertiser, salesperson_id=str(staff["admin"].id)))
    assert response.status_code == 303
    campaign = db.session.scalars(sa.select(Campaign)).one()
    assert campaign.salesperson_id == staff["admin"].id
    assert "Admin" in sales_client.get(f"/campaigns/{campaign.id}").text
    refused = sales_client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        advertiser, salesperson_id=str(staff["viewer"].id)))
    assert refused.status_code == 422
    assert "Choisissez un commercial" in refused.text
    for forged in ("-1180591620717411303", "11805916207174113034", "999"):  # not on the list
        refused = sales_client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
            advertiser, salesperson_id=forged))
        assert refused.status_code == 422
        assert "Choisissez un commercial dans la liste." in refused.text
    db.session.refresh(campaign)
    assert campaign.salesperson_id == staff["admin"].id
