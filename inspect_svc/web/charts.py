"""Geometry of the dashboard's bar charts; the templates draw them as inline SVG."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row per item; labels sit left of `plot_x`."""

    bars: list[Bar]
    width: int
    height: int
    plot_x: int
    row_height: int


@dataclass(frozen=True)
class Segment:
    series: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    label: str
    total: int
    x: float
    segments: list[Segment]


@dataclass(frozen=True)
class StackedChart:
    """Columns stacked by series; the plot spans `plot_top`..`plot_bottom` vertically."""

    columns: list[Column]
    series: list[str]
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    column_width: float
    max_total: int


def bar_chart(
    items: Sequence[tuple[str, int]], *, width: int = 480, plot_x: int = 190, row_height: int = 28
) -> BarChart:
    top = max((value for _, value in items), default=0)
    span = width - plot_x - 40
    bars = [
        Bar(label, value, index * row_height + 4, span * value / top if top else 0.0)
        for index, (label, value) in enumerate(items)
    ]
    return BarChart(bars, width, max(len(items), 1) * row_height + 8, plot_x, row_height)


def stacked_chart(
    columns: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[str],
    *,
    width: int = 640,
    height: int = 240,
) -> StackedChart:
    plot_top, plot_bottom, left = 12, height - 36, 8
    max_total = max((sum(counts.values()) for _, counts in columns), default=0)
    slot = (width - left * 2) / max(len(columns), 1)
    scale = (plot_bottom - plot_top) / max_total if max_total else 0.0
    built = []
    for index, (label, counts) in enumerate(columns):
        segments, base = [], float(plot_bottom)
        for name in series:
            value = counts.get(name, 0)
            if value:
                base -= value * scale
                segments.append(Segment(name, value, base, value * scale))
        built.append(Column(label, sum(counts.values()), left + index * slot, segments))
    return StackedChart(
        built, list(series), width, height, plot_top, plot_bottom, slot * 0.7, max_total
    )
