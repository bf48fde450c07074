"""Which layout a page gets: the named one, then rules in order, then the default."""

from dataclasses import dataclass, field

from ad_manager.delivery.layouts import DEFAULT_BODY_SELECTORS, match_layout, rule_matches


@dataclass
class FakeLayout:
    slug: str
    is_default: bool = False
    match_sections: list = field(default_factory=list)
    match_url_pattern: str = ""
    rule_order: int = 0


ARTICLE = FakeLayout("article", is_default=True)
SPORT = FakeLayout("sport", match_sections=["sport"], rule_order=2)
LIVE = FakeLayout("direct", match_url_pattern="*/direct/*", rule_order=1)
LAYOUTS = [ARTICLE, SPORT, LIVE]


def test_named_layout_wins_over_rules_and_default():
    found = match_layout(LAYOUTS, slug="sport", section="culture", url="https://x.fr/direct/1")
    assert found is SPORT


def test_unknown_named_layout_falls_back_to_rules_then_default():
    assert match_layout(LAYOUTS, slug="nope", section="sport", url="https://x.fr/a") is SPORT
    assert match_layout(LAYOUTS, slug="nope", section="", url="https://x.fr/a") is ARTICLE


def test_section_rule_matches_without_case_or_spaces():
    assert match_layout(LAYOUTS, slug=None, section=" Sport ", url="https://x.fr/a") is SPORT


def test_url_pattern_rule_is_a_glob_on_the_whole_url():
    found = match_layout(LAYOUTS, slug=None, section="", url="https://x.fr/direct/match-1")
    assert found is LIVE
    assert not rule_matches(LIVE, section="", url="https://x.fr/sport/direct")


def test_first_rule_by_rule_order_wins():
    # Both rules take this page; "direct" comes first by rule_order.
    found = match_layout(LAYOUTS, slug=None, section="sport", url="https://x.fr/direct/1")
    assert found is LIVE
    SPORT_FIRST = FakeLayout("sport", match_sections=["sport"], rule_order=0)
    found = match_layout([ARTICLE, SPORT_FIRST, LIVE], slug=None, section="sport",
                         url="https://x.fr/direct/1")
    assert found is SPORT_FIRST


def test_page_no_rule_takes_gets_the_default():
    assert match_layout(LAYOUTS, slug=None, section="culture", url="https://x.fr/c") is ARTICLE


def test_site_without_default_or_match_gets_none():
    assert match_layout([SPORT, LIVE], slug=None, section="culture", url="https://x.fr/c") is None
    assert match_layout([], slug="article", section="", url="") is None


def test_default_layout_without_rule_is_not_a_rule():
    # A default layout with no sections/pattern never matches as a rule before others.
    other_default = FakeLayout("a", is_default=True, rule_order=-5)
    found = match_layout([other_default, SPORT], slug=None, section="sport", url="")
    assert found is SPORT


def test_empty_section_never_matches_a_blank_rule_entry():
    blank = FakeLayout("blank", match_sections=["", "  "], rule_order=0)
    assert match_layout([blank, ARTICLE], slug=None, section="", url="x") is ARTICLE


def test_default_body_selectors_cover_common_cms_in_order():
    assert DEFAULT_BODY_SELECTORS == [
        '[itemprop="articleBody"]', ".entry-content", ".wp-block-post-content", ".gh-content",
        ".post-content", ".field--name-body", ".node__content", "article", "main",
    ]
