"""The choice of a zone's creative: pure rules, no app, no database."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from random import Random

import pytest

from ad_manager.delivery.creative_choice import (
    CreativeInfo,
    PageContext,
    PageShown,
    ahead_of_pace,
    choose_creative,
    choose_sponsored_link,
    slot_sizes,
)
from ad_manager.delivery.devices import device_class
from ad_manager.delivery.flights import flight, local_day
from tests.domain.conftest import CHOICE_NOW as NOW
from tests.domain.conftest import ZONE, campaign

DESKTOP = ((728, 90),)


def choose(candidates, *, sizes=DESKTOP, context=None, delivered=None, shown=None,
           frequency=None, now=NOW, rng=None):
    return choose_creative(ZONE, sizes, candidates, context=context or PageContext(),
                           delivered=delivered or {}, shown_on_page=shown or PageShown(),
                           frequency=frequency or {}, now=now, rng=rng or Random(1))


def draws(candidates, n=6000, seed=7, **kwargs):
    rng = Random(seed)
    return Counter(choose(candidates, rng=rng, **kwargs).creative.id for _ in range(n))


def test_sponsorship_beats_standard_beats_house_tier():
    house = campaign(1, tier="house", weight=100)
    standard = campaign(2, tier="standard", weight=1)
    sponsor = campaign(3, tier="sponsorship", weight=1)
    assert draws([house, standard, sponsor], n=200) == {30: 200}
    assert draws([house, standard], n=200) == {20: 200}
    assert draws([house], n=50) == {10: 50}


def test_campaign_weights_share_the_zone_statistically():
    # Weights 1:3 over 6000 draws: expect 1500/4500; a chi-square of one degree of
    # freedom stays under 10.8 with probability 0.999.
    counts = draws([campaign(1, weight=1), campaign(2, weight=3)])
    expected = {10: 1500, 20: 4500}
    chi2 = sum((counts[k] - e) ** 2 / e for k, e in expected.items())
    assert chi2 < 10.8, counts


def test_creative_weights_split_their_campaign_share_only():
    # Campaign 1 (weight 1) has two creatives 1:1; campaign 2 (weight 1) one creative.
    two = (CreativeInfo(id=11, campaign_id=1, kind="image", width=728, height=90),
           CreativeInfo(id=12, campaign_id=1, kind="image", width=728, height=90))
    counts = draws([campaign(1, creatives=two), campaign(2)])
    expected = {11: 1500, 12: 1500, 20: 3000}
    chi2 = sum((counts[k] - e) ** 2 / e for k, e in expected.items())
    assert chi2 < 13.8, counts  # two degrees of freedom, p = 0.999


def test_busy_zone_keeps_weights_and_skips_ineligible_campaigns():
    # 30 campaigns booked: big enough for the sampled draws; only two target the page.
    others = [campaign(n, target_sections=frozenset({"sport"})) for n in range(1, 29)]
    counts = draws([*others, campaign(29, weight=1), campaign(30, weight=3)])
    assert set(counts) == {290, 300}
    expected = {290: 1500, 300: 4500}
    chi2 = sum((counts[k] - e) ** 2 / e for k, e in expected.items())
    assert chi2 < 10.8, counts


def test_busy_zone_of_eligible_campaigns_shares_by_weight():
    many = [campaign(n, weight=n) for n in range(1, 21)]  # weights 1..20, sum 210
    counts = draws(many, n=21000)
    chi2 = sum((counts[n * 10] - 100 * n) ** 2 / (100 * n) for n in range(1, 21))
    assert chi2 < 43.8, counts  # 19 degrees of freedom, p = 0.999


def test_zero_weight_never_serves():
    assert draws([campaign(1, weight=0), campaign(2)], n=300) == {20: 300}


def test_even_campaign_ahead_of_pace_yields_to_the_next():
    # Day 10 of 20, goal 1000: expected 500; 700 delivered is ahead.
    ahead = campaign(1, tier="sponsorship", goal=1000)
    other = campaign(2, tier="standard")
    assert draws([ahead, other], n=100, delivered={1: (700, 10)}) == {20: 100}
    assert draws([ahead, other], n=100, delivered={1: (500, 10)}) == {10: 100}


def test_busy_tier_ahead_of_pace_yields_too():
    ahead = [campaign(n, tier="sponsorship", goal=1000) for n in range(1, 21)]
    delivered = dict.fromkeys(range(1, 21), (700, 10))
    assert draws([*ahead, campaign(30)], n=200, delivered=delivered) == {300: 200}
    assert set(draws(ahead, n=200, delivered=delivered)) <= {n * 10 for n in range(1, 21)}


def test_ahead_of_pace_still_serves_rather_than_the_house_ad():
    ahead = campaign(1, goal=1000)
    assert choose([ahead], delivered={1: (700, 10)}).creative.id == 10


def test_asap_campaign_and_campaign_without_goal_never_yield():
    asap = campaign(1, goal=1000, pace="asap")
    assert not ahead_of_pace(asap, 999, NOW)
    assert not ahead_of_pace(campaign(2), 10**9, NOW)


def test_pace_tolerates_ten_percent_and_a_little_slack():
    even = campaign(1, goal=1000)  # expected 500 at NOW
    assert not ahead_of_pace(even, 560, NOW)
    assert ahead_of_pace(even, 561, NOW)
    assert not ahead_of_pace(even, 10, even.starts_at)  # first impressions of the flight


def test_total_goal_and_daily_cap_stop_a_campaign():
    goal = campaign(1, goal=100, pace="asap")
    capped = campaign(2, daily_cap=50)
    assert choose([goal], delivered={1: (100, 3)}) is None
    assert choose([goal], delivered={1: (99, 3)}).campaign.id == 1
    assert choose([capped], delivered={2: (5000, 50)}) is None
    assert choose([capped], delivered={2: (5000, 49)}).campaign.id == 2


def test_frequency_cap_counts_what_the_page_remembers_within_the_window():
    capped = campaign(1, freq_cap_count=2, freq_cap_hours=24)
    recent = [(NOW - timedelta(hours=1)).timestamp(), (NOW - timedelta(hours=5)).timestamp()]
    old = [(NOW - timedelta(hours=30)).timestamp()] * 5
    assert choose([capped], frequency={1: recent}) is None
    assert choose([capped], frequency={1: recent[:1] + old}).campaign.id == 1
    assert choose([campaign(2)], frequency={2: recent * 10}).campaign.id == 2  # no cap


@pytest.mark.parametrize(("field", "value", "context", "serves"), [
    ("target_sections", {"sport"}, PageContext(section="sport"), True),
    ("target_sections", {"sport"}, PageContext(section="politique"), False),
    ("target_tags", {"velo", "tour"}, PageContext(tags=frozenset({"tour"})), True),
    ("target_tags", {"velo"}, PageContext(tags=frozenset({"rugby"})), False),
    ("target_devices", {"phone"}, PageContext(device="phone"), True),
    ("target_devices", {"phone", "tablet"}, PageContext(device="desktop"), False),
    ("target_languages", {"fr"}, PageContext(language="fr"), True),
    ("target_languages", {"fr"}, PageContext(language="en"), False),
])
def test_targeting_matches_section_tags_device_and_language(field, value, context, serves):
    targeted = campaign(1, **{field: frozenset(value)})
    assert (choose([targeted], context=context) is not None) is serves


def test_one_creative_and_one_campaign_per_page():
    first = campaign(1)
    second = campaign(2)
    shown = PageShown()
    picks = []
    for _ in range(3):
        pick = choose([first, second], shown=shown)
        if pick:
            shown.add(pick)
        picks.append(pick)
    assert {p.campaign.id for p in picks[:2]} == {1, 2}
    assert picks[2] is None


def test_size_must_fit_the_slot_but_text_fits_any():
    image = campaign(1)  # 728×90
    text = campaign(2, creatives=(CreativeInfo(id=20, campaign_id=2, kind="text",
                                               headline="Vélos Martin"),))
    phone = slot_sizes(ZONE.size_map, 390)
    assert phone == ((320, 100),)
    assert choose([image, text], sizes=phone).creative.id == 20
    assert choose([image], sizes=phone) is None


def test_inactive_creative_and_unbooked_zone_are_not_eligible():
    paused_creative = campaign(1, creatives=(CreativeInfo(
        id=10, campaign_id=1, kind="image", width=728, height=90, active=False),))
    elsewhere = campaign(2, zone_ids=frozenset({99}))
    assert choose([paused_creative, elsewhere]) is None


def test_unsold_zone_gets_nothing_so_the_caller_shows_the_house_ad():
    finished = campaign(1, ends_at=NOW)
    paused = campaign(2, state="paused")
    assert choose([]) is None
    assert choose([finished, paused]) is None


def test_slot_sizes_follow_the_size_map_breakpoints():
    assert slot_sizes(ZONE.size_map, 767) == ((320, 100),)
    assert slot_sizes(ZONE.size_map, 768) == ((728, 90),)
    assert slot_sizes(ZONE.size_map, None) == ((320, 100),)
    assert slot_sizes([], 1280) == ()
    assert slot_sizes([{"min_width": 0, "sizes": ["300x250", "junk", "970x250"]}], 1280) == (
        (970, 250), (300, 250))


def test_flight_across_midnight_is_live_to_the_last_local_minute():
    starts_at, ends_at = flight(date(2026, 11, 25), date(2026, 11, 25), "Europe/Paris")
    assert starts_at == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert ends_at == datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    one_day = campaign(1, starts_at=starts_at, ends_at=ends_at)
    assert choose([one_day], now=starts_at - timedelta(seconds=1)) is None
    assert choose([one_day], now=starts_at) is not None
    assert choose([one_day], now=ends_at - timedelta(seconds=1)) is not None  # 23:59:59 Paris
    assert choose([one_day], now=ends_at) is None  # local midnight: next day
    assert local_day(ends_at - timedelta(seconds=1), "Europe/Paris") == date(2026, 11, 25)


@pytest.mark.parametrize(("day", "hours"), [
    (date(2026, 3, 29), 23),   # last Sunday of March: clocks go forward
    (date(2026, 10, 25), 25),  # last Sunday of October: clocks go back
])
def test_flight_on_the_dst_change_day_lasts_its_real_length(day, hours):
    starts_at, ends_at = flight(day, day, "Europe/Paris")
    assert ends_at - starts_at == timedelta(hours=hours)
    dst_day = campaign(1, starts_at=starts_at, ends_at=ends_at, goal=hours * 100)
    assert choose([dst_day], now=ends_at - timedelta(minutes=1)) is not None
    assert choose([dst_day], now=ends_at) is None
    # Halfway through the real day, half the goal is expected: pace counts real hours.
    middle = starts_at + (ends_at - starts_at) / 2
    assert not ahead_of_pace(dst_day, hours * 50, middle)
    assert ahead_of_pace(dst_day, int(hours * 50 * 1.1) + 11, middle)


@pytest.mark.parametrize(("agent", "expected"), [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "phone"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0 Mobile Safari/537.36", "phone"),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "tablet"),
    ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0 Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0 Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.5 Safari/605.1.15", "desktop"),
    ("", "desktop"),
    (None, "desktop"),
])
def test_device_class_from_user_agent(agent, expected):
    assert device_class(agent) == expected


def test_sponsored_link_comes_from_a_text_creative_booked_into_the_insert():
    text = CreativeInfo(id=20, campaign_id=2, kind="text", headline="Vélos Martin")
    booked = campaign(2, zone_ids=frozenset(), insert_ids=frozenset({5}), creatives=(text,))
    image_only = campaign(3, zone_ids=frozenset(), insert_ids=frozenset({5}))
    elsewhere = campaign(4, zone_ids=frozenset(), insert_ids=frozenset({6}), creatives=(
        CreativeInfo(id=40, campaign_id=4, kind="text", headline="Ailleurs"),))

    def sponsored(candidates, shown=None):
        return choose_sponsored_link(5, candidates, context=PageContext(), delivered={},
                                     shown_on_page=shown or PageShown(), frequency={}, now=NOW,
                                     rng=Random(3))

    assert sponsored([booked, image_only, elsewhere]).creative.id == 20
    assert sponsored([image_only, elsewhere]) is None
    shown = PageShown(campaigns={2})
    assert sponsored([booked], shown) is None  # already on the page, in a zone
