"""Back-test the availability forecast on generated history with a known pattern.

Ten weeks of hourly rendered impressions for one zone of a Paris site: a daily
curve (morning and evening peaks, quiet nights), quieter weekends, a trend of
+0.5 % a day and noise (± 8 % per day, then ± 15 % per hour, Gaussian). The forecast of the last
fortnight, fitted on the eight weeks before it only, is compared with what the
generator served: the fortnight's total, each day's (mean absolute error) and
each hour's. Run from the project root: python bench/forecast_backtest.py
"""

import math
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ad_manager.stats.forecast import expected, fit, hours_between

PARIS = ZoneInfo("Europe/Paris")
WEEKDAY = (1.10, 1.05, 1.0, 1.05, 1.0, 0.75, 0.65)  # Monday first
BUDGET = 0.15


def daily_curve(hour: int) -> float:
    """Give the relative traffic of a local hour: peaks at 8 h and 21 h, a trough at 4 h."""
    return (0.15 + math.exp(-((hour - 8) ** 2) / 6) + 0.8 * math.exp(-((hour - 21) ** 2) / 5)
            + 0.4 * math.exp(-((hour - 13) ** 2) / 4))


def generate(first: date, days: int, per_day: float = 24_000, trend: float = 0.005,
             noise: float = 0.15, day_noise: float = 0.08,
             seed: int = 7) -> dict[datetime, float]:
    """Give {UTC hour: rendered impressions} of ``days`` local days from ``first``: the
    pattern, each day moved by ``day_noise`` (news days, quiet days) and each hour by
    ``noise`` (Gaussian)."""
    rng = random.Random(seed)
    shocks = [rng.gauss(1, day_noise) for _ in range(days + 1)]
    curve = [daily_curve(h) for h in range(24)]
    scale = sum(curve)
    counts = {}
    start = datetime.combine(first, time(0), tzinfo=PARIS).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=days), time(0), tzinfo=PARIS).astimezone(UTC)
    for hour, _share in hours_between(start, end):
        local = hour.astimezone(PARIS)
        n = (local.date() - first).days
        mean = (per_day * (1 + trend * n) * WEEKDAY[local.weekday()] * shocks[n]
                * curve[local.hour] / scale)
        counts[hour] = max(0, round(rng.gauss(mean, noise * mean)))
    return counts


def backtest(seed: int = 7, first: date = date(2026, 8, 3)) -> dict[str, float]:
    """Forecast the last 14 of 70 generated days from ``first`` (by default a Monday
    whose fortnight crosses no clock change) from the 56 before; give the errors."""
    history = generate(first, 70, seed=seed)
    cutoff = first + timedelta(days=56)
    cut = datetime.combine(cutoff, time(0), tzinfo=PARIS).astimezone(UTC)
    model = fit({h: c for h, c in history.items() if h < cut}, cutoff, PARIS)
    actual = {h: c for h, c in history.items() if h >= cut}
    end = datetime.combine(cutoff + timedelta(days=14), time(0), tzinfo=PARIS).astimezone(UTC)
    total_forecast = expected(model, cut, end)
    total_actual = sum(actual.values())
    day_errors = []
    for n in range(14):
        day = cutoff + timedelta(days=n)
        start = datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)
        stop = start + timedelta(days=1)
        served = sum(c for h, c in actual.items() if start <= h < stop)
        day_errors.append(abs(expected(model, start, stop) - served) / served)
    hour_errors = [abs(model.hour(h) - c) / c for h, c in actual.items() if c]
    return {"forecast": total_forecast, "served": total_actual,
            "total_error": abs(total_forecast - total_actual) / total_actual,
            "day_error": sum(day_errors) / len(day_errors),
            "worst_day_error": max(day_errors),
            "hour_error": sum(hour_errors) / len(hour_errors)}


def main() -> None:
    found = backtest()
    report(found)
    print("the same, with the clocks going back (25 October) inside the fortnight:")
    report(backtest(first=date(2026, 8, 24)))


def report(found: dict[str, float]) -> None:
    print(f"fortnight forecast {found['forecast']:,.0f} vs served {found['served']:,.0f} "
          f"impressions: error {found['total_error']:.1%}")
    print(f"per day: mean absolute error {found['day_error']:.1%}, "
          f"worst day {found['worst_day_error']:.1%}")
    print(f"per hour: mean absolute error {found['hour_error']:.1%} (the noise alone: ±8 % a day, "
          "±15 % an hour)")
    ok = found["total_error"] <= BUDGET and found["day_error"] <= BUDGET
    print(f"{'within' if ok else 'OVER'} the {BUDGET:.0%} budget")


if __name__ == "__main__":
    main()
