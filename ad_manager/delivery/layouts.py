"""Which layout a page gets, and where the loader looks for the article body.

Pure functions over plain objects: the decision endpoint passes the layouts of
its inventory snapshot, the dashboard passes models, tests pass dataclasses.
"""

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from typing import Protocol

# Tried in order when a layout names no body selector: the first that finds an
# element is the article body. Specific CMS markup first, plain HTML last.
DEFAULT_BODY_SELECTORS = [
    '[itemprop="articleBody"]',  # schema.org microdata
    ".entry-content",  # WordPress classic themes
    ".wp-block-post-content",  # WordPress block themes
    ".gh-content",  # Ghost
    ".post-content",  # many themes, Ghost's older Casper
    ".field--name-body",  # Drupal 8+
    ".node__content",  # Drupal
    "article",
    "main",
]


class MatchableLayout(Protocol):
    """What matching reads of a layout."""

    slug: str
    is_default: bool
    match_sections: Sequence[str]
    match_url_pattern: str
    rule_order: int


def _fold(text: str | None) -> str:
    return (text or "").strip().casefold()


def has_rule(layout: MatchableLayout) -> bool:
    """Tell whether the layout carries a section or URL rule."""
    return any(_fold(s) for s in layout.match_sections or ()) or bool(
        (layout.match_url_pattern or "").strip()
    )


def rule_matches(layout: MatchableLayout, *, section: str | None, url: str | None) -> bool:
    """Tell whether the layout's rule takes a page of ``section`` at ``url``.

    Sections compare without case or surrounding spaces; the URL pattern is an
    fnmatch glob (``*/sport/*``) matched against the whole URL.
    """
    wanted = _fold(section)
    if wanted and wanted in {_fold(s) for s in layout.match_sections or ()}:
        return True
    pattern = (layout.match_url_pattern or "").strip()
    return bool(pattern and url and fnmatchcase(url, pattern))


def match_layout(
    layouts: Iterable[MatchableLayout], *, slug: str | None, section: str | None, url: str | None
) -> MatchableLayout | None:
    """Give the layout a page uses, or None when the site has none for it.

    The layout the tag names comes first; else the first rule, by ``rule_order``,
    whose sections hold the page's section or whose URL pattern matches its URL;
    else the site's default layout. A named slug the site doesn't know falls back
    to rules and default, so a typo in a template still shows ads.
    """
    layouts = list(layouts)
    if slug:
        for layout in layouts:
            if layout.slug == slug:
                return layout
    ruled = sorted((lay for lay in layouts if has_rule(lay)), key=lambda lay: lay.rule_order)
    for layout in ruled:
        if rule_matches(layout, section=section, url=url):
            return layout
    for layout in layouts:
        if layout.is_default:
            return layout
    return None


SELECTOR_POSITIONS = ("before_selector", "after_selector", "inside_selector")


def may_sit_above_fold(placement) -> bool:
    """Tell whether a placement may show in the first screen of the article.

    Before the first paragraph or after the first one, and wherever a selector
    points (it can be anywhere) — a box injected there after the first paint
    shifts the text.
    """
    where = placement.where
    return (where == "before_first_paragraph"
            or (where == "after_paragraph" and placement.paragraph == 1)
            or where in SELECTOR_POSITIONS)


def needs_placeholder(placement) -> bool:
    """Tell whether the page's own HTML must hold this zone's box (snippet placeholder)."""
    return placement.zone_id is not None and (
        placement.where == "manual" or may_sit_above_fold(placement))
