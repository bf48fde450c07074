"""Placements are listed in the order a reader meets them in the page."""

from types import SimpleNamespace

from ad_manager.layouts.schematic import page_order, same_spot


def placement(id, where, paragraph=None, position=None, selector=""):
    return SimpleNamespace(id=id, where=where, paragraph=paragraph, selector=selector,
                           position=position if position is not None else id)


def test_page_order_follows_the_article_not_the_creation_order():
    made = [placement(1, "after_body"), placement(2, "after_paragraph", 6),
            placement(3, "manual"), placement(4, "after_paragraph_from_end", 1),
            placement(5, "before_first_paragraph"), placement(6, "after_paragraph", 2),
            placement(7, "after_paragraph_from_end", 3), placement(8, "after_paragraph", 2)]
    assert [p.id for p in page_order(made)] == [5, 6, 8, 2, 7, 4, 1, 3]
    assert same_spot(made[5], made[7]) and not same_spot(made[5], made[1])
