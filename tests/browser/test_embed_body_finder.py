"""The embed finds the article body of common CMS markup and counts its paragraphs.

The pages of tests/pages/counted/ mimic WordPress (classic and blocks), Ghost, Drupal,
schema.org microdata and plain HTML: paragraphs that count start with "Compte N",
those the rule leaves out (quotes, figures, tables, lists, asides, headers, footers,
navs, empty ones, text outside the body) with "Hors compte".
"""

from pathlib import Path

import pytest

from ad_manager.delivery import markup
from ad_manager.extensions import db
from ad_manager.models import Layout, Placement
from tests.embed_pages import COUNTED_PAGES_DIR, rendered
from tests.factories import make_articles, make_insert, make_site

CMS_PAGES = sorted(path.name for path in COUNTED_PAGES_DIR.glob("*.html"))


@pytest.fixture
def cms_layout(app):
    """A layout with no body selector: inserts after paragraphs 1 and 3."""
    site = make_site()
    insert = make_insert(site, rules=["latest"], link_count=1)
    layout = Layout(site_id=site.id, name="Article", slug="article", is_default=True)
    layout.placements = [
        Placement(position=0, where="after_paragraph", paragraph=1, insert_id=insert.id),
        Placement(position=1, where="after_paragraph", paragraph=3, insert_id=insert.id),
    ]
    db.session.add(layout)
    make_articles(site)
    db.session.commit()
    return site, layout


def cms_page(name: str, base_url: str, site, layout, *, head: bool) -> str:
    html = (COUNTED_PAGES_DIR / name).read_text(encoding="utf-8")
    head_part = markup.head_part(base_url, markup.layout_config(layout)) if head else ""
    return (html.replace("<!--ADM-HEAD-->", head_part)
            .replace("<!--ADM-SCRIPT-->", markup.script_tag(base_url, site.key, layout.slug)))


def test_there_is_a_page_per_cms():
    assert len(CMS_PAGES) >= 6


@pytest.mark.parametrize("head", [True, False], ids=["head-part", "tag-alone"])
@pytest.mark.parametrize("name", CMS_PAGES)
def test_inserts_follow_the_counted_paragraphs_of_cms_markup(
        page, live_server, pages, cms_layout, name, head):
    site, layout = cms_layout
    page.goto(pages.add("/" + name, cms_page(name, live_server, site, layout, head=head)))
    rendered(page)
    before = page.eval_on_selector_all(
        ".adm-insert", "els => els.map(e => e.previousElementSibling.textContent.slice(0, 8))")
    assert before == ["Compte 1", "Compte 3"], Path(name).stem
    assert page.locator(".adm-insert a").count() == 2
    assert page.errors == []
