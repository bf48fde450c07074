"""Delivery at a glance: the campaign list and page show delivered, expected by now,
the gap and the pace, sortable; the home page lists the campaigns behind by how much."""

import re
from datetime import UTC, datetime

from ad_manager.delivery.shown import Shown
from ad_manager.extensions import db
from ad_manager.stats.deciding import record
from tests.factories import BROWSER, make_advertiser, make_campaign, make_site, make_zone


def serve(site, zone, campaign, n):
    events = [(Shown(view=f"v{campaign.id}-{i}", site=site.id, layout=None, placement=None,
                     zone=zone.id, campaign=campaign.id), kind)
              for i in range(n) for kind in ("served", "rendered")]  # billed on rendered
    record(events, user_agent=BROWSER, remote_addr=None, site_id=site.id,
           now=datetime.now(UTC))
    db.session.commit()


def world():
    """Three live campaigns half way through 20 days: 1000 goal each; 100, 500 and none
    delivered; and one without a goal."""
    site = make_site()
    zone = make_zone(site)
    advertiser = make_advertiser()
    behind = make_campaign([zone], advertiser=advertiser, days=(-10, 10),
                           name="Boulangerie Martin")
    on_track = make_campaign([zone], advertiser=advertiser, days=(-10, 10), name="Fromagerie")
    far_behind = make_campaign([zone], advertiser=advertiser, days=(-10, 10), name="Garage")
    no_goal = make_campaign([zone], advertiser=advertiser, days=(-10, 10), name="Maison")
    for campaign in (behind, on_track, far_behind):
        campaign.goal_impressions = 1000
    db.session.commit()
    serve(site, zone, behind, 100)
    serve(site, zone, on_track, 500)
    return behind, on_track, far_behind, no_goal


def names_in_order(page: str) -> list[str]:
    return re.findall(r'<td><a href="/campaigns/\d+">([^<]+)</a></td>', page)


def test_campaign_list_shows_expected_gap_and_pace_and_sorts_by_them(app, viewer_client):
    world()
    page = viewer_client.get("/campaigns/").text
    assert "Attendu à ce jour" in page and "Écart" in page
    row = page.split(">Boulangerie Martin<")[1].split("</tr>")[0]
    assert "100" in row and "500" in row and "−400" in row and "En retard" in row
    by_gap = names_in_order(viewer_client.get("/campaigns/?sort=gap").text)
    assert by_gap == ["Garage", "Boulangerie Martin", "Fromagerie", "Maison"]
    by_delivered = names_in_order(viewer_client.get("/campaigns/?sort=delivered").text)
    assert by_delivered[:2] == ["Fromagerie", "Boulangerie Martin"]
    sorted_page = viewer_client.get("/campaigns/?sort=gap").text
    assert 'aria-sort="descending"' in sorted_page
    assert 'name="sort" value="gap"' in sorted_page  # the filters keep the sort
    assert viewer_client.get("/campaigns/?sort=junk").status_code == 200


def test_campaign_page_shows_expected_and_gap(app, viewer_client):
    behind, *_ = world()
    page = viewer_client.get(f"/campaigns/{behind.id}").text
    pace = page.split('class="campaign-pace"')[1].split("</dd>")[0]
    assert "500" in pace and "−400" in pace and "En retard" in pace


def test_home_lists_the_campaigns_behind_by_how_much(app, viewer_client):
    world()
    page = viewer_client.get("/").text
    behind = page.split('class="alert-group alert-behind"')[1].split("</div>")[0]
    assert "En retard sur leur rythme (2)" in behind
    assert behind.index("Garage") < behind.index("Boulangerie Martin")
    assert "400 impressions de retard" in behind and "Fromagerie" not in behind
