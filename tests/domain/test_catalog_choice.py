"""The choice of an insert's links, tested as the pure function it is."""

from datetime import UTC, datetime, timedelta

from ad_manager.delivery.link_choice import (
    Candidate,
    InsertRule,
    choose_links,
    choose_links_by_rule,
    normalise_url,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SITE = "https://www.journal.example"


def article(id, *, section="politique", tags=(), days_old=1, url=None):
    """A listed article published ``days_old`` days before NOW (None: undated)."""
    published = None if days_old is None else NOW - timedelta(days=days_old)
    return Candidate(
        id=id, url=url or f"{SITE}/articles/{id}", title=f"Article {id}",
        section=section, tags=tuple(tags), published_at=published,
    )


def choose(rule, articles, *, page_url=f"{SITE}/articles/page", section="politique",
           tags=(), exclude=(), slots=None, now=NOW):
    chosen = choose_links(rule, articles, page_url=page_url, section=section, tags=tags,
                          exclude=exclude, now=now, slots=slots)
    return [candidate.id for candidate in chosen]


def rule(name="section", link_count=1, max_age_days=None, picks=()):
    return InsertRule(rules=(name,), link_count=link_count, max_age_days=max_age_days,
                      picks=tuple(picks))


def test_current_page_is_never_linked():
    articles = [article(1, days_old=1), article(2, days_old=5)]
    assert choose(rule(), articles, page_url=f"{SITE}/articles/1") == [2]


def test_current_page_is_recognised_under_another_spelling():
    articles = [article(1, days_old=1), article(2, days_old=5)]
    page = "http://JOURNAL.example/articles/1/?utm_source=x#comments"
    assert choose(rule(), articles, page_url=page) == [2]


def test_article_linked_by_another_insert_of_the_page_is_not_linked_again():
    articles = [article(1, days_old=1), article(2, days_old=2), article(3, days_old=3)]
    first = choose(rule(), articles)
    second = choose(rule(), articles, exclude=first)
    assert first == [1]
    assert second == [2]


def test_too_old_article_is_not_linked():
    articles = [article(1, days_old=40), article(2, days_old=10)]
    assert choose(rule(max_age_days=30, link_count=3), articles) == [2]


def test_undated_article_is_not_linked_when_insert_has_a_maximum_age():
    articles = [article(1, days_old=None), article(2, days_old=10)]
    assert choose(rule(max_age_days=30, link_count=3), articles) == [2]
    assert choose(rule(link_count=3), articles) == [2, 1]


def test_newest_article_comes_first_among_equals():
    articles = [article(1, days_old=9), article(2, days_old=1), article(3, days_old=4)]
    assert choose(rule(link_count=3), articles) == [2, 3, 1]


def test_same_publication_time_prefers_latest_added():
    articles = [article(1, days_old=2), article(2, days_old=2)]
    assert choose(rule(link_count=2), articles) == [2, 1]


def test_section_rule_links_only_the_pages_section():
    articles = [article(1, section="sport", days_old=1), article(2, section="Politique ")]
    assert choose(rule(), articles, section="politique") == [2]


def test_section_rule_links_nothing_on_a_page_without_section():
    assert choose(rule(), [article(1)], section="") == []


def test_tags_rule_prefers_most_shared_tags_then_newest():
    articles = [
        article(1, tags=["budget"], days_old=1),
        article(2, tags=["budget", "impots", "senat"], days_old=20),
        article(3, tags=["budget", "Impots"], days_old=3),
        article(4, tags=["budget", "impots"], days_old=2),
        article(5, tags=["meteo"], days_old=0),
    ]
    chosen = choose(rule("tags", link_count=3), articles, tags=["budget", "impots", "senat"])
    assert chosen == [2, 4, 3]


def test_tags_rule_links_nothing_without_shared_tag():
    assert choose(rule("tags"), [article(1, tags=["meteo"])], tags=["budget"]) == []


def test_latest_rule_ignores_section():
    articles = [article(1, section="sport", days_old=1), article(2, days_old=3)]
    assert choose(rule("latest", link_count=2), articles, section="culture") == [1, 2]


def test_manual_picks_keep_the_editors_order():
    articles = [article(1, days_old=1), article(2, days_old=9), article(3, days_old=5)]
    picks = [(2, None, None), (3, None, None), (1, None, None)]
    assert choose(rule("manual", link_count=3, picks=picks), articles) == [2, 3, 1]


def test_manual_pick_counts_only_between_its_dates():
    articles = [article(1), article(2), article(3), article(4)]
    picks = [
        (1, NOW + timedelta(days=1), None),  # not yet
        (2, None, NOW - timedelta(hours=1)),  # over
        (3, NOW - timedelta(days=1), NOW + timedelta(days=1)),  # now
        (4, None, NOW),  # ends exactly now: over
    ]
    assert choose(rule("manual", link_count=3, picks=picks), articles) == [3]


def test_manual_pick_of_hidden_or_excluded_article_is_skipped():
    articles = [article(1), article(3)]  # article 2 is hidden: the loader left it out
    picks = [(2, None, None), (1, None, None), (3, None, None)]
    assert choose(rule("manual", picks=picks), articles, exclude=[1]) == [3]


def test_manual_pick_of_current_page_is_skipped():
    articles = [article(1), article(2)]
    picks = [(1, None, None), (2, None, None)]
    assert choose(rule("manual", picks=picks), articles, page_url=f"{SITE}/articles/1") == [2]


def test_slots_override_link_count_for_a_sponsored_first_place():
    articles = [article(1, days_old=1), article(2, days_old=2), article(3, days_old=3)]
    assert choose(rule(link_count=3), articles, slots=2) == [1, 2]
    assert choose(rule(link_count=1), articles, slots=0) == []


def test_never_more_than_three_links():
    articles = [article(i, days_old=i) for i in range(1, 7)]
    assert choose(rule("latest", link_count=5), articles) == [1, 2, 3]


def test_same_page_listed_twice_is_linked_once():
    articles = [article(1, url=f"{SITE}/a/x"), article(2, url=f"{SITE}/a/x/", days_old=2)]
    assert choose(rule(link_count=2), articles) == [1]


def test_unknown_rule_links_nothing():
    assert choose(rule("random"), [article(1)]) == []


def test_normalise_url_keeps_what_makes_another_page():
    assert normalise_url("https://www.Example.fr:443/a/?b=2&a=1#x") == "//example.fr/a?a=1&b=2"
    assert normalise_url("http://example.fr:8080/") == "//example.fr:8080/"
    assert normalise_url("https://example.fr/a?page=2") != normalise_url("https://example.fr/a")
    assert normalise_url("http://[bad") == "http://[bad"


def chain(*rules, link_count=1, picks=()):
    return InsertRule(rules=rules, link_count=link_count, max_age_days=None, picks=tuple(picks))


def test_chain_falls_back_when_the_page_has_no_section_the_catalogue_knows():
    articles = [article(1, section="sport", tags=["budget"], days_old=3),
                article(2, section="culture", days_old=1)]
    default = chain("section", "tags", "latest", link_count=2)
    assert choose(default, articles, section="", tags=()) == [2, 1]
    assert choose(default, articles, section="international", tags=["budget"]) == [1, 2]


def test_chain_fills_remaining_places_in_rule_order_each_article_once():
    articles = [article(1, days_old=1), article(2, section="sport", days_old=2),
                article(3, section="sport", tags=["derby"], days_old=5)]
    rule_ = chain("manual", "section", "tags", "latest", link_count=3, picks=[(2, None, None)])
    chosen = choose_links_by_rule(rule_, articles, page_url=f"{SITE}/p", section="politique",
                                  tags=["derby"], exclude=(), now=NOW)
    assert [(name, a.id) for name, a in chosen] == [("manual", 2), ("section", 1), ("tags", 3)]


def test_chain_stops_at_the_link_count():
    articles = [article(n, days_old=n) for n in range(1, 6)]
    assert choose(chain("section", "latest", link_count=2), articles) == [1, 2]
