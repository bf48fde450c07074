"""Importing the catalogue from RSS, Atom and sitemap files: valid, updated, malformed,
unreachable; and the ``import-feed`` command."""

import re
from datetime import UTC, datetime

import pytest

from ad_manager import outbound
from ad_manager.catalog import feeds
from ad_manager.catalog.feeds import FeedError, fetch, import_feed
from ad_manager.extensions import db
from ad_manager.models import Article
from tests.conftest import FEEDS, UNREACHABLE, allow_fetching
from tests.factories import make_journal


@pytest.fixture
def site(app):
    return make_journal()


def articles(site):
    rows = db.session.scalars(db.select(Article).where(Article.site_id == site.id))
    return {article.url: article for article in rows}


def test_rss_import_adds_the_sites_articles(site):
    result = import_feed(site, path=str(FEEDS / "rss.xml"))
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
    import_feed(site, path=str(FEEDS / "rss.xml"))
    db.session.commit()
    budget = articles(site)["https://journal.example/politique/budget-adopte"]
    budget.status = "hidden"
    db.session.commit()

    result = import_feed(site, path=str(FEEDS / "rss-updated.xml"))
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
    result = import_feed(site, path=str(FEEDS / "atom.xml"))
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
    result = import_feed(site, path=str(FEEDS / "sitemap.xml"))
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
    import_feed(site, path=str(FEEDS / "sitemap.xml"))
    velo = articles(site)["https://journal.example/sport/velo-route-des-cols"]
    velo.title, velo.section = "Vélo : la route des cols", "sport"
    db.session.commit()

    import_feed(site, path=str(FEEDS / "sitemap.xml"))
    db.session.commit()

    db.session.refresh(velo)
    assert (velo.title, velo.section) == ("Vélo : la route des cols", "sport")


def test_sitemap_index_imports_every_sitemap_it_names(site, tmp_path, feed_url):
    index = tmp_path / "index.xml"
    index.write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{feed_url('sitemap.xml')}</loc></sitemap></sitemapindex>")

    result = import_feed(site, path=str(index))

    assert (result.kind, result.created) == ("sitemap", 2)


def test_a_sitemap_index_never_makes_us_read_a_local_file(site, tmp_path):
    index = tmp_path / "index.xml"
    index.write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{(FEEDS / 'sitemap.xml').as_uri()}</loc></sitemap></sitemapindex>")
    with pytest.raises(FeedError, match=re.escape(UNREACHABLE)):
        import_feed(site, path=str(index))
    assert articles(site) == {}


def test_malformed_feed_gives_a_clear_error_and_changes_nothing(site):
    import_feed(site, path=str(FEEDS / "rss.xml"))
    db.session.commit()

    with pytest.raises(FeedError, match="pas du XML bien formé"):
        import_feed(site, path=str(FEEDS / "malformed.xml"))

    assert len(articles(site)) == 2


def test_xml_that_is_no_feed_is_refused(site, tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<html><body>Bonjour</body></html>")
    with pytest.raises(FeedError, match="ni un flux ni un sitemap"):
        import_feed(site, path=str(other))


def test_entity_expansion_is_refused(site, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
                    "<rss><channel><title>&a;</title></channel></rss>")
    with pytest.raises(FeedError, match="pas du XML bien formé"):
        import_feed(site, path=str(bomb))


def test_unreachable_feed_gives_a_clear_error(app, site, closed_port):
    url = allow_fetching(app, f"http://127.0.0.1:{closed_port}") + "/feed.xml"
    with pytest.raises(FeedError, match=re.escape(UNREACHABLE)):
        import_feed(site, url)
    assert articles(site) == {}


def test_missing_file_gives_a_clear_error(site):
    with pytest.raises(FeedError, match="ne peut pas être lu"):
        import_feed(site, path="/nowhere/feed.xml")


def test_an_address_is_never_read_as_a_file(app, site):
    for address in (str(FEEDS / "rss.xml"), (FEEDS / "rss.xml").as_uri(), "ftp://example.fr/x"):
        with pytest.raises(FeedError, match=re.escape(UNREACHABLE)):
            import_feed(site, address)


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
    result = runner.invoke(args=["import-feed", "journal", "--file", str(FEEDS / "rss.xml")])
    assert result.exit_code == 0, result.output
    assert "Reading" in result.output
    assert "2 created, 0 updated, 1 skipped" in result.output
    assert len(articles(site)) == 2

    result = runner.invoke(args=["import-feed", "journal", "--file",
                                 str(FEEDS / "malformed.xml")])
    assert result.exit_code == 1
    assert "pas du XML bien formé" in result.output
    assert len(articles(site)) == 2


def test_import_feed_command_uses_the_sites_feed_url(site, runner, feed_url):
    result = runner.invoke(args=["import-feed", "journal"])
    assert result.exit_code == 2
    assert "no feed URL" in result.output

    site.feed_url = feed_url("atom.xml")
    db.session.commit()
    result = runner.invoke(args=["import-feed", "journal"])
    assert result.exit_code == 0, result.output
    assert len(articles(site)) == 2


def test_import_feed_command_refuses_an_unknown_site(app, runner):
    result = runner.invoke(args=["import-feed", "inconnu", "--file", str(FEEDS / "rss.xml")])
    assert result.exit_code == 2
    assert "No site" in result.output


def test_a_redirect_into_our_network_is_refused_like_a_closed_port(app, site, redirector,
                                                                   closed_port):
    closed = allow_fetching(app, f"http://127.0.0.1:{closed_port}") + "/feed.xml"
    with pytest.raises(FeedError) as refused:
        fetch(redirector)
    with pytest.raises(FeedError) as unreachable:
        fetch(closed)
    assert str(refused.value) == str(unreachable.value) == UNREACHABLE
    for address in ("http://localhost/feed.xml", "http://10.1.2.3/feed.xml",
                    "http://169.254.169.254/latest/meta-data/", "http://[::1]/feed.xml",
                    "http://[::ffff:127.0.0.1]/feed.xml", "http://0.0.0.0/feed.xml",
                    "http://127.0.0.1:5432/", "http://93.184.215.14:8080/feed.xml"):
        with pytest.raises(FeedError) as error:
            fetch(address)
        assert str(error.value) == UNREACHABLE


def test_the_command_line_gets_the_same_guard(site, runner, redirector, closed_port, app):
    closed = allow_fetching(app, f"http://127.0.0.1:{closed_port}") + "/feed.xml"
    outputs = []
    for url in (redirector, closed):
        result = runner.invoke(args=["import-feed", "journal", url])
        assert result.exit_code == 1
        outputs.append(result.output)
    assert [output.split("Error: ")[1] for output in outputs] == [f"{UNREACHABLE}\n"] * 2
    site.feed_url = redirector  # cron re-imports the remembered address: guarded too
    db.session.commit()
    result = runner.invoke(args=["import-feed", "journal"])
    assert result.exit_code == 1 and f"Error: {UNREACHABLE}" in result.output
    assert articles(site) == {}


def test_only_public_addresses_are_fetched():
    for address in ("8.8.8.8", "2a00:1450:4007:80c::200e", "::ffff:8.8.8.8"):
        assert outbound.public_address(address)
    for address in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "100.64.0.1", "0.0.0.0",  # noqa: S104
                    "224.0.0.1", "::1", "fe80::1%eth0", "fc00::1",
                    "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "2001:db8::1",
                    "2001::1"):
        assert not outbound.public_address(address), address
