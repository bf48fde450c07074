"""axe-core on every main screen of the dashboard, in French and English, at desktop
and phone widths: no serious or critical issue, and nothing wider than a phone."""

import pytest

from ad_manager.demo import load_demo
from ad_manager.extensions import db
from ad_manager.models import Advertiser, Campaign, Insert, Layout, Site, Zone
from tests.browser.accessibility import audit, describe, screenshot
from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app, staff):
    load_demo()
    db.session.commit()
    first = {model.__name__.lower(): db.session.scalars(db.select(model)).first().id
             for model in (Site, Zone, Advertiser, Campaign, Insert, Layout)}
    return first


def screens(ids: dict) -> list[tuple[str, str]]:
    """The main screens, by name: what sales and admins open in a week."""
    return [
        ("home", "/"),
        ("campaigns", "/campaigns/"),
        ("campaign", f"/campaigns/{ids['campaign']}"),
        ("campaign-form", f"/campaigns/{ids['campaign']}/edit"),
        ("confirm-archive", f"/campaigns/{ids['campaign']}/remove"),
        ("creative-form", f"/creatives/new/{ids['campaign']}/image"),
        ("zones", "/zones/"),
        ("zone", f"/zones/{ids['zone']}"),
        ("zone-form", "/zones/new"),
        ("advertisers", "/advertisers/"),
        ("inserts", "/inserts/"),
        ("insert-form", f"/inserts/{ids['insert']}"),
        ("articles", "/articles/"),
        ("article-import", "/articles/import"),
        ("layouts", "/layouts/"),
        ("layout-editor", f"/layouts/{ids['layout']}"),
        ("layout-snippet", f"/layouts/{ids['layout']}/snippet"),
        ("reports", "/reports/?group=hour&period=today"),
        ("campaign-report", f"/reports/campaign/{ids['campaign']}"),
        ("sites", "/sites/"),
        ("users", "/users/"),
        ("audit", "/audit/"),
        ("account", "/account/"),
    ]


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_every_main_screen_passes_axe_and_fits_a_phone(browser, live_server, staff, demo,
                                                       locale):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_sign_in(page, live_server, staff["admin"].email)
    problems, too_wide = {}, {}
    language = locale[:2]
    for name, path in screens(demo):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
            response = page.goto(live_server + path)
            assert response.status == 200, (path, response.status)
            assert page.get_attribute("html", "lang") == language
            found = audit(page)
            if found:
                problems[f"{name}@{width}"] = describe(found)
            if width == 390:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > 390:
                    too_wide[name] = scroll
            screenshot(page, f"{language}-{name}-{width}")
    context.close()
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
    assert not too_wide, too_wide
    assert errors == []
