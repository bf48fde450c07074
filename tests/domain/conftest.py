"""Helpers of the domain tests: the pure choice's inputs, shared by the choice and
rotation tests (no app, no database)."""

from datetime import UTC, datetime, timedelta

from ad_manager.delivery.creative_choice import CampaignInfo, CreativeInfo, ZoneInfo

CHOICE_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo(id=1, slug="votre-pub-ici",
                size_map=({"min_width": 0, "sizes": ["320x100"]},
                          {"min_width": 768, "sizes": ["728x90"]}))


def campaign(id, *, creatives=None, **fields):
    """A live campaign booked into ZONE with one 728×90 creative unless told otherwise."""
    values = {"starts_at": CHOICE_NOW - timedelta(days=10),
              "ends_at": CHOICE_NOW + timedelta(days=10), "zone_ids": frozenset({ZONE.id})}
    values.update(fields)
    if creatives is None:
        creatives = (CreativeInfo(id=id * 10, campaign_id=id, kind="image", width=728, height=90),)
    return CampaignInfo(id=id, creatives=tuple(creatives), **values)
