"""Campaign flights: calendar days in the site's timezone, stored as UTC instants.

Sales books "from the 28th to the 30th" in the site's own time; a flight runs from
the local midnight starting its first day to the local midnight ending its last.
Converting through zoneinfo keeps the 23- and 25-hour days of the DST changes right.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_midnight(day: date, timezone: str) -> datetime:
    """Give the UTC instant of the local midnight that starts ``day``."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def flight(first_day: date, last_day: date, timezone: str) -> tuple[datetime, datetime]:
    """Give (starts_at, ends_at) in UTC for a flight of whole local days, end excluded."""
    return local_midnight(first_day, timezone), local_midnight(last_day + timedelta(days=1),
                                                               timezone)


def local_day(now: datetime, timezone: str) -> date:
    """Give the site's calendar day at the instant ``now``."""
    return now.astimezone(ZoneInfo(timezone)).date()
