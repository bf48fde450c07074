"""Choose the creative a zone shows in one page view.

The rules, in order: a creative is *eligible* when its campaign is live now, booked
into the zone, targets this page (section, tags, device class, language), is under
its total goal and its daily cap, is not frequency-capped for this reader, and
neither the creative nor its campaign is already on this page; its size must be one
the slot takes at this viewport (text creatives fit any slot).

The *choice* among eligible ones: the highest tier first (sponsorship, standard,
house); within a tier, a weighted draw. The draw is in two steps — a campaign by
its weight, then one of its creatives by the creative's weight — so a campaign's
share of a zone does not grow with the number of creatives it uploads; the chance
of a creative is campaign weight × creative weight (normalised). An "even" campaign
that is ahead of its pace yields: it is drawn only when no campaign on pace is
eligible. Nothing eligible gives None; the caller shows the house ad or collapses.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

TIERS = ("sponsorship", "standard", "house")
# An even campaign may run this much ahead of its expected delivery before it yields…
PACE_TOLERANCE = 1.1
# …plus a few impressions, so the first minutes of a flight don't throttle it.
PACE_SLACK = 10


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


def targets(campaign: CampaignInfo, context: PageContext) -> bool:
    """Tell whether the campaign's targeting accepts this page (empty = any)."""
    if campaign.target_sections and context.section not in campaign.target_sections:
        return False
    if campaign.target_tags and not campaign.target_tags & context.tags:
        return False
    if campaign.target_devices and context.device not in campaign.target_devices:
        return False
    return not (campaign.target_languages and context.language not in campaign.target_languages)


def under_goals(campaign: CampaignInfo, delivered: Mapping[int, tuple[int, int]]) -> bool:
    """Tell whether the campaign is below its total goal and its daily cap."""
    total, today = delivered.get(campaign.id, (0, 0))
    if campaign.goal is not None and total >= campaign.goal:
        return False
    return campaign.daily_cap is None or today < campaign.daily_cap


def frequency_capped(campaign: CampaignInfo, seen: Sequence[float], now: datetime) -> bool:
    """Tell whether this reader saw the campaign its allowed number of times lately.

    ``seen`` holds the unix times the page remembers for this campaign.
    """
    if not campaign.frequency_capped:
        return False
    since = (now - timedelta(hours=campaign.freq_cap_hours)).timestamp()
    return sum(1 for at in seen if at >= since) >= campaign.freq_cap_count


def ahead_of_pace(campaign: CampaignInfo, total: int, now: datetime) -> bool:
    """Tell whether an even campaign with a goal has delivered more than its share so far.

    Expected delivery grows linearly over the flight (UTC instants, so a DST change
    neither adds nor removes an hour of pace).
    """
    if campaign.pace != "even" or not campaign.goal:
        return False
    length = (campaign.ends_at - campaign.starts_at).total_seconds()
    if length <= 0:
        return False
    elapsed = min(max((now - campaign.starts_at).total_seconds(), 0.0), length)
    expected = campaign.goal * elapsed / length
    return total > expected * PACE_TOLERANCE + PACE_SLACK


def eligible_creatives(campaign: CampaignInfo, slot_sizes, context: PageContext,
                       delivered: Mapping[int, tuple[int, int]], shown_on_page: PageShown,
                       frequency: Mapping[int, Sequence[float]], now: datetime,
                       ) -> list[CreativeInfo]:
    """Give the (booked) campaign's creatives that may fill the slot in this page view."""
    if (not campaign.is_live(now)
            or campaign.id in shown_on_page.campaigns
            or not targets(campaign, context) or not under_goals(campaign, delivered)
            or frequency_capped(campaign, frequency.get(campaign.id, ()), now)):
        return []
    fitting = [creative for creative in campaign.creatives
               if creative.active and creative.weight > 0
               and creative.id not in shown_on_page.creatives and creative.fits(slot_sizes)]
    return widest(fitting)


def widest(creatives: list[CreativeInfo]) -> list[CreativeInfo]:
    """Keep the creatives of the widest size among them (the slot's best use).

    Sized creatives beat text ones; among text creatives, all stay.
    """
    sized = [c for c in creatives if c.kind != "text"]
    if not sized:
        return creatives
    best = max((c.width or 0, c.height or 0) for c in sized)
    return [c for c in sized if (c.width or 0, c.height or 0) == best]


def _draw(items: Sequence, weights: Sequence[int], rng: Random):
    """Draw one item with chance proportional to its weight."""
    return rng.choices(items, weights=weights, k=1)[0]


def choose_creative(zone: ZoneInfo, slot_sizes: Collection[tuple[int, int]],
                    candidates: Sequence[CampaignInfo], *, context: PageContext,
                    delivered: Mapping[int, tuple[int, int]], shown_on_page: PageShown,
                    frequency: Mapping[int, Sequence[float]], now: datetime,
                    rng: Random) -> Pick | None:
    """Give the creative the zone shows in this page view, or None when nothing may.

    ``candidates`` are the campaigns booked into the zone (the snapshot's index);
    ``delivered`` maps campaign id to (total, today) served; ``frequency`` maps
    campaign id to the unix times this reader saw it, as the page sent them.
    """
    booked = [c for c in candidates if zone.id in c.zone_ids]
    return _choose(booked, slot_sizes, context=context, delivered=delivered,
                   shown_on_page=shown_on_page, frequency=frequency, now=now, rng=rng)


def choose_sponsored_link(insert_id: int, candidates: Sequence[CampaignInfo], *,
                          context: PageContext, delivered: Mapping[int, tuple[int, int]],
                          shown_on_page: PageShown, frequency: Mapping[int, Sequence[float]],
                          now: datetime, rng: Random) -> Pick | None:
    """Give the text creative that takes an insert's first link, or None.

    Same rules as a zone's choice; only text creatives of campaigns booked into the
    insert qualify (an insert has no size for an image).
    """
    booked = [c for c in candidates if insert_id in c.insert_ids]
    return _choose(booked, (), context=context, delivered=delivered,
                   shown_on_page=shown_on_page, frequency=frequency, now=now, rng=rng)


def _choose(candidates, slot_sizes, *, context, delivered, shown_on_page, frequency, now,
            rng) -> Pick | None:
    """Draw among the booked candidates: best tier, on pace first, by weights."""
    on_pace: dict[int, list] = {}
    ahead: dict[int, list] = {}
    for campaign in candidates:
        if campaign.weight <= 0:
            continue
        creatives = eligible_creatives(campaign, slot_sizes, context, delivered,
                                       shown_on_page, frequency, now)
        if not creatives:
            continue
        rank = TIERS.index(campaign.tier) if campaign.tier in TIERS else len(TIERS)
        total = delivered.get(campaign.id, (0, 0))[0]
        group = ahead if ahead_of_pace(campaign, total, now) else on_pace
        group.setdefault(rank, []).append((campaign, creatives))
    for group in (on_pace, ahead):
        if group:
            entries = group[min(group)]
            campaign, creatives = _draw(entries, [c.weight for c, _ in entries], rng)
            creative = _draw(creatives, [c.weight for c in creatives], rng)
            return Pick(campaign, creative)
    return None


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
