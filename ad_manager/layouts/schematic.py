"""Where each placement shows on the editor's schematic article."""

from collections import defaultdict

# The schematic article has this many numbered paragraphs.
SCHEMATIC_PARAGRAPHS = 8


def schematic_spot(where: str, paragraph: int | None, paragraphs: int = SCHEMATIC_PARAGRAPHS):
    """Give the spot of a placement on the schematic.

    "top" (under the headline), a paragraph number (right after it), "end" (after
    the body), "beyond" (a paragraph the schematic doesn't have) or "aside"
    (selector and manual placements: the page decides where they land).
    """
    if where == "before_first_paragraph":
        return "top"
    if where == "after_body":
        return "end"
    if where == "after_paragraph" and paragraph:
        return paragraph if paragraph <= paragraphs else "beyond"
    if where == "after_paragraph_from_end" and paragraph:
        # Right after the N-th paragraph counted from the end (1 = the last).
        spot = paragraphs - paragraph + 1
        return spot if spot >= 1 else "beyond"
    return "aside"


def schematic_spots(placements, paragraphs: int = SCHEMATIC_PARAGRAPHS) -> dict:
    """Group placements by their spot, keeping the layout's order within each."""
    spots = defaultdict(list)
    for placement in placements:
        spots[schematic_spot(placement.where, placement.paragraph, paragraphs)].append(placement)
    return dict(spots)


def page_key(placement) -> tuple:
    """Give where a placement comes in a reader's page: under the headline, after
    paragraph 1, 2… (counted from the top), then those counted from the end, after
    the body, and last those the page places itself (selector, placeholder)."""
    where, paragraph = placement.where, placement.paragraph or 0
    if where == "before_first_paragraph":
        return (0, 0)
    if where == "after_paragraph":
        return (1, paragraph)
    if where == "after_paragraph_from_end":
        return (2, -paragraph)
    if where == "after_body":
        return (3, 0)
    return (4, 0)


def same_spot(one, other) -> bool:
    """Tell whether two placements go to the same place (their order then matters)."""
    return (one.where, one.paragraph, one.selector) == (other.where, other.paragraph,
                                                        other.selector)


def page_order(placements) -> list:
    """Give placements in page order; the layout's own order within one spot."""
    return sorted(placements, key=lambda p: (page_key(p), p.position, p.id or 0))
