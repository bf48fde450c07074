"""The HTML a publisher pastes: script tag, zone placeholders and the head part.

Pure functions giving escaped strings; the snippet generator and the demo pages
build on them. Every box they describe keeps the height it will have once filled
(the zone's tallest size at the current viewport plus its label line, one line per
insert link), so the page never moves when the ad arrives.
"""

import base64
import hashlib
import json
import re
from functools import lru_cache
from html import escape
from pathlib import Path

from ad_manager.delivery.embed_rules import BASE_CSS, LABEL_HEIGHT
from ad_manager.delivery.layouts import DEFAULT_BODY_SELECTORS

HEAD_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "embed-head.js"
# Positions the page's own placeholders serve; the head part reserves all the others.
PLACEHOLDER_POSITIONS = frozenset({"manual"})
CONFIG_TOKEN = "__ADM_CONFIG__"  # noqa: S105 (a placeholder, not a secret)


def _field(thing, name, default=None):
    """Read ``name`` from a model or a plain dict alike."""
    if isinstance(thing, dict):
        return thing.get(name, default)
    return getattr(thing, name, default)


def size_height(size: str) -> int:
    """Give the height of a "WxH" size, 0 for anything else."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*x\s*(\d{1,4})\s*", str(size))
    return int(match.group(2)) if match else 0


def breakpoints(zone) -> list[tuple[int, int]]:
    """Give (min_width, reserved height) per size-map entry, label line included.

    The reserved height is the tallest size the entry allows: whichever one the
    decision picks then fits without growing the box.
    """
    label = LABEL_HEIGHT if _field(zone, "label") else 0
    entries = [e for e in (_field(zone, "size_map") or []) if isinstance(e, dict)]
    if not entries:
        entries = [{"min_width": 0, "sizes": _field(zone, "sizes") or []}]
    result = []
    for entry in sorted(entries, key=lambda e: int(e.get("min_width") or 0)):
        tallest = max((size_height(s) for s in entry.get("sizes") or []), default=0)
        result.append((int(entry.get("min_width") or 0), tallest + label))
    return result


def css_string(value: str) -> str:
    """Quote ``value`` as a CSS string that cannot close the string or the <style>."""
    escaped = "".join(c if (c.isalnum() and c.isascii()) or c in "-_" else f"\\{ord(c):x} "
                      for c in str(value))
    return f'"{escaped}"'


def reserve_css(selector: str, zone) -> str:
    """Give the min-height rules of one zone box, one media query per breakpoint."""
    rules = []
    for min_width, height in breakpoints(zone):
        rule = f"{selector}{{min-height:{height}px}}"
        rules.append(rule if min_width <= 0 else f"@media (min-width:{min_width}px){{{rule}}}")
    return "".join(rules)


def zone_config(zone) -> dict:
    """Give what the browser needs of a zone: slug, label and size map."""
    return {"slug": _field(zone, "slug"), "label": _field(zone, "label") or "",
            "size_map": list(_field(zone, "size_map") or [])}


def placement_config(placement) -> dict:
    """Give one placement as the loader and the decision answer describe it."""
    config = {
        "id": placement.id, "kind": placement.kind, "where": placement.where,
        "paragraph": placement.paragraph, "selector": placement.selector or "",
        "device": placement.device or "all", "min_paragraphs": placement.min_paragraphs,
    }
    if placement.kind == "zone":
        config["zone"] = zone_config(placement.zone)
    else:
        insert = placement.insert
        config["insert"] = {"slug": insert.slug, "label": insert.label,
                            "link_count": insert.link_count or 1}
    return config


def layout_config(layout) -> dict:
    """Give a layout as a plain dict: body selector(s) and its live placements."""
    placements = [
        p for p in layout.placements
        if (p.zone is not None and not p.zone.archived)
        or (p.insert is not None and not p.insert.archived)
    ]
    return {
        "id": layout.id, "slug": layout.slug, "body_selector": layout.body_selector or "",
        "body_selectors": list(DEFAULT_BODY_SELECTORS),
        "placements": [placement_config(p) for p in placements],
    }


def script_tag(base_url: str, site_key: str, layout_slug: str, preview: bool = False) -> str:
    """Give the async script tag of the embed."""
    src = escape(base_url.rstrip("/") + "/embed.js")
    attrs = f' data-site="{escape(site_key)}"'
    if layout_slug:
        attrs += f' data-layout="{escape(layout_slug)}"'
    if preview:
        attrs += ' data-preview="1"'
    return f'<script async src="{src}"{attrs}></script>'


def placeholder(zone) -> str:
    """Give a zone's placeholder: its box, label shown, at its final height everywhere."""
    slug = _field(zone, "slug")
    css = reserve_css(f"[data-adm-zone={css_string(slug)}]", zone)
    label = _field(zone, "label") or ""
    inner = f'<span class="adm-label">{escape(label)}</span>' if label else ""
    # The <style> sits inside the box, so the placeholder is one element of the page.
    return (f'<div data-adm-zone="{escape(slug)}" data-adm-kind="zone" class="adm-slot adm-zone">'
            f"<style>{BASE_CSS}{css}</style>{inner}</div>")


@lru_cache(maxsize=1)
def head_script_source() -> str:
    """Give static/embed-head.js (built, minified) as the head part inlines it."""
    return HEAD_SCRIPT.read_text(encoding="utf-8").strip()


def script_json(value) -> str:
    """Dump ``value`` as JSON that is safe inside an inline <script>."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def head_script(config: dict) -> str:
    """Give the inline head script's text: the reserving code with the layout inside."""
    return head_script_source().replace(CONFIG_TOKEN, script_json(config))


def head_style(config: dict) -> str:
    """Give the CSS reserving every in-content box of the layout, by placement id."""
    rules = [BASE_CSS]
    for placement in config.get("placements", []):
        if placement.get("where") in PLACEHOLDER_POSITIONS:
            continue
        selector = f"[data-adm-placement={css_string(str(placement['id']))}]"
        if placement.get("kind") == "zone":
            rules.append(reserve_css(selector, placement["zone"]))
        else:
            lines = int(placement["insert"].get("link_count") or 1)
            rules.append(f"{selector}{{min-height:{lines}lh}}")
    return "".join(rules)


def head_part(base_url: str, layout_config: dict) -> str:
    """Give what goes in the page's <head>: preconnect, reserving CSS, reserving script."""
    origin = escape(base_url.rstrip("/"))
    return (f'<link rel="preconnect" href="{origin}" crossorigin>'
            f"<style>{head_style(layout_config)}</style>"
            f"<script>{head_script(layout_config)}</script>")


def csp_hash(script_text: str) -> str:
    """Give the CSP source ('sha256-…') that allows one inline script's exact text."""
    digest = hashlib.sha256(script_text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"
