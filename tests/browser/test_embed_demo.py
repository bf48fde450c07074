"""The demo article (docs/architecture.md), served by the app itself, with the embed end to end.

The demo site and its layout come from the demo steps; zones, the insert and a few
catalogue articles are made here (the inventory and catalog steps may add more).
Nothing is sold, so the zone under the headline shows the house ad "Votre Pub ici !".
"""

import pytest
from sqlalchemy import select

from ad_manager.demo.layouts import load_layouts
from ad_manager.demo.site import load_site
from ad_manager.extensions import db
from ad_manager.models import Zone
from tests.embed_pages import CLS_SCRIPT, DESKTOP, PHONE, rendered
from tests.factories import COLUMN_MAP, make_articles, make_insert, make_zone


@pytest.fixture
def demo(app):
    site = load_site()
    # Discovery is the catalog's business (and adds articles): not under test here.
    site.discover_articles = False
    if db.session.scalar(select(Zone).where(Zone.site_id == site.id)) is None:
        make_zone(site, "votre-pub-ici")
        make_zone(site, "colonne", COLUMN_MAP)
        make_insert(site, rules=["section"], link_count=1)
    make_articles(site, count=3)
    load_layouts(site)
    db.session.commit()
    return site


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_demo_article_shows_the_reference_layout_without_shifting(
        browser, live_server, demo, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + "/demo/article")
    rendered(page)
    cls = page.evaluate(CLS_SCRIPT)
    print(f"\nCLS of /demo/article at {viewport}: {cls:.4f}")

    zone = page.locator("h1 + [data-adm-zone='votre-pub-ici']")
    assert zone.locator(".adm-text").text_content() == "Votre Pub ici !"
    before = page.eval_on_selector_all(
        ".adm-insert", "els => els.map(e => [...e.parentNode.querySelectorAll('p')]"
        ".filter(p => !p.closest('.adm-slot')).indexOf(e.previousElementSibling) + 1)")
    assert before == [2, 6]
    links = page.eval_on_selector_all(".adm-insert a", "els => els.map(a => a.textContent)")
    assert len(links) == 2 and links[0] != links[1]
    assert round(cls, 3) == 0.0
    assert errors == []
    context.close()
