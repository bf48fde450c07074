"""The inventory snapshot: everything a decision reads, frozen, indexed for the hot path.

Each app process holds one ``Snapshot`` and answers every decision from it, so a
request never queries inventory tables. It is built in one go
(``snapshot_build.build_snapshot``, from rows the serving wing loads) and replaced
whole when the inventory version changes; new or changed articles and campaigns read
again join it without a rebuild (``with_articles``, ``with_campaigns``).
``delivery.snapshot_holder.SnapshotHolder`` keeps each process's current one fresh.

Cost per request: finding the site is a dict lookup, the layout a scan of the
site's few layouts, and each zone's candidates a dict lookup by zone id giving only
the campaigns booked there, already grouped by tier with cumulative weights
(``Booked``); a busy zone is served by a few weighted draws, not a scan. The work
grows with the page's placements, not with the number of campaigns in the system
(``bench/decision.py`` measures 10 against 10,000 campaigns).
"""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from types import MappingProxyType

from ad_manager.delivery.creative_choice import Booked, CampaignInfo, ZoneInfo
from ad_manager.delivery.link_choice import Candidate, InsertRule
from ad_manager.delivery.links import ArticleIndex
from ad_manager.delivery.records import CreativeInfo, campaign_info


def _empty() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True)
class SiteInfo:
    """A site as serving needs it: key, origins, clock, house ad."""

    id: int
    key: str
    name: str = ""
    allowed_origins: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    language: str = "fr"
    timezone: str = "Europe/Paris"
    house_ad_text: str = "Votre Pub ici !"
    sales_contact_url: str = ""
    discover_articles: bool = False
    # Readers whose events it does not count (user-agent substrings, IP ranges).
    excluded_user_agents: tuple[str, ...] = ()
    excluded_ip_ranges: tuple[str, ...] = ()


@dataclass(frozen=True)
class InsertInfo:
    """An insert: its label and how it chooses its links."""

    id: int
    slug: str
    label: str
    rule: InsertRule
    allow_sponsored: bool = False


@dataclass(frozen=True)
class PlacementInfo:
    """One entry of a layout: where it goes and the zone or insert it holds."""

    id: int
    where: str
    paragraph: int | None = None
    selector: str = ""
    device: str = "all"
    min_paragraphs: int | None = None
    zone: ZoneInfo | None = None
    insert: InsertInfo | None = None

    @property
    def kind(self) -> str:
        return "zone" if self.zone is not None else "insert"


@dataclass(frozen=True)
class LayoutInfo:
    """A layout with its placements in order; matched like the model (``match_layout``)."""

    id: int
    slug: str
    body_selector: str = ""
    is_default: bool = False
    match_sections: tuple[str, ...] = ()
    match_url_pattern: str = ""
    rule_order: int = 0
    placements: tuple[PlacementInfo, ...] = ()
    # Campaigns its zones and sponsored inserts may show: whose delivery to look up.
    campaign_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SiteInventory:
    """What one site serves: layouts, campaigns by zone and insert, listed articles."""

    site: SiteInfo
    layouts: tuple[LayoutInfo, ...] = ()
    campaigns_by_zone: Mapping[int, Booked] = field(default_factory=_empty)
    campaigns_by_insert: Mapping[int, Booked] = field(default_factory=_empty)
    articles: ArticleIndex = field(default_factory=ArticleIndex)
    # The listed articles by normalised URL: is a page already in the catalogue, as is?
    known_articles: Mapping[str, Candidate] = field(default_factory=_empty)


@dataclass(frozen=True)
class Snapshot:
    """Every active site's inventory at one inventory version."""

    version: object
    sites: Mapping[str, SiteInventory] = field(default_factory=_empty)
    built_at: float = field(default=0.0, compare=False)
    # The latest article change the snapshot holds (the next incremental read starts there).
    articles_as_of: datetime | None = field(default=None, compare=False)
    # The site of each live zone and insert (where a campaign read again may be
    # booked): for ``with_campaigns``.
    zone_sites: Mapping[int, int] = field(default_factory=_empty, compare=False)
    insert_sites: Mapping[int, int] = field(default_factory=_empty, compare=False)
    # The campaigns read again since the snapshot it was made from (their delivery
    # figures too: a goal's measure or site may have changed); None for a whole build.
    campaigns_reread: frozenset[int] | None = field(default=None, compare=False)

    def site(self, key: str) -> SiteInventory | None:
        return self.sites.get(key)

    @cached_property
    def _inventories_by_id(self) -> Mapping[int, SiteInventory]:
        return MappingProxyType({inventory.site.id: inventory
                                 for inventory in self.sites.values()})

    def site_by_id(self, site_id: int) -> SiteInfo | None:
        """Give the live site of that id (events and clicks name sites by id)."""
        inventory = self._inventories_by_id.get(site_id)
        return inventory.site if inventory is not None else None

    @cached_property
    def _creatives_by_id(self) -> Mapping[int, CreativeInfo]:
        return MappingProxyType({
            creative.id: creative
            for inventory in self.sites.values()
            for booked in (*inventory.campaigns_by_zone.values(),
                           *inventory.campaigns_by_insert.values())
            for campaign in booked.campaigns for creative in campaign.creatives})

    def creative(self, creative_id: int) -> CreativeInfo | None:
        """Give a creative of a live campaign by id (a click's destination), or None."""
        return self._creatives_by_id.get(creative_id)

    def article(self, site_id: int, article_id: int) -> Candidate | None:
        """Give a listed article of a live site by id, or None."""
        inventory = self._inventories_by_id.get(site_id)
        return inventory.articles.by_id.get(article_id) if inventory is not None else None

    @property
    def campaign_ids(self) -> frozenset[int]:
        """Every campaign some layout may show: whose delivery figures to keep."""
        return frozenset(cid for inventory in self.sites.values()
                         for layout in inventory.layouts for cid in layout.campaign_ids)

    def with_articles(self, version: object, changed: Iterable[tuple[int, Candidate, bool]],
                      as_of: datetime | None = None) -> "Snapshot":
        """Give this snapshot with articles changed: (site id, article, listed or not).

        Only the sites concerned get a new article index; everything else is shared.
        """
        by_site: dict[int, list[tuple[Candidate, bool]]] = {}
        for site_id, article, listed in changed:
            by_site.setdefault(site_id, []).append((article, listed))
        sites = dict(self.sites)
        for key, inventory in self.sites.items():
            changes = by_site.get(inventory.site.id)
            if not changes:
                continue
            index = inventory.articles.with_changes(
                [a for a, listed in changes if listed], [a.id for a, listed in changes])
            known = dict(inventory.known_articles)
            for article, listed in changes:
                address = article.key
                if listed:
                    known[address] = article
                elif address in known and known[address].id == article.id:
                    del known[address]
            sites[key] = replace(inventory, articles=index, known_articles=MappingProxyType(known))
        return replace(self, version=version, sites=MappingProxyType(sites), built_at=time.time(),
                       articles_as_of=as_of or self.articles_as_of, campaigns_reread=frozenset())

    def with_campaigns(self, version: object, changed: Iterable, now: datetime) -> "Snapshot":
        """Give this snapshot with campaigns read again (look-alikes of the model, as
        ``snapshot_build.build_snapshot`` takes them, live or not): each leaves the zones
        and inserts it was booked into and, if it still serves, joins those it is booked
        into now.

        Only the sites concerned get new bookings (and their layouts new campaign ids);
        everything else is shared.
        """
        changed = list(changed)
        ids = {campaign.id for campaign in changed}
        new_by_zone, new_by_insert = bookings(changed, self.zone_sites, self.insert_sites, now)
        sites = dict(self.sites)
        for key, inventory in self.sites.items():
            site_id = inventory.site.id
            by_zone = _rebooked(inventory.campaigns_by_zone, ids, {
                zone: infos for zone, infos in new_by_zone.items()
                if self.zone_sites[zone] == site_id})
            by_insert = _rebooked(inventory.campaigns_by_insert, ids, {
                insert: infos for insert, infos in new_by_insert.items()
                if self.insert_sites[insert] == site_id})
            if by_zone is None and by_insert is None:
                continue
            by_zone = inventory.campaigns_by_zone if by_zone is None else by_zone
            by_insert = inventory.campaigns_by_insert if by_insert is None else by_insert
            sites[key] = replace(inventory, campaigns_by_zone=by_zone,
                                 campaigns_by_insert=by_insert,
                                 layouts=tuple(replace(layout, campaign_ids=shown_campaigns(
                                     layout.placements, by_zone, by_insert))
                                     for layout in inventory.layouts))
        return replace(self, version=version, sites=MappingProxyType(sites), built_at=time.time(),
                       campaigns_reread=frozenset(ids))


def _rebooked(booked: Mapping[int, "Booked"], leaving: set[int],
              joining: Mapping[int, list[CampaignInfo]]) -> Mapping[int, "Booked"] | None:
    """Give bookings with the ``leaving`` campaigns out and the ``joining`` ones in, by
    zone (or insert) id; None when neither touches them."""
    touched = {key for key, found in booked.items()
               if any(campaign.id in leaving for campaign in found.campaigns)} | set(joining)
    if not touched:
        return None
    result = dict(booked)
    for key in touched:
        kept = [campaign for campaign in booked[key].campaigns
                if campaign.id not in leaving] if key in booked else []
        campaigns = kept + joining.get(key, [])
        if campaigns:
            result[key] = Booked.of(campaigns)
        else:
            result.pop(key, None)
    return MappingProxyType(result)


def shown_campaigns(placements, by_zone: Mapping[int, "Booked"],
                    by_insert: Mapping[int, "Booked"]) -> frozenset[int]:
    """Give the campaigns a layout's placements may show (whose delivery to look up)."""
    return frozenset(
        campaign.id for p in placements
        for campaign in (by_zone[p.zone.id].campaigns if p.zone and p.zone.id in by_zone else
                         by_insert[p.insert.id].campaigns
                         if p.insert and p.insert.allow_sponsored and p.insert.id in by_insert
                         else ()))


def bookings(campaigns, zones_by_id, inserts_by_id, now: datetime):
    """Give the deliverable campaigns by zone id and by insert id."""
    by_zone: dict[int, list[CampaignInfo]] = {}
    by_insert: dict[int, list[CampaignInfo]] = {}
    for campaign in campaigns:
        if campaign.archived_at is not None or campaign.state != "active" \
                or campaign.ends_at <= now:
            continue
        zone_ids = [z.id for z in campaign.zones if z.id in zones_by_id]
        insert_ids = [i.id for i in campaign.inserts if i.id in inserts_by_id]
        info = campaign_info(campaign, zone_ids, insert_ids)
        if not info.creatives:
            continue
        for zone_id in zone_ids:
            by_zone.setdefault(zone_id, []).append(info)
        for insert_id in insert_ids:
            by_insert.setdefault(insert_id, []).append(info)
    return by_zone, by_insert
