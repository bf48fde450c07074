"""The catalogue rows the choice is fed with, and saving articles by canonical URL."""

from datetime import UTC, datetime

from ad_manager.catalog.articles import (
    candidates,
    canonical_url,
    clean_tags,
    insert_rule,
    save_article,
)
from ad_manager.delivery.link_choice import choose_links
from ad_manager.extensions import db
from ad_manager.models import Article, Insert, InsertPick
from tests.factories import make_journal, make_site

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_hidden_article_is_never_a_candidate(app):
    site = make_journal()
    listed, _ = save_article(site, "https://journal.example/a", title="Listée",
                             section="politique", tags=["budget"], published_at=NOW)
    hidden, _ = save_article(site, "https://journal.example/b", title="Cachée",
                             section="politique", published_at=NOW)
    hidden.status = "hidden"
    other_site = make_site("autre")
    save_article(other_site, "https://autre.example/c", title="Ailleurs", section="politique")
    db.session.commit()

    found = candidates(site)

    assert [c.id for c in found] == [listed.id]
    assert found[0].tags == ("budget",)
    assert found[0].published_at == NOW


def test_insert_rule_carries_the_picks_in_order(app):
    site = make_journal()
    first, _ = save_article(site, "https://journal.example/1", title="Un", published_at=NOW)
    second, _ = save_article(site, "https://journal.example/2", title="Deux",
                             published_at=NOW)
    insert = Insert(site_id=site.id, name="Lire", slug="lire", rules=["manual"],
                    link_count=2, max_age_days=30)
    insert.picks = [
        InsertPick(article_id=second.id, position=0, starts_at=NOW),
        InsertPick(article_id=first.id, position=1),
    ]
    db.session.add(insert)
    db.session.commit()

    rule = insert_rule(insert)

    assert rule.rules == ("manual",) and rule.link_count == 2 and rule.max_age_days == 30
    assert rule.picks == ((second.id, NOW, None), (first.id, None, None))
    chosen = choose_links(rule, candidates(site), page_url="https://journal.example/x",
                          section="", tags=(), exclude=(), now=NOW)
    assert [c.title for c in chosen] == ["Deux", "Un"]


def test_saving_the_same_page_twice_updates_it(app):
    site = make_journal()
    article, created = save_article(site, "https://Journal.example/a?utm_source=x#top",
                                    title="Ancien titre", source="feed")
    article.status = "hidden"
    again, created_again = save_article(site, "https://journal.example/a", title="Nouveau  titre",
                                        section="culture", tags="a, b, A")
    db.session.commit()

    assert created and not created_again
    assert again.id == article.id
    assert (again.title, again.section, again.tags, again.status) == (
        "Nouveau titre", "culture", ["a", "b"], "hidden")
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 1


def test_canonical_url_drops_fragment_and_tracking():
    assert canonical_url(" HTTPS://Example.fr/A?utm_medium=x&id=3#c ") == "https://example.fr/A?id=3"
    assert clean_tags(["  a ", "", "A", "b"]) == ["a", "b"]
