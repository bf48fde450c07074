"""One clock: reports, hourly rows, CSV exports and the client report read the
site's time zone while the counters stay in UTC hours; the Excel (FR) export."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from ad_manager.extensions import db
from ad_manager.models.stats import FILTER_REASONS
from ad_manager.stats.export import EXCEL_FR, csv_lines
from ad_manager.stats.reports import Period, by_time, report_timezone
from tests.factories import banner_shown, count_events, make_world

# 23:35 UTC on 18 November is 00:35 on the 19th in Paris (UTC+1).
LATE = datetime(2026, 11, 18, 23, 35, tzinfo=UTC)


def late_views(world, n=2):
    for view in range(n):
        banner = banner_shown(world, f"late-{view}")
        count_events(world, LATE, [(banner, "served"), (banner, "rendered")])
    count_events(world, LATE, [(banner_shown(world, "late-0"), "viewable")])


def test_a_late_evening_utc_hour_counts_on_the_next_local_day(app):
    world = make_world(now=LATE)
    late_views(world)
    paris = Period(start=date(2026, 11, 18), end=date(2026, 11, 19), site_id=world.site.id,
                   timezone="Europe/Paris")
    days = by_time(paris)
    assert [(line.key, line.figures.rendered) for line in days] == [
        (date(2026, 11, 18), 0), (date(2026, 11, 19), 2)]
    utc = Period(start=date(2026, 11, 18), end=date(2026, 11, 19), site_id=world.site.id)
    assert [line.figures.rendered for line in by_time(utc)] == [2, 0]
    hours = by_time(Period(start=date(2026, 11, 19), end=date(2026, 11, 19), group="hour",
                           site_id=world.site.id, timezone="Europe/Paris"))
    assert len(hours) == 24
    first = hours[0]
    assert first.key == datetime(2026, 11, 18, 23, tzinfo=UTC)  # the stored UTC hour
    assert first.key.astimezone(paris.zone).hour == 0 and first.figures.rendered == 2


def test_a_period_has_every_local_hour_on_clock_change_days(app):
    autumn = Period(start=date(2026, 10, 25), end=date(2026, 10, 25), group="hour",
                    timezone="Europe/Paris")
    spring = Period(start=date(2026, 3, 29), end=date(2026, 3, 29), group="hour",
                    timezone="Europe/Paris")
    assert len(by_time(autumn)) == 25 and len(by_time(spring)) == 23
    assert autumn.starts_at == datetime(2026, 10, 24, 22, tzinfo=UTC)


def test_the_report_reads_the_filtered_sites_time_zone(app):
    world = make_world(now=LATE)
    world.site.timezone = "America/Montreal"
    db.session.commit()
    assert report_timezone(site_id=world.site.id) == "America/Montreal"
    assert report_timezone() == "America/Montreal"  # the one zone every site shares
    make_world_site = type(world.site)(name="Other", key="other", timezone="Asia/Tokyo")
    db.session.add(make_world_site)
    db.session.commit()
    assert report_timezone() == "Europe/Paris"  # sites disagree: the dashboard's own
    assert report_timezone(campaign_id=world.campaign.id) == "Europe/Paris"  # booked nowhere
    world.campaign.zones.append(world.zone)
    db.session.commit()
    assert report_timezone(campaign_id=world.campaign.id) == "America/Montreal"


def test_excel_export_bytes_are_what_french_excel_opens_as_columns(app):
    world = make_world(now=LATE)
    world.banner.name = "Noël; «promo»"
    db.session.commit()
    late_views(world, n=3)
    period = Period(start=date(2026, 11, 19), end=date(2026, 11, 19), site_id=world.site.id,
                    timezone="Europe/Paris")
    data = "".join(csv_lines(period, EXCEL_FR)).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbfDate;Site;Gabarit;Emplacement;Zone;Encart;"
                           b"Campagne;Cr\xc3\xa9ation;Servies;Impressions;Visibles;Clics;")
    assert b"\r\n" in data and "Noël".encode() in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    # then filtered, its part for each reason, revenue and eCPM
    columns = 15 + 1 + len(FILTER_REASONS) + 2
    assert len(rows) == 2 and all(len(row) == columns for row in rows)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Date"] == "19/11/2026"  # the Paris day, not the UTC one
    assert row["Création"] == "Noël; «promo»"  # quoted, so the ; stays in its cell
    assert (row["Impressions"], row["Visibles"]) == ("3", "1")
    assert row["Taux de visibilité (%)"] == "33,33" and row["Taux de clics (%)"] == "0,00"


def test_report_screen_says_the_zone_and_shows_local_hours(viewer_client):
    world = make_world(now=LATE)
    late_views(world)
    query = (f"/reports/?period=custom&start=2026-11-19&end=2026-11-19&group=hour"
             f"&site={world.site.id}")
    page = viewer_client.get(query).text
    assert "Europe/Paris" in page
    assert "19/11/2026 00:00" in page and "23:00" in page  # every hour of the local day
    excel = viewer_client.get(query.replace("/reports/?", "/reports/export.csv?")
                              + "&dialect=excel-fr")
    assert excel.status_code == 200 and excel.data.startswith(b"\xef\xbb\xbfDate;")
    assert b"19/11/2026;" in excel.data
    plain = viewer_client.get(query.replace("/reports/?", "/reports/export.csv?"))
    assert plain.data.startswith(b"date,site,") and b"2026-11-19," in plain.data
    assert viewer_client.get(query.replace("/reports/?", "/reports/export.csv?")
                             + "&dialect=lotus").status_code == 422


def test_client_report_counts_on_the_campaigns_local_days(viewer_client):
    world = make_world(now=LATE)
    world.campaign.starts_at = LATE - timedelta(minutes=5)  # 00:30 on the 19th in Paris
    db.session.commit()
    late_views(world)
    page = viewer_client.get(f"/reports/campaign/{world.campaign.id}").text
    assert "Europe/Paris" in page and "19 nov. 2026" in page
    assert "UTC" not in page.split("report-footnote")[1]


def test_report_command_reads_the_sites_days_and_writes_excel_csv(app, runner):
    world = make_world(now=LATE)
    late_views(world)
    args = ["report", "--csv", "--from", "2026-11-19", "--to", "2026-11-19", "--site", "quotidien"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "\n2026-11-19,quotidien," in result.output  # Paris day of a 23:35 UTC view
    result = runner.invoke(args=[*args, "--timezone", "UTC"])
    assert "2026-11-19" not in result.output.split("\n", 1)[1]
    result = runner.invoke(args=[*args, "--excel-fr"])
    assert result.output.startswith("\ufeffDate;Site;") and "19/11/2026;quotidien;" in result.output
    result = runner.invoke(args=[*args, "--timezone", "Mars/Olympus"])
    assert result.exit_code != 0 and "unknown time zone" in result.output
