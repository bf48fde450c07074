"""Pages that load the embed add themselves to the catalogue, on the site's own domains only."""

from datetime import UTC, datetime

import pytest

from ad_manager.catalog.articles import save_article
from ad_manager.catalog.discovery import discover_article
from ad_manager.extensions import db
from ad_manager.models import Article, AuditEntry, Site
from tests.factories import make_inventory, make_journal


@pytest.fixture
def site(app):
    return make_journal("127.0.0.1", discover_articles=True)


def count():
    return db.session.scalar(db.select(db.func.count(Article.id)))


def test_page_of_the_sites_own_domain_is_added_as_discovered(site):
    article = discover_article(site, "https://www.journal.example/sport/derby?utm_source=x#top",
                               "  Le derby  gagné ", "sport", ["football", "derby"])
    db.session.commit()
    assert article is not None
    assert (article.url, article.title, article.section, article.tags) == (
        "https://www.journal.example/sport/derby", "Le derby gagné", "sport",
        ["football", "derby"])
    assert (article.source, article.status) == ("discovered", "listed")


def test_local_address_with_port_counts_as_the_sites_domain(site):
    assert discover_article(site, "http://127.0.0.1:5000/demo/article", "Démo", "", []) is not None


@pytest.mark.parametrize("url", [
    "https://ailleurs.example/article",
    "https://journal.example.ailleurs.example/article",
    "https://faux-journal.example/article",
    "ftp://journal.example/article",
    "javascript:alert(1)",
])
def test_page_of_another_domain_is_refused(site, url):
    assert discover_article(site, url, "Titre", "politique", []) is None
    assert count() == 0


def test_site_that_does_not_discover_refuses(site):
    site.discover_articles = False
    assert discover_article(site, "https://journal.example/a", "Titre", "", []) is None
    assert count() == 0


@pytest.mark.parametrize("url, title, section, tags", [
    (None, "Titre", "", []),
    (42, "Titre", "", []),
    ("", "Titre", "", []),
    ("https://journal.example/" + "a" * 1000, "Titre", "", []),
    ("http://[journal.example/a", "Titre", "", []),
])
def test_junk_url_is_ignored(site, url, title, section, tags):
    assert discover_article(site, url, title, section, tags) is None
    assert count() == 0


def test_junk_title_section_and_tags_are_ignored_not_raised(site):
    article = discover_article(site, "https://journal.example/culture/expo", {"x": 1}, 12,
                               ["musée", 3, None, "x" * 200])
    assert article.title == "Expo"  # made from the address
    assert article.section == ""
    assert article.tags == ["musée", "x" * 60]
    long = discover_article(site, "https://journal.example/b", "T" * 500, "s" * 500, "a, b")
    assert (len(long.title), len(long.section), long.tags) == (300, 120, ["a", "b"])


def test_rediscovery_updates_the_title_and_never_duplicates(site):
    first = discover_article(site, "https://journal.example/a", "Ancien titre", "politique",
                             ["budget"])
    db.session.commit()
    again = discover_article(site, "https://journal.example/a/#x", "Nouveau titre", "", [])
    db.session.commit()
    assert again.id == first.id
    assert (again.title, again.section, again.tags) == ("Nouveau titre", "politique", ["budget"])
    assert count() == 1


def test_hidden_article_stays_hidden(site):
    article = discover_article(site, "https://journal.example/a", "Titre", "", [])
    article.status = "hidden"
    db.session.commit()
    again = discover_article(site, "https://journal.example/a", "Titre revu", "", [])
    db.session.commit()
    assert (again.status, again.source, again.title) == ("hidden", "discovered", "Titre revu")


@pytest.mark.parametrize("source", ["manual", "feed"])
def test_page_views_never_change_what_staff_typed_or_a_feed_imported(site, source):
    article, _ = save_article(site, "https://journal.example/a", title="Titre de la rédaction",
                              section="politique", tags=["budget"], source=source)
    db.session.commit()
    again = discover_article(site, "https://journal.example/a", "Titre – Le Journal", "Sport",
                             ["foot"], datetime(2026, 1, 1, tzinfo=UTC))
    db.session.commit()
    assert again.id == article.id
    assert (again.title, again.section, again.tags, again.source, again.published_at) == (
        "Titre de la rédaction", "politique", ["budget"], source, None)
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0


def test_discovered_article_learns_its_section_tags_and_date(site):
    discover_article(site, "https://journal.example/a", "Titre", "", [])
    db.session.commit()
    published = datetime(2026, 11, 29, 8, tzinfo=UTC)
    again = discover_article(site, "https://journal.example/a", "Titre", "Politique",
                             ["budget", "conseil municipal"], published)
    db.session.commit()
    assert (again.section, again.tags, again.published_at) == (
        "Politique", ["budget", "conseil municipal"], published)
    entries = db.session.execute(db.select(AuditEntry.action, AuditEntry.actor)
                                 .order_by(AuditEntry.id)).all()
    assert entries == [("create", "discovery"), ("update", "discovery")]


def test_a_site_discovers_at_most_its_hourly_cap(site):
    for n in range(3):
        assert discover_article(site, f"https://journal.example/{n}", "T", "", [],
                                per_hour=3) is not None
    db.session.commit()
    assert discover_article(site, "https://journal.example/4", "T", "", [], per_hour=3) is None
    # A known page is still updated past the cap.
    assert discover_article(site, "https://journal.example/1", "T2", "", [],
                            per_hour=3).title == "T2"
    assert count() == 3


def test_site_without_domains_discovers_nothing(site):
    site.domains = []
    assert discover_article(site, "https://journal.example/a", "Titre", "", []) is None


def test_page_loading_the_embed_is_discovered_then_linked(app, client):
    from urllib.parse import urlencode

    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    make_inventory()
    journal = db.session.scalar(db.select(Site).where(Site.key == "journal"))
    journal.discover_articles = True
    db.session.commit()
    query = {"site": "journal", "layout": "article", "title": "Une page toute neuve",
             "section": "politique", "tags": "nouveau,test", "vw": "1280",
             "published": "2026-11-29T09:00:00+01:00",
             "url": "https://www.journal.example/politique/toute-neuve"}

    assert client.get("/serve?" + urlencode(query)).status_code == 200
    found = db.session.scalar(db.select(Article).where(Article.source == "discovered"))
    assert (found.url, found.title, found.tags, found.published_at) == (
        "https://www.journal.example/politique/toute-neuve", "Une page toute neuve",
        ["nouveau", "test"], datetime(2026, 11, 29, 8, tzinfo=UTC))

    # The page moves to another section: the next view teaches the catalogue.
    moved = dict(query, section="economie", published="junk")
    assert client.get("/serve?" + urlencode(moved)).status_code == 200
    db.session.expire_all()
    assert (found.section, found.published_at) == (
        "economie", datetime(2026, 11, 29, 8, tzinfo=UTC))

    elsewhere = dict(query, url="https://ailleurs.example/politique/page")
    assert client.get("/serve?" + urlencode(elsewhere)).status_code == 200
    assert db.session.scalar(db.select(db.func.count(Article.id)).where(
        Article.source == "discovered")) == 1
