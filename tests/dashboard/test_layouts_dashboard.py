"""The layouts area by form posts: layouts, rules, placements in order, validation."""

import pytest

from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Layout, Placement
from tests.dashboard.conftest import YES
from tests.factories import make_demo_site, make_site, make_zone


@pytest.fixture
def site(app):
    return make_demo_site()


def zone_of(site, slug):
    return next(z for z in site.zones if z.slug == slug)


@pytest.fixture
def layout(site, admin_client):
    response = admin_client.post("/layouts/new", data={
        "site_id": site.id, "name": "Article", "slug": "article", "is_default": "y"})
    assert response.status_code == 303
    return db.session.scalar(db.select(Layout).where(Layout.slug == "article"))


HX = {"HX-Request": "true"}


def add(client, layout, **data):
    return client.post(f"/layouts/{layout.id}/placements", data=data, headers=HX)


def test_admin_creates_a_layout_and_lands_on_its_editor(admin_client, site, layout):
    assert layout.is_default and layout.site_id == site.id
    page = admin_client.get(f"/layouts/{layout.id}")
    assert page.status_code == 200
    assert "Titre de l" in page.text or "Headline" in page.text or "Titre" in page.text
    assert "Article" in admin_client.get("/layouts/").text
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "layout"))


def test_bad_selector_and_taken_slug_show_next_to_their_fields(admin_client, site, layout):
    response = admin_client.post("/layouts/new", data={
        "site_id": site.id, "name": "Brève", "slug": "article", "body_selector": "div >"})
    assert response.status_code == 422
    assert "slug" in response.text
    response = admin_client.post("/layouts/new", data={
        "site_id": site.id, "name": "Brève", "slug": "breve", "body_selector": "div >"})
    assert response.status_code == 422
    assert "sélecteur CSS" in response.text
    assert db.session.scalar(db.select(db.func.count(Layout.id))) == 1


def test_editing_the_rule_and_default_flag(admin_client, site, layout):
    response = admin_client.post(f"/layouts/{layout.id}/edit", data={
        "name": "Sport", "slug": "sport", "match_sections": "Sport, rugby",
        "match_url_pattern": "*/sport/*", "rule_order": "3"})
    assert response.status_code == 303
    db.session.refresh(layout)
    assert (layout.slug, layout.is_default, layout.match_sections, layout.rule_order) == (
        "sport", False, ["sport", "rugby"], 3)


def test_placements_are_added_in_order_and_the_editor_fragment_comes_back(
        admin_client, site, layout):
    top = add(admin_client, layout, what=f"zone:{zone_of(site, 'votre-pub-ici').id}",
              where="before_first_paragraph", device="all")
    assert top.status_code == 200
    assert top.text.lstrip().startswith('<div id="editor"')  # a fragment, not a page
    assert "au-dessus de la ligne de flottaison" in top.text or "placeholder" in top.text
    insert = site.inserts[0]
    add(admin_client, layout, what=f"insert:{insert.id}", where="after_paragraph",
        paragraph="2", device="all")
    add(admin_client, layout, what=f"insert:{insert.id}", where="after_paragraph",
        paragraph="6", device="all")
    wheres = [(p.where, p.paragraph) for p in layout.placements]
    assert wheres == [("before_first_paragraph", None), ("after_paragraph", 2),
                      ("after_paragraph", 6)]


def test_move_up_down_within_a_spot_and_remove_by_form_posts(admin_client, site, layout):
    insert = site.inserts[0]
    things = [f"zone:{zone_of(site, 'votre-pub-ici').id}", f"insert:{insert.id}",
              f"zone:{zone_of(site, 'colonne').id}"]
    for what in things:  # three things after paragraph 2
        add(admin_client, layout, what=what, where="after_paragraph", paragraph="2",
            device="all")
    add(admin_client, layout, what=f"insert:{insert.id}", where="after_paragraph",
        paragraph="6", device="all")
    first, second, third, later = layout.placements
    response = admin_client.post(f"/layouts/{layout.id}/placements/{third.id}/move",
                                 data={"step": "up"}, headers=HX)
    assert response.status_code == 200
    db.session.expire_all()
    assert [p.id for p in db.session.get(Layout, layout.id).placements] == [
        first.id, third.id, second.id, later.id]
    # Paragraph 6 is another spot: moving past it would change nothing on the page.
    admin_client.post(f"/layouts/{layout.id}/placements/{second.id}/move",
                      data={"step": "down"}, headers=HX)
    db.session.expire_all()
    assert [p.id for p in db.session.get(Layout, layout.id).placements][-1] == later.id
    response = admin_client.post(f"/layouts/{layout.id}/placements/{first.id}/move",
                                 data={"step": "down"})
    assert response.status_code == 303  # without htmx: back to the editor page
    response = admin_client.post(f"/layouts/{layout.id}/placements/{second.id}/remove",
                                 data=YES, headers=HX)
    assert response.status_code == 200
    db.session.expire_all()
    assert [p.id for p in db.session.get(Layout, layout.id).placements] == [
        third.id, first.id, later.id]
    assert db.session.get(Placement, second.id) is None


def test_the_editor_lists_placements_in_page_order(admin_client, site, layout):
    insert = site.inserts[0]
    add(admin_client, layout, what=f"insert:{insert.id}", where="after_paragraph",
        paragraph="6", device="all")
    add(admin_client, layout, what=f"zone:{zone_of(site, 'colonne').id}", where="after_body",
        device="all")
    add(admin_client, layout, what=f"zone:{zone_of(site, 'votre-pub-ici').id}",
        where="before_first_paragraph", device="all")
    page = admin_client.get(f"/layouts/{layout.id}").text
    listed = page.split('class="placement-list"')[1].split("</ol>")[0]
    order = [listed.index(text) for text in ("Votre Pub Ici", "À lire aussi", "Colonne")]
    assert order == sorted(order), listed


@pytest.mark.parametrize(("data", "message"), [
    ({"where": "after_paragraph", "paragraph": "0"}, "à partir de 1"),
    ({"where": "after_paragraph"}, "numéro du paragraphe"),
    ({"where": "after_selector", "selector": "h2 >"}, "sélecteur CSS"),
    ({"where": "after_selector"}, "sélecteur CSS"),
])
def test_invalid_placement_is_refused_next_to_the_field(admin_client, site, layout, data,
                                                         message):
    response = add(admin_client, layout, what=f"zone:{zone_of(site, 'colonne').id}",
                   device="all", **data)
    assert response.status_code == 422
    assert message in response.text
    assert "has-error" in response.text
    assert layout.placements == []


def test_zone_of_another_site_is_refused(admin_client, site, layout):
    other = make_zone(make_site("autre"), "pave")
    db.session.commit()
    response = add(admin_client, layout, what=f"zone:{other.id}", where="after_body",
                   device="all")
    assert response.status_code == 422
    assert "autre site" in response.text
    assert layout.placements == []


def test_placement_of_another_layout_is_not_found(admin_client, site, layout):
    add(admin_client, layout, what=f"zone:{zone_of(site, 'colonne').id}", where="manual",
        device="all")
    other = admin_client.post("/layouts/new", data={
        "site_id": site.id, "name": "Brève", "slug": "breve"})
    assert other.status_code == 303
    breve = db.session.scalar(db.select(Layout).where(Layout.slug == "breve"))
    placement = layout.placements[0]
    response = admin_client.post(f"/layouts/{breve.id}/placements/{placement.id}/remove", data=YES)
    assert response.status_code == 404


def test_rule_order_moves_from_the_list(admin_client, site):
    for slug, sections in (("sport", "sport"), ("culture", "culture")):
        admin_client.post("/layouts/new", data={"site_id": site.id, "name": slug, "slug": slug,
                                                "match_sections": sections})
    culture = db.session.scalar(db.select(Layout).where(Layout.slug == "culture"))
    sport = db.session.scalar(db.select(Layout).where(Layout.slug == "sport"))
    # Equal numbers: by name, culture comes first; sport moves ahead of it.
    response = admin_client.post(f"/layouts/{sport.id}/rule", data={"step": "up"})
    assert response.status_code == 303
    db.session.expire_all()
    assert sport.rule_order < culture.rule_order


def test_sales_arrange_layouts_viewers_read_and_see_why(sales_client, viewer_client, site,
                                                         layout):
    page = viewer_client.get(f"/layouts/{layout.id}")
    assert page.status_code == 200
    assert "placement-form" not in page.text
    assert "Vous pouvez consulter mais pas modifier" in page.text  # says why
    assert viewer_client.get(f"/layouts/{layout.id}/snippet").status_code == 200
    response = add(viewer_client, layout, what=f"zone:{zone_of(site, 'colonne').id}",
                   where="manual", device="all")
    assert response.status_code == 403
    assert viewer_client.post(f"/layouts/{layout.id}/edit", data={}).status_code == 403

    page = sales_client.get(f"/layouts/{layout.id}").text
    assert "placement-form" in page and "Vous pouvez consulter" not in page
    response = add(sales_client, layout, what=f"zone:{zone_of(site, 'colonne').id}",
                   where="manual", device="all")
    assert response.status_code == 200
    db.session.expire_all()
    assert len(db.session.get(Layout, layout.id).placements) == 1
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.object_type == "placement"))
    assert entry.actor == "sales@example.fr"
    assert sales_client.get("/sites/").status_code == 403  # admins keep sites and users
    assert sales_client.get("/users/").status_code == 403


def test_archived_layout_leaves_the_list(admin_client, site, layout):
    response = admin_client.post(f"/layouts/{layout.id}/archive", data=YES)
    assert response.status_code == 303
    db.session.refresh(layout)
    assert layout.archived and not layout.is_default
    assert admin_client.get(f"/layouts/{layout.id}").status_code == 404


def test_placement_of_an_archived_zone_is_marked_in_the_editor(admin_client, site, layout):
    from ad_manager.models import utcnow

    zone = zone_of(site, "colonne")
    add(admin_client, layout, what=f"zone:{zone.id}", where="manual", device="all")
    zone.archived_at = utcnow()
    db.session.commit()
    page = admin_client.get(f"/layouts/{layout.id}")
    assert 'class="badge archived"' in page.text
