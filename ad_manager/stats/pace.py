"""Whether a live campaign delivers on pace: ahead, on track or behind its goal.

Expected delivery grows evenly over the flight; the tolerance is the decision's own
(``delivery.pacing``). Campaigns without a goal have no pace.
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
