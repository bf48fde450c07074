"""The embed in a real browser: an article of another origin pastes the snippet.

Inventory comes from the models (tests/factories.py), decisions from the
real ``/serve``, events go to the real ``/e``. Images of our media storage are
answered by a browser route (embed_pages.media), so these tests need no upload.
"""

import json

import pytest

from ad_manager.delivery import markup
from ad_manager.models import Creative
from ad_manager.snippets import content_security_policy, policy_text
from tests.embed_pages import (
    CLS_SCRIPT,
    DESKTOP,
    PAGE_STYLE,
    PHONE,
    article_html,
    media,
    publish,
    rendered,
    snippet,
)
from tests.factories import make_inventory


def open_tab(browser, viewport=DESKTOP):
    """A fresh tab of the given size that keeps page errors and console messages."""
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.errors, tab.messages = [], []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: tab.messages.append((message.type, message.text)))
    tab.route("**/media/*", media)
    return tab


def text_before(tab, selector):
    """Give the text of the element right before each match of ``selector``."""
    return tab.eval_on_selector_all(
        selector, "els => els.map(e => e.previousElementSibling.textContent.slice(0, 14))")


def test_zone_follows_the_headline_and_inserts_follow_paragraphs_2_and_6(
        browser, live_server, pages, world):
    tab = open_tab(browser)
    tab.goto(publish(pages, live_server, world))
    rendered(tab)
    zone = tab.locator("h1 + [data-adm-zone='votre-pub-ici']")
    assert zone.get_attribute("data-adm-kind") == "zone"
    assert zone.get_attribute("data-adm-placement") == str(world["layout"].placements[0].id)
    assert "adm-slot adm-zone" in zone.get_attribute("class")
    assert zone.locator(".adm-label").text_content() == "Publicité"
    image = zone.locator("a > img")
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("728", "90")
    assert zone.locator("a").get_attribute("href").startswith(live_server + "/c/")

    assert text_before(tab, ".adm-insert") == ["Paragraphe 2. ", "Paragraphe 6. "]
    inserts = tab.locator(".adm-insert[data-adm-kind='insert']")
    assert inserts.count() == 2
    assert inserts.nth(0).locator("strong").text_content() == "À lire aussi :"
    titles = [inserts.nth(i).locator("a").text_content() for i in range(2)]
    hrefs = [inserts.nth(i).locator("a").get_attribute("href") for i in range(2)]
    assert titles[0] != titles[1] and titles[0].startswith("Titre politique")
    assert hrefs[0] != hrefs[1] and all(h.startswith(live_server + "/c/") for h in hrefs)
    # The hand-placed column zone has nothing sold and collapses.
    assert not tab.locator("[data-adm-zone='colonne']").is_visible()
    assert tab.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_snippet_parts_make_our_placements_shift_nothing(
        browser, live_server, pages, world, viewport):
    tab = open_tab(browser, viewport)
    tab.goto(publish(pages, live_server, world))
    cls = tab.evaluate(CLS_SCRIPT)
    print(f"\nCLS with head part and placeholders at {viewport}: {cls:.4f}")
    assert tab.locator(".adm-insert a").count() == 2
    expected = ("728", "90") if viewport == DESKTOP else ("320", "100")
    image = tab.locator("[data-adm-zone='votre-pub-ici'] img")
    assert (image.get_attribute("width"), image.get_attribute("height")) == expected
    assert round(cls, 3) == 0.0


# The paint timings and the end of parsing, to tell that the page painted in pieces.
PAINTS = """() => ({
  first: performance.getEntriesByType('paint').map(p => p.startTime)[0],
  parsed: performance.getEntriesByType('navigation')[0].domInteractive})"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_shift_when_the_article_arrives_paragraph_by_paragraph(
        browser, live_server, pages, world, viewport):
    parts = snippet(live_server, world["site"], world["layout"], [world["top"], world["column"]])
    url = pages.add_slow("/slow", article_html(**parts), split="</p>\n", pause=0.15)
    tab = open_tab(browser, viewport)
    tab.goto(url)
    cls = tab.evaluate(CLS_SCRIPT)
    print(f"\nCLS of an article arriving in pieces at {viewport}: {cls:.4f}")
    paints = tab.evaluate(PAINTS)
    assert paints["first"] < paints["parsed"]  # the first paint came before the end
    assert text_before(tab, ".adm-insert") == ["Paragraphe 2. ", "Paragraphe 6. "]
    assert tab.locator(".adm-insert a").count() == 2
    assert round(cls, 3) == 0.0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_script_tag_alone_still_renders_and_its_shift_is_recorded(
        browser, live_server, pages, world, viewport, record_property):
    tab = open_tab(browser, viewport)
    tab.goto(publish(pages, live_server, world, head=False, placeholders=False))
    cls = tab.evaluate(CLS_SCRIPT)
    print(f"\nCLS with the script tag alone at {viewport}: {cls:.4f}")
    record_property("cls_script_tag_alone", round(cls, 4))
    # Without its placeholder, the zone goes where the layout says: before paragraph 1.
    zone = tab.locator(".entry-content > [data-adm-zone='votre-pub-ici']")
    assert zone.locator("img").count() == 1
    assert zone.evaluate("el => el.nextElementSibling.textContent").startswith("Paragraphe 1.")
    assert text_before(tab, ".adm-insert") == ["Paragraphe 2. ", "Paragraphe 6. "]
    # No snippet part brought the boxes' style: the loader linked it from the ads host.
    assert tab.locator("link#adm-style").get_attribute("href") == live_server + "/embed.css"
    assert zone.evaluate("el => getComputedStyle(el).textAlign") == "center"
    assert tab.errors == []


def test_off_screen_insert_is_rendered_at_once_but_viewable_only_after_a_second_in_view(
        browser, live_server, pages, world):
    tab = open_tab(browser)
    answers, events = [], []
    tab.on("response", lambda r: answers.append(r) if "/serve?" in r.url else None)
    tab.on("request", lambda r: events.extend(json.loads(r.post_data)["events"])
           if r.url == live_server + "/e" else None)
    tab.goto(publish(pages, live_server, world))
    rendered(tab)
    answer = answers[0].json()
    top = next(p for p in answer["placements"] if p["kind"] == "zone" and p["ad"])
    last = next(p for p in answer["placements"] if p.get("paragraph") == 6)
    token = last["links"][0]["event"]

    def kinds(t):
        return {e["k"] for e in events if e["t"] == t}

    def until(condition, seconds=8):
        for _ in range(int(seconds * 10)):
            if condition():
                return True
            tab.wait_for_timeout(100)
        return condition()

    # The zone in view becomes viewable; the insert below the fold is only rendered.
    assert until(lambda: kinds(top["ad"]["event"]) == {"rendered", "viewable"})
    assert kinds(token) == {"rendered"}

    tab.locator(".adm-insert").nth(1).scroll_into_view_if_needed()
    tab.wait_for_timeout(500)
    assert kinds(token) == {"rendered"}
    assert until(lambda: kinds(token) == {"rendered", "viewable"})


HIDDEN_TAB = """(() => {
  let hidden = true;
  Object.defineProperty(Document.prototype, 'visibilityState',
                        {get() { return hidden ? 'hidden' : 'visible'; }, configurable: true});
  window.showTab = () => { hidden = false; document.dispatchEvent(new Event('visibilitychange')); };
})();"""


def test_ad_in_view_of_a_hidden_tab_becomes_viewable_only_once_the_tab_shows(
        browser, live_server, pages, world):
    tab = open_tab(browser)
    tab.add_init_script(HIDDEN_TAB)
    events = []
    tab.on("request", lambda r: events.extend(json.loads(r.post_data)["events"])
           if r.url == live_server + "/e" else None)
    tab.goto(publish(pages, live_server, world))
    rendered(tab)
    tab.wait_for_timeout(2500)
    assert {e["k"] for e in events} == {"rendered"}
    tab.evaluate("() => window.showTab()")
    tab.wait_for_timeout(500)
    assert "viewable" not in {e["k"] for e in events}
    for _ in range(40):
        if "viewable" in {e["k"] for e in events}:
            break
        tab.wait_for_timeout(100)
    assert "viewable" in {e["k"] for e in events}


# Keep what the page hands to sendBeacon, in order.
# What the page sends to /e, by the way it goes: fetch while the reader stays, a
# beacon when they leave.
BEACONS = """(() => {
  window.beacons = [];
  window.sent = [];
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, body) => {
    window.beacons.push(JSON.parse(body));
    window.sent.push(JSON.parse(body));
    return beacon(url, body);
  };
  const send = window.fetch.bind(window);
  window.fetch = (url, options) => {
    if (String(url).endsWith('/e')) window.sent.push(JSON.parse(options.body));
    return send(url, options);
  };
})();"""


def test_queued_events_leave_at_once_when_the_reader_leaves_the_page(
        browser, live_server, pages, world):
    tab = open_tab(browser)
    tab.add_init_script(BEACONS)
    tab.clock.install()  # the page's timers run only when the test says so
    tab.goto(publish(pages, live_server, world))
    rendered(tab)
    tab.clock.run_for(100)

    def sent():
        return [e["k"] for batch in tab.evaluate("() => window.sent") for e in batch["events"]]

    assert sent() == ["rendered"] * 3  # one batch: the zone and the two links
    tab.clock.run_for(1100)  # the zone and the first insert, in view for a second: queued
    assert "viewable" not in sent()
    tab.evaluate("() => dispatchEvent(new PageTransitionEvent('pagehide'))")
    assert sent().count("viewable") == 2
    beacons = tab.evaluate("() => window.beacons")
    assert [e["k"] for batch in beacons for e in batch["events"]] == ["viewable"] * 2


def test_page_of_another_origin_reads_the_decision_through_cors(
        browser, live_server, pages, world):
    tab = open_tab(browser)
    answers = []
    tab.on("response", lambda r: answers.append(r) if "/serve?" in r.url else None)
    url = publish(pages, live_server, world)
    assert url.split("/")[2] != live_server.split("/")[2]
    tab.goto(url)
    rendered(tab)
    assert answers[0].headers["access-control-allow-origin"] == pages.url
    assert "set-cookie" not in answers[0].headers
    assert tab.context.cookies(live_server) == []
    assert tab.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1


def our_console_errors(tab):
    """Console errors but the browser's own line for a failed network request."""
    return [text for kind, text in tab.messages
            if kind == "error" and not text.startswith("Failed to load resource")]


@pytest.mark.parametrize("failure", ["refused", "server error", "bad json"])
def test_decision_failure_shows_nothing_moves_no_text_and_throws_no_error(
        browser, live_server, pages, world, failure):
    tab = open_tab(browser)
    if failure == "refused":
        tab.route("**/serve?*", lambda route: route.abort("connectionrefused"))
    elif failure == "server error":
        tab.route("**/serve?*", lambda route: route.fulfill(status=503, body="down"))
    else:
        tab.route("**/serve?*", lambda route: route.fulfill(
            status=200, body="<html>oops", content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"}))
    tab.goto(publish(pages, live_server, world))
    rendered(tab)
    cls = tab.evaluate(CLS_SCRIPT)
    # Boxes in the first screen keep their room, empty; the ones below it are hidden.
    tops = tab.locator(".adm-slot:visible").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().top)")
    assert all(top < DESKTOP["height"] for top in tops)
    assert tab.locator(".adm-slot a, .adm-slot img").count() == 0
    assert round(cls, 3) == 0.0
    assert tab.locator(".entry-content > p:not(.adm-slot)").count() == 7
    assert tab.errors == []
    assert our_console_errors(tab) == []


def test_ad_host_down_leaves_no_box_and_no_error(browser, pages, world, live_server):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    tab = open_tab(browser)
    tab.goto(publish(pages, dead, world))
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(300)
    assert tab.locator(".adm-slot:visible").count() == 0
    assert tab.locator(".entry-content > p").count() == 7
    assert tab.errors == []
    assert our_console_errors(tab) == []


HOSTILE = """<script>
var found = {};
try { found.dom = parent.document.querySelector('h1').textContent; }
catch (e) { found.dom = 'blocked'; }
try { found.cookie = document.cookie; } catch (e) { found.cookie = 'blocked'; }
try { found.top = top.document.cookie; } catch (e) { found.top = 'blocked'; }
try { found.storage = localStorage.length; } catch (e) { found.storage = 'blocked'; }
parent.postMessage(JSON.stringify(found), '*');
</script>"""


def test_hostile_html_creative_cannot_read_the_host_page(browser, live_server, pages, app):
    things = make_inventory(creatives=[
        Creative(kind="html", width=728, height=90, html=HOSTILE, click_url="https://x.example/"),
        Creative(kind="html", width=320, height=100, html=HOSTILE, click_url="https://x.example/"),
    ])
    tab = open_tab(browser)
    url = publish(pages, live_server, things)
    tab.goto(url)
    tab.evaluate("""() => {
      document.cookie = 'secret=host-cookie';
      window.found = [];
      addEventListener('message', e => window.found.push(e.data));
    }""")
    tab.evaluate("() => window.admanager.refresh()")
    tab.wait_for_function("() => window.found.length > 0")
    found = json.loads(tab.evaluate("() => window.found[0]"))
    assert found == {"dom": "blocked", "cookie": "blocked", "top": "blocked",
                     "storage": "blocked"}
    frame = tab.locator("[data-adm-zone='votre-pub-ici'] iframe")
    assert frame.get_attribute("sandbox") == (
        "allow-scripts allow-popups allow-popups-to-escape-sandbox")
    # Framed from our host, in an opaque origin: not a srcdoc sharing the page's.
    assert frame.get_attribute("src").startswith(f"{live_server}/h/")
    assert frame.get_attribute("srcdoc") is None
    # Opened directly, on our host, it still has an opaque origin: no way to our cookies.
    direct = tab.context.new_page()
    direct.goto(frame.get_attribute("src"))
    assert direct.evaluate("() => window.origin") == "null"
    direct.close()
    assert tab.locator("h1").text_content() == "Le budget municipal adopté de justesse"


def test_page_with_the_documented_content_security_policy_shows_no_violation(
        browser, live_server, pages, world):
    parts = snippet(live_server, world["site"], world["layout"], [world["top"], world["column"]])
    generated = {"head": parts["head"], "script": parts["script"],
                 "placeholders": {"votre-pub-ici": parts["top"], "colonne": parts["aside"]}}
    policy = policy_text(content_security_policy(generated, live_server))
    # The test page's own <style> is the publisher's business: allow it by its hash too.
    page_style = markup.csp_hash(PAGE_STYLE)
    policy = policy.replace("style-src 'self'", f"style-src 'self' {page_style}")
    tab = open_tab(browser)
    tab.goto(pages.add("/strict", article_html(**parts),
                       headers={"Content-Security-Policy": policy}))
    cls = tab.evaluate(CLS_SCRIPT)
    assert tab.locator("[data-adm-zone='votre-pub-ici'] img").count() == 1
    assert text_before(tab, ".adm-insert") == ["Paragraphe 2. ", "Paragraphe 6. "]
    assert round(cls, 3) == 0.0
    assert our_console_errors(tab) == [], policy
    assert tab.errors == []


# An HTML creative whose inline script writes into it: proof that its scripts run.
SCRIPTED = """<p id="ad">static</p>
<script>document.getElementById('ad').textContent = 'script ran';</script>"""


def test_html_creative_script_runs_on_a_page_with_the_documented_strict_policy(
        browser, live_server, pages, app):
    things = make_inventory(creatives=[
        Creative(kind="html", width=728, height=90, html=SCRIPTED, click_url="https://x.example/"),
    ])
    site = things["site"]
    parts = snippet(live_server, site, things["layout"], [things["top"], things["column"]])
    generated = {"head": parts["head"], "script": parts["script"],
                 "placeholders": {"votre-pub-ici": parts["top"], "colonne": parts["aside"]}}
    policy = policy_text(content_security_policy(generated, live_server))
    assert "'unsafe-inline'" not in policy
    page_style = markup.csp_hash(PAGE_STYLE)
    policy = policy.replace("style-src 'self'", f"style-src 'self' {page_style}")
    tab = open_tab(browser)
    tab.goto(pages.add("/strict-html", article_html(**parts),
                       headers={"Content-Security-Policy": policy}))
    rendered(tab)
    frame = tab.frame_locator("[data-adm-zone='votre-pub-ici'] iframe")
    frame.locator("#ad").filter(has_text="script ran").wait_for()
    element = tab.locator("[data-adm-zone='votre-pub-ici'] iframe")
    assert (element.get_attribute("width"), element.get_attribute("height")) == ("728", "90")
    assert element.get_attribute("src").startswith(f"{live_server}/h/")
    assert our_console_errors(tab) == [], policy
    assert tab.errors == []
