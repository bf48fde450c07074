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
