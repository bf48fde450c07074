"""What the reports call each reason an event was filtered (models.stats.FILTER_REASONS)
and each sign of the anomaly flags, in the dashboard's languages."""

from flask_babel import lazy_gettext as _l

REASON_LABELS = {
    "bot": _l("Bot or non-browser user agent"),
    "excluded": _l("Reader excluded by the site"),
    "origin": _l("Not from a page of the site"),
    "prefetch": _l("Prefetch or prerender"),
    "rate": _l("Over a rate limit"),
    "order": _l("Viewable or click without a counted impression before it"),
    "replay": _l("Token sent again (counted once)"),
}

GOAL_LABELS = {
    "rendered": _l("impressions"),
    "viewable": _l("viewable impressions"),
    "clicks": _l("clicks"),
}

DIMENSION_LABELS = {
    "campaign_id": _l("Campaign"),
    "creative_id": _l("Creative"),
    "placement_id": _l("Placement"),
}

# How a campaign is sold (models.inventory.PRICING_MODELS; stats/revenue.py).
PRICING_LABELS = {
    "cpm": _l("CPM (per thousand impressions)"),
    "vcpm": _l("Viewable CPM (per thousand viewable impressions)"),
    "cpc": _l("CPC (per click)"),
    "flat_day": _l("Flat fee per day"),
    "flat_flight": _l("Flat fee for the flight"),
}
