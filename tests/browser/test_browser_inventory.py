"""A sales person books a client through the real pages in Chromium."""

import pytest

from tests.conftest import browser_sign_in, wait_for_htmx
from tests.factories import make_site, make_zone, png_bytes

pytestmark = pytest.mark.browser


def test_sales_creates_advertiser_campaign_and_image_creative_and_sees_its_preview(
        app, live_server, page, staff):
    make_zone(make_site())
    browser_sign_in(page, live_server, staff["sales"].email)

    page.click("nav.mainnav a:has-text('Annonceurs')")
    page.click("text=Nouvel annonceur")
    page.fill("input[name=name]", "Librairie du Centre")
    page.fill("input[name=contact_name]", "Claire Dubois")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("h1:has-text('Librairie du Centre')")

    page.click("text=Nouvelle campagne")
    page.fill("input[name=name]", "Un livre pour Noël")
    page.fill("input[name=starts_at]", "2026-12-24T00:00")
    page.fill("input[name=ends_at]", "2026-12-01T00:00")
    page.click("button:has-text('Enregistrer')")  # refused, shown next to the field
    page.wait_for_selector(".has-error:has-text('La fin doit venir après le début')")
    page.fill("input[name=starts_at]", "2026-12-01T00:00")
    page.fill("input[name=ends_at]", "2026-12-24T23:59")
    page.check("label:has-text('Votre Pub Ici')")
    page.select_option("select[name=state]", "active")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("h1:has-text('Un livre pour Noël')")
    assert "Votre Pub Ici" in page.inner_text("section.card:has-text('Zones')")

    page.click("text=Nouvelle image")
    page.set_input_files("input[name=image]", files=[{
        "name": "banniere.png", "mimeType": "image/png", "buffer": png_bytes(728, 90)}])
    page.fill("input[name=alt_text]", "Un livre pour Noël à la Librairie du Centre")
    page.fill("input[name=click_url]", "https://librairie.example.org/noel")
    page.click("button:has-text('Enregistrer')")
    preview = page.locator(".creative-preview img")
    preview.wait_for()
    assert preview.get_attribute("src").startswith("/media/")
    # The image really loads, at its real size.
    # (polled from Python: the dashboard's CSP forbids the eval a string predicate needs)
    for _ in range(50):
        if preview.evaluate("img => img.complete && img.naturalWidth") > 0:
            break
        page.wait_for_timeout(100)
    assert preview.evaluate("img => img.naturalWidth") == 728
    box = preview.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (728, 90)

    page.click("nav.mainnav a:has-text('Campagnes')")
    row = page.locator("tr:has-text('Un livre pour Noël')")
    assert "Librairie du Centre" in row.inner_text()
    # Active search narrows the list in place and keeps the query in the address.
    wait_for_htmx(page, "#q")
    page.fill("#q", "introuvable")
    page.wait_for_url("**/campaigns/?q=introuvable*")
    page.wait_for_selector("td:has-text('Aucune campagne ne correspond.')")
    page.fill("#q", "livre")
    page.wait_for_selector("tr:has-text('Un livre pour Noël')")
    assert page.errors == []
