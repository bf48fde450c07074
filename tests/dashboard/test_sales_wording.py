"""What a salesperson reads: no aria-invalid="None", a readable audit log, feminine
"Toutes", one word for layouts, a getting-started list that fits the role and
goes away, no shell command on the feed import page."""

import re
from datetime import UTC, datetime

from ad_manager.audit import record
from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Placement
from tests.dashboard.conftest import zone_form
from tests.factories import banner_shown, count_events, make_site, make_world


def test_form_fields_say_invalid_only_when_they_are(app, sales_client):
    page = sales_client.get("/zones/new").text
    assert "aria-invalid" not in page
    site = make_site()
    response = sales_client.post("/zones/new", data=zone_form(site, custom_sizes="big"))
    assert response.status_code == 422
    assert re.findall(r'aria-invalid="[^"]*"', response.text) == ['aria-invalid="true"']


def test_audit_log_names_the_user_and_shows_codes_in_words(app, admin_client, staff):
    admin_client.post("/account/", data={"language": "fr"})
    entry = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert (entry.object_type, entry.object_id) == ("user", staff["admin"].id)
    world = make_world()
    record("update", world.campaign, actor=staff["admin"], summary=world.campaign.name,
           changes={"state": ["draft", "active"], "target_sections": [[], ["sport", "culture"]]})
    db.session.add(AuditEntry(actor="old", action="update", object_type="localproxy",
                              object_id=1, summary="x"))
    db.session.commit()
    page = admin_client.get("/audit/").text
    assert "localproxy" not in page and '["draft"' not in page
    assert "Brouillon → Actif" in page and "— → sport, culture" in page


def test_report_filters_agree_in_gender_and_layouts_have_one_name(app, viewer_client):
    page = viewer_client.get("/reports/").text
    for wording in ("Toutes les campagnes", "Toutes les zones", "Tous les encarts",
                    "Tous les gabarits", "Tous les annonceurs"):
        assert wording in page
    assert "Tous</option>" not in page
    from ad_manager.i18n import load_catalogues

    for catalogue in load_catalogues("fr").values():
        for message in catalogue:
            text = message.string if isinstance(message.string, str) else " ".join(message.string)
            assert "mise en page" not in text.lower() and "mises en page" not in text.lower()


def steps_of(client) -> list[str]:
    page = client.get("/").text
    if "getting-started" not in page:
        return []
    section = page.split("getting-started")[1].split("</section>")[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', section)


def test_getting_started_shows_each_role_its_steps_and_goes_away_when_done(app, as_role):
    admin, sales = as_role("admin"), as_role("sales")
    assert "Définissez vos sites." in steps_of(admin)
    sales_steps = steps_of(sales)
    assert "Définissez vos sites." not in sales_steps
    assert "Programmez les campagnes et créations des annonceurs dans les zones." in sales_steps
    assert not any("balise" in step for step in sales_steps)  # pasting the tag: not sales'
    world = make_world()
    world.campaign.zones.append(world.zone)
    db.session.commit()
    assert steps_of(admin)  # nothing counted yet: the tag is not in the pages
    assert steps_of(sales) == []  # but the sales team's own steps are all done
    count_events(world, datetime.now(UTC), [(banner_shown(world), "served")])
    assert db.session.scalar(db.select(Placement.id))
    assert steps_of(admin) == [] and steps_of(sales) == []


def test_feed_import_page_shows_the_shell_command_to_admins_only(app, as_role):
    make_site()
    db.session.commit()
    assert "import-feed" not in as_role("sales").get("/articles/import").text
    assert "import-feed" in as_role("admin").get("/articles/import").text
