"""The live preview: the demo article or a fetched article of the site's own domains."""

from pathlib import Path

import pytest

from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.layouts.editing import create_layout
from ad_manager.layouts.preview import own_url, read_article
from tests.conftest import UNREACHABLE
from tests.factories import make_demo_site

PAGES = Path(__file__).parent.parent / "pages"


@pytest.fixture
def layout(app):
    site = make_demo_site()
    layout = create_layout(site, {"name": "Article", "slug": "article", "is_default": True})
    db.session.commit()
    return layout


@pytest.mark.parametrize(("name", "count"), [
    ("wordpress-classic", 5), ("wordpress-block", 4), ("ghost", 4), ("drupal", 4),
    ("schema-org", 3), ("plain-article", 3)])
def test_fetched_pages_are_read_like_the_loader_reads_them(name, count):
    article = read_article((PAGES / f"{name}.html").read_text(encoding="utf-8"))
    assert len(article.paragraphs) == count
    assert article.title


def test_custom_body_selector_is_used_when_simple():
    html = ('<main><p>Menu</p><div class="corps"><p>Un.</p><p>Deux.</p></div></main>')
    assert read_article(html, ".corps").paragraphs == ("Un.", "Deux.")
    assert read_article(html).paragraphs == ("Menu", "Un.", "Deux.")  # <main> holds all


def test_only_the_sites_own_domains_are_fetched(layout):
    site = layout.site
    assert own_url(site, "http://127.0.0.1:5000/demo/article")
    for url in ("https://evil.example/x", "file:///etc/passwd", "ftp://127.0.0.1/x", "nope"):
        with pytest.raises(Invalid):
            own_url(site, url)


def test_preview_page_shows_the_demo_article_with_a_preview_tag(viewer_client, layout):
    response = viewer_client.get(f"/layouts/{layout.id}/preview")
    assert response.status_code == 200
    assert "Au conseil municipal" in response.text
    assert 'data-preview="1"' in response.text and 'data-layout="article"' in response.text
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'sha256-" in policy
    assert "unsafe-eval" not in policy


def test_preview_refuses_another_domain_next_to_the_field(admin_client, layout):
    response = admin_client.get(f"/layouts/{layout.id}/preview?url=https://evil.example/a")
    assert response.status_code == 422
    assert "domaines du site" in response.text
    assert "Au conseil municipal" in response.text  # the demo article is still shown


def test_preview_fetches_an_article_of_the_site(admin_client, layout, live_server):
    url = live_server + "/demo/article"
    response = admin_client.get(f"/layouts/{layout.id}/preview", query_string={"url": url})
    assert response.status_code == 200
    assert "Au conseil municipal" in response.text
    assert f'<link rel="canonical" href="{url}">' in response.text


def test_preview_says_when_the_page_cannot_be_fetched(admin_client, layout, live_server):
    url = live_server + "/demo/articles/inconnu"
    response = admin_client.get(f"/layouts/{layout.id}/preview", query_string={"url": url})
    assert response.status_code == 422
    assert "L’adresse a répondu HTTP 404." in response.text


def test_preview_never_follows_a_redirect_into_our_network(admin_client, layout, redirector,
                                                          closed_port):
    refused = admin_client.get(f"/layouts/{layout.id}/preview",
                               query_string={"url": redirector})
    closed = admin_client.get(f"/layouts/{layout.id}/preview",
                              query_string={"url": f"http://127.0.0.1:{closed_port}/a"})
    assert refused.status_code == closed.status_code == 422
    assert UNREACHABLE in refused.text and UNREACHABLE in closed.text


def test_preview_refuses_a_page_over_the_size_limit(admin_client, layout, live_server,
                                                    monkeypatch):
    monkeypatch.setattr("ad_manager.layouts.preview.MAX_BYTES", 1000)
    url = live_server + "/demo/article"
    response = admin_client.get(f"/layouts/{layout.id}/preview", query_string={"url": url})
    assert response.status_code == 422
    assert "trop lourde" in response.text
