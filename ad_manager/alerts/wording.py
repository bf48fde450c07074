"""What each alert says, in the reader's language (the caller picks the locale)."""

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _

from ad_manager.alerts.rules import Alert
from ad_manager.inventory.campaigns import campaign_timezone
from ad_manager.stats.reasons import GOAL_LABELS


def headings() -> dict[str, str]:
    """Give each kind's heading, for lists grouped by kind."""
    return {"behind": _("Behind their pace"), "ending": _("Ending below their goal"),
            "refused": _("Creatives pages had no place for"),
            "anomaly": _("Anomalies flagged by counting")}


def sentence(alert: Alert) -> str:
    """Say what the alert is about, with its figures."""
    f, campaign = alert.figures, alert.campaign
    measure = GOAL_LABELS.get(campaign.goal_measure, GOAL_LABELS["rendered"])
    if alert.kind == "behind":
        return _("%(n)s %(measure)s behind (%(done)s delivered, %(expected)s expected by now)",
                 n=format_decimal(f["gap"]), measure=measure, done=format_decimal(f["delivered"]),
                 expected=format_decimal(f["expected"]))
    if alert.kind == "ending":
        end = campaign.ends_at.astimezone(campaign_timezone(campaign)).date()
        return _("ends on %(date)s with %(n)s %(measure)s still to deliver (%(done)s of "
                 "%(goal)s)", date=format_date(end, "medium"), n=format_decimal(f["left"]),
                 measure=measure, done=format_decimal(f["delivered"]),
                 goal=format_decimal(f["goal"]))
    if alert.kind == "refused":
        return _("pages had no place for the creative %(creative)s %(n)s times out of "
                 "%(total)s in the last 24 hours: check the layout's placements",
                 creative=f["creative"], n=format_decimal(f["not_placed"]),
                 total=format_decimal(f["shown"]))
    what = (_("the creative %(creative)s", creative=f["creative"]) if f["creative"]
            else _("the campaign"))
    if f["sign"] == "ctr":
        return _("on %(date)s, %(what)s had a CTR of %(value)s, far from its norm (%(norm)s)",
                 date=format_date(f["day"], "medium"), what=what,
                 value=format_percent(f["value"], "#,##0.0%"),
                 norm=format_percent(f["norm"], "#,##0.0%") if f["norm"] is not None
                 else _("none yet"))
    return _("on %(date)s, %(value)s of %(what)s's impressions came from one address",
             date=format_date(f["day"], "medium"), value=format_percent(f["value"], "#,##0%"),
             what=what)
