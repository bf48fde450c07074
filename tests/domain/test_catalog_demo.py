"""The demo site's catalogue: French articles in four sections and the insert a-lire-aussi."""

from ad_manager.catalog.articles import candidates, insert_rule
from ad_manager.delivery.link_choice import choose_links
from ad_manager.demo import load_demo
from ad_manager.demo.catalog import DEMO_SECTIONS, load_catalog
from ad_manager.demo.site import load_site
from ad_manager.extensions import db
from ad_manager.models import Article, Insert, utcnow


def test_demo_catalogue_has_articles_in_every_section_and_the_insert(app):
    site = load_site()
    insert = load_catalog(site)
    db.session.commit()

    articles = db.session.scalars(db.select(Article).where(Article.site_id == site.id)).all()
    assert len(articles) >= 12
    assert {article.section for article in articles} == set(DEMO_SECTIONS)
    assert all(a.url.startswith("http://127.0.0.1:5000/demo/articles/") for a in articles)
    assert (insert.slug, insert.label, insert.rules, insert.link_count) == (
        "a-lire-aussi", "À lire aussi :", ["section", "tags", "latest"], 1)


def test_the_two_inserts_of_the_demo_article_link_two_politics_articles(app):
    site = load_site()
    insert = load_catalog(site)
    db.session.commit()
    rule, listed, now = insert_rule(insert), candidates(site), utcnow()
    page = {"page_url": "http://127.0.0.1:5000/demo/article", "section": "politique",
            "tags": (), "now": now}

    first = choose_links(rule, listed, exclude=(), **page)
    second = choose_links(rule, listed, exclude=[a.id for a in first], **page)

    assert len(first) == len(second) == 1
    assert first[0].id != second[0].id
    assert {first[0].section, second[0].section} == {"politique"}


def test_loading_the_demo_twice_duplicates_nothing(app):
    load_demo()
    db.session.commit()
    hidden = db.session.scalars(db.select(Article)).first()
    hidden.title = "Changé à la main"
    db.session.commit()
    load_demo()
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 16
    assert db.session.scalar(db.select(db.func.count(Insert.id))) == 1
    db.session.refresh(hidden)
    assert hidden.title != "Changé à la main"  # the demo is refreshed to its own text
