"""In Chromium: import a feed through the dashboard, see the articles listed, and watch
the insert preview follow the form."""

import pytest
from playwright.sync_api import expect

from ad_manager.catalog.articles import save_article
from ad_manager.extensions import db
from tests.conftest import browser_sign_in, wait_for_htmx
from tests.factories import make_journal

pytestmark = pytest.mark.browser
SCREENSHOTS = "/tmp/catalog-screens"


@pytest.fixture
def site(app):
    return make_journal("127.0.0.1")


def test_feed_imported_from_the_dashboard_is_listed(live_server, page, staff, site, feed_url):
    browser_sign_in(page, live_server, staff["sales"].email)
    page.click("nav.mainnav a:has-text('Articles')")
    page.wait_for_url(f"{live_server}/articles/")
    page.click("a:has-text('Importer un flux')")
    page.fill("input[name=url]", feed_url("rss.xml"))
    page.click("button:has-text('Importer')")

    result = page.locator(".import-result")
    result.wait_for()
    assert result.locator('[data-count="created"]').inner_text() == "2"
    assert result.locator('[data-count="skipped"]').inner_text() == "1"
    page.screenshot(path=f"{SCREENSHOTS}/import.png", full_page=True)

    page.click("a:has-text('Voir les articles')")
    page.wait_for_url(f"{live_server}/articles/?site={site.id}")
    rows = page.locator("table.articles tbody tr")
    assert rows.count() == 2
    assert rows.first.inner_text().startswith("Le budget de la ville adopté")
    wait_for_htmx(page, "#article-filters")  # the form listens to its search box
    page.fill("input[name=q]", "noël")
    expect(rows).to_have_count(1)
    assert "marché de Noël" in rows.first.inner_text()
    assert "q=no%C3%ABl" in page.url  # the search is in the address, for back and reload
    rows.first.locator("button:has-text('Masquer')").click()
    expect(rows.first.locator(".badge.archived")).to_have_text("Masqué")
    page.screenshot(path=f"{SCREENSHOTS}/articles.png", full_page=True)
    assert page.errors == []


def test_unreachable_feed_shows_the_error_next_to_the_address(live_server, page, staff, site,
                                                              feed_url):
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/articles/import?site={site.id}")
    page.fill("input[name=url]", feed_url("absent.xml"))
    page.click("button:has-text('Importer')")
    error = page.locator(".field.has-error .error")
    error.wait_for()
    assert "HTTP 404" in error.inner_text()
    assert page.errors == []


def test_insert_preview_follows_the_form(live_server, page, staff, site):
    for slug, title, section in [("a", "Le budget voté", "politique"),
                                 ("b", "Le derby gagné", "sport")]:
        save_article(site, f"https://journal.example/{slug}", title=title, section=section)
    db.session.commit()
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/inserts/new?site={site.id}")
    preview = page.locator("#insert-preview")
    preview.locator("p.adm-insert").wait_for()
    assert "Le budget voté" in preview.inner_text()  # first section of the catalogue

    page.fill("input[name=preview_section]", "sport")
    expect(preview).to_contain_text("Le derby gagné")
    page.fill("input[name=label]", "Lire aussi :")
    expect(preview.locator("strong")).to_have_text("Lire aussi :")
    page.screenshot(path=f"{SCREENSHOTS}/insert.png", full_page=True)
    assert page.errors == []


def test_hand_picked_rows_are_added_and_reordered_in_the_page(live_server, page, staff, site):
    derby, _ = save_article(site, "https://journal.example/derby", title="Le derby gagné",
                            section="sport")
    budget, _ = save_article(site, "https://journal.example/budget", title="Le budget voté",
                             section="politique")
    db.session.commit()
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/inserts/new?site={site.id}")
    picks = page.locator("#insert-picks")
    assert not picks.is_visible()  # only a hand-picked list has rows
    page.select_option("select[name=rules-0]", "manual")
    page.fill("input[name=link_count]", "2")
    page.select_option("select[name=picks-0-article]", str(derby.id))
    page.click("button.add-pick")
    page.locator("select[name=picks-1-article]").wait_for()
    page.select_option("select[name=picks-1-article]", str(budget.id))
    page.click("#insert-picks button[value=up-1]")
    expect(page.locator("select[name=picks-0-article]")).to_have_value(str(budget.id))
    links = page.locator("#insert-preview p.adm-insert a")
    expect(links).to_have_text(["Le budget voté", "Le derby gagné"])
    page.fill("input[name=name]", "Choix de la rédaction")
    page.fill("input[name=slug]", "choix-redaction")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_url(f"{live_server}/inserts/")
    page.screenshot(path=f"{SCREENSHOTS}/inserts.png", full_page=True)
    expect(page.locator("td", has_text="choix-redaction")).to_have_count(1)
    assert page.errors == []
