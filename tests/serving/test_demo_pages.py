"""The demo publisher's pages carry the article and the snippet, like a real site."""

import re
from datetime import UTC, datetime

import pytest

from ad_manager.demo.layouts import load_layouts
from ad_manager.extensions import db
from ad_manager.models import Article
from tests.factories import make_demo_site


@pytest.fixture
def demo(app):
    site = make_demo_site()
    load_layouts(site)
    db.session.add(Article(site_id=site.id, url="http://127.0.0.1:5000/demo/articles/velo-ville",
                           title="Le vélo gagne du terrain en ville", section="economie",
                           tags=["vélo"], published_at=datetime(2026, 11, 20, tzinfo=UTC)))
    db.session.commit()
    return site


def test_demo_article_is_the_reference_page_with_the_snippet(client, demo):
    response = client.get("/demo/article")
    assert response.status_code == 200
    html = response.text
    assert '<link rel="canonical" href="http://localhost/demo/article">' in html
    assert '<meta property="article:section" content="politique">' in html
    assert '<meta property="og:title"' in html and 'property="article:tag"' in html
    body = html.split('itemprop="articleBody"')[1].split("</div>")[0]
    assert body.count("<p>") == 7
    assert "chroniqueur" in html
    # The head part in <head>, the zone box right after the h1, the sidebar box, the tag.
    head = html.split("</head>")[0]
    assert '<link rel="preconnect"' in head and "<script>" in head
    # (the placeholder carries its reserving <style> inside its box)
    assert re.search(r"</h1>\s*<div data-adm-zone=\"votre-pub-ici\"[^>]*><style>", html)
    aside = html.split('<aside class="rail">')[1].split("</aside>")[0]
    assert 'data-adm-zone="colonne"' in aside
    assert ('<script async src="http://localhost/embed.js" data-site="demo" '
            'data-layout="article"></script>') in html


def test_demo_pages_are_public_and_set_no_cookie(client, demo):
    response = client.get("/demo/article")
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Content-Security-Policy" not in response.headers  # the dashboard's is not ours
    assert client.get("/demo/contact-pub").status_code == 200


def test_catalogue_article_uses_the_same_template(client, demo):
    response = client.get("/demo/articles/velo-ville")
    assert response.status_code == 200
    assert "Le vélo gagne du terrain en ville" in response.text
    assert '<meta property="article:section" content="economie">' in response.text
    assert 'data-site="demo"' in response.text
    assert client.get("/demo/articles/inconnu").status_code == 404
    assert client.get("/demo/articles/..%2Fx").status_code == 404


def test_demo_article_still_renders_before_the_demo_is_loaded(client):
    response = client.get("/demo/article")
    assert response.status_code == 200
    assert "embed.js" not in response.text


def test_demo_links_follow_the_address_the_demo_is_served_from(client, demo):
    response = client.get("/demo/article", base_url="http://127.0.0.1:8123")
    assert response.status_code == 200
    db.session.expire_all()
    article = db.session.scalar(db.select(Article))
    assert article.url == "http://127.0.0.1:8123/demo/articles/velo-ville"
    assert demo.sales_contact_url == "http://127.0.0.1:8123/demo/contact-pub"
    assert client.get("/demo/articles/velo-ville",
                      base_url="http://127.0.0.1:8123").status_code == 200
    # Served elsewhere later: the links move again.
    client.get("/demo/contact-pub", base_url="http://localhost:5050")
    db.session.expire_all()
    assert db.session.scalar(db.select(Article.url)) == \
        "http://localhost:5050/demo/articles/velo-ville"


def test_demo_links_never_follow_a_host_that_is_not_the_demos(client, demo):
    assert client.get("/demo/article", base_url="http://evil.example:8123").status_code == 200
    assert client.get("/demo/articles/%ff%00", base_url="http://localhost:9000").status_code == 404
    db.session.expire_all()
    assert db.session.scalar(db.select(Article.url)).startswith("http://127.0.0.1:5000/")
