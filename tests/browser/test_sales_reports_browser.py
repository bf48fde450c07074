"""The sales user's reports in Chromium: the hourly row reads local time, and the
Excel (FR) export follows the filters on screen and opens as columns (its bytes)."""

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ad_manager.models.stats import FILTER_REASONS
from tests.conftest import browser_sign_in
from tests.factories import banner_shown, count_events, make_world

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def counted(app, staff):
    """Two banners rendered now on the world's site (Paris time)."""
    world = make_world()
    now = datetime.now(UTC)
    for view in ("a", "b"):
        banner = banner_shown(world, view)
        count_events(world, now, [(banner, "served"), (banner, "rendered")])
    return world, now


def test_hourly_row_shows_local_time_and_excel_export_opens_as_columns(page, live_server, staff,
                                                                        counted):
    _world, now = counted
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(live_server + "/reports/")
    page.select_option("#period", "today")
    page.select_option("#group", "hour")
    page.click("#report-filters button.primary")  # "Afficher"
    page.wait_for_selector(".report-table")
    local = now.astimezone(PARIS)
    assert "Europe/Paris" in page.inner_text(".report-period")
    rows = page.locator(".report-table tbody tr").all_inner_texts()
    assert len(rows) in (23, 24, 25)  # every hour of the local day
    hour_row = [row for row in rows if f"{local:%H}:00" in row.split("\t")[0]]
    assert hour_row and hour_row[0].split("\t")[2].strip() == "2", rows
    if local.hour != now.hour:
        assert not any(f"{now:%H}:00" in row.split("\t")[0] and "\t2\t" in row for row in rows)

    # Change the period on screen without pressing "Afficher": the export follows it.
    page.select_option("#period", "yesterday")
    with page.expect_download() as caught:
        page.click("#export-excel")
    download = caught.value
    yesterday = (local - timedelta(days=1)).date()
    assert download.suggested_filename == (
        f"report-{yesterday.isoformat()}-{yesterday.isoformat()}-excel.csv")
    page.select_option("#period", "today")
    with page.expect_download() as caught:
        page.click("#export-excel")
    with open(caught.value.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"\xef\xbb\xbfDate;Site;Gabarit;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    # 15 columns of figures and names, then filtered and its part for each reason, then
    # revenue and eCPM
    assert len({len(row) for row in rows}) == 1 and len(rows[0]) == 15 + 1 + len(
        FILTER_REASONS) + 2
    assert rows[1][0] == f"{local:%d/%m/%Y}" and rows[1][9] == "2"
    assert "Rentrée littéraire".encode() in data  # accents survive as UTF-8
