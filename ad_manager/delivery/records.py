"""Frozen records of zones, campaigns and creatives as serving sees them.

The inventory snapshot holds these instead of database rows: plain, immutable,
safe to share between threads, cheap to read on the hot path. ``zone_info`` and
``campaign_info`` freeze rows (models or look-alikes) into them.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class CreativeInfo:
    """A creative as the snapshot holds it."""

    id: int
    campaign_id: int
    kind: str  # "image", "html" or "text"
    width: int | None = None
    height: int | None = None
    weight: int = 1
    active: bool = True
    image_file: str | None = None
    html: str | None = None
    headline: str | None = None
    body: str | None = None
    alt_text: str = ""
    click_url: str = ""

    def fits(self, slot_sizes: Collection[tuple[int, int]]) -> bool:
        """Tell whether the creative can fill a slot taking ``slot_sizes``."""
        if self.kind == "text":
            return True
        return (self.width, self.height) in slot_sizes


@dataclass(frozen=True)
class CampaignInfo:
    """A campaign as the snapshot holds it: flight in UTC, rules, bookings, creatives."""

    id: int
    starts_at: datetime
    ends_at: datetime
    tier: str = "standard"
    weight: int = 1
    state: str = "active"
    goal: int | None = None
    daily_cap: int | None = None
    pace: str = "even"
    freq_cap_count: int | None = None
    freq_cap_hours: int | None = None
    target_sections: frozenset[str] = frozenset()
    target_tags: frozenset[str] = frozenset()
    target_devices: frozenset[str] = frozenset()
    target_languages: frozenset[str] = frozenset()
    zone_ids: frozenset[int] = frozenset()
    insert_ids: frozenset[int] = frozenset()
    creatives: tuple[CreativeInfo, ...] = ()

    def is_live(self, now: datetime) -> bool:
        """Tell whether the campaign delivers at ``now`` (flight is [start, end))."""
        return self.state == "active" and self.starts_at <= now < self.ends_at

    @property
    def frequency_capped(self) -> bool:
        """Tell whether the page must remember this campaign's impressions."""
        return bool(self.freq_cap_count and self.freq_cap_hours)


@dataclass(frozen=True)
class ZoneInfo:
    """A zone as the snapshot holds it; ``size_map`` as the model stores it."""

    id: int
    slug: str
    label: str = "Publicité"
    size_map: tuple = ()
    unsold: str = "house"  # "house" or "collapse"


@dataclass(frozen=True)
class PageContext:
    """What the page says about itself, normalised (lower case, short language)."""

    section: str = ""
    tags: frozenset[str] = frozenset()
    device: str = "desktop"
    language: str = ""


@dataclass(frozen=True)
class Pick:
    """The chosen creative and its campaign."""

    campaign: CampaignInfo
    creative: CreativeInfo


@dataclass
class PageShown:
    """What this page view already shows, so a campaign or creative appears once."""

    campaigns: set[int] = field(default_factory=set)
    creatives: set[int] = field(default_factory=set)

    def add(self, pick: Pick) -> None:
        self.campaigns.add(pick.campaign.id)
        self.creatives.add(pick.creative.id)


def zone_info(zone) -> ZoneInfo:
    return ZoneInfo(id=zone.id, slug=zone.slug, label=zone.label or "",
                    size_map=tuple(dict(entry) for entry in zone.size_map or ()),
                    unsold=zone.unsold or "house")


def creative_info(creative) -> CreativeInfo:
    return CreativeInfo(
        id=creative.id, campaign_id=creative.campaign_id, kind=creative.kind,
        width=creative.width, height=creative.height, weight=creative.weight,
        active=creative.active, image_file=creative.image_file, html=creative.html,
        headline=creative.headline, body=creative.body, alt_text=creative.alt_text or "",
        click_url=creative.click_url or "")


_NOTHING: frozenset[str] = frozenset()


def _folded(values) -> frozenset[str]:
    if not values:
        return _NOTHING
    return frozenset(str(v).strip().casefold() for v in values or () if str(v).strip())


def campaign_info(campaign, zone_ids: Iterable[int], insert_ids: Iterable[int]) -> CampaignInfo:
    """Freeze a campaign; targeting values folded to lower case like the page's."""
    return CampaignInfo(
        id=campaign.id, starts_at=campaign.starts_at, ends_at=campaign.ends_at,
        tier=campaign.tier, weight=campaign.weight, state=campaign.state,
        goal=campaign.goal_impressions, daily_cap=campaign.daily_cap, pace=campaign.pace,
        freq_cap_count=campaign.freq_cap_count, freq_cap_hours=campaign.freq_cap_hours,
        target_sections=_folded(campaign.target_sections),
        target_tags=_folded(campaign.target_tags),
        target_devices=_folded(campaign.target_devices),
        target_languages=frozenset(
            lang.replace("_", "-").split("-")[0] for lang in _folded(campaign.target_languages)),
        zone_ids=frozenset(zone_ids), insert_ids=frozenset(insert_ids),
        creatives=tuple(creative_info(c) for c in campaign.creatives
                        if c.active and c.archived_at is None and renderable(c)))


def renderable(creative) -> bool:
    """Tell whether the creative has what its kind shows (a file, markup or a headline)."""
    content = {"image": creative.image_file, "html": creative.html, "text": creative.headline}
    return bool(content.get(creative.kind))
