"""The insert screens: list, form with ordered dated picks, validation, live preview, archive."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from ad_manager.catalog.articles import save_article
from ad_manager.extensions import db
from ad_manager.models import AuditEntry, Insert, utcnow
from tests.dashboard.conftest import YES
from tests.factories import make_journal, make_site


@pytest.fixture
def site(app):
    return make_journal()


@pytest.fixture
def catalogue(site):
    made = {}
    now = utcnow()
    for slug, title, section, tags, days in [
        ("budget", "Le budget voté", "politique", ["budget"], 2),
        ("senat", "Le Sénat se divise", "politique", ["budget", "impots"], 40),
        ("derby", "Le derby gagné", "sport", ["football"], 1),
    ]:
        made[slug], _ = save_article(site, f"https://journal.example/{slug}", title=title,
                                     section=section, tags=tags,
                                     published_at=now - timedelta(days=days))
    db.session.commit()
    return made


def insert_form(site, **fields):
    data = {"site": site.id, "name": "À lire aussi", "slug": "a-lire-aussi",
            "label": "À lire aussi :", "rules-0": "section", "link_count": "1",
            "max_age_days": "", "preview_section": "politique", "preview_tags": ""}
    data.update(fields)
    return data


def test_sales_creates_an_insert_and_it_is_listed(sales_client, site, viewer_client):
    response = sales_client.post("/inserts/new", data=insert_form(site, allow_sponsored="y",
                                                                  max_age_days="30"))
    assert response.status_code == 303
    insert = db.session.scalar(db.select(Insert))
    assert (insert.slug, insert.label, insert.rules, insert.link_count) == (
        "a-lire-aussi", "À lire aussi :", ["section"], 1)
    assert (insert.max_age_days, insert.allow_sponsored) == (30, True)
    assert db.session.scalar(db.select(AuditEntry.action)) == "create"
    listing = viewer_client.get("/inserts/").text
    assert "a-lire-aussi" in listing and "Le Journal" in listing


def test_hand_picked_list_keeps_order_and_dates(sales_client, site, catalogue):
    response = sales_client.post("/inserts/new", data=insert_form(
        site, **{"rules-0": "manual"}, link_count="2", **{
            "picks-0-article": str(catalogue["derby"].id),
            "picks-0-starts_at": "2026-12-01T08:00", "picks-0-ends_at": "2026-12-24T20:00",
            "picks-1-article": "", "picks-2-article": str(catalogue["budget"].id)}))
    assert response.status_code == 303, response.text
    insert = db.session.scalar(db.select(Insert))
    assert [(p.article_id, p.position) for p in insert.picks] == [
        (catalogue["derby"].id, 0), (catalogue["budget"].id, 1)]
    assert insert.picks[0].starts_at == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    assert insert.picks[0].ends_at == datetime(2026, 12, 24, 19, 0, tzinfo=UTC)
    assert insert.picks[1].starts_at is None

    page = sales_client.get(f"/inserts/{insert.id}").text
    assert 'value="2026-12-01T08:00"' in page


def test_editing_replaces_the_picks_and_is_audited(sales_client, site, catalogue):
    sales_client.post("/inserts/new", data=insert_form(
        site, **{"rules-0": "manual"}, **{"picks-0-article": str(catalogue["derby"].id)}))
    insert = db.session.scalar(db.select(Insert))
    response = sales_client.post(f"/inserts/{insert.id}", data=insert_form(
        site, **{"rules-0": "manual"}, label="Lire aussi :", **{
            "picks-0-article": str(catalogue["budget"].id)}))
    assert response.status_code == 303
    db.session.refresh(insert)
    assert [p.article_id for p in insert.picks] == [catalogue["budget"].id]
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.changes["label"] == ["À lire aussi :", "Lire aussi :"]
    assert "picks" in entry.changes


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "Ce champ est requis"),
    ({"slug": "À lire"}, "Minuscules, chiffres et tirets"),
    ({"link_count": "4"}, "entre 1 et 3"),
    ({"link_count": "0"}, "entre 1 et 3"),
    ({"max_age_days": "-2"}, "3650"),
    ({"rules-0": "random"}, "pas un choix valide"),
    ({"rules-0": "manual"}, "Choisissez au moins un article"),
    ({"label": ""}, "Ce champ est requis"),
])
def test_invalid_insert_is_refused_next_to_the_field(sales_client, site, fields, message):
    response = sales_client.post("/inserts/new", data=insert_form(site, **fields))
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(db.select(db.func.count(Insert.id))) == 0


def test_pick_ending_before_it_starts_is_refused(sales_client, site, catalogue):
    response = sales_client.post("/inserts/new", data=insert_form(site, **{"rules-0": "manual"}, **{
        "picks-0-article": str(catalogue["derby"].id),
        "picks-0-starts_at": "2026-12-10T08:00", "picks-0-ends_at": "2026-12-01T08:00"}))
    assert response.status_code == 422
    assert "La fin doit venir après le début" in response.text


def test_pick_of_another_sites_article_is_refused(sales_client, site):
    other = make_site("autre", domains=["autre.example"])
    stranger, _ = save_article(other, "https://autre.example/x", title="Ailleurs")
    db.session.commit()
    response = sales_client.post("/inserts/new", data=insert_form(
        site, **{"rules-0": "manual"}, **{"picks-0-article": str(stranger.id)}))
    assert response.status_code == 422


def test_slug_is_unique_per_site(sales_client, site):
    sales_client.post("/inserts/new", data=insert_form(site))
    response = sales_client.post("/inserts/new", data=insert_form(site, name="Autre"))
    assert response.status_code == 422
    assert "a déjà cet identifiant" in response.text
    assert db.session.scalar(db.select(db.func.count(Insert.id))) == 1


def test_viewer_reads_the_list_but_cannot_edit(viewer_client, site):
    assert viewer_client.get("/inserts/").status_code == 200
    assert viewer_client.post("/inserts/new", data=insert_form(site)).status_code == 403
    assert viewer_client.post("/inserts/preview", data=insert_form(site)).status_code == 403


def test_preview_shows_the_links_the_rules_choose(sales_client, site, catalogue):
    response = sales_client.post("/inserts/preview", data=insert_form(site, link_count="3"),
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert '<p class="adm-insert"><strong>À lire aussi :</strong>' in response.text
    assert "Le budget voté" in response.text and "Le Sénat se divise" in response.text
    assert "Le derby gagné" not in response.text
    assert "conseil municipal" in response.text  # the sample paragraphs around it

    too_old = sales_client.post("/inserts/preview", data=insert_form(
        site, link_count="3", max_age_days="30"))
    assert "Le Sénat se divise" not in too_old.text

    by_tags = sales_client.post("/inserts/preview", data=insert_form(
        site, **{"rules-0": "tags"}, link_count="3", preview_tags="impots, budget"))
    text = by_tags.text
    assert text.index("Le Sénat se divise") < text.index("Le budget voté")


def test_preview_of_a_hand_picked_list_follows_the_rows(sales_client, site, catalogue):
    response = sales_client.post("/inserts/preview", data=insert_form(
        site, **{"rules-0": "manual"}, link_count="2", **{
            "picks-0-article": str(catalogue["derby"].id),
            "picks-1-article": str(catalogue["senat"].id)}))
    text = response.text
    assert text.index("Le derby gagné") < text.index("Le Sénat se divise")


def test_new_insert_form_offers_section_then_tags_then_latest(sales_client, site):
    page = sales_client.get(f"/inserts/new?site={site.id}").text
    chosen = [page.index(f'<option selected value="{rule}">') for rule in
              ("section", "tags", "latest")]
    assert chosen == sorted(chosen)
    assert page.count("<option selected value=\"\">") == 1  # the fourth place stays empty


def test_rule_chain_is_saved_in_order_and_shown_in_the_edit_form(sales_client, site, catalogue):
    response = sales_client.post("/inserts/new", data=insert_form(site, link_count="3", **{
        "rules-0": "manual", "rules-1": "tags", "rules-2": "latest", "rules-3": "",
        "picks-0-article": str(catalogue["derby"].id)}))
    assert response.status_code == 303
    insert = db.session.scalar(db.select(Insert))
    assert insert.rules == ["manual", "tags", "latest"]
    form = sales_client.get(f"/inserts/{insert.id}").text
    places = [form.index(f'<option selected value="{rule}">')
              for rule in ("manual", "tags", "latest")]
    assert places == sorted(places)
    assert "Liste choisie à la main → Le plus de mots-clés en commun avec la page → " \
        "Derniers articles" in sales_client.get("/inserts/").text


@pytest.mark.parametrize("rules", [{"rules-0": "", "rules-1": ""},
                                   {"rules-0": "tags", "rules-1": "tags"}])
def test_rule_chain_refuses_empty_or_repeated_rules(sales_client, site, rules):
    response = sales_client.post("/inserts/new", data=insert_form(site, **rules))
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Insert.id))) == 0


def test_preview_says_which_rule_filled_each_link(sales_client, site, catalogue):
    # A page of a section the catalogue lacks: section gives nothing, tags then latest fill.
    response = sales_client.post("/inserts/preview", data=insert_form(site, link_count="3", **{
        "rules-0": "section", "rules-1": "tags", "rules-2": "latest",
        "preview_section": "international", "preview_tags": "football"}))
    text = response.text
    assert "Aucun article ne répond" not in text
    derby = text.index("Le derby gagné")
    assert text.index("(Le plus de mots-clés en commun avec la page)", derby) < \
        text.index("(Derniers articles)", derby)


def test_preview_says_when_nothing_matches(sales_client, site, catalogue):
    response = sales_client.post("/inserts/preview", data=insert_form(
        site, preview_section="meteo", link_count="abc"))
    assert response.status_code == 200
    assert "Aucun article ne répond à ces règles" in response.text


def test_archive_and_restore(sales_client, site):
    sales_client.post("/inserts/new", data=insert_form(site))
    insert = db.session.scalar(db.select(Insert))
    assert sales_client.post(f"/inserts/{insert.id}/archive", data=YES).status_code == 303
    db.session.refresh(insert)
    assert insert.archived
    assert "a-lire-aussi" not in sales_client.get("/inserts/").text
    assert "a-lire-aussi" in sales_client.get("/inserts/?archived=1").text
    sales_client.post(f"/inserts/{insert.id}/restore")
    db.session.refresh(insert)
    assert not insert.archived


def test_pick_rows_are_added_moved_and_removed_without_saving(sales_client, site, catalogue):
    rows = {"picks-0-article": str(catalogue["derby"].id),
            "picks-0-starts_at": "2026-12-01T08:00",
            "picks-1-article": str(catalogue["budget"].id)}

    def action(name):
        response = sales_client.post("/inserts/picks", data=insert_form(
            site, **{"rules-0": "manual"}, pick_action=name, **rows),
            headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert response.headers["HX-Trigger-After-Settle"] == "picks-changed"
        return response.text

    def order(text):
        return re.findall(r'<option selected value="(\d+)">', text)

    moved = action("up-1")
    assert order(moved) == [str(catalogue["budget"].id), str(catalogue["derby"].id)]
    assert 'name="picks-1-starts_at" type="datetime-local" value="2026-12-01T08:00"' in moved
    assert order(action("down-0")) == order(moved)
    assert order(action("remove-0")) == [str(catalogue["budget"].id)]
    assert action("add").count('name="picks-2-article"') == 1
    assert order(action("up-7")) == [str(catalogue["derby"].id), str(catalogue["budget"].id)]
    assert db.session.scalar(db.select(db.func.count(Insert.id))) == 0


def test_pick_of_an_article_hidden_since_stays_in_its_row(sales_client, site, catalogue):
    sales_client.post("/inserts/new", data=insert_form(
        site, **{"rules-0": "manual"}, **{"picks-0-article": str(catalogue["derby"].id)}))
    insert = db.session.scalar(db.select(Insert))
    catalogue["derby"].status = "hidden"
    db.session.commit()

    page = sales_client.get(f"/inserts/{insert.id}").text

    assert f'<option selected value="{catalogue["derby"].id}">Le derby gagné (Masqué)' in page
    response = sales_client.post(f"/inserts/{insert.id}", data=insert_form(
        site, **{"rules-0": "manual"}, **{"picks-0-article": str(catalogue["derby"].id)}))
    assert response.status_code == 303
    db.session.refresh(insert)
    assert [p.article_id for p in insert.picks] == [catalogue["derby"].id]
