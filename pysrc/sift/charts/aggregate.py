"""The SQL behind each chart type; each function returns a ChartData (sift.charts.data).

- bar: GROUP BY x; the ``TOP_CATEGORIES`` largest groups by the aggregate, the rest as one
  "Other" bar (the number it folds in is kept). A count over the whole table is read from the
  column's profile when one was computed (no query). With a colour column: GROUP BY x and
  colour in one pass; the top x values and the ``TOP_SERIES`` most common colour values are
  ranked over those groups, the rest fold into "Other".
- line, area: GROUP BY x (and colour, ranked as for bars). Dates are bucketed by hour, day,
  month or year (by their range, so a chart has at most a few hundred points); numbers are
  grouped by value when there are at most ``MAX_GROUPS`` of them, else in about ``LINE_BINS``
  nice bins.
- histogram: about 20 nice bins (sift.bins) of a number or date column, counted in one pass
  by comparing with the edges, per colour value (after a pass that ranks the colours).
- scatter: every row with both values when there are at most ``SAMPLE_SIZE``; otherwise a
  deterministic sample of that many rows: those whose rowid times 2^31/phi, modulo 2^31, is
  smallest (a golden-ratio sequence: the picked rows are spread evenly over the table).
Imports: the standard library and sift modules.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from sift.bins import Edges, bindable, date_edges, number_edges, parse_moment
from sift.charts.data import (
    OTHER_LABEL,
    Cell,
    ChartData,
    Columns,
    Group,
    Point,
    Series,
    Source,
    counted,
    crossed,
    date_condition,
    group_columns,
    index_sql,
    key_text,
    number_sql,
    ordered_kind,
    ranked,
)
from sift.charts.scale import bucket_moment, date_unit, day_number, nice_step, value_text
from sift.charts.spec import ChartSpec
from sift.errors import SiftError
from sift.families import DATE, DATETIME, NUMBER, shown
from sift.names import quote_ident
from sift.number_format import grouped
from sift.workspace import to_jsonable

TOP_CATEGORIES = 30
TOP_CATEGORIES_WITH_COLOUR = 15
TOP_SERIES = 7
MAX_GROUPS = 1000
LINE_BINS = 100
SAMPLE_SIZE = 2000  # points drawn: the reply must fit the UI's ~1 MB MicroPython heap
_SAMPLE_KEY = "(({rowid} & 2147483647) * 1327217885) & 2147483647"  # 2^31 / golden ratio
_DATE_LENGTHS = {"year": 4, "month": 7, "day": 10, "hour": 13}
ADDITIVE = ("count", "sum")


def aggregate(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    return AGGREGATORS[spec.type](source, spec, columns)


# --- colour series -------------------------------------------------------------------------


def _colour_keys(source: Source, columns: Columns) -> tuple[list[Any], bool]:
    """The most common values of the colour column, and whether there are others."""
    if columns.color is None:
        return [], False
    groups, rest, _ = ranked(source, quote_ident(columns.color), None, "count", TOP_SERIES)
    return [g.key for g in groups], rest is not None


def _all_series(columns: Columns, keys: list[Any], more: bool, label: str) -> list[Series]:
    if columns.color is None:
        return [Series(label)]
    series = [Series(key_text(key, columns.color_kind)) for key in keys]
    return series + ([Series(OTHER_LABEL, other=True)] if more else [])


def _colour_index(columns: Columns, keys: list[Any], params: dict[str, Any]) -> str:
    if columns.color is None:
        return "0"
    return index_sql(quote_ident(columns.color), keys, "chart_c", params)


def _grouped(
    source: Source, key: str, value: str | None, agg: str | None, colour: str,
    params: dict[str, Any], condition: str = "",
) -> list[tuple[Any, int, Group]]:  # fmt: skip
    """(key, colour index, figures) per group of ``key`` and colour, in key order."""
    sql = (
        f"SELECT {key} AS k, {colour} AS ci, {group_columns(value, agg)}"
        f" FROM {source.sql(condition)} GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return [
        (k, int(ci), Group(k, int(n), s, int(c or 0), lo, hi))
        for k, ci, n, s, c, lo, hi in source.run(sql, params)
    ]


def _slot(ci: int, series: list[Series]) -> Series:
    return series[ci] if 0 <= ci < len(series) else series[-1]


# --- bar -----------------------------------------------------------------------------------


def _order(value: Any) -> tuple[int, Any]:
    """SQLite's order: NULL, numbers, text, blobs."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    return (2, value) if isinstance(value, str) else (3, value)


def bar(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    value = number_sql(columns.y) if columns.y else None
    if columns.color:
        return _bar_by_colour(source, spec, columns)
    x, top = quote_ident(columns.x), TOP_CATEGORIES
    cached = counted(source, columns.x, top) if value is None else None
    groups, rest, others = cached or ranked(source, x, value, spec.agg, top)
    if rest is None and ordered_kind(columns.x_kind):
        groups.sort(key=lambda g: _order(g.key))
    labels = [key_text(g.key, columns.x_kind) for g in groups]
    data = ChartData(spec, columns.x_kind, source.rows, categories=labels, others=others)
    data.plotted = sum(g.n for g in groups) + (rest.n if rest else 0)
    if rest is not None:
        labels.append(OTHER_LABEL)
    raws = [shown(columns.x_kind, g.key) for g in groups] + [OTHER_LABEL]
    every = groups + ([rest] if rest else [])
    points = [Point(i, g.value(spec.agg), labels[i], raws[i]) for i, g in enumerate(every)]
    data.series = [Series(_measure(spec), points=points)]
    return data


def _bar_by_colour(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    value = number_sql(columns.y) if columns.y else None
    x, colour = quote_ident(columns.x), quote_ident(str(columns.color))
    cells, others = crossed(
        source, x, colour, value, spec.agg, top=TOP_CATEGORIES_WITH_COLOUR, series=TOP_SERIES
    )
    keys = {cell.x_rank: cell.x_key for cell in cells if cell.x_rank is not None}
    order = sorted(keys)
    if not others and ordered_kind(columns.x_kind):
        order.sort(key=lambda rank: _order(keys[rank]))
    slot = {rank: i for i, rank in enumerate(order)}
    labels = [key_text(keys[rank], columns.x_kind) for rank in order]
    raws = [shown(columns.x_kind, keys[rank]) for rank in order] + [OTHER_LABEL]
    data = ChartData(spec, columns.x_kind, source.rows, categories=labels, others=others)
    if others:
        labels.append(OTHER_LABEL)
    data.series = _crossed_series(cells, columns, _measure(spec))
    for cell in cells:
        at = slot[cell.x_rank] if cell.x_rank is not None else len(order)
        point = Point(at, cell.figures.value(spec.agg), labels[at], raws[at])
        _slot((cell.colour_rank or 0) - 1, data.series).points.append(point)
        data.plotted += cell.figures.n
    for series in data.series:
        series.points.sort(key=lambda p: p.x)
    data.stacked = spec.agg in ADDITIVE
    return data


def _crossed_series(cells: list[Cell], columns: Columns, label: str) -> list[Series]:
    """One series per colour rank, in rank order, then Other if any colour was folded."""
    ranks = {cell.colour_rank: cell.colour_key for cell in cells if cell.colour_rank}
    keys = [ranks[rank] for rank in sorted(ranks)]
    more = any(cell.colour_rank is None for cell in cells)
    return _all_series(columns, keys, more, label)


def _measure(spec: ChartSpec) -> str:
    return "rows" if spec.agg == "count" else f"{spec.agg} of {spec.y}"


# --- line and area ---------------------------------------------------------------------------


def line(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    if columns.x_kind in (DATE, DATETIME):
        return _over_dates(source, spec, columns)
    if columns.x_kind == NUMBER:
        return _over_numbers(source, spec, columns)
    raise SiftError(
        f"A {spec.type} chart needs dates or numbers on x, but {columns.x} holds"
        f" {columns.x_kind} values.",
        hint=f"Make a bar chart of {columns.x}, or choose a date or number column as x.",
        source=source.table,
    )


def _over_dates(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    data = ChartData(spec, columns.x_kind, source.rows)
    x, condition = quote_ident(columns.x), date_condition(columns.x)
    known = source.known(columns.x)  # the range without a pass over the table
    if known is not None and known.get("family") == columns.x_kind:
        low, high = known["min"], known["max"]
        n = known["rows"] - known["nulls"] - known["mismatched"]
    else:
        sql = f"SELECT min({x}), max({x}), count(*) FROM {source.sql(condition)}"
        low, high, n = source.run(sql)[0]
    data.left_out, data.plotted = source.rows - n, n
    first, last = parse_moment(low), parse_moment(high)
    if first is None or last is None:
        return data
    unit = date_unit(day_number(last) - day_number(first), columns.x_kind == DATETIME)
    key = f"substr({x}, 1, {_DATE_LENGTHS[unit]})"
    data.unit = unit
    return _fill_line(source, spec, columns, data, key, condition, _date_place(unit))


Place = Callable[[Any], tuple[float, str, Any]]  # a group's key -> position, text, JSON value


def _date_place(unit: str) -> Place:
    def place(key: Any) -> tuple[float, str, Any]:
        text = bucket_moment(str(key), unit)
        moment = parse_moment(text)
        label = text[:16] if unit == "hour" else str(key)
        return (day_number(moment) if moment else 0.0), label, label

    return place


def _over_numbers(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    data = ChartData(spec, columns.x_kind, source.rows)
    xv = number_sql(columns.x)
    sql = f"SELECT min({xv}), max({xv}), count({xv}) FROM {source.sql()}"
    low, high, n = source.run(sql)[0]
    data.left_out, data.plotted = source.rows - n, n
    if not n:
        return data
    condition = f"{xv} IS NOT NULL"
    distinct = f"SELECT count(*) FROM (SELECT DISTINCT {xv} FROM {source.sql(condition)}"
    (groups,) = source.run(f"{distinct} LIMIT {MAX_GROUPS + 1})")[0]
    if groups <= MAX_GROUPS:
        data.unit = "value"
        return _fill_line(source, spec, columns, data, xv, condition, _number_place(1.0, False))
    mantissa, exponent = nice_step((high - low) / LINE_BINS)
    step = mantissa * 10.0**exponent
    data.unit = f"bins of {value_text(step)}"
    ratio = f"({xv} / {step!r})"
    key = f"(CAST({ratio} AS INTEGER) - ({ratio} < CAST({ratio} AS INTEGER)))"  # floor
    return _fill_line(source, spec, columns, data, key, condition, _number_place(step, True))


def _number_place(step: float, binned: bool) -> Place:
    def place(key: Any) -> tuple[float, str, Any]:
        position = round(key * step, 12) if binned else key  # 3 * 0.1 is 0.3, not 0.30...04
        return float(position), value_text(position), to_jsonable(position)

    return place


def _fill_line(
    source: Source, spec: ChartSpec, columns: Columns, data: ChartData, key: str,
    condition: str, place: Place,
) -> ChartData:  # fmt: skip
    value = number_sql(columns.y) if columns.y else None
    if columns.color is None:
        data.series = [Series(_measure(spec))]
        found = _grouped(source, key, value, spec.agg, "0", {}, condition)
        cells = [Cell(1, k, 1, None, figures) for k, _, figures in found]
    else:
        colour = quote_ident(columns.color)
        cells, _ = crossed(source, key, colour, value, spec.agg, top=2**62,
                           series=TOP_SERIES, condition=condition)  # fmt: skip
        data.series = _crossed_series(cells, columns, _measure(spec))
    for cell in cells:
        position, text, raw = place(cell.x_key)
        point = Point(position, cell.figures.value(spec.agg), text, raw)
        _slot((cell.colour_rank or 0) - 1, data.series).points.append(point)
    for series in data.series:
        series.points.sort(key=lambda p: p.x)
    data.stacked = spec.type == "area" and columns.color is not None and spec.agg in ADDITIVE
    return data


# --- histogram -------------------------------------------------------------------------------


def histogram(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    data = ChartData(spec, columns.x_kind, source.rows)
    x = quote_ident(columns.x)
    if columns.x_kind == NUMBER:
        condition = f"{number_sql(columns.x)} IS NOT NULL"
    elif columns.x_kind in (DATE, DATETIME):
        condition = date_condition(columns.x)
    else:
        raise SiftError(
            f"A histogram needs numbers or dates, but {columns.x} holds {columns.x_kind} values.",
            hint=f"Make a bar chart of the counts of {columns.x} instead.",
            source=source.table,
        )
    sql = f"SELECT min({x}), max({x}), count(*), coalesce(max(typeof({x}) = 'real'), 0) FROM"
    low, high, n, reals = source.run(f"{sql} {source.sql(condition)}")[0]
    data.left_out, data.plotted = source.rows - n, n
    edges = _edges(columns.x_kind, low, high, whole=not reals) if n else None
    if edges is None:
        return data
    keys, more = _colour_keys(source, columns)
    data.series = _all_series(columns, keys, more, "rows")
    params = {f"chart_e{i}": bindable(edge) for i, edge in enumerate(edges.values)}
    colour = _colour_index(columns, keys, params)
    above = ", ".join(
        f"count(*) FILTER (WHERE {x} >= :chart_e{i})" for i in range(len(edges.values))
    )
    sql = f"SELECT {colour}, {above} FROM {source.sql(condition)} GROUP BY 1 ORDER BY 1"
    bins = edges.bins([0] * (len(edges.values) - 1))
    texts = [f"{value_text(b['low'])} to {value_text(b['high'])}" for b in bins]
    for ci, *totals in source.run(sql, params):
        counts = [int(a) - int(b) for a, b in pairwise(totals)]
        series = _slot(int(ci), data.series)
        for i, count in enumerate(counts):
            raw = [to_jsonable(bins[i]["low"]), to_jsonable(bins[i]["high"])]
            series.points.append(Point(i, count, texts[i], raw))
    data.edges = [_position(edge) for edge in edges.values]
    data.edge_texts = [value_text(b["low"]) for b in bins] + [value_text(bins[-1]["high"])]
    data.stacked = columns.color is not None
    return data


def _edges(kind: str, low: Any, high: Any, *, whole: bool) -> Edges | None:
    if kind == NUMBER:
        return number_edges(low, high, whole=whole)
    first, last = parse_moment(low), parse_moment(high)
    if first is None or last is None:
        return None
    sep = "T" if str(low)[10:11] == "T" else " "
    return date_edges(first, last, with_time=kind == DATETIME, sep=sep)


def _position(edge: Any) -> float:
    if isinstance(edge, str):
        moment = parse_moment(edge)
        return day_number(moment) if moment else 0.0
    return float(edge)


# --- scatter ---------------------------------------------------------------------------------


def scatter(source: Source, spec: ChartSpec, columns: Columns) -> ChartData:
    data = ChartData(spec, columns.x_kind, source.rows)
    if columns.x_kind == NUMBER:
        xv = number_sql(columns.x)
    elif columns.x_kind in (DATE, DATETIME):
        xv = f"CASE WHEN {date_condition(columns.x)} THEN {quote_ident(columns.x)} END"
    else:
        raise SiftError(
            f"A scatter plot needs numbers or dates on x, but {columns.x} holds"
            f" {columns.x_kind} values.",
            hint=f"Make a bar chart of {columns.x}, or choose a number column as x.",
            source=source.table,
        )
    yv = number_sql(str(columns.y))
    condition = f"{xv} IS NOT NULL AND {yv} IS NOT NULL"
    (n,) = source.run(f"SELECT count(*) FROM {source.sql(condition)}")[0]
    data.left_out, data.plotted = source.rows - n, n
    keys, more = _colour_keys(source, columns)
    data.series = _all_series(columns, keys, more, str(columns.y))
    params: dict[str, Any] = {}
    colour = _colour_index(columns, keys, params)
    sql = f"SELECT {xv}, {yv}, {colour} FROM {source.sql(condition)}"
    if n > SAMPLE_SIZE:
        order = f" ORDER BY {_SAMPLE_KEY.format(rowid=source.rowid)}" if source.rowid else ""
        sql += f"{order} LIMIT {SAMPLE_SIZE}"
        size, total = grouped(SAMPLE_SIZE), grouped(n)
        if source.rowid:
            data.note = f"A sample of {size} of {total} rows is shown."
        else:  # a table whose columns hide its rowid: no key to sample by
            data.note = f"The first {size} of {total} rows are shown."
    for x, y, ci in source.run(sql, params):
        position, text = _scatter_x(x)
        _slot(int(ci), data.series).points.append(Point(position, y, text, to_jsonable(x)))
    data.shown = min(n, SAMPLE_SIZE)
    return data


def _scatter_x(value: Any) -> tuple[float, str]:
    if isinstance(value, str):
        moment = parse_moment(value)
        return (day_number(moment) if moment else 0.0), value
    return float(value), value_text(value)


AGGREGATORS: dict[str, Callable[[Source, ChartSpec, Columns], ChartData]] = {
    "bar": bar,
    "line": line,
    "area": line,
    "histogram": histogram,
    "scatter": scatter,
}
