"""The whole chain in a browser: the demo article is read, scrolled and clicked, and
the report then shows exactly those counts."""

import io
import time

import pytest
import sqlalchemy as sa
from PIL import Image

from ad_manager.extensions import db
from ad_manager.models import HourlyStat
from tests.conftest import browser_sign_in
from tests.serving_fixtures import make_articles, make_campaign, make_layout, make_site

# A desktop Chrome: Playwright's "HeadlessChrome" is a bot, rightly not counted.
READER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")


def png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


IMAGES = {"wide.png": png((728, 90)), "narrow.png": png((320, 100))}


def media(route):
    route.fulfill(body=IMAGES.get(route.request.url.rsplit("/", 1)[-1], png((8, 8))),
                  content_type="image/png")


def counted() -> tuple[int, int, int, int]:
    db.session.expire_all()
    row = db.session.execute(sa.select(
        sa.func.sum(HourlyStat.served), sa.func.sum(HourlyStat.rendered),
        sa.func.sum(HourlyStat.viewable), sa.func.sum(HourlyStat.clicks))).one()
    db.session.commit()
    return tuple(n or 0 for n in row)


def wait_for(expected, timeout=10.0):
    deadline = time.monotonic() + timeout
    while counted() != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return counted()


@pytest.fixture
def demo(app, staff):
    """The demo site "demo" with the reference layout, a campaign in the top zone and
    articles of the demo article's section (the "colonne" zone stays unsold: collapsed)."""
    site = make_site(key="demo", allowed_origins=["http://127.0.0.1:*", "http://localhost:*"])
    things = make_layout(site)
    things["campaign"] = make_campaign([things["top"]])
    things["articles"] = make_articles(site)
    db.session.commit()
    return things


def test_demo_article_viewed_scrolled_clicked_then_reported_exactly(demo, live_server, browser,
                                                                    staff):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                  user_agent=READER)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.route("**/media/*", media)
    tab.goto(live_server + "/demo/article")
    tab.wait_for_selector(".adm-zone img")
    tab.wait_for_selector(".adm-insert a")
    inserts = tab.locator("[data-adm-kind=insert]")
    assert inserts.count() == 2
    # The top zone and the first insert are in view at once; the second insert after a scroll.
    tab.wait_for_timeout(1600)
    inserts.nth(1).scroll_into_view_if_needed()
    tab.wait_for_timeout(1600)
    assert wait_for((3, 3, 3, 0)) == (3, 3, 3, 0)
    # The click goes through /c/ (counted) to the article; its host needn't answer here.
    inserts.nth(0).locator("a").click(no_wait_after=True)
    assert wait_for((3, 3, 3, 1)) == (3, 3, 3, 1)
    assert errors == []
    context.close()

    staff_tab = browser.new_page()
    browser_sign_in(staff_tab, live_server, staff["viewer"].email)
    staff_tab.goto(live_server + "/reports/?period=today")
    totals = staff_tab.locator(".report-table tfoot td.num").all_inner_texts()
    assert totals[:3] == ["3", "3", "3"] and totals[4] == "1"
    assert totals[3].startswith("100") and totals[5].startswith("33")
    staff_tab.close()
