"""A real WordPress post with our plugin, read in Chromium at desktop and phone sizes.

Debian's WordPress 6.1 (Twenty Twenty-Three), installed once per session by
tests/wordpress_site.py; the plugin of integrations/wordpress is set up through its
settings page as an administrator does; the post is the reference article (seven
paragraphs, category "Politique", two tags). The ad server is the demo as
``flask setup --demo`` loads it. Required under CI=true.
"""

import csv
import io
import time
from datetime import UTC, datetime

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ad_manager.demo import load_demo
from ad_manager.extensions import db
from ad_manager.models import Article
from tests.conftest import missing_service
from tests.embed_pages import CLS_SCRIPT, PARAGRAPHS

pytestmark = pytest.mark.browser

TITLE = "Le budget municipal adopté de justesse"
READERS = {
    "desktop": ({"width": 1280, "height": 900},
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/126.0.0.0 Safari/537.36"),
    "phone": ({"width": 390, "height": 844},
              "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"),
}


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory):
    """WordPress with our plugin active and the reference post published: (site, post URL)."""
    from tests.wordpress_site import WordPressSite, WordPressUnavailable

    site = WordPressSite(tmp_path_factory.mktemp("wordpress"))
    try:
        site.start()
        url = site.publish(TITLE, PARAGRAPHS, ["budget", "conseil municipal"],
                           "2026-11-29 08:00:00")
    except WordPressUnavailable as error:
        site.close()
        missing_service(f"WordPress could not be set up: {error}")
    yield site, url
    site.close()


def set_up_plugin(browser, wordpress_url: str, server_url: str) -> None:
    """Fill Settings → Ad Manager as the blog's administrator."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = context.new_page()
    # WordPress's admin screens are slow on a loaded CI machine: the login needs only its
    # redirect, the settings form only its HTML, not every script and style of wp-admin.
    # Twice in some thirty runs here a login did not reach wp-admin within 60 s (before
    # our plugin is involved; the cause, on WordPress's side, is not known yet): it is
    # tried once more, and a second failure says where the page was.
    admin.set_default_timeout(30_000)
    for attempt in (1, 2):
        admin.goto(wordpress_url + "/wp-login.php")
        admin.fill("#user_login", "admin")
        admin.fill("#user_pass", "admin-password")
        admin.click("#wp-submit")
        try:
            admin.wait_for_url("**/wp-admin/**", wait_until="commit")
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                errors = admin.locator("#login_error").all_inner_texts()
                raise AssertionError(f"WordPress's login stayed at {admin.url}: {errors}") from None
    admin.goto(wordpress_url + "/wp-admin/options-general.php?page=ad-manager",
               wait_until="domcontentloaded")
    admin.fill("#ad-manager-server_url", server_url)
    admin.fill("#ad-manager-site_key", "demo")
    admin.fill("#ad-manager-layout", "article")
    admin.click("#submit")
    admin.wait_for_selector("#setting-error-settings_updated")
    context.close()


def report_rows(client) -> list[dict]:
    """The CSV export of today's report, as staff download it."""
    response = client.get("/reports/export.csv?period=today")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.text)))


def by_placement(rows) -> dict:
    """Sum served, rendered and not placed per (zone or insert) slug."""
    sums: dict[str, list[int]] = {}
    for row in rows:
        counts = sums.setdefault(row["zone"] or row["insert"], [0, 0, 0])
        for n, column in enumerate(("served", "rendered", "not_placed")):
            counts[n] += int(row[column])
    return sums


@pytest.mark.parametrize("theme, reader", [
    ("twentytwentythree", "desktop"), ("twentytwentythree", "phone"),
    ("twentytwentyone", "desktop")])
def test_wordpress_post_shows_zone_and_inserts_without_shift(
        app, live_server, browser, wordpress, viewer_client, theme, reader):
    site, post_url = wordpress
    site.use_theme(theme)
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    load_demo()
    db.session.commit()
    set_up_plugin(browser, site.url, live_server)

    # What the plugin prints on the post (and nowhere else).
    html = site.get(post_url.removeprefix(site.url))
    assert '<meta property="article:section" content="Politique">' in html
    assert '<meta property="article:tag" content="conseil municipal">' in html
    assert f'<script async src="{live_server}/embed.js" data-site="demo"' in html
    assert "embed.js" not in site.get("/")

    viewport, user_agent = READERS[reader]
    context = browser.new_context(viewport=viewport, user_agent=user_agent, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    problems = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.goto(post_url)
    tab.wait_for_function("window.admanager && window.admanager.ready")
    tab.evaluate("() => window.admanager.ready")
    cls = tab.evaluate(CLS_SCRIPT)

    # The zone right after the post's title (block theme: the title block's next
    # sibling; classic theme: the first thing of the content under the title), filled.
    after_title = tab.evaluate("""() => {
        const h1 = document.querySelector('h1');
        const next = h1.nextElementSibling
            || document.querySelector('.entry-content').firstElementChild;
        const after = h1.compareDocumentPosition(next) & Node.DOCUMENT_POSITION_FOLLOWING;
        return after && next.getAttribute('data-adm-zone') + '|' + !!next.querySelector('.adm-ad');
    }""")
    # Two inserts, after paragraphs 2 and 6 of the post, with different links.
    inserts = tab.eval_on_selector_all(".entry-content .adm-insert", """els => els.map(e => [
        e.previousElementSibling.textContent.slice(0, 12),
        e.querySelector('a') && e.querySelector('a').href])""")
    # Read to the end, so that what was shown reports itself, then leave the page.
    tab.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_timeout(1500)
    cookies = context.cookies()
    context.close()

    print(f"\nWordPress ({theme}) at {viewport['width']}×{viewport['height']}: "
          f"CLS {cls:.3f}, zone after title {after_title}, inserts {inserts}")
    assert after_title == "votre-pub-ici|true"
    assert [text for text, _link in inserts] == ["Paragraphe 2", "Paragraphe 6"]
    assert inserts[0][1] and inserts[1][1] and inserts[0][1] != inserts[1][1]
    assert round(cls, 3) == 0.0
    assert problems == []
    assert cookies == []

    deadline = time.monotonic() + 10
    while True:
        sums = by_placement(report_rows(viewer_client))
        if [sums.get(slug, [0, 0, 0])[n] for slug, n in (
                ("votre-pub-ici", 1), ("a-lire-aussi", 1), ("colonne", 2))] == [1, 2, 1]:
            break
        assert time.monotonic() < deadline, f"report never showed the page view: {sums}"
        time.sleep(0.3)
    print(f"report (served, rendered, not placed) by zone and insert: {sums}")
    assert sums["votre-pub-ici"] == [1, 1, 0]
    assert sums["a-lire-aussi"] == [2, 2, 0]
    # The sidebar zone has no place in this theme: not placed, never rendered.
    assert sums["colonne"] == [1, 0, 1]
    assert "colonne @ manual" in viewer_client.get("/reports/?period=today").text
    # The post joined the catalogue as WordPress describes it: no site name in the title.
    db.session.rollback()
    found = db.session.scalar(db.select(Article).where(Article.source == "discovered"))
    assert (found.title, found.section, found.tags, found.published_at) == (
        TITLE, "Politique", ["budget", "conseil municipal"], datetime(2026, 11, 29, 8, tzinfo=UTC))
