"""End to end through the embed: served, rendered, viewable and a click are counted.

A reader (a browser's user agent, not the headless one, which counts as a bot)
opens the reference article on another origin; the decision counts ``served``,
the loader's beacons ``rendered`` and ``viewable``, and a click on the ad goes
through ``/c/`` to the creative's own destination.
"""

import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import HourlyStat
from tests.embed_pages import media, publish, rendered

READER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0.0.0 Safari/537.36")


def counts(creative_id: int) -> tuple[int, int, int, int]:
    """Give (served, rendered, viewable, clicks) of one creative, as committed now."""
    db.session.rollback()  # see what the server's threads committed
    row = db.session.execute(sa.select(
        sa.func.sum(HourlyStat.served), sa.func.sum(HourlyStat.rendered),
        sa.func.sum(HourlyStat.viewable), sa.func.sum(HourlyStat.clicks),
    ).where(HourlyStat.creative_id == creative_id)).one()
    return tuple(n or 0 for n in row)


def test_a_readers_view_and_click_are_counted_and_land_on_the_advertiser(
        browser, live_server, pages, world):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=READER)
    tab = context.new_page()
    tab.route("**/media/*", media)
    creative = next(c for c in world["campaign"].creatives if c.width == 728)
    # The advertiser's site: a page of the page server (a browser route can't catch a redirect).
    creative.click_url = pages.add("/librairie", "<h1>Librairie du Centre</h1>")
    db.session.commit()
    tab.goto(publish(pages, live_server, world))
    rendered(tab)

    for _ in range(60):
        if counts(creative.id)[2]:
            break
        tab.wait_for_timeout(100)
    assert counts(creative.id) == (1, 1, 1, 0)

    with context.expect_page() as opened:
        tab.locator("[data-adm-zone='votre-pub-ici'] a").click()
    advertiser = opened.value
    advertiser.wait_for_load_state()
    assert advertiser.url == pages.url + "/librairie"
    assert counts(creative.id) == (1, 1, 1, 1)
    context.close()
