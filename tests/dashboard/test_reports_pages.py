"""The report screen, its CSV export, the campaign report and the home figures."""

import csv
import io
from datetime import UTC, datetime, timedelta

from ad_manager.extensions import db
from ad_manager.models import utcnow
from ad_manager.stats.deciding import record
from tests.dashboard.conftest import campaign_form
from tests.factories import BROWSER, banner_shown, link_shown, make_world

FORMULA = '=HYPERLINK("http://evil","x")'


def count_today(world):
    """Three page views now: 3 rendered banners (2 viewable, 1 click), 3 links (2 clicks)."""
    now = utcnow()
    for view in ("a", "b", "c"):
        banner, link = banner_shown(world, view), link_shown(world, view)
        events = [(banner, "served"), (banner, "rendered"), (link, "served"), (link, "rendered")]
        events += [(banner, "viewable")] if view != "c" else []
        events += [(banner, "click")] if view == "a" else [(link, "click")]
        record(events, user_agent=BROWSER, remote_addr=None, site_id=world.site.id, now=now)
    db.session.commit()


def test_report_screen_shows_totals_rates_chart_and_linked_articles(viewer_client):
    world = make_world()
    count_today(world)
    response = viewer_client.get("/reports/?period=today")
    assert response.status_code == 200
    page = response.text
    assert "<svg" in page and "chart-bar" in page
    total = page.split("<tfoot>")[1].split("</tfoot>")[0]
    cells = [c.split("</td>")[0].strip() for c in total.split('<td class="num">')[1:]]
    assert cells[:3] == ["6", "6", "2"]  # served, impressions, viewable
    assert cells[4] == "3"  # clicks
    assert "Le débat de la semaine" in page and "Rentrée littéraire" in page
    assert "Sous le titre" in page and "À lire aussi" in page  # by zone and insert
    assert "<script" not in page.split("<main")[1]


def test_report_filters_narrow_the_figures(viewer_client):
    world = make_world()
    count_today(world)
    page = viewer_client.get(f"/reports/?period=7d&zone={world.zone.id}&group=hour").text
    total = page.split("<tfoot>")[1]
    assert '<td class="num">3</td>' in total
    assert "Le débat de la semaine" not in page


def test_bad_report_questions_are_answered_422_with_the_error_beside_the_field(viewer_client):
    assert viewer_client.get("/reports/?period=custom").status_code == 422
    response = viewer_client.get("/reports/?period=custom&start=2026-11-20&end=2026-11-01")
    assert response.status_code == 422 and 'class="error"' in response.text
    too_long = "/reports/?period=custom&start=2026-01-01&end=2026-03-01&group=hour"
    assert viewer_client.get(too_long).status_code == 422
    assert viewer_client.get("/reports/?campaign=abc").status_code == 422
    assert viewer_client.get("/reports/?site=99999").status_code == 422
    far = "/reports/?period=custom&start=9999-12-31&end=9999-12-31"
    assert viewer_client.get(far).status_code == 422
    assert viewer_client.get("/reports/export.csv?period=nope").status_code == 422


def test_csv_export_downloads_the_reports_rows(viewer_client):
    world = make_world()
    count_today(world)
    response = viewer_client.get(f"/reports/export.csv?period=today&site={world.site.id}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(int(row["rendered"]) for row in rows) == 6
    assert sum(int(row["clicks"]) for row in rows) == 3


def test_csv_exports_neutralise_a_name_a_spreadsheet_would_run(sales_client, viewer_client):
    world = make_world()
    response = sales_client.post(f"/campaigns/{world.campaign.id}/edit", data=campaign_form(
        world.advertiser, [world.zone], name=FORMULA))
    assert response.status_code == 303
    count_today(world)
    plain = viewer_client.get("/reports/export.csv?period=today").text
    rows = [row for row in csv.DictReader(io.StringIO(plain)) if row["campaign"]]
    assert rows and {row["campaign"] for row in rows} == {"'" + FORMULA}
    assert sum(int(row["rendered"]) for row in rows) == 3  # figures stay numbers
    excel = viewer_client.get("/reports/export.csv?period=today&dialect=excel-fr").text
    cells = list(csv.reader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";"))
    campaign = cells[0].index("Campagne")
    assert {line[campaign] for line in cells[1:] if line[campaign]} == {"'" + FORMULA}
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in cells for cell in line)


def test_campaign_report_is_one_printable_page_with_creatives(viewer_client):
    world = make_world()
    count_today(world)
    response = viewer_client.get(f"/reports/campaign/{world.campaign.id}")
    assert response.status_code == 200
    page = response.text
    assert "Rentrée littéraire" in page and "Bannière" in page and "<svg" in page
    assert "campaign-report" in page
    assert viewer_client.get("/reports/campaign/999").status_code == 404


def test_home_shows_today_week_and_live_campaigns_pace(viewer_client):
    world = make_world(now=datetime.now(UTC) - timedelta(hours=1))
    count_today(world)
    page = viewer_client.get("/").text
    assert "Rentrée littéraire" in page
    assert "En retard" in page  # 3 served of 3000 after a third of the flight
    today = page.split("home-figures")[1].split("</div>\n  </div>")[0]
    assert '<div class="figure">6</div>' in today  # impressions: 3 banners, 3 links
    assert '<div class="figure">3</div>' in today  # clicks
