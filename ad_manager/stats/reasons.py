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
