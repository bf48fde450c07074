"""Boxes the answer leaves empty never move the text, and what has no place is said so.

An insert whose catalogue has nothing to offer keeps its reserved room while the
reader can see it (it goes away at once when it is below the screen), also in an
article appended by ``refresh({body})``; a placement the page cannot host (no
paragraph 6 in a short article) is reported "not placed", counted apart and never
rendered.
"""

import time

import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models import Article, HourlyStat
from tests.embed_pages import (
    CLS_SCRIPT,
    DESKTOP,
    PARAGRAPHS,
    PHONE,
    article_html,
    media,
    rendered,
    snippet,
)

READER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0.0.0 Safari/537.36")


def reader_tab(browser, viewport):
    context = browser.new_context(viewport=viewport, user_agent=READER, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.route("**/media/*", media)
    return tab


def page(pages, live_server, world, path="/article", paragraphs=PARAGRAPHS):
    parts = snippet(live_server, world["site"], world["layout"], [world["top"], world["column"]])
    return pages.add(path, article_html(**parts, paragraphs=paragraphs))


def boxes(tab):
    """Give (placement id, height, top) of each insert box the reader can see the room of."""
    return tab.eval_on_selector_all("[data-adm-kind='insert']", """els => els
        .filter(e => getComputedStyle(e).display !== 'none').map(e => [
        e.getAttribute('data-adm-placement'), Math.round(e.getBoundingClientRect().height),
        Math.round(e.getBoundingClientRect().top)])""")


def test_an_empty_answer_keeps_the_box_in_view_and_drops_the_one_below(
        browser, live_server, pages, world):
    for article in db.session.scalars(sa.select(Article)):
        article.status = "hidden"  # the catalogue has nothing to offer
    db.session.commit()
    tab = reader_tab(browser, DESKTOP)
    tab.goto(page(pages, live_server, world))
    rendered(tab)
    cls = tab.evaluate(CLS_SCRIPT)
    left = boxes(tab)
    print(f"\nCLS when the answer empties the inserts' boxes at 1280×900: {cls:.4f}; boxes {left}")
    assert round(cls, 3) == 0.0
    second = str(world["layout"].placements[1].id)
    # After paragraph 2, in view: still there, empty, at its height; after 6: hidden.
    assert [box[0] for box in left] == [second]
    assert left[0][1] > 0 and left[0][2] < 900
    assert tab.locator(f"[data-adm-placement='{second}'] a").count() == 0
    assert tab.errors == []


def test_an_appended_article_with_nothing_to_show_moves_nothing(
        browser, live_server, pages, world):
    for article in db.session.scalars(sa.select(Article)):
        article.status = "hidden"
    world["campaign"].state = "paused"
    world["top"].unsold = "collapse"  # nothing sold, no house ad: an empty answer
    db.session.commit()
    tab = reader_tab(browser, PHONE)
    tab.goto(page(pages, live_server, world, paragraphs=PARAGRAPHS[:3]))
    rendered(tab)
    cls = tab.evaluate("""async () => {
        const next = document.createElement('article');
        next.innerHTML = '<h2>Suite</h2>' + '<p>Encore un paragraphe du journal.</p>'.repeat(7);
        document.body.appendChild(next);
        window.scrollTo(0, next.offsetTop - 200);
        await new Promise(r => setTimeout(r, 300));
        let total = 0;
        new PerformanceObserver(list => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
        }).observe({type: 'layout-shift'});
        await window.admanager.refresh({body: next, url: location.href + '#suite'});
        await new Promise(r => setTimeout(r, 600));
        return total;
    }""")
    print(f"\nCLS of an appended article whose answer is empty, at 390×844: {cls:.4f}")
    assert round(cls, 3) == 0.0
    assert tab.errors == []


def counted(placement_id: int) -> tuple[int, int, int]:
    """Give (served, rendered, not placed) of one placement, as committed now."""
    db.session.rollback()
    row = db.session.execute(sa.select(
        sa.func.sum(HourlyStat.served), sa.func.sum(HourlyStat.rendered),
        sa.func.sum(HourlyStat.not_placed)).where(HourlyStat.placement_id == placement_id)).one()
    return tuple(n or 0 for n in row)


def test_a_placement_the_page_cannot_host_is_reported_not_placed(
        browser, live_server, pages, world, viewer_client):
    tab = reader_tab(browser, DESKTOP)
    # Four paragraphs: the insert after paragraph 6 has nowhere to go.
    tab.goto(page(pages, live_server, world, paragraphs=PARAGRAPHS[:4]))
    rendered(tab)
    tab.wait_for_timeout(300)
    tab.context.close()
    second, sixth = (world["layout"].placements[i].id for i in (1, 2))
    for _ in range(50):
        if counted(sixth)[2]:
            break
        time.sleep(0.1)
    assert counted(second) == (1, 1, 0)
    assert counted(sixth) == (1, 0, 1)
    report = viewer_client.get("/reports/?period=today").text
    assert "a-lire-aussi @ after_paragraph 6" in report
