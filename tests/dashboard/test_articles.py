"""The article catalogue screens: list, search and filters, add/edit, hide/show, feed import."""

from datetime import UTC, datetime

import pytest

from ad_manager.catalog.articles import save_article
from ad_manager.extensions import db
from ad_manager.models import Article, AuditEntry
from tests.conftest import FEEDS, UNREACHABLE, allow_fetching
from tests.factories import make_journal


@pytest.fixture
def site(app):
    return make_journal("127.0.0.1")


@pytest.fixture
def catalogue(site):
    made = {}
    for slug, title, section, tags, day in [
        ("budget", "Le budget voté", "politique", ["budget", "mairie"], 20),
        ("derby", "Le derby gagné", "sport", ["football"], 21),
        ("expo", "Une exposition au musée", "culture", ["musée", "peinture"], 22),
    ]:
        made[slug], _ = save_article(
            site, f"https://journal.example/{slug}", title=title, section=section, tags=tags,
            published_at=datetime(2026, 11, day, 8, 0, tzinfo=UTC))
    db.session.commit()
    return made


def article_form(**fields):
    data = {"url": "https://journal.example/nouveau", "title": "Un nouvel article",
            "section": "economie", "tags": "emploi, industrie", "published_at": "2026-11-24T09:30",
            "image_url": "", "status": "listed"}
    data.update(fields)
    return data


def test_viewer_reads_the_catalogue_newest_first(viewer_client, catalogue):
    page = viewer_client.get("/articles/").text
    assert page.index("Une exposition au musée") < page.index("Le derby gagné") < page.index(
        "Le budget voté")
    assert "/articles/new" not in page


def test_search_and_filters_narrow_the_list(viewer_client, catalogue, site):
    def titles(**params):
        text = viewer_client.get("/articles/", query_string={"site": site.id, **params},
                                 headers={"HX-Request": "true"}).text
        return {a.title for a in catalogue.values() if a.title in text}

    assert titles(q="derby") == {"Le derby gagné"}
    assert titles(q="journal.example/expo") == {"Une exposition au musée"}
    assert titles(section="politique") == {"Le budget voté"}
    assert titles(tag="musée") == {"Une exposition au musée"}
    assert titles(tag="mus") == set()


def test_htmx_search_returns_only_the_results(viewer_client, catalogue):
    response = viewer_client.get("/articles/?q=derby", headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "Le derby gagné" in response.text


def test_catalogue_is_paginated(viewer_client, site):
    for number in range(30):
        save_article(site, f"https://journal.example/a{number}", title=f"Article numéro {number}")
    db.session.commit()
    first = viewer_client.get("/articles/").text
    second = viewer_client.get("/articles/?page=2").text
    assert "30 articles" in first
    assert "Page 1 sur 2" in first
    assert first.count("Article numéro") == 25 and second.count("Article numéro") == 5


def test_sales_adds_an_article_and_it_is_audited(sales_client, site):
    response = sales_client.post("/articles/new", data=article_form(site=site.id))
    assert response.status_code == 303
    article = db.session.scalar(db.select(Article))
    assert (article.title, article.section, article.tags) == (
        "Un nouvel article", "economie", ["emploi", "industrie"])
    assert article.published_at == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # typed in Paris
    assert article.source == "manual"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "article"))
    assert entry.action == "create"


@pytest.mark.parametrize("fields, message", [
    ({"url": "pas une adresse"}, "adresse complète"),
    ({"url": "ftp://journal.example/x"}, "adresse complète"),
    ({"title": ""}, "Ce champ est requis"),
    ({"published_at": "demain"}, "date"),
])
def test_invalid_article_is_refused_next_to_the_field(sales_client, site, fields, message):
    response = sales_client.post("/articles/new", data=article_form(site=site.id, **fields))
    assert response.status_code == 422
    assert message in response.text, response.text[response.text.find("<form"):]
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_same_address_twice_is_refused(sales_client, catalogue, site):
    response = sales_client.post("/articles/new", data=article_form(
        site=site.id, url="https://journal.example/budget#haut"))
    assert response.status_code == 422
    assert "déjà un article à cette adresse" in response.text


def test_edit_form_shows_tags_as_text_and_the_local_time(sales_client, catalogue):
    page = sales_client.get(f"/articles/{catalogue['budget'].id}").text
    assert 'value="budget, mairie"' in page
    assert 'value="2026-11-20T09:00"' in page  # 08:00 UTC is 09:00 in Paris


def test_sales_edits_an_article(sales_client, catalogue):
    budget = catalogue["budget"]
    response = sales_client.post(f"/articles/{budget.id}", data=article_form(
        url=budget.url, title="Le budget enfin voté", section="politique", tags="budget"))
    assert response.status_code == 303
    db.session.refresh(budget)
    assert (budget.title, budget.tags) == ("Le budget enfin voté", ["budget"])
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.changes["title"] == ["Le budget voté", "Le budget enfin voté"]


def test_hide_and_show_swap_the_row(sales_client, catalogue):
    derby = catalogue["derby"]
    response = sales_client.post(f"/articles/{derby.id}/visibility", data={"status": "hidden"},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="article-{derby.id}"')
    assert "Afficher" in response.text
    db.session.refresh(derby)
    assert derby.status == "hidden"
    response = sales_client.post(f"/articles/{derby.id}/visibility", data={"status": "listed"})
    assert response.status_code == 303
    db.session.refresh(derby)
    assert derby.status == "listed"
    assert sales_client.post(f"/articles/{derby.id}/visibility",
                             data={"status": "gone"}).status_code == 400


def test_viewer_cannot_change_the_catalogue(viewer_client, catalogue, site):
    derby = catalogue["derby"]
    assert viewer_client.post(f"/articles/{derby.id}/visibility",
                              data={"status": "hidden"}).status_code == 403
    assert viewer_client.post("/articles/new", data=article_form(site=site.id)).status_code == 403
    assert viewer_client.post("/articles/import", data={"site": site.id}).status_code == 403


def test_feed_answering_an_error_is_reported(sales_client, site, feed_url):
    response = sales_client.post("/articles/import", data={"site": site.id,
                                                           "url": feed_url("absent.xml")})
    assert response.status_code == 422
    assert "HTTP 404" in response.text


def test_feed_import_refuses_files_from_the_dashboard(sales_client, site):
    response = sales_client.post("/articles/import", data={
        "site": site.id, "url": (FEEDS / "rss.xml").as_uri()})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_feed_import_counts_and_remembers_the_feed(sales_client, site, feed_url):
    response = sales_client.post("/articles/import", data={
        "site": site.id, "url": feed_url("rss.xml"), "remember": "y"})
    assert response.status_code == 200, response.text
    assert 'data-count="created">2<' in response.text
    assert 'data-count="skipped">1<' in response.text
    db.session.refresh(site)
    assert site.feed_url == feed_url("rss.xml")
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 2
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "import"))
    assert "2" in entry.summary

    again = sales_client.post("/articles/import", data={"site": site.id,
                                                        "url": feed_url("rss-updated.xml")})
    assert 'data-count="created">1<' in again.text
    assert 'data-count="updated">1<' in again.text


def test_unreachable_feed_is_reported_next_to_the_address(app, sales_client, site, closed_port):
    url = allow_fetching(app, f"http://127.0.0.1:{closed_port}") + "/feed.xml"
    response = sales_client.post("/articles/import", data={"site": site.id, "url": url})
    assert response.status_code == 422
    assert UNREACHABLE in response.text
    db.session.refresh(site)
    assert site.feed_url == ""


def test_a_feed_redirecting_into_our_network_is_refused_like_a_closed_port(
        app, sales_client, site, redirector, closed_port):
    """The site's own host (127.0.0.1 here) gets no exemption: nothing on this machine but
    the test servers may be fetched, and the refusal reads like a closed port."""
    closed = allow_fetching(app, f"http://127.0.0.1:{closed_port}") + "/feed.xml"
    answers = [sales_client.post("/articles/import", data={"site": site.id, "url": url,
                                                           "remember": "y"})
               for url in (redirector, closed, "http://127.0.0.1:5432/",
                           feed_url_on_localhost(redirector))]
    assert [answer.status_code for answer in answers] == [422] * 4
    errors = [answer.text.split('<small class="error" role="alert">')[1].split("</small>")[0]
              for answer in answers]
    assert len(set(errors)) == 1 and UNREACHABLE in errors[0]
    db.session.refresh(site)
    assert site.feed_url == ""
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def feed_url_on_localhost(url: str) -> str:
    """The same server under another name of this machine, not one of the test addresses."""
    return url.replace("127.0.0.1", "localhost")
