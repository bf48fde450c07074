"""A salesperson builds a layout in the editor: add, reorder, remove (asked first),
without a page reload."""

import pytest
from playwright.sync_api import expect

from ad_manager.extensions import db
from ad_manager.layouts.editing import create_layout
from tests.conftest import browser_sign_in
from tests.factories import make_demo_site, make_site

pytestmark = pytest.mark.browser


@pytest.fixture
def layout(app):
    site = make_demo_site()
    layout = create_layout(site, {"name": "Article", "slug": "article", "is_default": True})
    db.session.commit()
    return layout


def add_placement(page, what: str, where: str, paragraph: str = ""):
    form = page.locator("form.placement-form")
    form.locator("select[name=what]").select_option(label=what)
    form.locator("select[name=where]").select_option(where)
    if where.startswith("after_paragraph"):  # the field shows only for these positions
        form.locator("input[name=paragraph]").fill(paragraph)
    else:
        assert not form.locator("input[name=paragraph]").is_visible()
    form.locator("button[type=submit]").click()


def chips(page) -> list[str]:
    return page.locator(".schematic .adm-chip strong").all_inner_texts()


def test_sales_builds_the_reference_layout_without_reloading(live_server, page, staff, layout):
    browser_sign_in(page, live_server, staff["sales"].email)
    page.goto(f"{live_server}/layouts/{layout.id}")
    page.evaluate("window.stillTheSamePage = true")
    editor = page.locator("#editor")

    add_placement(page, "Votre Pub Ici (votre-pub-ici)", "before_first_paragraph")
    page.wait_for_selector(".placement-list li[data-placement]")
    assert chips(page) == ["Votre Pub Ici"]
    assert editor.locator(".warning").count() == 1  # above the fold: needs a placeholder

    add_placement(page, "À lire aussi (a-lire-aussi)", "after_paragraph", "6")
    expect(page.locator(".placement-list li")).to_have_count(2)
    add_placement(page, "À lire aussi (a-lire-aussi)", "after_paragraph", "2")
    expect(page.locator(".placement-list li")).to_have_count(3)
    # The schematic shows each at its spot: under the headline, after 2, after 6.
    assert chips(page) == ["Votre Pub Ici", "À lire aussi", "À lire aussi"]
    assert page.locator(".s-paragraph[data-paragraph='2'] + .adm-chip").count() == 1

    # A paragraph number is needed: the error shows next to the field, nothing added.
    add_placement(page, "Colonne (colonne)", "after_paragraph", "")
    page.wait_for_selector(".placement-form .has-error .error")
    assert page.locator(".placement-list li").count() == 3

    # Listed in page order: the one added last (after paragraph 2) comes before paragraph 6;
    # alone at their spots, neither moves. Removing the one after paragraph 6 asks first.
    items = page.locator(".placement-list li")
    after_two = items.nth(1).get_attribute("data-placement")
    assert "2" in items.nth(1).inner_text() and "6" in items.nth(2).inner_text()
    assert items.nth(1).locator("button.move-up").is_disabled()
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    items.nth(2).locator("button.remove").click()
    page.wait_for_timeout(300)
    assert questions and "À lire aussi" in questions[0]
    expect(items).to_have_count(3)  # dismissed: nothing removed
    page.once("dialog", lambda dialog: dialog.accept())
    items.nth(2).locator("button.remove").click()
    expect(items).to_have_count(2)
    assert page.locator(".placement-list li").nth(1).get_attribute("data-placement") == after_two

    add_placement(page, "Colonne (colonne)", "manual")
    page.wait_for_selector(".s-aside .adm-chip")
    assert page.evaluate("window.stillTheSamePage") is True  # never reloaded
    page.screenshot(path="/tmp/layout-editor.png", full_page=True)
    assert page.errors == []

    # The live preview carries the new layout: the page's own boxes for both zones.
    page.goto(f"{live_server}/layouts/{layout.id}/preview")
    assert page.locator("h1 + div[data-adm-zone='votre-pub-ici']").count() == 1
    assert page.locator("aside div[data-adm-zone='colonne']").count() == 1
    assert page.locator("script[data-preview='1'][data-layout='article']").count() == 1
    # The real embed fills the unsold zone with the house ad, under the preview's CSP.
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.reload()
    expect(page.locator("[data-adm-zone='votre-pub-ici']")).to_contain_text("Votre Pub ici !")
    page.screenshot(path="/tmp/layout-preview.png")
    assert not [m for m in messages if "Content Security Policy" in m]
    assert page.errors == []


def test_layout_form_shows_errors_then_lands_on_the_editor(live_server, page, staff, app):
    make_site("demo")
    db.session.commit()
    browser_sign_in(page, live_server, staff["admin"].email)
    page.goto(f"{live_server}/layouts/new")
    page.fill("input[name=name]", "Brève")
    page.fill("input[name=slug]", "Mauvais slug")
    page.fill("input[name=body_selector]", ".corps >")
    page.click("form.form button[type=submit]")
    expect(page.locator(".has-error .error")).to_have_text(
        "Utilisez des minuscules, des chiffres et des tirets.")
    page.fill("input[name=slug]", "breve")
    page.fill("input[name=body_selector]", ".corps")
    page.click("form.form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Brève")
    assert "/layouts/" in page.url and page.locator("#editor").count() == 1
    assert page.errors == []
