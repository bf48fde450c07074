"""Ad sizes ("WxH") and a zone's responsive size map."""

import re

from flask_babel import gettext as _

from ad_manager.invalid import Invalid

# The IAB fixed sizes offered as choices, most sold first.
IAB_SIZES = ["728x90", "970x90", "970x250", "300x250", "300x600", "160x600", "320x50",
             "320x100", "468x60"]
SIZE_PATTERN = re.compile(r"^\s*(\d{1,4})\s*[x×X]\s*(\d{1,4})\s*$")
MAX_SIDE = 2000


def parse_size(text: str) -> tuple[int, int]:
    """Give ``(width, height)`` of a size written "728x90"; ValueError when it is not one."""
    match = SIZE_PATTERN.match(text or "")
    if not match:
        raise ValueError(f"not a size: {text!r}")
    width, height = int(match[1]), int(match[2])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ValueError(f"size out of range: {text!r}")
    return width, height


def normal_size(text: str, field: str = "sizes") -> str:
    """Give a size in its stored form "WxH", or raise ``Invalid`` on ``field``."""
    try:
        width, height = parse_size(text)
    except ValueError:
        raise Invalid.on(field, _("Unknown size “%(size)s”: write it as width x height, "
                                  "e.g. 728x90.", size=text.strip())) from None
    return f"{width}x{height}"


def parse_sizes(texts, field: str = "sizes") -> list[str]:
    """Give the distinct sizes of ``texts`` (chosen or typed, comma separated) in order."""
    sizes: list[str] = []
    for text in texts:
        for part in (text or "").replace(";", ",").split(","):
            if part.strip():
                size = normal_size(part, field)
                if size not in sizes:
                    sizes.append(size)
    return sizes


def parse_size_map(text: str, sizes: list[str], field: str = "size_map") -> list[dict]:
    """Read a size map written one row per line, "min width: sizes", e.g. ``768: 728x90``.

    Empty text means every size at every width. Rows come back sorted by min width,
    the first at 0; each size must be one of the zone's ``sizes``.
    """
    rows: dict[int, list[str]] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        width_text, sep, sizes_text = line.partition(":")
        if not sep or not width_text.strip().isdigit():
            raise Invalid.on(field, _("Line %(n)s: write “min width: sizes”, e.g. "
                                      "“768: 728x90”.", n=number))
        width = int(width_text)
        if width in rows:
            raise Invalid.on(field, _("Line %(n)s: the width %(w)s appears twice.",
                                      n=number, w=width))
        row = parse_sizes([sizes_text], field)
        if not row:
            raise Invalid.on(field, _("Line %(n)s: give at least one size.", n=number))
        for size in row:
            if size not in sizes:
                raise Invalid.on(field, _("Line %(n)s: %(size)s is not one of the zone's "
                                          "sizes.", n=number, size=size))
        rows[width] = row
    if not rows:
        return [{"min_width": 0, "sizes": list(sizes)}]
    if 0 not in rows:
        raise Invalid.on(field, _("The first line must start at width 0 (phones)."))
    return [{"min_width": width, "sizes": rows[width]} for width in sorted(rows)]


def format_size_map(size_map: list[dict]) -> str:
    """Write a size map back as the text the zone form shows."""
    return "\n".join(f"{row['min_width']}: {', '.join(row['sizes'])}" for row in size_map or [])


def size_map_sizes(size_map: list[dict]) -> list[str]:
    """Give every size a size map uses, in first-seen order."""
    sizes: list[str] = []
    for row in size_map or []:
        sizes.extend(s for s in row["sizes"] if s not in sizes)
    return sizes
