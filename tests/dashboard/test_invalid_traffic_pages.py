"""What staff read of invalid traffic: filtered events by reason (screen and CSV), the
goal's measure, and the anomaly flags on the home page and in reports."""

import csv
import io
import json
from datetime import timedelta

from ad_manager.extensions import db
from ad_manager.models import Campaign, utcnow
from ad_manager.stats.deciding import record
from tests.dashboard.conftest import campaign_form
from tests.factories import (
    BROWSER,
    banner_shown,
    click_token,
    event_token,
    make_advertiser,
    make_site,
    make_world,
    make_zone,
)

PAGE = {"User-Agent": BROWSER, "Origin": "https://www.quotidien.fr"}


def post(client, events, headers=PAGE):
    body = json.dumps({"events": [{"t": t, "k": k} for t, k in events]})
    assert client.post("/e", data=body, content_type="text/plain",
                       headers=headers).status_code == 204


def test_reports_and_csv_show_what_was_filtered_and_why(app, viewer_client):
    world = make_world()
    reader = app.test_client()
    token = event_token(banner_shown(world, "real"))
    post(reader, [(token, "rendered"), (token, "viewable")])
    post(reader, [(token, "rendered")])  # a replay
    post(reader, [(event_token(banner_shown(world, "evil")), "rendered")],
         headers={**PAGE, "Origin": "https://evil.example"})
    post(reader, [(event_token(banner_shown(world, "bot")), "rendered")],
         headers={**PAGE, "User-Agent": "curl/8.5"})
    post(reader, [(event_token(banner_shown(world, "early")), "viewable")])
    page = viewer_client.get("/reports/?period=today").text
    assert "Filtrés, non comptés ci-dessus : 4 événements" in page
    filtered = page.split("filtered-card")[1].split("</section>")[0]
    for label in ("Jeton renvoyé (compté une fois)", "Hors des pages du site",
                  "Robot ou client qui n’est pas un navigateur",
                  "Visible ou clic sans impression comptée avant"):
        assert f"<td>{label}</td><td class=\"num\">1</td>" in filtered
    assert "Servies (diagnostic)" in page
    text = viewer_client.get("/reports/export.csv?period=today").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sum(int(row["filtered"]) for row in rows) == 4
    assert {reason: sum(int(row[f"filtered_{reason}"]) for row in rows) for reason in (
        "replay", "origin", "bot", "order", "prefetch", "rate", "excluded")} == {
        "replay": 1, "origin": 1, "bot": 1, "order": 1, "prefetch": 0, "rate": 0,
        "excluded": 0}
    excel = viewer_client.get("/reports/export.csv?period=today&dialect=excel-fr").text
    assert "Filtrées : rejouées" in excel.splitlines()[0]


def test_a_goal_in_clicks_is_booked_reported_and_billed_on_clicks(app, sales_client):
    zone = make_zone(make_site(timezone="Europe/Paris"))
    advertiser = make_advertiser()
    response = sales_client.post("/campaigns/new", data=campaign_form(
        advertiser, [zone], goal_impressions="10", goal_measure="clicks"))
    assert response.status_code == 303
    campaign = db.session.scalar(db.select(Campaign))
    assert (campaign.goal_impressions, campaign.goal_measure) == (10, "clicks")
    refused = sales_client.post("/campaigns/new", data=campaign_form(
        advertiser, [zone], name="Autre", goal_measure="served"))
    assert refused.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Campaign)) == 1
    page = sales_client.get(f"/campaigns/{campaign.id}").text
    assert "10 clics" in page


def test_campaign_report_names_its_goal_measure(app, viewer_client):
    world = make_world()
    world.campaign.goal_measure = "viewable"
    db.session.commit()
    reader = app.test_client()
    token = event_token(banner_shown(world, "a"))
    post(reader, [(token, "rendered"), (token, "viewable")])
    page = viewer_client.get(f"/reports/campaign/{world.campaign.id}").text
    page = page.replace("\u202f", " ").replace("\xa0", " ")  # French number spacing
    assert "Objectif : 3 000 impressions visibles ; 1 livrées à ce jour" in page, page[
        page.find("Objectif"):page.find("Objectif") + 200]


def test_a_campaign_far_from_its_own_norm_is_flagged_on_home_and_in_reports(
        app, viewer_client):
    world = make_world()
    now = utcnow()
    # A week of ordinary traffic: 100 readers a day, one click in a hundred.
    for days_ago in range(1, 8):
        for n in range(100):
            shown = banner_shown(world, f"d{days_ago}-{n}")
            events = [(shown, "served"), (shown, "rendered")] + (
                [(shown, "click")] if n == 0 else [])
            record(events, user_agent=BROWSER, remote_addr=f"203.0.113.{n}",
                   site_id=world.site.id, now=now - timedelta(days=days_ago))
    db.session.commit()
    home = viewer_client.get("/").text
    assert "Trafic inhabituel" not in home
    # Today, one address: 40 page views forging the site's Origin, each clicked.
    script = app.test_client()
    for n in range(40):
        shown = banner_shown(world, f"today-{n}")
        post(script, [(event_token(shown), "rendered")])
        script.get(f"/c/{click_token(shown)}", headers={"User-Agent": BROWSER,
                                                         "Referer": "https://www.quotidien.fr/"})
    home = viewer_client.get("/").text
    flags = home.split("flags-card")[1].split("</section>")[0]
    assert "Rentrée littéraire" in flags
    assert "CTR" in flags and "100,0" in flags and "d’habitude 1,0" in flags
    assert "de ses impressions depuis une seule adresse" in flags
    report = viewer_client.get(f"/reports/?period=today&campaign={world.campaign.id}").text
    assert "Trafic inhabituel" in report and "Rentrée littéraire" in report.split(
        "flags-card")[1]
    printable = viewer_client.get(f"/reports/campaign/{world.campaign.id}").text
    assert "Trafic inhabituel" in printable
