"""What the loader reads of real CMS pages: title, section, tags, date, canonical URL.

Each page of tests/cms_pages (WordPress block and classic themes saved from a real
install, with and without Yoast's JSON-LD, Ghost's Casper, Drupal's Olivero with and
without Metatag) is opened in Chromium at its own address, and the loader's own
page-reading modules (static/embed-src/describe.js, which the head part hands to
the loader, and facts.js, built into embed.js) read it. No page carries a hint for
us: only what the CMS prints.
"""

import json
from pathlib import Path

import pytest

from ad_manager.embed_build import SOURCE

pytestmark = pytest.mark.browser

PAGES = Path(__file__).resolve().parents[1] / "cms_pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
# The script tag of a page that says nothing itself (no data-section, no data-tags).
# The head part hands the loader its page reading as admanager.describe (head.js).
READ = """async (withHead) => {
  if (withHead) window.admanager = {describe: (await import('/adm-src/describe.js')).describe};
  const facts = await import('/adm-src/facts.js');
  const tag = document.createElement('script');
  tag.setAttribute('data-site', 'journal');
  return facts.pageFacts(tag);
}"""


def serve(tab, name: str) -> None:
    """Answer the page's address with the fixture, our module from the repository, and
    nothing for the CMS's own assets (stylesheets, scripts, fonts)."""

    def answer(route):
        path = route.request.url.split("/", 3)[3].split("?")[0]
        if path.startswith("adm-src/"):
            route.fulfill(body=(SOURCE / path.removeprefix("adm-src/")).read_bytes(),
                          content_type="text/javascript")
        elif route.request.resource_type == "document":
            route.fulfill(body=(PAGES / name).read_bytes(), content_type="text/html")
        else:
            route.fulfill(status=404, body="")

    tab.route("https://www.journal.example/**", answer)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loader_reads_the_page_as_its_cms_wrote_it(browser, name):
    expected = EXPECTED[name]
    context = browser.new_context()
    tab = context.new_page()
    serve(tab, name)
    tab.goto(expected["url"])
    facts = tab.evaluate(READ, True)
    context.close()
    assert facts["title"] == expected["title"]
    assert facts["section"] == expected["section"]
    assert facts["tags"] == ",".join(expected["tags"])
    assert facts["published"] == expected["published"]
    assert facts["url"] == expected["url"]
    assert "Le Journal du Test" not in facts["title"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loader_alone_never_sends_the_site_name_as_title(browser, name):
    """A page with the script tag alone (no head part): the <h1>, never the <title>."""
    context = browser.new_context()
    tab = context.new_page()
    serve(tab, name)
    tab.goto(EXPECTED[name]["url"])
    facts = tab.evaluate(READ, False)
    context.close()
    assert facts["title"] == EXPECTED[name]["title"]
    assert facts["url"] == EXPECTED[name]["url"]
