"""A chart in words: its title, the <desc> sentence that says what it shows (the extremes,
the range, what was left out), and the labels of its measure. Screen readers read the
sentence; the 'show data' table has the rest.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sift.charts.data import OTHER_LABEL, ChartData, Point
from sift.charts.scale import value_text
from sift.charts.spec import ChartSpec
from sift.number_format import count_text, grouped

KIND_WORDS = {"bar": "Bar chart", "line": "Line chart", "area": "Area chart"}
AGG_WORDS = {"sum": "sum", "mean": "mean", "min": "minimum", "max": "maximum"}
_WORD = re.compile(r"[a-z]+")


def measure(spec: ChartSpec) -> str:
    """'number of rows', 'sum of amount', 'mean of price'..."""
    if spec.agg in (None, "count"):
        return "number of rows"
    return f"{AGG_WORDS[spec.agg]} of {spec.y}"


def title(data: ChartData) -> str:
    spec = data.spec
    if spec.title:
        return spec.title
    if spec.type == "histogram":
        text = f"Distribution of {spec.x}"
    elif spec.type == "scatter":
        text = f"{spec.y} against {spec.x}"
    else:
        text = f"{_capital(measure(spec))} by {_x_words(data)}"
    return text + (f", by {spec.color}" if spec.color else "")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _x_words(data: ChartData) -> str:
    """'district', 'month of date', 'size (in bins of 10)'."""
    x = data.spec.x
    if data.unit in ("year", "month", "day", "hour") and data.unit != x.lower():
        return f"{data.unit} of {x}"  # not "day of day" when the column is named so
    if data.unit.startswith("bins of"):
        return f"{x} (in {data.unit})"
    return x


def plural(count: int, noun: str) -> str:
    """'30 districts', '1 district', '12 values of Unit Price' (a plain lower-case name only
    gets an English plural; any other name is counted as values)."""
    if count == 1 and _WORD.fullmatch(noun):
        return f"1 {noun}"
    if not _WORD.fullmatch(noun):
        return f"{grouped(count)} {'value' if count == 1 else 'values'} of {noun}"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return f"{grouped(count)} {noun[:-1]}ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return f"{grouped(count)} {noun}es"
    return f"{grouped(count)} {noun}s"


def describe(data: ChartData) -> str:
    """The <desc> sentence."""
    spec = data.spec
    if spec.type == "histogram":
        lead = f"Histogram of {spec.x}"
    elif spec.type == "scatter":
        lead = f"Scatter plot of {spec.y} against {spec.x}"
    else:
        lead = f"{KIND_WORDS[spec.type]} of the {measure(spec)} by {_x_words(data)}"
    if spec.color:
        lead += f", coloured by {spec.color}"
    if data.empty:
        return f"{lead}: there are no rows to show."
    if not data.values():
        return f"{lead}: no row has a number in {spec.y}."
    body = _BODIES[spec.type](data)
    return f"{lead}: {body}"


def _series_words(data: ChartData) -> str:
    if not data.spec.color:
        return ""
    names = [s.label for s in data.series]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{plural(len(names), str(data.spec.color))} ({listed}); "


def _extremes(points: list[tuple[str, float]], which: str = "") -> str:
    """'highest Paris (12), lowest Lyon (3)': the first of equal values is named."""
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    return (
        f"highest {which}{high[0]} ({value_text(high[1])}),"
        f" lowest {which}{low[0]} ({value_text(low[1])})"
    )


def _bar(data: ChartData) -> str:
    named = [label for label in data.categories if label != OTHER_LABEL or data.others == 0]
    count = plural(len(named), data.spec.x)
    if data.others:
        total = len(named) + data.others
        count = f"the top {grouped(len(named))} of {plural(total, data.spec.x)}"
        count += f" (the other {grouped(data.others)} as {OTHER_LABEL})"
    totals: dict[float, float] = {}
    for series in data.series:
        for p in series.points:
            if p.y is not None:
                totals[p.x] = totals.get(p.x, 0.0) + p.y if data.stacked else p.y
    if data.stacked or not data.spec.color:
        points = [(data.categories[int(x)], y) for x, y in totals.items()]
        points = [p for p in points if p[0] != OTHER_LABEL or not data.others] or points
        extremes = _extremes(points, "total " if data.spec.color else "")
    else:
        extremes = _extremes(_labelled(data, lambda s, p: f"{s} in {p.x_text}"))
    values = data.values()
    spread = f"values range from {value_text(min(values))} to {value_text(max(values))}"
    return f"{count}, {_series_words(data)}{extremes}; {spread}."


def _labelled(data: ChartData, label: Callable[[str, Point], str]) -> list[tuple[str, float]]:
    """Every value with its label; the "Other" series only when there is nothing else."""
    named = [(label(s.label, p), p.y) for s in data.series for p in s.points if p.y is not None]
    kept = [
        (label(s.label, p), p.y)
        for s in data.series
        if not s.other
        for p in s.points
        if p.y is not None
    ]
    return kept or named


def _line(data: ChartData) -> str:
    points = [p for s in data.series for p in s.points]
    first, last = min(points, key=lambda p: p.x), max(points, key=lambda p: p.x)
    span = f"from {first.x_text} to {last.x_text}"
    if not data.spec.color:
        count = f" ({count_text(len(points), 'point')})"
        extremes = _extremes([(p.x_text, p.y) for p in points if p.y is not None])
        return f"{span}{count}: {extremes}."
    extremes = _extremes(_labelled(data, lambda s, p: f"{s} in {p.x_text}"))
    return f"{span}; {_series_words(data)}{extremes}."


def _histogram(data: ChartData) -> str:
    counts: dict[float, tuple[Point, float]] = {}
    for series in data.series:
        for p in series.points:
            before = counts.get(p.x, (p, 0.0))[1]
            counts[p.x] = (p, before + (p.y or 0))
    top, most = max(counts.values(), key=lambda item: item[1])
    edges = data.edge_texts
    rows = count_text(data.plotted, "row")
    bins = count_text(len(edges) - 1, "bin")
    split = f" split by {_series_words(data)[:-2]}" if data.spec.color else ""
    return (
        f"{rows} in {bins} from {edges[0]} to {edges[-1]}{split}; the most common range is"
        f" {top.x_text} ({count_text(int(most), 'row')})."
    )


def _scatter(data: ChartData) -> str:
    points = [p for s in data.series for p in s.points]
    if data.shown < data.plotted:
        rows = f"{grouped(data.shown)} of {count_text(data.plotted, 'row')} (a sample)"
    else:
        rows = count_text(data.plotted, "row")
    xs = sorted(points, key=lambda p: p.x)
    ys = [p.y for p in points if p.y is not None]
    x_range = f"{data.spec.x} from {xs[0].x_text} to {xs[-1].x_text}"
    y_range = f"{data.spec.y} from {value_text(min(ys))} to {value_text(max(ys))}"
    series = f"; {_series_words(data)[:-2]}" if data.spec.color else ""
    return f"{rows}{series}; {x_range}, {y_range}."


_BODIES = {"bar": _bar, "line": _line, "area": _line, "histogram": _histogram, "scatter": _scatter}
