"""Importing the catalogue from RSS, Atom and sitemap files: valid, updated, malformed,
unreachable; and the ``import-feed`` command."""

import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ad_manager.catalog import feeds
from ad_manager.catalog.feeds import FeedError, fetch, import_feed
from ad_manager.extensions import db
from ad_manager.models import Article
from tests.conftest import FEEDS
from tests.factories import make_journal


@pytest.fixture
def site(app):
    return make_journal()


def articles(site):
    rows = db.session.scalars(db.select(Article).where(Article.site_id == site.id))
    return {article.url: article for article in rows}


def test_rss_import_adds_the_sites_articles(site):
    result = import_feed(site, str(FEEDS / "rss.xml"), allow_files=True)
    db.session.commit()

    found = articles(site)
    assert (result.kind, result.created, result.updated) == ("rss", 2, 0)
    assert result.skipped == ["https://ailleurs.example/article"]
    budget = found["https://journal.example/politique/budget-adopte"]
    assert budget.title == "Le budget de la ville adopté après une longue nuit"
    assert budget.section == "politique"
    assert budget.tags == ["budget", "conseil municipal"]
    assert budget.published_at == datetime(2026, 11, 24, 17, 30, tzinfo=UTC)
    assert budget.image_url == "https://journal.example/img/budget.jpg"
    assert (budget.source, budget.status) == ("feed", "listed")
    assert found["https://journal.example/culture/marche-de-noel"].title == (
        "Le marché de Noël ouvre & attire les foules")


def test_reimport_updates_by_url_and_never_duplicates(site):
    import_feed(site, str(FEEDS / "rss.xml"), allow_files=True)
    db.session.commit()
    budget = articles(site)["https://journal.example/politique/budget-adopte"]
    budget.status = "hidden"
    db.session.commit()

    result = import_feed(site, (FEEDS / "rss-updated.xml").as_uri(), allow_files=True)
    db.session.commit()

    found = articles(site)
    assert (result.created, result.updated) == (1, 1)
    assert len(found) == 3
    again = found["https://journal.example/politique/budget-adopte"]
    assert again.id == budget.id
    assert again.title == "Budget : le conseil municipal vote enfin"
    assert again.status == "hidden"  # staff hid it: an import does not list it again
    assert found["https://journal.example/sport/derby"].tags == ["football"]


def test_atom_import_reads_links_ids_and_html_titles(site):
    result = import_feed(site, str(FEEDS / "atom.xml"), allow_files=True)
    db.session.commit()

    found = articles(site)
    assert (result.kind, result.created) == ("atom", 2)
    mediatheque = found["https://journal.example/culture/mediatheque"]
    assert mediatheque.title == "La médiathèque rouvre ses portes"
    assert mediatheque.published_at == datetime(2026, 11, 22, 7, 45, tzinfo=UTC)
    assert (mediatheque.section, mediatheque.tags) == ("culture", ["lecture"])
    commerces = found["https://journal.example/economie/commerces"]
    assert commerces.published_at == datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_sitemap_import_reads_news_titles_and_makes_others_from_the_url(site):
    result = import_feed(site, str(FEEDS / "sitemap.xml"), allow_files=True)
    db.session.commit()

    found = articles(site)
    assert (result.kind, result.created) == ("sitemap", 2)
    usine = found["https://journal.example/economie/usine-reprise"]
    assert usine.title == "L'usine trouve un repreneur"
    assert usine.tags == ["emploi", "industrie"]
    assert usine.image_url == "https://journal.example/img/usine.jpg"
    assert usine.published_at == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    velo = found["https://journal.example/sport/velo-route-des-cols"]
    assert velo.title == "Velo route des cols"


def test_sitemap_without_titles_keeps_the_titles_staff_typed(site):
    import_feed(site, str(FEEDS / "sitemap.xml"), allow_files=True)
    velo = articles(site)["https://journal.example/sport/velo-route-des-cols"]
    velo.title, velo.section = "Vélo : la route des cols", "sport"
    db.session.commit()

    import_feed(site, str(FEEDS / "sitemap.xml"), allow_files=True)
    db.session.commit()

    db.session.refresh(velo)
    assert (velo.title, velo.section) == ("Vélo : la route des cols", "sport")


def test_sitemap_index_imports_every_sitemap_it_names(site, tmp_path):
    index = tmp_path / "index.xml"
    index.write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{(FEEDS / 'sitemap.xml').as_uri()}</loc></sitemap></sitemapindex>")

    result = import_feed(site, str(index), allow_files=True)

    assert (result.kind, result.created) == ("sitemap", 2)


def test_malformed_feed_gives_a_clear_error_and_changes_nothing(site):
    import_feed(site, str(FEEDS / "rss.xml"), allow_files=True)
    db.session.commit()

    with pytest.raises(FeedError, match="pas du XML bien formé"):
        import_feed(site, str(FEEDS / "malformed.xml"), allow_files=True)

    assert len(articles(site)) == 2


def test_xml_that_is_no_feed_is_refused(site, tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<html><body>Bonjour</body></html>")
    with pytest.raises(FeedError, match="ni un flux ni un sitemap"):
        import_feed(site, str(other), allow_files=True)


def test_entity_expansion_is_refused(site, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
                    "<rss><channel><title>&a;</title></channel></rss>")
    with pytest.raises(FeedError, match="pas du XML bien formé"):
        import_feed(site, str(bomb), allow_files=True)


def test_unreachable_feed_gives_a_clear_error(site, closed_port):
    with pytest.raises(FeedError, match="injoignable"):
        import_feed(site, f"http://127.0.0.1:{closed_port}/feed.xml")
    assert articles(site) == {}


def test_missing_file_gives_a_clear_error(site):
    with pytest.raises(FeedError, match="ne peut pas être lu"):
        import_feed(site, "/nowhere/feed.xml", allow_files=True)


def test_files_are_refused_unless_allowed(app):
    with pytest.raises(FeedError, match="Seules les adresses http"):
        fetch(str(FEEDS / "rss.xml"))
    with pytest.raises(FeedError, match="Seules les adresses http"):
        fetch((FEEDS / "rss.xml").as_uri())


def test_feed_over_http_is_imported(site, feed_server):
    result = import_feed(site, f"{feed_server}/atom.xml")
    assert result.created == 2


def test_http_error_is_reported(feed_server):
    with pytest.raises(FeedError, match="HTTP 404"):
        fetch(f"{feed_server}/absent.xml")


def test_oversized_feed_is_refused(app, feed_server, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_BYTES", 100)
    with pytest.raises(FeedError, match="dépasse"):
        fetch(f"{feed_server}/rss.xml")


def test_import_feed_command_prints_progress_and_remembers_nothing_on_error(site, runner):
    result = runner.invoke(args=["import-feed", "journal", str(FEEDS / "rss.xml")])
    assert result.exit_code == 0, result.output
    assert "Fetching" in result.output
    assert "2 created, 0 updated, 1 skipped" in result.output
    assert len(articles(site)) == 2

    result = runner.invoke(args=["import-feed", "journal", str(FEEDS / "malformed.xml")])
    assert result.exit_code == 1
    assert "pas du XML bien formé" in result.output
    assert len(articles(site)) == 2


def test_import_feed_command_uses_the_sites_feed_url(site, runner):
    result = runner.invoke(args=["import-feed", "journal"])
    assert result.exit_code == 2
    assert "no feed URL" in result.output

    site.feed_url = (FEEDS / "atom.xml").as_uri()
    db.session.commit()
    result = runner.invoke(args=["import-feed", "journal"])
    assert result.exit_code == 0, result.output
    assert len(articles(site)) == 2


def test_import_feed_command_refuses_an_unknown_site(app, runner):
    result = runner.invoke(args=["import-feed", "inconnu", str(FEEDS / "rss.xml")])
    assert result.exit_code == 2
    assert "No site" in result.output


class _RedirectToLocalhost(BaseHTTPRequestHandler):
    """Answers every request with a redirect to another name of this very machine."""

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", f"http://localhost:{self.server.server_port}/rss.xml")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_dashboard_fetch_refuses_our_own_network_but_the_sites_domains(feed_url):
    """Staff may import the site's feed, not make the server read its neighbours."""
    trusted = ["journal.example", "127.0.0.1"]
    assert b"<rss" in fetch(feed_url("rss.xml"), trusted_hosts=trusted)
    for address in ("http://localhost/feed.xml", "http://10.1.2.3/feed.xml",
                    "http://169.254.169.254/latest/meta-data/", "http://[::1]/feed.xml"):
        with pytest.raises(FeedError, match="inside our own network"):
            fetch(address, trusted_hosts=trusted)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RedirectToLocalhost)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(FeedError, match="inside our own network"):
            fetch(f"http://127.0.0.1:{server.server_port}/feed", trusted_hosts=trusted)
    finally:
        server.shutdown()
