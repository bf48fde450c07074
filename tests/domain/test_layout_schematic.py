"""Where the editor's schematic article shows each placement."""

from types import SimpleNamespace

from ad_manager.layouts.schematic import schematic_spot, schematic_spots


def test_each_position_has_its_spot_on_the_eight_paragraph_article():
    assert schematic_spot("before_first_paragraph", None) == "top"
    assert schematic_spot("after_paragraph", 2) == 2
    assert schematic_spot("after_paragraph", 12) == "beyond"
    assert schematic_spot("after_paragraph_from_end", 1) == 8  # after the last one
    assert schematic_spot("after_paragraph_from_end", 3) == 6
    assert schematic_spot("after_paragraph_from_end", 9) == "beyond"
    assert schematic_spot("after_body", None) == "end"
    assert schematic_spot("after_selector", None) == "aside"
    assert schematic_spot("manual", None) == "aside"


def test_spots_keep_the_layouts_order():
    first = SimpleNamespace(where="after_paragraph", paragraph=2)
    second = SimpleNamespace(where="after_paragraph", paragraph=2)
    top = SimpleNamespace(where="before_first_paragraph", paragraph=None)
    assert schematic_spots([first, top, second]) == {2: [first, second], "top": [top]}
