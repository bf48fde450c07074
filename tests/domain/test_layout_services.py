"""Layout and placement rules, called as the dashboard calls them."""

import pytest

from ad_manager.delivery.layouts import needs_placeholder
from ad_manager.extensions import db
from ad_manager.layouts import LayoutError
from ad_manager.layouts.editing import create_layout, move_rule, parse_sections, update_layout
from ad_manager.layouts.placements import (
    add_placement,
    fold_warnings,
    move_placement,
    remove_placement,
)
from ad_manager.layouts.selectors import selector_problem
from ad_manager.models import AuditEntry
from tests.factories import make_insert, make_site, make_zone


@pytest.fixture
def site(app):
    return make_site()


def layout_of(site, slug="article", **fields):
    data = {"name": slug.title(), "slug": slug}
    data.update(fields)
    return create_layout(site, data)


def test_selector_check_accepts_css_and_refuses_broken_or_pseudo_elements():
    good = 'main .entry-content > p:nth-of-type(2), [itemprop="articleBody"]'
    assert selector_problem(good) is None
    assert selector_problem("div >> p")
    assert selector_problem("p::before")
    assert selector_problem("")


def test_sections_are_split_lowered_and_deduplicated():
    assert parse_sections(" Politique, sport,,politique ") == ["politique", "sport"]


def test_only_one_default_layout_per_site(site):
    first = layout_of(site, "article", is_default=True)
    second = layout_of(site, "breve", is_default=True)
    assert second.is_default and not first.is_default
    update_layout(first, {"name": "Article", "slug": "article", "is_default": True})
    assert first.is_default and not second.is_default


def test_layout_slug_is_unique_per_site_and_well_formed(site):
    layout_of(site, "article")
    with pytest.raises(LayoutError) as error:
        layout_of(site, "article")
    assert error.value.field == "slug"
    with pytest.raises(LayoutError):
        layout_of(site, "Mon Article")
    other = make_site("autre")
    assert layout_of(other, "article").site_id == other.id


def test_body_selector_must_parse(site):
    with pytest.raises(LayoutError) as error:
        layout_of(site, "article", body_selector=".content >")
    assert error.value.field == "body_selector"


def test_rules_move_up_and_renumber(site):
    sport = layout_of(site, "sport", match_sections="sport", rule_order=5)
    live = layout_of(site, "direct", match_url_pattern="*/direct/*", rule_order=9)
    plain = layout_of(site, "article", is_default=True)
    assert move_rule(live, -1)
    assert (live.rule_order, sport.rule_order) == (0, 1)
    assert not move_rule(live, -1)
    assert not move_rule(plain, 1)


def test_placements_keep_their_order_through_moves_and_removal(site):
    layout = layout_of(site)
    zone, insert = make_zone(site), make_insert(site)
    top = add_placement(layout, {"where": "before_first_paragraph", "what": f"zone:{zone.id}"})
    two = add_placement(layout, {"where": "after_paragraph", "paragraph": 2,
                                 "what": f"insert:{insert.id}"})
    six = add_placement(layout, {"where": "after_paragraph", "paragraph": 2,
                                 "what": f"zone:{zone.id}"})
    assert [p.id for p in layout.placements] == [top.id, two.id, six.id]
    assert move_placement(six, -1)  # both after paragraph 2: their order is theirs to pick
    assert [p.id for p in layout.placements] == [top.id, six.id, two.id]
    assert not move_placement(top, -1)
    assert not move_placement(six, -1)  # above it comes another spot of the page
    remove_placement(six)
    db.session.commit()
    assert [p.id for p in layout.placements] == [top.id, two.id]
    actions = db.session.scalars(db.select(AuditEntry.action)
                                 .where(AuditEntry.object_type == "placement")).all()
    assert sorted(actions) == ["create", "create", "create", "delete", "move"]


@pytest.mark.parametrize(("data", "field"), [
    ({"where": "after_paragraph"}, "paragraph"),
    ({"where": "after_paragraph", "paragraph": 0}, "paragraph"),
    ({"where": "after_paragraph_from_end", "paragraph": -1}, "paragraph"),
    ({"where": "after_selector", "selector": ""}, "selector"),
    ({"where": "inside_selector", "selector": "div[", }, "selector"),
    ({"where": "nowhere"}, "where"),
    ({"where": "after_body", "min_paragraphs": 0}, "min_paragraphs"),
    ({"where": "after_body", "device": "watch"}, "device"),
])
def test_bad_placements_are_refused_on_their_field(site, data, field):
    layout = layout_of(site)
    zone = make_zone(site)
    with pytest.raises(LayoutError) as error:
        add_placement(layout, {"what": f"zone:{zone.id}", **data})
    assert error.value.field == field
    assert layout.placements == []


def test_zone_or_insert_must_belong_to_the_layouts_site(site):
    layout = layout_of(site)
    foreign = make_zone(make_site("autre"))
    with pytest.raises(LayoutError) as error:
        add_placement(layout, {"where": "after_body", "what": f"zone:{foreign.id}"})
    assert error.value.field == "what"
    with pytest.raises(LayoutError):
        add_placement(layout, {"where": "after_body", "what": "zone:999"})


def test_inserts_cannot_be_placed_by_hand(site):
    layout = layout_of(site)
    insert = make_insert(site)
    with pytest.raises(LayoutError) as error:
        add_placement(layout, {"where": "manual", "what": f"insert:{insert.id}"})
    assert error.value.field == "where"


def test_zones_above_the_fold_are_warned_and_need_a_placeholder(site):
    layout = layout_of(site)
    zone, insert = make_zone(site), make_insert(site)
    top = add_placement(layout, {"where": "before_first_paragraph", "what": f"zone:{zone.id}"})
    first = add_placement(layout, {"where": "after_paragraph", "paragraph": 1,
                                   "what": f"insert:{insert.id}"})
    low = add_placement(layout, {"where": "after_paragraph", "paragraph": 3,
                                 "what": f"zone:{zone.id}"})
    aside = add_placement(layout, {"where": "manual", "what": f"zone:{zone.id}"})
    picked = add_placement(layout, {"where": "after_selector", "selector": "h1",
                                    "what": f"zone:{zone.id}"})
    warnings = fold_warnings(layout)
    assert set(warnings) == {top.id, first.id, picked.id}
    assert "emplacement réservé" in warnings[top.id]
    assert [needs_placeholder(p) for p in (top, first, low, aside, picked)] == [
        True, False, False, True, True]
