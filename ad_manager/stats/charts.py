"""Server-drawn bar charts: the geometry of an SVG, computed here, drawn by a template.

No chart library and no script: the page gets plain SVG shapes (allowed by the
dashboard's CSP), readable and printable as they are.
"""

from dataclasses import dataclass

WIDTH = 760
HEIGHT = 220
MARGIN_LEFT = 56
MARGIN_BOTTOM = 28
MARGIN_TOP = 12


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float
    height: float
    inner_y: float  # the viewable part, drawn inside the bar
    inner_height: float
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (y, label) of the value axis
    labels: list[tuple[float, str]]  # (x, label) of the time axis
    baseline: float
    left: int


def nice_ceiling(value: int) -> int:
    """Give a round number at or above ``value`` (1, 2, 5 × a power of ten)."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def bar_chart(points: list[tuple[str, int, int, str]], *, max_labels: int = 8) -> Chart:
    """Lay out bars for (label, total, inner, title) points, e.g. rendered and viewable."""
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    baseline = HEIGHT - MARGIN_BOTTOM
    top = nice_ceiling(max((total for _, total, _, _ in points), default=0))
    slot = plot_width / max(len(points), 1)
    bar_width = max(1.0, slot * 0.7)
    bars, labels = [], []
    every = max(1, -(-len(points) // max_labels))
    for index, (label, total, inner, title) in enumerate(points):
        x = MARGIN_LEFT + index * slot + (slot - bar_width) / 2
        height = plot_height * total / top
        inner_height = plot_height * min(inner, total) / top
        bars.append(Bar(round(x, 1), round(bar_width, 1), round(baseline - height, 1),
                        round(height, 1), round(baseline - inner_height, 1),
                        round(inner_height, 1), title))
        if index % every == 0:
            labels.append((round(x + bar_width / 2, 1), label))
    # Whole-number steps only: a top of 1 or 2 has no quarters worth writing.
    parts = next(n for n in (5, 4, 2, 1) if top % n == 0)
    ticks = [(round(baseline - plot_height * part / parts, 1),
              f"{top * part // parts:,}".replace(",", "\u202f")) for part in range(parts + 1)]
    return Chart(WIDTH, HEIGHT, bars, ticks, labels, baseline, MARGIN_LEFT)
