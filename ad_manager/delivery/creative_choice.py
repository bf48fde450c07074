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
of a creative is campaign weight × creative weight (normalised). Every creative
that fits the slot takes part in its campaign's draw, an image and a text one
alike; with ``prefer_largest`` (the ``PREFER_LARGEST_CREATIVE`` setting) only the
campaign's largest fitting size does, as the rotation first worked. An "even" campaign
that is ahead of its pace yields: it is drawn only when no campaign on pace is
eligible. Nothing eligible gives None; the caller shows the house ad or collapses.
"""

from bisect import bisect
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from random import Random

from ad_manager.delivery.pacing import expected_delivery, is_ahead
from ad_manager.delivery.records import (
    CampaignInfo,
    CreativeInfo,
    PageContext,
    PageShown,
    Pick,
    ZoneInfo,
)
from ad_manager.delivery.sizes import slot_sizes, widest

__all__ = ["Booked", "CampaignInfo", "CreativeInfo", "PageContext", "PageShown", "Pick", "ZoneInfo",
           "choose_creative", "choose_sponsored_link", "slot_sizes"]

TIERS = ("sponsorship", "standard", "house")
# A tier of at least SCAN_BELOW campaigns is first tried by SAMPLE_DRAWS weighted
# draws before it is scanned whole (see ``_choose``): the draws give each campaign the
# same chance as a scan, and where most booked campaigns may serve, the first draw
# does (a scan of a zone's ten campaigns checked all ten on every page view).
SCAN_BELOW = 2
SAMPLE_DRAWS = 8


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
    """Tell whether an even campaign with a goal has delivered more than its share so far."""
    if campaign.pace != "even" or not campaign.goal:
        return False
    if campaign.ends_at <= campaign.starts_at:
        return False
    return is_ahead(total, expected_delivery(campaign.goal, campaign.starts_at,
                                             campaign.ends_at, now))


def eligible_creatives(campaign: CampaignInfo, slot_sizes, context: PageContext,
                       delivered: Mapping[int, tuple[int, int]], shown_on_page: PageShown,
                       frequency: Mapping[int, Sequence[float]], now: datetime,
                       prefer_largest: bool = False) -> list[CreativeInfo]:
    """Give the (booked) campaign's creatives that may fill the slot in this page view:
    all that fit, or with ``prefer_largest`` those of the largest fitting size."""
    if (not campaign.is_live(now)
            or campaign.id in shown_on_page.campaigns
            or not targets(campaign, context) or not under_goals(campaign, delivered)
            or frequency_capped(campaign, frequency.get(campaign.id, ()), now)):
        return []
    fitting = [creative for creative in campaign.creatives
               if creative.active and creative.weight > 0
               and creative.id not in shown_on_page.creatives and creative.fits(slot_sizes)]
    return widest(fitting) if prefer_largest else fitting


def _draw(items: Sequence, weights: Sequence[int], rng: Random):
    """Draw one item with chance proportional to its (positive) weight."""
    if len(items) == 1:
        return items[0]
    return _draw_cumulative(items, tuple(accumulate(weights)), rng)


def _draw_cumulative(items: Sequence, cum_weights: Sequence[int], rng: Random):
    """Draw one item by cumulative weights: ``rng.choices(items, cum_weights=…)[0]``,
    the same bisection without its checks and list (a decision draws a few times)."""
    return items[bisect(cum_weights, rng.random() * cum_weights[-1], 0, len(items) - 1)]


@dataclass(frozen=True)
class Booked:
    """The campaigns booked into one zone or insert, grouped by tier, best tier first.

    The snapshot builds one per zone and insert, so a decision neither filters nor
    groups campaigns: with the cumulative weights ready, a weighted draw costs a
    bisection.
    """

    tiers: tuple[tuple[CampaignInfo, ...], ...] = ()
    cum_weights: tuple[tuple[int, ...], ...] = ()

    @classmethod
    def of(cls, campaigns: Iterable[CampaignInfo]) -> "Booked":
        groups: dict[int, list[CampaignInfo]] = {}
        for campaign in campaigns:
            if campaign.weight > 0:
                rank = TIERS.index(campaign.tier) if campaign.tier in TIERS else len(TIERS)
                groups.setdefault(rank, []).append(campaign)
        tiers = tuple(tuple(groups[rank]) for rank in sorted(groups))
        return cls(tiers, tuple(tuple(accumulate(c.weight for c in tier)) for tier in tiers))

    @property
    def campaigns(self) -> tuple[CampaignInfo, ...]:
        return tuple(campaign for tier in self.tiers for campaign in tier)


def choose_creative(zone: ZoneInfo, slot_sizes: Collection[tuple[int, int]],
                    candidates: Booked | Sequence[CampaignInfo], *, context: PageContext,
                    delivered: Mapping[int, tuple[int, int]], shown_on_page: PageShown,
                    frequency: Mapping[int, Sequence[float]], now: datetime,
                    rng: Random, prefer_largest: bool = False) -> Pick | None:
    """Give the creative the zone shows in this page view, or None when nothing may.

    ``candidates``: the snapshot's ``Booked`` for the zone, or any campaigns (those
    not booked into the zone are left out); ``delivered`` maps campaign id to
    (total, today) served; ``frequency`` maps campaign id to the unix times this
    reader saw it, as the page sent them.
    """
    if not isinstance(candidates, Booked):
        candidates = Booked.of(c for c in candidates if zone.id in c.zone_ids)
    return _choose(candidates, slot_sizes, context=context, delivered=delivered,
                   shown_on_page=shown_on_page, frequency=frequency, now=now, rng=rng,
                   prefer_largest=prefer_largest)


def choose_sponsored_link(insert_id: int, candidates: Booked | Sequence[CampaignInfo], *,
                          context: PageContext, delivered: Mapping[int, tuple[int, int]],
                          shown_on_page: PageShown, frequency: Mapping[int, Sequence[float]],
                          now: datetime, rng: Random) -> Pick | None:
    """Give the text creative that takes an insert's first link, or None.

    Same rules as a zone's choice; only text creatives of campaigns booked into the
    insert qualify (an insert has no size for an image).
    """
    if not isinstance(candidates, Booked):
        candidates = Booked.of(c for c in candidates if insert_id in c.insert_ids)
    return _choose(candidates, (), context=context, delivered=delivered,
                   shown_on_page=shown_on_page, frequency=frequency, now=now, rng=rng)


def _choose(booked: Booked, slot_sizes, *, context, delivered, shown_on_page, frequency, now,
            rng, prefer_largest: bool = False) -> Pick | None:
    """Draw among the booked campaigns: best tier, on pace first, by weights.

    Within a tier, a few weighted draws are tried first, each kept only if the
    campaign is eligible and on pace: accepting the first such draw gives each
    eligible campaign exactly its weighted chance, while looking at a handful of
    campaigns instead of all of a busy zone's. When the draws find none, the whole
    tier is scanned. An ahead-of-pace campaign serves only when no tier has one on
    pace (then the best tier's ahead campaigns share by weight).
    """
    rules = (slot_sizes, context, delivered, shown_on_page, frequency, now, prefer_largest)
    ahead_pool = None
    for tier, cum_weights in zip(booked.tiers, booked.cum_weights, strict=True):
        pick = _sample_on_pace(tier, cum_weights, rules, rng)
        if pick is not None:
            return pick
        on_pace, ahead = [], []
        for campaign in tier:
            creatives = eligible_creatives(campaign, *rules)
            if creatives:
                total = delivered.get(campaign.id, (0, 0))[0]
                (ahead if ahead_of_pace(campaign, total, now) else on_pace).append(
                    (campaign, creatives))
        if on_pace:
            return _pick(on_pace, rng)
        if ahead and ahead_pool is None:
            ahead_pool = ahead
    return _pick(ahead_pool, rng) if ahead_pool else None


def _sample_on_pace(tier: Sequence[CampaignInfo], cum_weights: Sequence[int], rules,
                    rng: Random) -> Pick | None:
    """Try a few weighted draws of the tier; give the first eligible, on-pace one."""
    if len(tier) < SCAN_BELOW:
        return None  # a small tier is scanned at once
    delivered, now = rules[2], rules[5]
    for _ in range(SAMPLE_DRAWS):
        campaign = _draw_cumulative(tier, cum_weights, rng)
        creatives = eligible_creatives(campaign, *rules)
        total = delivered.get(campaign.id, (0, 0))[0]
        if creatives and not ahead_of_pace(campaign, total, now):
            return Pick(campaign, _draw(creatives, [c.weight for c in creatives], rng))
    return None


def _pick(entries, rng: Random) -> Pick:
    """Draw a campaign by its weight, then one of its creatives by theirs."""
    campaign, creatives = _draw(entries, [c.weight for c, _ in entries], rng)
    return Pick(campaign, _draw(creatives, [c.weight for c in creatives], rng))
