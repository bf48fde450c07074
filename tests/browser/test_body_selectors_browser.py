"""The default body selectors find the article body of common CMS markup, in Chromium.

The pages under tests/pages/ are shaped like WordPress (classic and block themes),
Ghost, Drupal, schema.org microdata and a plain <article>; each marks the element
that must be found and how many of its paragraphs count (the rule in docs/architecture.md).
"""

from pathlib import Path

import pytest

from ad_manager.delivery.layouts import DEFAULT_BODY_SELECTORS

PAGES = sorted((Path(__file__).parent.parent / "pages").glob("*.html"))

# The same search and count the loader does: first selector of the list that finds
# an element; <p> with text, at any depth, outside quotes, figures, tables, lists…
FIND_BODY = """(selectors) => {
  let body = null;
  for (const selector of selectors) { body = document.querySelector(selector); if (body) break; }
  if (!body) return null;
  const excluded = 'blockquote,figure,table,li,aside,header,footer,nav,.adm-slot';
  const counted = [...body.querySelectorAll('p')].filter((p) => {
    const outer = p.parentElement && p.parentElement.closest(excluded);
    return p.textContent.trim() !== '' && !(outer && body.contains(outer));
  });
  return {marked: body.hasAttribute('data-test-body'),
          expected: Number(body.getAttribute('data-test-paragraphs')),
          counted: counted.length};
}"""


def test_there_is_a_page_for_each_cms():
    names = {page.stem for page in PAGES}
    assert names == {"wordpress-classic", "wordpress-block", "ghost", "drupal", "schema-org",
                     "plain-article"}


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_default_selectors_find_the_body_and_its_paragraphs(page, path):
    page.set_content(path.read_text(encoding="utf-8"))
    found = page.evaluate(FIND_BODY, DEFAULT_BODY_SELECTORS)
    assert found is not None, path.name
    assert found["marked"], f"{path.name}: the default list found the wrong element"
    assert found["counted"] == found["expected"], path.name
