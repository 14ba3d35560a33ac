"""The whole picture: layout, axes, legend and marks around a ChartData, as an SVG tree.

The root is ``<svg role="img" aria-labelledby="<id>-title <id>-desc">`` with its <title> and
<desc> first. Text, axes and grid lines are ``currentColor`` (the page's text colour, so both
themes read); series use sift.charts.palette. Sizes are in viewBox units (``WIDTH`` x
``HEIGHT``); the page scales the picture. Text widths are estimated from character counts:
there is no font to measure in the engine. ``standalone`` writes the file that Export saves.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import math

from sift.charts.data import ChartData
from sift.charts.describe import measure
from sift.charts.marks import MARKS, Plot, focus_copy, paint, stack_range
from sift.charts.palette import THEMES
from sift.charts.scale import Axis, axis_for, inside, number_axis, value_text
from sift.charts.svg import SVG_NS, Node, el, num, text_el, to_xml, walk

WIDTH, HEIGHT = 640, 400
FONT = 12
CHAR = 6.6  # estimated width of a character at FONT
LABEL_CHARS = 18  # category labels longer than this are cut (the tooltip has them whole)
TITLE_CHARS = 90
MAX_FOCUSABLE = 50  # marks: more than this and only the legend entries take focus
PAD = 10
TITLE_SPACE = 26
LEGEND_ROW = 18
SLANT = 40  # degrees: category labels too wide for their band are slanted
ELLIPSIS = "\u2026"


def render(data: ChartData, title: str, desc: str, ident: str) -> Node:
    """The SVG tree of the chart; ``ident`` makes its ids (title, desc) unique on a page.

    ``<svg class="sift-chart">`` holds the picture, ``<svg role="img">`` with its <title> and
    <desc> first, then ``<g class="chart-focus">``: transparent copies of the marks (at most
    ``MAX_FOCUSABLE``), or of the legend entries when there are more marks, that take
    keyboard focus. They sit outside the image because an image's children are presentational.
    """
    head = [
        text_el("title", {"id": f"{ident}-title"}, title),
        text_el("desc", {"id": f"{ident}-desc"}, desc),
        text_el("text", {"x": PAD, "y": 18, "font-size": 14, "font-weight": 600,
                         "class": "chart-title"}, _cut(title, TITLE_CHARS)),
    ]  # fmt: skip
    frame = {"viewBox": f"0 0 {WIDTH} {HEIGHT}", "width": WIDTH, "height": HEIGHT}
    root = {
        "xmlns": SVG_NS,
        **frame,
        "class": "sift-chart",
        "font-family": "system-ui, sans-serif",
        "font-size": FONT,
        "fill": "currentColor",
    }
    image = {**frame, "role": "img", "aria-labelledby": f"{ident}-title {ident}-desc"}
    if data.empty or not data.values():
        message = "No rows to show." if data.empty else "No values to show."
        middle = {"x": WIDTH / 2, "y": HEIGHT / 2, "text-anchor": "middle", "class": "chart-empty"}
        return el("svg", root, el("svg", image, *head, text_el("text", middle, message)))
    few = _marks(data) <= MAX_FOCUSABLE
    legend, legend_height = _legend(data)
    plot, axes = _layout(data, TITLE_SPACE + legend_height)
    marks = el("g", {"class": "marks"}, *MARKS[data.spec.type](data, plot))
    stops = [n for n in walk(marks if few else legend) if _is_stop(n)]
    focus = el("g", {"class": "chart-focus"}, *[focus_copy(n) for n in stops])
    return el("svg", root, el("svg", image, *head, legend, axes, marks), focus)


def _is_stop(node: Node) -> bool:
    classes = node[1].get("class", "").split()
    return "mark" in classes or "legend-box" in classes


def _marks(data: ChartData) -> int:
    return sum(1 for s in data.series for p in s.points if p.y is not None)


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + ELLIPSIS


def _width(text: str) -> float:
    return len(text) * CHAR


# --- axes and layout ----------------------------------------------------------------------


def _y_axis(data: ChartData) -> Axis:
    if data.stacked:
        low, high = stack_range(data)
    else:
        values = data.values()
        low, high = min(values), max(values)
    zero = data.spec.type in ("bar", "histogram", "area") or data.spec.agg == "count"
    return number_axis(low, high, zero=zero)


def _x_axis(data: ChartData) -> Axis | None:
    if data.spec.type == "bar":
        return None
    if data.spec.type == "histogram":
        low, high = data.edges[0], data.edges[-1]
        return inside(axis_for(data.x_kind, low, high), low, high)
    xs = [p.x for s in data.series for p in s.points]
    axis = axis_for(data.x_kind, min(xs), max(xs))
    return axis if data.x_kind == "number" else inside(axis, axis.low, axis.high)


def _layout(data: ChartData, top: float) -> tuple[Plot, Node]:
    y_axis, x_axis = _y_axis(data), _x_axis(data)
    left = PAD + FONT + 8 + max(_width(label) for label in y_axis.labels) + 6
    labels = [_cut(c, LABEL_CHARS) for c in data.categories] if x_axis is None else []
    band = (WIDTH - PAD - left) / max(len(labels), 1)
    widest = max((_width(label) for label in labels), default=0.0)
    slanted = widest > band * 0.9
    drop = widest * math.sin(math.radians(SLANT)) + FONT if slanted else FONT
    bottom = HEIGHT - PAD - FONT - 6 - drop - 8 - (FONT + 4 if data.note else 0)
    plot = Plot(left, top + 6, WIDTH - PAD - 6, bottom, x_axis, y_axis, len(labels))
    parts = [*_grid(plot), *_x_labels(plot, labels, slanted), *_titles(data, plot)]
    return plot, el("g", {"class": "axes", "aria-hidden": "true"}, *parts)


def _grid(plot: Plot) -> list[Node]:
    nodes = []
    for tick, label in zip(plot.y.ticks, plot.y.labels, strict=True):
        y = plot.py(tick)
        line = {"x1": plot.x0, "x2": plot.x1, "y1": y, "y2": y, "stroke": "currentColor"}
        nodes.append(el("line", {**line, "stroke-opacity": "0.15" if tick else "0.6"}))
        anchor = {"x": plot.x0 - 6, "y": y + 4, "text-anchor": "end"}
        nodes.append(text_el("text", anchor, label))
    axis = {"x1": plot.x0, "x2": plot.x1, "y1": plot.y1, "y2": plot.y1}
    nodes.append(el("line", {**axis, "stroke": "currentColor", "stroke-opacity": "0.6"}))
    return nodes


def _x_labels(plot: Plot, labels: list[str], slanted: bool) -> list[Node]:
    nodes = []
    y = plot.y1 + FONT + 4
    if plot.x is not None:
        for tick, label in zip(plot.x.ticks, plot.x.labels, strict=True):
            x = plot.px(tick)
            tick_line = {"x1": x, "x2": x, "y1": plot.y1, "y2": plot.y1 + 4}
            nodes.append(el("line", {**tick_line, "stroke": "currentColor"}))
            nodes.append(text_el("text", {"x": x, "y": y, "text-anchor": "middle"}, label))
        return nodes
    for index, label in enumerate(labels):
        start, width = plot.band(index)
        x = start + width / 2
        if slanted:
            attrs = {"x": x, "y": y - 4, "text-anchor": "end",
                     "transform": f"rotate(-{SLANT} {num(x)} {num(y - 4)})"}  # fmt: skip
        else:
            attrs = {"x": x, "y": y, "text-anchor": "middle"}
        nodes.append(text_el("text", attrs, label))
    return nodes


def _titles(data: ChartData, plot: Plot) -> list[Node]:
    spec = data.spec
    if spec.type == "scatter":
        y_title = str(spec.y)
    elif spec.type == "histogram":
        y_title = "number of rows"
    else:
        y_title = measure(spec)
    shown_unit = data.unit and data.unit not in ("value", spec.x.lower())
    x_title = spec.x + (f" ({data.unit})" if shown_unit else "")
    middle = (plot.y0 + plot.y1) / 2
    y_attrs = {"x": PAD + FONT / 2, "y": middle, "text-anchor": "middle",
               "transform": f"rotate(-90 {num(PAD + FONT / 2)} {num(middle)})"}  # fmt: skip
    note_space = FONT + 4 if data.note else 0
    x_attrs = {
        "x": (plot.x0 + plot.x1) / 2,
        "y": HEIGHT - PAD - note_space,
        "text-anchor": "middle",
    }
    nodes = [text_el("text", y_attrs, _cut(y_title, 50)), text_el("text", x_attrs, x_title)]
    if data.note:
        note = {"x": PAD, "y": HEIGHT - PAD, "font-size": FONT - 1, "class": "chart-note"}
        nodes.append(text_el("text", note, data.note))
    return nodes


# --- legend ---------------------------------------------------------------------------------


def _legend(data: ChartData) -> tuple[Node, float]:
    """One entry per series (only when there is a colour column), in rows under the title."""
    if not data.spec.color:
        return el("g", {"class": "legend"}), 0.0
    entries, x, row = [], float(PAD), 0
    for index, series in enumerate(data.series):
        label = _cut(series.label, 24)
        width = 14 + _width(label) + 16
        if x + width > WIDTH - PAD and x > PAD:
            x, row = float(PAD), row + 1
        fill, cls = paint(index, series)
        y = TITLE_SPACE + row * LEGEND_ROW
        box = {"x": x - 2, "y": y - 2, "width": width - 10, "height": 14}
        # the entry's box: its tooltip, and what a focus stop copies (sift.charts.marks)
        tip = text_el("title", None, _summary(data, index))
        hit = el("rect", {**box, "fill": "transparent", "class": "legend-box"}, tip)
        swatch = el("rect", {"x": x, "y": y, "width": 10, "height": 10, "fill": fill, "class": cls})
        text = text_el("text", {"x": x + 14, "y": y + 9}, label)
        entries.append(el("g", {"class": f"legend-entry {cls}"}, swatch, text, hit))
        x += width
    return el("g", {"class": "legend"}, *entries), (row + 1) * LEGEND_ROW


def _summary(data: ChartData, index: int) -> str:
    """A legend entry's words: 'kind: A, 12 bars, from 1 to 90'."""
    series = data.series[index]
    values = [p.y for p in series.points if p.y is not None]
    noun = {"scatter": "point", "line": "point", "area": "point"}.get(data.spec.type, "bar")
    count = f"{len(values)} {noun}{'' if len(values) == 1 else 's'}"
    span = f", from {value_text(min(values))} to {value_text(max(values))}" if values else ""
    return f"{data.spec.color}: {series.label}, {count}{span}"


def standalone(tree: Node, theme: str = "light") -> str:
    """The chart as an SVG file: the page's colours fixed for ``theme`` (light or dark),
    with a background, so it reads anywhere it is opened."""
    background, text = THEMES.get(theme, THEMES["light"])
    tag, attrs, children = tree
    back = el("rect", {"width": "100%", "height": "100%", "fill": background})
    # focus stops belong to the page, not to a file: the picture alone is exported
    pictures = [c for c in children if isinstance(c, list) and c[0] == "svg"]
    out = [tag, {**attrs, "color": text}, [back, *pictures]]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + to_xml(out) + "\n"


def focusable_count(tree: Node) -> int:
    return sum(1 for node in walk(tree) if node[1].get("tabindex") == "0")
