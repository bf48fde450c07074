"""Every position a layout offers, reserved by the head part and filled by the loader."""

import pytest

from ad_manager.extensions import db
from ad_manager.models import Layout, Placement
from tests.embed_pages import CLS_SCRIPT, article_html, media, rendered, snippet
from tests.factories import banner_pair, make_articles, make_campaign, make_layout, make_site


@pytest.fixture
def everywhere(app):
    """A layout using each automatic position once; no placeholder on the page."""
    site = make_site()
    things = make_layout(site)
    things["column"].unsold = "house"
    top, column, insert = things["top"], things["column"], things["insert"]
    layout = Layout(site_id=site.id, name="Partout", slug="partout")
    layout.placements = [
        Placement(position=0, where="before_first_paragraph", zone_id=top.id),
        Placement(position=1, where="after_paragraph_from_end", paragraph=2,
                  insert_id=insert.id),
        Placement(position=2, where="after_body", insert_id=insert.id),
        Placement(position=3, where="before_selector", selector=".byline", insert_id=insert.id),
        Placement(position=4, where="inside_selector", selector="aside", zone_id=column.id),
    ]
    db.session.add(layout)
    make_campaign([top], creatives=banner_pair())
    make_articles(site, count=5)
    db.session.commit()
    return {"site": site, "layout": layout, "top": top, "column": column}


@pytest.mark.parametrize("head", [True, False], ids=["head-part", "tag-alone"])
def test_each_position_lands_where_the_layout_says(page, live_server, pages, everywhere, head):
    page.route("**/media/*", media)
    parts = snippet(live_server, everywhere["site"], everywhere["layout"], [], head=head)
    page.goto(pages.add("/article", article_html(**parts)))
    rendered(page)
    cls = page.evaluate(CLS_SCRIPT)

    def around(selector):
        return page.eval_on_selector(selector, """el => [
          el.previousElementSibling && el.previousElementSibling.textContent.slice(0, 14),
          el.nextElementSibling && (el.nextElementSibling.className ||
                                    el.nextElementSibling.textContent.slice(0, 14)),
          el.parentElement.className || el.parentElement.tagName]""")

    ids = [p.id for p in everywhere["layout"].placements]
    top, from_end, after_body, before_byline, aside = (f"[data-adm-placement='{i}']" for i in ids)
    assert around(top)[1:] == ["Paragraphe 1. ", "entry-content"]
    assert page.locator(top + " img").count() == 1
    assert around(from_end)[0] == "Paragraphe 6. "
    assert around(after_body) == ["Paragraphe 7. ", None, "entry-content"]
    assert around(before_byline)[1:] == ["byline", "ARTICLE"]
    assert around(aside)[2] == "ASIDE"
    assert page.locator(aside + " .adm-house").text_content() == "Votre Pub ici !"
    links = page.eval_on_selector_all(".adm-insert a", "els => els.map(a => a.textContent)")
    assert len(links) == 3 and len(set(links)) == 3
    if head:
        assert round(cls, 3) == 0.0
    assert page.errors == []
