"""The campaign form's live forecast panel and the zone page's weeks ahead."""

from datetime import UTC, datetime, timedelta

from tests.factories import make_advertiser, make_campaign, make_site, make_zone, make_zone_history


def day(offset: int) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).strftime("%Y-%m-%dT00:00")


def ask(zones, **fields):
    """The campaign form's values as htmx sends them with the panel's request."""
    data = {"zones": [str(z.id) for z in zones], "starts_at": day(2), "ends_at": day(12),
            "tier": "standard", "weight": "1", "goal_impressions": "10000",
            "goal_measure": "rendered", "target_sections": "", "name": "Noël"}
    data.update(fields)
    return data


def test_panel_says_what_the_zones_can_deliver_and_the_verdict(app, sales_client):
    zone = make_zone(make_site())
    make_zone_history(zone, days=20, per_hour=100)
    panel = sales_client.get("/availability/campaign", query_string=ask([zone])).text
    assert "Peut livrer" in panel
    assert "24 000" in panel.replace("\u202f", " ").replace("\xa0", " ")
    short = sales_client.get("/availability/campaign",
                             query_string=ask([zone], goal_impressions="30000")).text
    assert "Ne peut pas livrer" in short
    english = sales_client.get("/availability/campaign", query_string=ask([zone]),
                               headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_panel_takes_out_a_sponsorship_booked_there(app, sales_client):
    zone = make_zone(make_site())
    make_zone_history(zone, days=20, per_hour=100)
    now = datetime.now(UTC)
    make_campaign([zone], name="Sponsor", tier="sponsorship", goal_impressions=20_000,
                  starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=13))
    panel = sales_client.get("/availability/campaign", query_string=ask([zone])).text
    assert "Ne peut pas livrer" in panel or "À risque" in panel
    assert "(1 campagne(s))" in panel


def test_panel_with_little_history_says_so(app, sales_client):
    zone = make_zone(make_site(), name="Colonne")
    make_zone_history(zone, days=6)
    panel = sales_client.get("/availability/campaign", query_string=ask([zone])).text
    assert "Colonne" in panel and "trop peu" in panel


def test_panel_answers_junk_with_what_is_missing(app, sales_client):
    zone = make_zone(make_site())
    for junk in ({"zones": ["abc", "99999999999"]}, {"starts_at": "hier"},
                 {"ends_at": day(1), "starts_at": day(3)}, {"weight": "-4", "goal_impressions":
                                                          "x", "campaign": "9" * 30}):
        response = sales_client.get("/availability/campaign", query_string={**ask([zone]), **junk})
        assert response.status_code == 200, junk
        assert 'class="muted forecast-missing"' in response.text or "trop peu" in response.text


def test_viewers_cannot_ask_for_a_forecast(app, viewer_client):
    zone = make_zone(make_site())
    assert viewer_client.get("/availability/campaign",
                             query_string=ask([zone])).status_code == 403


def test_campaign_form_carries_the_live_panel(app, sales_client):
    make_zone(make_site())
    make_advertiser()
    page = sales_client.get("/campaigns/new").text
    assert 'hx-get="/availability/campaign"' in page
    assert 'hx-include="closest form"' in page


def test_zone_page_shows_the_weeks_ahead(app, viewer_client):
    zone = make_zone(make_site())
    make_zone_history(zone, days=20, per_hour=10)
    page = viewer_client.get(f"/zones/{zone.id}").text
    calendar = page.split('zone-calendar')[1].split("</section>")[0]
    assert calendar.count("<tr>") == 9  # the head and 8 weeks
    assert "1 680" in calendar.replace("\u202f", " ").replace("\xa0", " ")  # a full week


def test_edit_form_asks_without_counting_the_campaign_against_itself(app, sales_client):
    zone = make_zone(make_site())
    make_zone_history(zone, days=20, per_hour=100)
    now = datetime.now(UTC)
    sponsor = make_campaign([zone], name="Sponsor", tier="sponsorship",
                            starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=13))
    page = sales_client.get(f"/campaigns/{sponsor.id}/edit").text
    assert f'hx-get="/availability/campaign?campaign={sponsor.id}"' in page
    own = sales_client.get("/availability/campaign", query_string={
        **ask([zone], tier="sponsorship"), "campaign": str(sponsor.id)}).text
    assert "Peut livrer" in own and "(0 campagne(s))" in own
    other = sales_client.get("/availability/campaign", query_string=ask([zone])).text
    assert "Ne peut pas livrer" in other and "(1 campagne(s))" in other
