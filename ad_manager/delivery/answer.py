"""Compose a page view's answer: every placement of its layout, filled.

Zones get a creative (``delivery.creative_choice``), the house ad or nothing; inserts get
their links (``delivery.link_choice``), a sponsored text link first where the insert
takes one. Every shown thing gets a signed token (for its events, and in its click
link) and is listed as ``served``. Plain Python over the snapshot; the view passes
what needs Flask (token signing and URLs) as a ``Links`` object.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from random import Random

from ad_manager.delivery.creative_choice import (
    Booked,
    PageContext,
    PageShown,
    Pick,
    choose_creative,
    choose_sponsored_link,
    slot_sizes,
)
from ad_manager.delivery.embed_rules import PHONE_MAX_WIDTH
from ad_manager.delivery.layouts import DEFAULT_BODY_SELECTORS
from ad_manager.delivery.link_choice import choose_links
from ad_manager.delivery.links import link_candidates
from ad_manager.delivery.page_request import PageRequest
from ad_manager.delivery.shown import Shown
from ad_manager.delivery.snapshot import LayoutInfo, PlacementInfo, SiteInventory

NOTHING_BOOKED = Booked()


@dataclass(frozen=True)
class Links:
    """What the answer needs from the web layer: signed tokens and absolute URLs."""

    # What was shown → (its event token, its click URL).
    tokens: Callable[[Shown], tuple[str, str]]
    media_url: Callable[[str], str]
    # The URL of an HTML creative's own document (site id, creative id): /h/<token>.
    html_url: Callable[[int, int], str]


@dataclass
class Page:
    """One page view being answered: what it asked and what it shows so far."""

    inventory: SiteInventory
    layout: LayoutInfo
    request: PageRequest
    context: PageContext
    view: str
    now: datetime
    rng: Random
    delivered: Mapping[int, tuple[int, int]]
    links: Links
    # Why this page view is not valid traffic (stats.reasons), or None: its tokens say so.
    invalid: str | None = None
    prefer_largest: bool = False  # the PREFER_LARGEST_CREATIVE setting
    shown: PageShown = field(default_factory=PageShown)
    linked_articles: set[int] = field(default_factory=set)
    served: list[Shown] = field(default_factory=list)

    @cached_property
    def hour(self) -> int:
        """The page view's UTC hour, in hours since 1970 (its tokens carry it)."""
        return int(self.now.timestamp()) // 3600

    def shown_as(self, placement: PlacementInfo, **what) -> Shown:
        return Shown(view=self.view, site=self.inventory.site.id, layout=self.layout.id,
                     placement=placement.id, preview=self.request.preview, hour=self.hour,
                     invalid=self.invalid, **what)

    def tokens(self, shown: Shown) -> dict:
        self.served.append(shown)
        event, click = self.links.tokens(shown)
        return {"click": click, "event": event}


def fits_device(placement: PlacementInfo, viewport_width: int | None) -> bool:
    """Tell whether a "phone"-only or "wide"-only placement belongs at this width."""
    if placement.device == "all" or viewport_width is None:
        return True
    narrow = viewport_width <= PHONE_MAX_WIDTH
    return narrow if placement.device == "phone" else not narrow


def creative_ad(page: Page, placement: PlacementInfo, pick: Pick, size) -> dict:
    """Give the ``ad`` of a zone filled by a campaign's creative."""
    creative, campaign = pick.creative, pick.campaign
    shown = page.shown_as(placement, zone=placement.zone.id, campaign=campaign.id,
                          creative=creative.id)
    width, height = (creative.width, creative.height) if creative.kind != "text" else size
    ad = {"type": creative.kind, "width": width, "height": height, "campaign": campaign.id,
          "fc": campaign.frequency_capped, **page.tokens(shown)}
    if creative.kind == "image":
        ad.update(src=page.links.media_url(creative.image_file or ""), alt=creative.alt_text)
    elif creative.kind == "html":
        # The loader frames our URL: a srcdoc frame would take the host page's CSP.
        ad["src"] = page.links.html_url(page.inventory.site.id, creative.id)
    else:
        ad.update(headline=creative.headline or "", body=creative.body or "")
    return ad


def house_ad(page: Page, placement: PlacementInfo, size) -> dict:
    """Give the site's ad for its own ad space ("Votre Pub ici !")."""
    site = page.inventory.site
    shown = page.shown_as(placement, zone=placement.zone.id)
    return {"type": "house", "width": size[0], "height": size[1],
            "headline": site.house_ad_text, "campaign": None, "fc": False,
            **page.tokens(shown)}


def zone_answer(page: Page, placement: PlacementInfo) -> dict:
    zone = placement.zone
    sizes = slot_sizes(zone.size_map, page.request.viewport_width)
    booked = page.inventory.campaigns_by_zone.get(zone.id, NOTHING_BOOKED)
    pick = choose_creative(
        zone, sizes, booked, context=page.context, delivered=page.delivered,
        shown_on_page=page.shown, frequency=page.request.frequency, now=page.now, rng=page.rng,
        prefer_largest=page.prefer_largest)
    size = sizes[0] if sizes else (None, None)
    if pick is not None:
        page.shown.add(pick)
        ad = creative_ad(page, placement, pick, size)
    elif zone.unsold == "house":
        ad = house_ad(page, placement, size)
    else:
        ad = None
    return {"zone": {"slug": zone.slug, "label": zone.label, "size_map": zone.size_map},
            "ad": ad}


def insert_answer(page: Page, placement: PlacementInfo) -> dict:
    insert = placement.insert
    links = []
    pick = None
    if insert.allow_sponsored:
        pick = choose_sponsored_link(
            insert.id, page.inventory.campaigns_by_insert.get(insert.id, NOTHING_BOOKED),
            context=page.context, delivered=page.delivered, shown_on_page=page.shown,
            frequency=page.request.frequency, now=page.now, rng=page.rng)
    if pick is not None:
        page.shown.add(pick)
        shown = page.shown_as(placement, insert=insert.id, campaign=pick.campaign.id,
                              creative=pick.creative.id)
        links.append({"title": pick.creative.headline or "", "url": pick.creative.click_url,
                      "sponsored": True, "campaign": pick.campaign.id,
                      "fc": pick.campaign.frequency_capped, **page.tokens(shown)})
    request = page.request
    slots = insert.rule.link_count - 1 if pick is not None else None
    candidates = link_candidates(page.inventory.articles, insert.rule, section=request.section,
                                 tags=request.tags, exclude=page.linked_articles)
    for article in choose_links(insert.rule, candidates, page_url=request.url,
                                section=request.section, tags=request.tags,
                                exclude=page.linked_articles, now=page.now, slots=slots):
        page.linked_articles.add(article.id)
        shown = page.shown_as(placement, insert=insert.id, article=article.id)
        links.append({"title": article.title, "url": article.url, "sponsored": False,
                      **page.tokens(shown)})
    return {"insert": {"slug": insert.slug, "label": insert.label}, "links": links}


def compose(page: Page) -> dict:
    """Give the JSON-able answer for the page: layout, events URL, placements."""
    placements = []
    for placement in page.layout.placements:
        if not fits_device(placement, page.request.viewport_width):
            continue
        entry = {"id": placement.id, "kind": placement.kind, "where": placement.where,
                 "paragraph": placement.paragraph, "selector": placement.selector,
                 "device": placement.device, "min_paragraphs": placement.min_paragraphs}
        if placement.zone is not None:
            entry.update(zone_answer(page, placement))
        else:
            entry.update(insert_answer(page, placement))
        placements.append(entry)
    layout = page.layout
    return {"view": page.view,
            "layout": {"id": layout.id, "slug": layout.slug,
                       "body_selector": layout.body_selector,
                       "body_selectors": DEFAULT_BODY_SELECTORS},
            "placements": placements}
