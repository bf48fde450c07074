"""Frozen records of zones, campaigns and creatives as serving sees them.

The inventory snapshot holds these instead of database rows: plain, immutable,
safe to share between threads, cheap to read on the hot path.
"""

from collections.abc import Collection
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
