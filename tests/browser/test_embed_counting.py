"""End to end through the embed: served, rendered, viewable and a click are counted.

A reader (a browser's user agent, not the headless one, which counts as a bot)
opens the reference article on another origin; the decision counts ``served``,
the loader's beacons ``rendered`` and ``viewable``, and a click on the ad goes
through ``/c/`` to the creative's own destination. Every real view counts, with
nothing filtered: at desktop and phone sizes, and on a page of another site (
``localhost`` against our ``127.0.0.1``) served with ``Referrer-Policy: no-referrer``,
where the browser sends no ``Referer`` at all and the click arrives with only its
fetch metadata.
"""

import pytest
import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import HourlyStat
from tests.embed_pages import media, publish, rendered

READER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0.0.0 Safari/537.36")


PHONE_READER = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                "Gecko) Chrome/126.0.0.0 Mobile Safari/537.36")


def counts(creative_id: int) -> tuple[int, int, int, int, int]:
    """Give (served, rendered, viewable, clicks, filtered) of one creative, as committed now."""
    db.session.rollback()  # see what the server's threads committed
    row = db.session.execute(sa.select(
        sa.func.sum(HourlyStat.served), sa.func.sum(HourlyStat.rendered),
        sa.func.sum(HourlyStat.viewable), sa.func.sum(HourlyStat.clicks),
        sa.func.sum(HourlyStat.filtered),
    ).where(HourlyStat.creative_id == creative_id)).one()
    return tuple(n or 0 for n in row)


@pytest.mark.parametrize("reader", ["desktop", "phone"])
@pytest.mark.parametrize("policy", ["default", "no-referrer"])
def test_a_readers_view_and_click_are_counted_and_land_on_the_advertiser(
        browser, live_server, pages, world, reader, policy):
    viewport, user_agent, width = {
        "desktop": ({"width": 1280, "height": 900}, READER, 728),
        "phone": ({"width": 390, "height": 844}, PHONE_READER, 320)}[reader]
    context = browser.new_context(viewport=viewport, user_agent=user_agent,
                                  is_mobile=reader == "phone", has_touch=reader == "phone")
    tab = context.new_page()
    tab.route("**/media/*", media)
    creative = next(c for c in world["campaign"].creatives if c.width == width)
    # The advertiser's site: a page of the page server (a browser route can't catch a redirect).
    creative.click_url = pages.add("/librairie", "<h1>Librairie du Centre</h1>")
    world["site"].allowed_origins = [*world["site"].allowed_origins, "http://localhost:*"]
    db.session.commit()
    url = publish(pages, live_server, world)
    if policy == "no-referrer":
        body, mimetype, _headers = pages.pages["/article"]
        pages.pages["/article"] = (body, mimetype, {"Referrer-Policy": "no-referrer"})
        url = url.replace("127.0.0.1", "localhost")  # another site than ours
    tab.goto(url)
    rendered(tab)

    for _ in range(60):
        if counts(creative.id)[2]:
            break
        tab.wait_for_timeout(100)
    assert counts(creative.id) == (1, 1, 1, 0, 0)

    with context.expect_page() as opened:
        tab.locator("[data-adm-zone='votre-pub-ici'] a").click()
    advertiser = opened.value
    advertiser.wait_for_load_state()
    assert advertiser.url.endswith(":" + pages.url.rsplit(":", 1)[1] + "/librairie")
    assert counts(creative.id) == (1, 1, 1, 1, 0)
    context.close()


def test_events_refused_while_counting_is_down_are_sent_again_by_the_page_and_counted(
        app, browser, live_server, pages, world, tmp_path):
    """Neither the events journal nor the counters' store can keep what the page
    reports: /e answers 503, and the loader sends the same batch again a few seconds
    later, once the store is back."""
    import socket

    with socket.socket() as probe:  # a Redis address nobody listens on: counting refused
        probe.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    app.config["REDIS_URL"] = dead
    journal_folder = app.config["COUNTS_JOURNAL_DIR"]
    (tmp_path / "a-file").write_text("")  # the journal's folder cannot be made under it
    app.config["COUNTS_JOURNAL_DIR"] = str(tmp_path / "a-file" / "journal")
    app.extensions.pop("ad_manager.events_journal", None)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=READER)
    tab = context.new_page()
    tab.route("**/media/*", media)
    answers = []
    tab.on("response", lambda r: answers.append(r.status) if r.url.endswith("/e") else None)
    creative = next(c for c in world["campaign"].creatives if c.width == 728)
    try:
        tab.goto(publish(pages, live_server, world))
        rendered(tab)
        for _ in range(50):
            if 503 in answers:
                break
            tab.wait_for_timeout(100)
        assert 503 in answers
        assert counts(creative.id)[1] == 0
    finally:
        app.config["REDIS_URL"] = None  # the store is back (here: counting in the database)
        app.extensions.pop("ad_manager_redis", None)
        app.config["COUNTS_JOURNAL_DIR"] = journal_folder
        app.extensions.pop("ad_manager.events_journal", None)
    for _ in range(100):
        if counts(creative.id)[2]:
            break
        tab.wait_for_timeout(100)
    # Rendered, then viewable, in order: nothing filtered. The page view's "served" went
    # through the served-counts journal to the database: Redis down cost it nothing.
    assert counts(creative.id) == (1, 1, 1, 0, 0)
    for _ in range(50):  # the server commits before it answers: the 204 may be on its way
        if 204 in answers:
            break
        tab.wait_for_timeout(100)
    assert 204 in answers
    context.close()
