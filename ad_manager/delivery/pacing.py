"""Even pacing: how much of its goal a campaign should have delivered by now.

One rule for the decision (an even campaign ahead of its pace yields) and for the
reports (ahead / on track / behind), so a report never says "ahead" while the
campaign still serves as if on track.
"""

from datetime import datetime

# A campaign may run this share ahead of (or behind) its expected delivery…
TOLERANCE = 0.10
# …plus a few impressions, so the first minutes of a flight don't count as ahead.
SLACK = 10


def expected_delivery(goal: int, starts_at: datetime, ends_at: datetime, now: datetime) -> float:
    """Give the impressions an even spread of ``goal`` over the flight reaches at ``now``.

    UTC instants, so a DST change neither adds nor removes an hour of pace.
    """
    length = (ends_at - starts_at).total_seconds()
    if length <= 0:
        return float(goal)
    elapsed = min(max((now - starts_at).total_seconds(), 0.0), length)
    return goal * elapsed / length


def is_ahead(delivered: int, expected: float) -> bool:
    """Tell whether delivery ran ahead of its expected share beyond the tolerance."""
    return delivered > expected * (1 + TOLERANCE) + SLACK


def is_behind(delivered: int, expected: float) -> bool:
    """Tell whether delivery fell behind its expected share beyond the tolerance."""
    return delivered < expected * (1 - TOLERANCE)
