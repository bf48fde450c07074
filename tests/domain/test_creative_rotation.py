"""Creative rotation inside a campaign: every creative that fits the slot shares the
campaign's draws by its weight (an image and a text ad alike), unless the setting
PREFER_LARGEST_CREATIVE keeps only the largest fitting size."""

from collections import Counter
from random import Random

from ad_manager.delivery.creative_choice import (
    CreativeInfo,
    PageContext,
    PageShown,
    choose_creative,
)
from tests.domain.conftest import CHOICE_NOW as NOW
from tests.domain.conftest import ZONE, campaign

WIDE = ((728, 90), (300, 250))
IMAGE = CreativeInfo(id=11, campaign_id=1, kind="image", width=728, height=90, weight=3)
BOX = CreativeInfo(id=12, campaign_id=1, kind="image", width=300, height=250, weight=1)
TEXT = CreativeInfo(id=13, campaign_id=1, kind="text", headline="Des livres", weight=2)
PHONE_ONLY = CreativeInfo(id=14, campaign_id=1, kind="image", width=320, height=100, weight=5)


def draws(creatives, *, n=6000, sizes=WIDE, prefer_largest=False, seed=11) -> Counter:
    rng = Random(seed)
    booked = [campaign(1, creatives=creatives)]
    return Counter(choose_creative(
        ZONE, sizes, booked, context=PageContext(), delivered={}, shown_on_page=PageShown(),
        frequency={}, now=NOW,
        rng=rng, prefer_largest=prefer_largest).creative.id for _ in range(n))


def chi_square(counts: Counter, shares: dict[int, int]) -> float:
    n, total = sum(counts.values()), sum(shares.values())
    expected = {k: n * w / total for k, w in shares.items()}
    assert set(counts) <= set(expected), counts
    return sum((counts[k] - e) ** 2 / e for k, e in expected.items())


def test_fitting_creatives_share_the_campaign_by_their_weights():
    # 3:1:2 over 6000 draws; chi-square with 2 degrees of freedom < 13.8 at p = 0.999.
    counts = draws((IMAGE, BOX, TEXT, PHONE_ONLY))
    assert PHONE_ONLY.id not in counts  # 320×100 does not fit the desktop slot
    assert chi_square(counts, {11: 3, 12: 1, 13: 2}) < 13.8, counts


def test_a_text_creative_gets_its_share_beside_an_image_on_desktop():
    counts = draws((IMAGE, TEXT), n=5000)
    assert chi_square(counts, {11: 3, 13: 2}) < 10.8, counts  # 1 degree of freedom
    assert 1700 < counts[13] < 2300


def test_prefer_largest_keeps_todays_behaviour():
    assert draws((IMAGE, BOX, TEXT), n=300, prefer_largest=True) == {11: 300}
    # Nothing sized fits a phone slot: the text ad is the largest that fits.
    assert draws((IMAGE, TEXT), n=200, sizes=((320, 100),), prefer_largest=True) == {13: 200}
    assert draws((IMAGE, TEXT), n=200, sizes=((320, 100),)) == {13: 200}


def test_a_zero_weight_creative_never_serves():
    zero = CreativeInfo(id=15, campaign_id=1, kind="text", headline="Jamais", weight=0)
    assert draws((IMAGE, zero), n=300) == {11: 300}
