"""Which sizes a zone takes at a viewport, and which creatives fill it best."""

from collections.abc import Mapping, Sequence


def slot_sizes(size_map: Sequence[Mapping], viewport_width: int | None,
               ) -> tuple[tuple[int, int], ...]:
    """Give the sizes a zone takes at this viewport width, widest first.

    The size map's entries are sorted by ``min_width``; the last one the viewport
    reaches applies. No width known: the narrowest entry (mobile first).
    """
    chosen = None
    for entry in size_map:
        if chosen is None or (viewport_width or 0) >= entry.get("min_width", 0):
            chosen = entry
    sizes = []
    for text in (chosen or {}).get("sizes", ()):
        width, _, height = str(text).partition("x")
        if width.isdigit() and height.isdigit():
            sizes.append((int(width), int(height)))
    return tuple(sorted(sizes, key=lambda size: (-size[0], -size[1])))


def widest(creatives: list) -> list:
    """Keep the creatives of the widest size among them (the slot's best use).

    Sized creatives beat text ones; among text creatives, all stay.
    """
    sized = [c for c in creatives if c.kind != "text"]
    if not sized:
        return creatives
    best = max((c.width or 0, c.height or 0) for c in sized)
    return [c for c in sized if (c.width or 0, c.height or 0) == best]
