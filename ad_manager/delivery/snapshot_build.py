"""The full build of an inventory snapshot from the rows the serving wing loads.

``build_snapshot`` freezes every active site's inventory into a ``Snapshot``
(``delivery.snapshot``), once per process per inventory change, off the request path:
about 0.3–0.6 s per 1000 campaigns. Changes between two builds (articles, campaigns
read again) are applied to the snapshot itself (``Snapshot.with_articles``,
``Snapshot.with_campaigns``), which shares ``bookings`` and ``shown_campaigns`` with
this build.
"""

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

from ad_manager.delivery.creative_choice import Booked
from ad_manager.delivery.link_choice import Candidate
from ad_manager.delivery.links import ArticleIndex
from ad_manager.delivery.records import zone_info
from ad_manager.delivery.snapshot import (
    InsertInfo,
    LayoutInfo,
    PlacementInfo,
    SiteInfo,
    SiteInventory,
    Snapshot,
    bookings,
    shown_campaigns,
)


def site_info(site) -> SiteInfo:
    return SiteInfo(
        id=site.id, key=site.key, name=site.name,
        allowed_origins=tuple(site.allowed_origins or ()), domains=tuple(site.domains or ()),
        language=site.language or "", timezone=site.timezone or "UTC",
        house_ad_text=site.house_ad_text or "", sales_contact_url=site.sales_contact_url or "",
        discover_articles=bool(site.discover_articles),
        excluded_user_agents=tuple(str(part) for part in site.excluded_user_agents or ()),
        excluded_ip_ranges=tuple(str(text) for text in site.excluded_ip_ranges or ()))


def _layout_info(layout, zones_by_id, inserts_by_id, by_zone, by_insert) -> LayoutInfo:
    """Freeze a layout; placements whose zone or insert is gone are left out."""
    placements = tuple(
        PlacementInfo(id=p.id, where=p.where, paragraph=p.paragraph, selector=p.selector or "",
                      device=p.device or "all", min_paragraphs=p.min_paragraphs,
                      zone=zones_by_id.get(p.zone_id), insert=inserts_by_id.get(p.insert_id))
        for p in layout.placements
        if zones_by_id.get(p.zone_id) or inserts_by_id.get(p.insert_id))
    return LayoutInfo(
        id=layout.id, slug=layout.slug, body_selector=layout.body_selector or "",
        is_default=layout.is_default, match_sections=tuple(layout.match_sections or ()),
        match_url_pattern=layout.match_url_pattern or "", rule_order=layout.rule_order,
        placements=placements,
        campaign_ids=shown_campaigns(placements, by_zone, by_insert))


def build_snapshot(version: object, *, sites, layouts, zones, inserts, campaigns,
                   articles: Mapping[int, Iterable[Candidate]], insert_rule: Callable,
                   now: datetime, articles_as_of: datetime | None = None) -> Snapshot:
    """Freeze rows (models or look-alikes) into a snapshot.

    ``campaigns`` carry ``.zones``/``.inserts``/``.creatives``; ``layouts`` carry
    ``.placements``. Archived rows, campaigns not active or already finished and
    placements whose zone or insert is gone are left out.
    """
    live_sites = {s.id: s for s in sites if s.archived_at is None}
    zones_by_id = {z.id: zone_info(z) for z in zones
                   if z.archived_at is None and z.site_id in live_sites}
    inserts_by_id = {
        i.id: InsertInfo(id=i.id, slug=i.slug, label=i.label, rule=insert_rule(i),
                         allow_sponsored=i.allow_sponsored)
        for i in inserts if i.archived_at is None and i.site_id in live_sites}
    listed_by_zone, listed_by_insert = bookings(campaigns, zones_by_id, inserts_by_id, now)
    by_zone = {k: Booked.of(v) for k, v in listed_by_zone.items()}
    by_insert = {k: Booked.of(v) for k, v in listed_by_insert.items()}
    layouts_by_site: dict[int, list[LayoutInfo]] = {}
    for layout in sorted(layouts, key=lambda lay: (lay.rule_order, lay.id)):
        if layout.archived_at is None and layout.site_id in live_sites:
            layouts_by_site.setdefault(layout.site_id, []).append(
                _layout_info(layout, zones_by_id, inserts_by_id, by_zone, by_insert))
    site_of = {**{("zone", z.id): z.site_id for z in zones},
               **{("insert", i.id): i.site_id for i in inserts}}
    inventories = {}
    for site in live_sites.values():
        listed = tuple(articles.get(site.id, ()))
        inventories[site.key] = SiteInventory(
            site=site_info(site),
            layouts=tuple(layouts_by_site.get(site.id, ())),
            campaigns_by_zone=MappingProxyType({
                k: v for k, v in by_zone.items() if site_of[("zone", k)] == site.id}),
            campaigns_by_insert=MappingProxyType({
                k: v for k, v in by_insert.items() if site_of[("insert", k)] == site.id}),
            articles=ArticleIndex.of(listed),
            known_articles=MappingProxyType({a.key: a for a in listed}))
    return Snapshot(version=version, sites=MappingProxyType(inventories), built_at=time.time(),
                    articles_as_of=articles_as_of,
                    zone_sites=MappingProxyType({z: site_of[("zone", z)] for z in zones_by_id}),
                    insert_sites=MappingProxyType({
                        i: site_of[("insert", i)] for i in inserts_by_id}))
