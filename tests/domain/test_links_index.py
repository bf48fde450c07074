"""The article index hands the link choice a few articles and changes none of its answers."""

import random
import time
from datetime import UTC, datetime, timedelta

import pytest

from ad_manager.delivery.link_choice import Candidate, InsertRule, choose_links
from ad_manager.delivery.links import ArticleIndex, link_candidates

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SECTIONS = ["politique", "economie", "culture", "sport"]
TAGS = ["mairie", "budget", "vélo", "rugby", "théâtre", "école"]


def catalogue(rng: random.Random, count: int) -> list[Candidate]:
    articles = []
    for n in range(1, count + 1):
        published = None if rng.random() < 0.05 else NOW - timedelta(hours=rng.randint(0, 2000))
        slug = n if rng.random() > 0.02 else rng.randint(1, n)  # a few duplicate addresses
        articles.append(Candidate(
            id=n, url=f"https://www.journal.example/{rng.choice(SECTIONS)}/{slug}",
            title=f"Titre {n}", section=rng.choice(SECTIONS).title(),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 3))), published_at=published))
    return articles


@pytest.mark.parametrize("rule_name", ["section", "latest", "manual", "tags"])
def test_index_gives_the_same_links_as_the_whole_catalogue(rule_name):
    rng = random.Random(rule_name)
    articles = catalogue(rng, 400)
    index = ArticleIndex.of(articles)
    for _ in range(150):
        picks = tuple((rng.randint(1, 420), None, None) for _ in range(rng.randint(0, 5)))
        rule = InsertRule(rules=(rule_name,), link_count=rng.randint(1, 3),
                          max_age_days=rng.choice([None, 7, 60]), picks=picks)
        page = rng.choice(articles)
        exclude = {rng.randint(1, 400) for _ in range(rng.randint(0, 4))}
        context = {"page_url": page.url, "section": rng.choice([*SECTIONS, ""]),
                   "tags": rng.sample(TAGS, rng.randint(0, 2)), "exclude": exclude, "now": NOW}
        few = link_candidates(index, rule, section=context["section"], tags=context["tags"],
                              exclude=exclude)
        expected = choose_links(rule, articles, **context)
        if rule_name == "tags":  # more shared tags first: the index keeps each tag's newest
            chosen = choose_links(rule, few, **context)
            assert len(chosen) == len(expected)
            wanted = {tag.casefold() for tag in context["tags"]}
            assert all(wanted & {tag.casefold() for tag in a.tags} for a in chosen)
        else:
            assert choose_links(rule, few, **context) == expected


def test_a_big_catalogue_costs_an_insert_little():
    articles = catalogue(random.Random(1), 20000)
    index = ArticleIndex.of(articles)
    rule = InsertRule(rules=("section",), link_count=1, max_age_days=None)
    started = time.perf_counter()
    for _ in range(100):
        few = link_candidates(index, rule, section="politique", tags=(), exclude={1, 2})
        choose_links(rule, few, page_url=articles[0].url, section="politique", tags=(),
                     exclude={1, 2}, now=NOW)
    assert len(few) <= 20
    # Under 20 ms even on a busy machine; choose_links over the whole catalogue takes ~400 ms.
    assert (time.perf_counter() - started) / 100 < 0.02
