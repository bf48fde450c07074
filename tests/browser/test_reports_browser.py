"""The whole chain in a browser: the demo article is read, scrolled and clicked, and
the report then shows exactly those counts."""

import re
import time

import pytest
import sqlalchemy as sa

from ad_manager.demo import load_demo
from ad_manager.extensions import db
from ad_manager.models import HourlyStat
from tests.conftest import browser_sign_in

# A desktop Chrome: Playwright's "HeadlessChrome" is a bot, rightly not counted.
READER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")


def counted() -> tuple[int, int, int, int]:
    db.session.expire_all()
    row = db.session.execute(sa.select(
        sa.func.sum(HourlyStat.served), sa.func.sum(HourlyStat.rendered),
        sa.func.sum(HourlyStat.viewable), sa.func.sum(HourlyStat.clicks))).one()
    db.session.commit()
    return tuple(n or 0 for n in row)


def wait_for(expected, timeout=10.0):
    """Give the counters once they reach ``expected`` (or whatever they hold at the end)."""
    deadline = time.monotonic() + timeout
    while counted() != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return counted()


@pytest.fixture
def demo(app, staff):
    """The demo site as ``flask --app app setup --demo`` loads it."""
    site = load_demo()
    db.session.commit()
    return site


def test_demo_article_viewed_scrolled_clicked_then_reported_exactly(demo, live_server, browser,
                                                                    staff):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                  user_agent=READER)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # The demo's links point at http://127.0.0.1:5000; the click must not depend on it.
    tab.route("http://127.0.0.1:5000/**", lambda route: route.fulfill(
        body="<!doctype html><title>Article</title>", content_type="text/html"))
    tab.goto(live_server + "/demo/article")
    tab.wait_for_selector(".adm-insert a")
    tab.wait_for_function("document.querySelectorAll('[data-adm-zone] .adm-label').length >= 1")
    placements = tab.locator("[data-adm-placement]")
    shown = placements.count()
    assert shown == 4  # the zone after the headline, two inserts, the sidebar zone
    # Read the page: bring each placement into view for longer than a second.
    for index in range(shown):
        placements.nth(index).scroll_into_view_if_needed()
        tab.wait_for_timeout(1300)
    assert wait_for((4, 4, 4, 0)) == (4, 4, 4, 0)
    # Click the first "À lire aussi" link: /c/ counts it, then sends the reader on to
    # another demo article. That next page is a new page view of its own; keep its ads
    # out so the counts stay those of this one (a redirect target cannot be routed, its
    # ad requests can).
    context.route(re.compile(r".*/(serve|embed(-head)?\.js|embed\.css)(\?.*)?$"),
                  lambda route: route.abort())
    tab.locator("[data-adm-kind=insert] a").first.click(no_wait_after=True)
    assert wait_for((4, 4, 4, 1)) == (4, 4, 4, 1)
    assert errors == []
    context.close()

    staff_tab = browser.new_page()
    browser_sign_in(staff_tab, live_server, staff["viewer"].email)
    staff_tab.goto(live_server + "/reports/?period=today")
    totals = staff_tab.locator(".report-table tfoot td.num").all_inner_texts()
    assert totals[:3] == ["4", "4", "4"] and totals[4] == "1"  # served, rendered, viewable, clicks
    assert totals[3].startswith("100") and totals[5].startswith("25")  # viewable rate, CTR
    staff_tab.close()
