"""Accessible bar charts as data for server-rendered SVG (ADR 0049).

Pure functions: figures in, the geometry of an SVG out (no markup here; the template
`portal/reports/chart.html` draws it with presentation attributes only, so the page needs
no script and no inline style, as the Content-Security-Policy requires). Each figure is one
horizontal bar per row, its label above the bar and its value after it. A suppressed value
(a "D" or "H" marker) has no bar: a dashed empty box and the marker take its place, so the
reader sees that a value exists but is hidden. A missing figure ("–") has no bar either.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Point = tuple[str, str | int | float | None]
"""A row of a chart: its label, and a number, a marker ("D"/"H") or None (no figure)."""

WIDTH = 480  # drawn at this size (CSS max-width), so its text is 12–13 px like the page's
ROW = 44  # height of one row: a label line and a bar
BAR = 16
LEFT = 8
PLOT_WIDTH = 360
TOP = 8
AXIS = 28  # room below the rows for the scale
LABEL_CHARS = 64
NO_FIGURE = "–"


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    label_y: float
    bar_y: float
    width: float
    text_x: float
    text_y: float
    marker: str  # "D" or "H" for a suppressed value, "" otherwise


@dataclass(frozen=True)
class Gridline:
    x: float
    text: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_x: float
    plot_width: float
    plot_top: float
    plot_bottom: float
    bar_height: float
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]

    @property
    def title_id(self) -> str:
        return f"{self.chart_id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.chart_id}-desc"

    @property
    def tick_y(self) -> float:
        return self.plot_bottom + 18


def nice_maximum(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value` (1 for
    nothing to show)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover (10 × power is always enough)


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    maximum: float | None = None,
) -> BarChart:
    """The geometry of a horizontal bar chart of `points`, the scale from 0 to a round
    number at least the largest value (or `maximum`, e.g. 1 for shares)."""
    numbers = [float(v) for _, v in points if isinstance(v, int | float)]
    top = maximum if maximum is not None else nice_maximum(max(numbers, default=0.0))
    bars = []
    for i, (label, value) in enumerate(points):
        row_y = TOP + i * ROW
        bar_y = row_y + 20
        if isinstance(value, int | float):
            width = PLOT_WIDTH * min(float(value), top) / top if top > 0 else 0.0
            text, marker = fmt(float(value)), ""
        else:
            width = 0.0
            text = value if value else NO_FIGURE
            marker = value if value else ""
        bars.append(
            Bar(
                label=shorten(label),
                value_text=text,
                label_y=row_y + 14,
                bar_y=bar_y,
                width=round(width, 2),
                text_x=round(LEFT + width + (28 if marker else 6), 2),
                text_y=bar_y + 13,
                marker=marker,
            )
        )
    plot_bottom = TOP + len(points) * ROW
    gridlines = tuple(
        Gridline(round(LEFT + PLOT_WIDTH * share, 2), fmt(top * share)) for share in (0, 0.5, 1)
    )
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=plot_bottom + AXIS,
        plot_x=LEFT,
        plot_width=PLOT_WIDTH,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        bar_height=BAR,
        bars=tuple(bars),
        gridlines=gridlines,
    )
