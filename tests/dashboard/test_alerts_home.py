"""The home page lists delivery alerts by kind, each linking to its campaign."""

from datetime import UTC, datetime, timedelta

from ad_manager.extensions import db
from ad_manager.stats.counters import add_counts
from tests.factories import image_creative, make_campaign, make_site, make_zone


def count(site, zone, campaign, creative_id=0, **measures):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    add_counts(hour, {(site.id, 0, 0, zone.id, 0, campaign.id, creative_id, 0): measures})
    db.session.commit()


def test_home_lists_ending_and_refused_alerts_with_links(app, viewer_client):
    site = make_site()
    zone = make_zone(site)
    ending = make_campaign([zone], name="Garage du Port", days=(-28, 2), goal_impressions=3000)
    count(site, zone, ending, rendered=2900)
    refused = make_campaign([zone], name="Fromagerie", creatives=[image_creative(name="Bannière")])
    count(site, zone, refused, refused.creatives[0].id, rendered=20, not_placed=30)
    page = viewer_client.get("/").text
    alerts = page.split('class="card alerts"')[1].split("</section>")[0]
    assert "Alertes de diffusion (2)" in alerts
    ending_group = alerts.split('alert-group alert-ending')[1].split("</div>")[0]
    assert f'href="/campaigns/{ending.id}"' in ending_group
    assert "100 impressions encore à livrer" in ending_group
    refused_group = alerts.split('alert-group alert-refused')[1].split("</div>")[0]
    assert "Bannière 30 fois sur 50" in refused_group


def test_home_has_no_alert_card_when_all_is_well(app, viewer_client):
    zone = make_zone(make_site())
    make_campaign([zone], name="Sans objectif")
    assert 'class="card alerts"' not in viewer_client.get("/").text
