"""What a publisher's web developer pastes for one layout: head part, placeholders, tag.

Built on ``delivery/markup.py``; the dashboard's snippet page, the CLI and the
demo pages all give the same parts.
"""

import re
from urllib.parse import urlsplit

from ad_manager.delivery.layouts import needs_placeholder
from ad_manager.delivery.markup import csp_hash, head_part, layout_config, placeholder, script_tag

INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def placeholder_zones(layout) -> list:
    """Give the zones whose box the page itself must hold, in the layout's order, once each.

    Zones placed by hand, and zones that may sit above the fold: a box injected
    there after the first paint would push the text down.
    """
    zones = []
    for placement in layout.placements:
        zone = placement.zone
        if zone is None or zone.archived or not needs_placeholder(placement):
            continue
        if zone not in zones:
            zones.append(zone)
    return zones


def snippet_parts(site, layout, base_url: str, preview: bool = False) -> dict:
    """Give ``{"head": html, "placeholders": {zone_slug: html}, "script": html}``.

    ``preview`` marks the script tag so the server counts nothing (the live preview).
    """
    return {
        "head": head_part(base_url, layout_config(layout)),
        "placeholders": {zone.slug: placeholder(zone) for zone in placeholder_zones(layout)},
        "script": script_tag(base_url, site.key, layout.slug, preview=preview),
    }


def origin(base_url: str) -> str:
    """Give scheme://host[:port] of ``base_url``."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(parts: dict, base_url: str) -> dict[str, list[str]]:
    """Give the sources a page's CSP must allow for these parts, by directive.

    Inline <script> and <style> blocks are allowed by their hash, so the page
    needs no 'unsafe-inline'; the ads host serves the loader, its stylesheet (linked
    when the script tag comes alone), the decision, the events and the images.
    """
    host = origin(base_url)
    html = parts["head"] + "".join(parts["placeholders"].values())
    scripts = [csp_hash(text) for kind, text in INLINE.findall(html) if kind == "script"]
    styles = [csp_hash(text) for kind, text in INLINE.findall(html) if kind == "style"]
    return {
        "script-src": [host, *scripts],
        "style-src": [host, *sorted(set(styles))],
        "connect-src": [host],
        "img-src": [host],
        "frame-src": [host],
    }


def policy_text(policy: dict[str, list[str]], base: str = "'self'") -> str:
    """Write a CSP header value from directives, each also allowing ``base``."""
    return "; ".join(f"{name} {' '.join([base, *sources])}" for name, sources in policy.items())
