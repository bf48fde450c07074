"""Whether a live campaign delivers on pace: ahead, on track or behind its goal.

Expected delivery grows evenly over the flight; the tolerance is the decision's own
(``delivery.pacing``). Campaigns without a goal have no pace. The home page, the
campaign list and the campaign page all read ``campaign_paces``.
"""

from dataclasses import dataclass
from datetime import datetime

from ad_manager.delivery.pacing import expected_delivery, is_ahead, is_behind


@dataclass(frozen=True)
class Pace:
    delivered: int
    goal: int | None
    expected: int | None
    status: str | None  # "ahead", "on_track", "behind" or None without a goal

    @property
    def gap(self) -> int | None:
        """Delivered minus expected by now: negative when behind; None without a goal."""
        return None if self.expected is None else self.delivered - self.expected

    @property
    def progress(self) -> float | None:
        """Share of the goal delivered (0..1+), or None without a goal."""
        return self.delivered / self.goal if self.goal else None


def pace(delivered: int, goal: int | None, starts_at: datetime, ends_at: datetime,
         now: datetime) -> Pace:
    """Compare delivery with an even spread of the goal over the flight."""
    if not goal:
        return Pace(delivered, None, None, None)
    expected = expected_delivery(goal, starts_at, ends_at, now)
    if is_ahead(delivered, expected):
        status = "ahead"
    elif is_behind(delivered, expected):
        status = "behind"
    else:
        status = "on_track"
    return Pace(delivered, goal, round(expected), status)


def campaign_paces(campaigns, now: datetime) -> dict[int, Pace]:
    """Give each campaign's pace now, from what it has delivered (one query for all)."""
    from ad_manager.stats.delivered import delivered

    served = delivered([c.id for c in campaigns], now)
    return {c.id: pace(served.get(c.id, (0, 0))[0], c.goal_impressions, c.starts_at,
                       c.ends_at, now) for c in campaigns}
