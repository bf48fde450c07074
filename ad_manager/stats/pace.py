"""Whether a live campaign delivers on pace: ahead, on track or behind its goal.

Expected delivery grows evenly over the flight; a campaign within ±10 % of it is on
track. Campaigns without a goal have no pace.
"""

from dataclasses import dataclass
from datetime import datetime

TOLERANCE = 0.10


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
    flight = (ends_at - starts_at).total_seconds()
    elapsed = min(max((now - starts_at).total_seconds(), 0.0), flight) if flight > 0 else 0
    share = elapsed / flight if flight > 0 else 1.0
    expected = round(goal * share)
    if delivered > expected * (1 + TOLERANCE) and delivered - expected >= 1:
        status = "ahead"
    elif delivered < expected * (1 - TOLERANCE):
        status = "behind"
    else:
        status = "on_track"
    return Pace(delivered, goal, expected, status)
