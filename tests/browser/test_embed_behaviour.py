"""How the embed behaves on a page: consent and frequency caps, several tags, refresh()."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from ad_manager.delivery import markup
from ad_manager.extensions import db
from ad_manager.models import HourlyStat
from tests.embed_pages import article_html, media, rendered, snippet
from tests.factories import (
    make_inventory,
)

# A TCF v2 CMP stub answering addEventListener at once, with purpose 1 given or not.
CMP = """window.__tcfapi = function (command, version, callback) {
  if (command === 'addEventListener') {
    setTimeout(function () {
      callback({eventStatus: 'tcloaded', gdprApplies: true, listenerId: 7,
                purpose: {consents: {1: %s}}}, true);
    }, 50);
  }
};"""
# A CMP that never answers: the loader waits at most half a second.
SILENT_CMP = "window.__tcfapi = function () {};"


@pytest.fixture
def capped(app):
    """The reference inventory whose only campaign shows once a day to each reader."""
    return make_inventory(freq_cap_count=1, freq_cap_hours=24)


def serve_requests(page):
    """Keep the query of every decision request the page makes."""
    queries = []
    page.on("request", lambda r: queries.append(parse_qs(urlsplit(r.url).query))
            if "/serve?" in r.url else None)
    return queries


def open_article(page, pages, live_server, world, *, cmp=None, html=None):
    page.route("**/media/*", media)
    if cmp:
        page.add_init_script(cmp)
    parts = snippet(live_server, world["site"], world["layout"], [world["top"], world["column"]])
    page.goto(pages.add("/article", html or article_html(**parts)))
    rendered(page)


def storage(page) -> dict:
    return page.evaluate("() => Object.assign({}, localStorage)")


def top_ad(page) -> str:
    zone = page.locator("[data-adm-zone='votre-pub-ici']")
    return "image" if zone.locator("img").count() else zone.locator(".adm-text").text_content()


def test_without_a_cmp_nothing_is_kept_on_the_readers_device(page, pages, live_server, capped):
    queries = serve_requests(page)
    open_article(page, pages, live_server, capped)
    assert top_ad(page) == "image"
    assert storage(page) == {}
    assert "fc" not in queries[0]
    assert page.context.cookies() == []


def test_with_purpose_1_consent_a_frequency_cap_is_remembered_and_sent(
        page, pages, live_server, capped):
    queries = serve_requests(page)
    open_article(page, pages, live_server, capped, cmp=CMP % "true")
    assert top_ad(page) == "image"
    memory = json.loads(storage(page)["admanager-fc"])
    assert list(memory) == [str(capped["campaign"].id)]

    page.evaluate("() => window.admanager.refresh()")
    sent = json.loads(queries[1]["fc"][0])
    assert list(sent) == [str(capped["campaign"].id)]
    # Capped for this reader now: the zone shows the house ad.
    assert top_ad(page) == "Votre Pub ici !"
    assert page.errors == []


@pytest.mark.parametrize("cmp", [CMP % "false", SILENT_CMP], ids=["refused", "silent"])
def test_without_purpose_1_consent_ads_are_contextual_and_nothing_is_kept(
        page, pages, live_server, capped, cmp):
    queries = serve_requests(page)
    open_article(page, pages, live_server, capped, cmp=cmp)
    assert top_ad(page) == "image"
    assert storage(page) == {}
    assert "fc" not in queries[0]


def test_several_tags_on_one_page_fetch_once(page, pages, live_server, capped):
    queries = serve_requests(page)
    parts = snippet(live_server, capped["site"], capped["layout"], [capped["top"]])
    parts["script"] = parts["script"] * 2
    open_article(page, pages, live_server, capped, html=article_html(**parts))
    page.wait_for_timeout(300)
    assert len(queries) == 1
    assert page.locator(".adm-insert").count() == 2
    assert page.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1
    assert page.evaluate("() => Object.keys(window).filter(k => k.startsWith('adm'))") == [
        "admanager"]


def test_refresh_renders_the_next_page_of_a_single_page_site(page, pages, live_server, capped):
    queries = serve_requests(page)
    open_article(page, pages, live_server, capped)
    assert page.locator(".adm-insert").count() == 2
    # The site swaps in another article of three paragraphs, as a single-page app does.
    page.evaluate("""() => {
      document.querySelector('link[rel=canonical]').href = 'https://www.journal.example/sport/1';
      document.querySelector('.entry-content').innerHTML =
        '<p>Paragraphe un.</p><p>Paragraphe deux.</p><p>Paragraphe trois.</p>';
      return window.admanager.refresh();
    }""")
    assert len(queries) == 2
    assert queries[1]["url"] == ["https://www.journal.example/sport/1"]
    assert page.locator(".adm-insert").count() == 1
    assert page.eval_on_selector(
        ".adm-insert", "el => el.previousElementSibling.textContent") == "Paragraphe deux."
    # The zone and one insert show something (an empty box in view keeps its room).
    assert page.locator("[data-adm-placement]:has(a, img)").count() == 2
    assert page.errors == []


def test_placeholder_of_a_zone_the_layout_does_not_place_collapses(
        page, pages, live_server, capped):
    parts = snippet(live_server, capped["site"], capped["layout"], [capped["top"]])
    parts["aside"] = markup.placeholder({"slug": "ailleurs", "label": "Publicité",
                                         "size_map": [{"min_width": 0, "sizes": ["300x250"]}]})
    open_article(page, pages, live_server, capped, html=article_html(**parts))
    assert not page.locator("[data-adm-zone='ailleurs']").is_visible()
    assert page.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1


def test_invalid_body_selector_throws_nothing_and_placeholders_still_fill(
        page, pages, live_server, capped):
    capped["layout"].body_selector = "p[[["
    db.session.commit()
    open_article(page, pages, live_server, capped)
    assert page.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1
    assert page.locator(".adm-insert").count() == 0
    assert page.errors == []


def test_unruly_page_metadata_is_cut_to_what_the_decision_takes(
        page, pages, live_server, capped):
    queries = serve_requests(page)
    parts = snippet(live_server, capped["site"], capped["layout"], [capped["top"]])
    html = article_html(**parts).replace(
        '<meta property="article:section" content="politique">',
        '<meta property="article:section" content="politique">'
        + "".join(f'<meta property="article:tag" content="tag {n}">' for n in range(30))
        + '<meta property="og:title" content="Un titre\nsur deux lignes ' + "très " * 100 + '">',
    ).replace('<meta property="og:title" content="Le budget', '<meta name="x" content="')
    open_article(page, pages, live_server, capped, html=html)
    assert len(queries[0]["title"][0]) <= 300 and "\n" not in queries[0]["title"][0]
    assert len(queries[0]["tags"][0].split(",")) == 20
    assert page.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1
    assert page.errors == []


def test_preview_tag_asks_for_a_preview_and_nothing_is_counted(page, pages, live_server, capped):
    queries = serve_requests(page)
    parts = snippet(live_server, capped["site"], capped["layout"], [capped["top"]])
    parts["script"] = markup.script_tag(live_server, "journal", "article", preview=True)
    page.set_extra_http_headers({"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0"})
    open_article(page, pages, live_server, capped, html=article_html(**parts))
    page.wait_for_timeout(1500)
    assert queries[0]["preview"] == ["1"]
    assert page.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HourlyStat)) == 0


def test_quick_successive_refreshes_render_the_last_page_once(page, pages, live_server, capped):
    queries = serve_requests(page)
    open_article(page, pages, live_server, capped)
    page.evaluate("""() => Promise.all([window.admanager.refresh(),
                                        window.admanager.refresh(),
                                        window.admanager.refresh()])""")
    assert len(queries) == 4
    assert page.locator(".adm-insert").count() == 2
    assert page.locator("[data-adm-zone='votre-pub-ici'] .adm-ad").count() == 1
    assert page.errors == []


def test_long_cap_memory_keeps_the_request_line_within_gunicorns_limit(
        page, pages, live_server, capped):
    """A reader who saw many capped campaigns still gets ads: gunicorn refuses lines > 4094."""
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/serve?" in r.url else None)
    campaign = str(capped["campaign"].id)
    now = int(time.time())
    memory = {str(1000 + n): [now - 60 * k for k in range(50)] for n in range(40)}
    memory[campaign] = [now - 60]
    page.add_init_script(
        "localStorage.setItem('admanager-fc', " + json.dumps(json.dumps(memory)) + ");")
    open_article(page, pages, live_server, capped, cmp=CMP % "true")
    line = len("GET " + urlsplit(requests[0]).path + "?" + urlsplit(requests[0]).query
               + " HTTP/1.1")
    assert line < 4094
    sent = json.loads(parse_qs(urlsplit(requests[0]).query)["fc"][0])
    assert sent[campaign] == [now - 60]
    # Still capped for this reader: the zone shows the house ad, not the campaign.
    assert top_ad(page) == "Votre Pub ici !"
    assert page.errors == []


SECOND_URL = "https://www.journal.example/politique/second"


def test_refresh_with_a_body_fills_an_appended_article_and_leaves_the_first_alone(
        page, pages, live_server, capped):
    """Infinite scroll: the second article is a page view of its own, inside its element."""
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    queries = serve_requests(page)
    open_article(page, pages, live_server, capped)
    first = "document.querySelector('article')"
    page.evaluate(f"() => window.before = Array.from({first}.querySelectorAll('.adm-slot'))")
    before_text = page.eval_on_selector("article", "a => a.innerText")
    placeholder = markup.placeholder(capped["top"])
    body = "".join(f"<p>Suite {n}. Un paragraphe du second article.</p>" for n in range(1, 8))
    page.evaluate("""([placeholder, body, url]) => {
      const next = document.createElement('article');
      next.dataset.admUrl = url;
      next.dataset.admTitle = 'Le second article';
      next.innerHTML = '<h1>Second</h1>' + placeholder
        + '<div class="entry-content">' + body + '</div>';
      document.querySelector('article').after(next);
      return window.admanager.refresh({body: next});
    }""", [placeholder, body, SECOND_URL])

    assert len(queries) == 2
    assert queries[1]["url"] == [SECOND_URL]
    assert queries[1]["title"] == ["Le second article"]
    second = page.locator("article").nth(1)
    assert second.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1
    assert second.locator(".adm-insert").evaluate_all(
        "els => els.map(e => e.previousElementSibling.textContent.slice(0, 7))") == [
        "Suite 2", "Suite 6"]
    # One campaign per page view: the second page view may show the first one's campaign.
    assert page.locator("[data-adm-zone='votre-pub-ici'] img").count() == 2
    # The first article keeps the very same boxes, content and text.
    assert page.evaluate(f"""() => {{
      const now = Array.from({first}.querySelectorAll('.adm-slot'));
      return now.length === window.before.length && now.every((el, i) => el === window.before[i]);
    }}""")
    assert page.eval_on_selector("article", "a => a.innerText") == before_text
    assert page.locator("article").first.locator(".adm-insert").count() == 2
    assert page.errors == []
    assert console == []


def test_refresh_with_a_body_takes_url_and_title_from_its_options(
        page, pages, live_server, capped):
    queries = serve_requests(page)
    open_article(page, pages, live_server, capped)
    page.evaluate("""(url) => {
      const next = document.createElement('div');
      next.innerHTML = '<h2>Titre du fil</h2><p>Un.</p><p>Deux.</p><p>Trois.</p>';
      document.body.append(next);
      return window.admanager.refresh({body: next, url: url, section: 'Politique'});
    }""", SECOND_URL)
    assert queries[1]["url"] == [SECOND_URL]
    assert queries[1]["title"] == ["Titre du fil"]
    assert queries[1]["section"] == ["Politique"]
    # No body selector matches inside it: the element itself is the body.
    assert page.locator("body > div > .adm-insert").count() == 1
    assert page.locator("body > div > [data-adm-zone='votre-pub-ici'] img").count() == 1
    assert page.locator("article .adm-insert").count() == 2
    assert page.errors == []
