"""The marks of each chart type: bars, histogram bars, lines, areas and points.

Every mark carries its value as a tooltip (an SVG <title> child, shown on hover) and the class
``mark``; sift.charts.render makes the focusable copies of them (``focus_copy``).
Imports: the standard library and sift modules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sift.charts.data import ChartData, Point, Series
from sift.charts.describe import measure
from sift.charts.palette import colour
from sift.charts.scale import Axis, value_text
from sift.charts.svg import Node, el, num, text_el
from sift.record import Record

BAR_SHARE = 0.8  # of a category's band
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2", "1 2")  # a line's own pattern
POINT_RADIUS = 3
MARKED_POINTS = 200  # a line shows its points as dots (with tooltips) up to this many


class Plot(Record):
    """The drawing area and its axes (``x`` is None for bars: one band per category)."""

    __slots__ = ("bands", "x", "x0", "x1", "y", "y0", "y1")

    def __init__(
        self, x0: float, y0: float, x1: float, y1: float, x: Axis | None, y: Axis, bands: int = 0
    ) -> None:
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.x, self.y, self.bands = x, y, bands

    def px(self, value: float) -> float:
        return self.x.at(value, self.x0, self.x1) if self.x else self.x0

    def py(self, value: float) -> float:
        return self.y.at(value, self.y1, self.y0)

    def band(self, index: float) -> tuple[float, float]:
        width = (self.x1 - self.x0) / max(self.bands, 1)
        return self.x0 + index * width, width

    def base(self) -> float:
        """Where bars start: 0, or the axis end nearest to it."""
        return self.py(min(max(0.0, self.y.low), self.y.high))


def mark(tag: str, attrs: dict[str, object], tip: str) -> Node:
    return el(tag, attrs, text_el("title", None, tip))


GEOMETRY = ("x", "y", "width", "height", "cx", "cy", "r", "transform")


def focus_copy(node: Node) -> Node:
    """A transparent copy of a mark (or a legend entry's box) that takes keyboard focus and
    says the mark's tooltip: drawn over the picture, outside its role="img" (ARIA makes an
    image's children presentational, so a browser may hide them from assistive technology)."""
    tag, attrs, children = node
    words = next(c[2][0] for c in children if isinstance(c, list) and c[0] == "title")
    shape = {name: attrs[name] for name in GEOMETRY if name in attrs}
    focus = {"fill": "transparent", "class": "focus-mark", "tabindex": "0", "role": "img"}
    return el(tag, {**shape, **focus, "aria-label": words}, text_el("title", None, words))


def tip(data: ChartData, series: Series, point: Point) -> str:
    spec = data.spec
    parts = [f"{spec.x}: {point.x_text}"]
    if spec.color:
        parts.append(f"{spec.color}: {series.label}")
    value = "" if point.y is None else value_text(point.y)
    if spec.type == "scatter":
        parts.append(f"{spec.y}: {value}")
    elif spec.type == "histogram":
        parts.append(f"rows: {value}")
    else:
        parts.append(f"{measure(spec)}: {value or 'none'}")
    return ", ".join(parts)


def paint(index: int, series: Series) -> tuple[str, str]:
    return colour(index, series.other)


def _stacks(data: ChartData) -> dict[tuple[int, float], tuple[float, float]]:
    """(series, x) -> (start, end) of each value when stacked: positives up, negatives down."""
    up: dict[float, float] = {}
    down: dict[float, float] = {}
    spans = {}
    for index, series in enumerate(data.series):
        for p in series.points:
            value = p.y or 0.0
            pile = up if value >= 0 else down
            start = pile.get(p.x, 0.0)
            pile[p.x] = start + value
            spans[(index, p.x)] = (start, start + value)
    return spans


def stack_range(data: ChartData) -> tuple[float, float]:
    spans = _stacks(data).values()
    return min(min(s) for s in spans), max(max(s) for s in spans)


def bars(data: ChartData, plot: Plot) -> list[Node]:
    """Bars: stacked, grouped side by side (one per series), or single."""
    spans = _stacks(data)
    marks = []
    count = len(data.series)
    folded = len(data.categories) - 1 if data.others else -1  # the "Other" bar
    for index, series in enumerate(data.series):
        for p in series.points:
            if p.y is None:
                continue
            other = count == 1 and p.x == folded
            fill, cls = colour(0, other=True) if other else paint(index, series)
            start, width = plot.band(p.x)
            inner = width * BAR_SHARE
            left = start + (width - inner) / 2
            if data.stacked:
                low, high = spans[(index, p.x)]
            else:
                low, high = 0.0, p.y
                if count > 1:
                    inner /= count
                    left += index * inner
            marks.append(_rect(left, inner, plot, low, high, fill, cls, tip(data, series, p)))
    return marks


def _rect(
    left: float, width: float, plot: Plot, low: float, high: float, fill: str, cls: str,
    text: str,
) -> Node:  # fmt: skip
    clamp = plot.y.low, plot.y.high
    y_low = plot.py(min(max(low, clamp[0]), clamp[1]))
    y_high = plot.py(min(max(high, clamp[0]), clamp[1]))
    top, height = min(y_low, y_high), abs(y_low - y_high)
    attrs = {"x": left, "y": top, "width": max(width, 0.5), "height": height}
    return mark("rect", {**attrs, "fill": fill, "class": f"mark {cls}"}, text)


def histogram_bars(data: ChartData, plot: Plot) -> list[Node]:
    spans = _stacks(data)
    marks = []
    for index, series in enumerate(data.series):
        fill, cls = paint(index, series)
        for p in series.points:
            if not p.y:
                continue
            i = int(p.x)
            left, right = plot.px(data.edges[i]), plot.px(data.edges[i + 1])
            low, high = spans[(index, p.x)]
            gap = 1.0 if right - left > 3 else 0.0
            text = tip(data, series, p)
            marks.append(
                _rect(left + gap / 2, right - left - gap, plot, low, high, fill, cls, text)
            )
    return marks


def _path(points: Sequence[tuple[float, float | None]], plot: Plot) -> str:
    """An SVG path through the points; a missing value breaks the line."""
    parts = []
    move = True
    for x, y in points:
        if y is None:
            move = True
            continue
        parts.append(f"{'M' if move else 'L'}{num(plot.px(x))},{num(plot.py(y))}")
        move = False
    return "".join(parts)


def lines(data: ChartData, plot: Plot, *, area: bool) -> list[Node]:
    """One line per series; under it an area (from 0, or stacked on the series before)."""
    marks: list[Node] = []
    spans = _stacks(data) if data.stacked else {}
    xs = sorted({p.x for s in data.series for p in s.points})
    dots = sum(len(s.points) for s in data.series) <= MARKED_POINTS
    for index, series in enumerate(data.series):
        fill, cls = paint(index, series)
        points = sorted(series.points, key=lambda p: p.x)
        tops: list[tuple[float, float | None]]
        if data.stacked:
            tops = [(x, spans.get((index, x), (0.0, 0.0))[1]) for x in xs]
            lows: list[tuple[float, float | None]] = [
                (x, spans.get((index, x), (0.0, 0.0))[0]) for x in xs
            ]
        else:
            tops = [(p.x, p.y) for p in points]
            lows = [(p.x, max(min(0.0, plot.y.high), plot.y.low)) for p in points]
        if area and tops:
            marks.append(_area(tops, lows, plot, fill, cls))
        style = {"fill": "none", "stroke": fill, "stroke-width": 2, "class": f"line {cls}"}
        dash = DASHES[index % len(DASHES)]
        summary = f"{series.label}: {len(points)} points"
        marks.append(
            el("path", {"d": _path(tops, plot), **style, "stroke-dasharray": dash or None},
               text_el("title", None, summary))
        )  # fmt: skip
        if dots:
            marks.extend(_dots(data, series, points, plot, fill, cls, dict(tops)))
    return marks


def _area(
    tops: Sequence[tuple[float, float | None]],
    lows: Sequence[tuple[float, float | None]],
    plot: Plot,
    fill: str, cls: str,
) -> Node:  # fmt: skip
    upper = [(x, y if y is not None else 0.0) for x, y in tops]
    lower = [(x, y if y is not None else 0.0) for x, y in reversed(lows)]
    d = _path(upper + lower, plot) + "Z"
    attrs: dict[str, object] = {"d": d, "fill": fill, "fill-opacity": "0.35", "class": cls}
    return el("path", attrs)


def _dots(
    data: ChartData, series: Series, points: list[Point], plot: Plot, fill: str, cls: str,
    heights: dict[float, float | None],
) -> list[Node]:  # fmt: skip
    dots = []
    for p in points:
        y = heights.get(p.x, p.y)
        if y is None:
            continue
        attrs = {"cx": plot.px(p.x), "cy": plot.py(y), "r": POINT_RADIUS, "fill": fill}
        dots.append(mark("circle", {**attrs, "class": f"mark {cls}"}, tip(data, series, p)))
    return dots


def points(data: ChartData, plot: Plot) -> list[Node]:
    """One group per series holding its colour (a scatter has up to 2,000 points: the
    attributes they share are written once)."""
    groups = []
    for index, series in enumerate(data.series):
        fill, cls = paint(index, series)
        dots = [
            mark("circle", {"cx": plot.px(p.x), "cy": plot.py(p.y), "r": POINT_RADIUS,
                            "class": "mark"}, tip(data, series, p))
            for p in series.points
            if p.y is not None
        ]  # fmt: skip
        style = {"fill": fill, "fill-opacity": "0.7", "class": f"points {cls}"}
        groups.append(el("g", style, *dots))
    return groups


MARKS: dict[str, Callable[[ChartData, Plot], list[Node]]] = {
    "bar": bars,
    "histogram": histogram_bars,
    "line": lambda data, plot: lines(data, plot, area=False),
    "area": lambda data, plot: lines(data, plot, area=True),
    "scatter": points,
}
