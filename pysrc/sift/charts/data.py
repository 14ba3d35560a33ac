"""What a chart shows, as small aggregated series, and the SQL helpers that compute them.

Every figure comes from SQL over the view's rows (its filters and search, as a WHERE clause with
named parameters from sift.view); Python only ever holds the aggregated groups, at most a few
thousand, never the table's rows. sift.charts.aggregate holds one function per chart type.
Parameters made here are named ``chart_*`` (the view's are ``f0``, ``q``...; ``sift_inf`` and
``sift_ninf`` come from sift.families).
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from sift.charts.scale import value_text
from sift.charts.spec import ChartSpec
from sift.errors import SiftError
from sift.families import (
    BOOLEAN,
    DATE,
    DATETIME,
    INFINITIES,
    NUMBER,
    TEXT,
    family,
    finite_sql,
    relevant_sql,
    resolve_column,
)
from sift.names import quote_ident
from sift.profile import Counts
from sift.record import Record
from sift.workspace import to_jsonable

OTHER_LABEL = "Other"
EMPTY_LABEL = "(empty)"
SAMPLE_KINDS = 100  # values looked at to tell numbers from text in an undeclared column
AGG_SQL = {"count": "n", "sum": "s", "mean": "s * 1.0 / c", "min": "lo", "max": "hi"}


class Source(Record):
    """The view's rows: ``table`` filtered by ``where`` (an SQL condition, "1" for all)."""

    __slots__ = ("conn", "counts", "params", "profile", "rowid", "rows", "table", "where")

    def __init__(
        self,
        conn: sqlite3.Connection,
        table: str,
        where: str,
        params: Mapping[str, Any],
        rows: int,  # rows in the view
        rowid: str | None = None,  # the name that reads the table's rowid, if any
        # A column's value counts over the whole table, when a profile has them (no query)
        counts: Callable[[str], Counts | None] | None = None,
        # A column's cached profile (min, max, rows, nulls, mismatched), for the same reason
        profile: Callable[[str], dict[str, Any] | None] | None = None,
    ) -> None:
        self.conn, self.table, self.where, self.params = conn, table, where, params
        self.rows, self.rowid, self.counts, self.profile = rows, rowid, counts, profile

    def known(self, column: str) -> dict[str, Any] | None:
        """The column's profile if the view is the whole table and one was computed."""
        return self.profile(column) if self.profile and self.where == "1" else None

    def sql(self, condition: str = "") -> str:
        """``FROM``'s text: the table and the view's WHERE, and ``condition`` if given."""
        where = self.where if not condition else f"({self.where}) AND {condition}"
        return f"{quote_ident(self.table)} WHERE {where}"

    def run(self, sql: str, more: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        params = {**self.params, **INFINITIES, **(more or {})}
        return self.conn.execute(sql, params).fetchall()


class Point(NamedTuple):
    x: float  # position: a category or bin index (bar, histogram), a number or day number
    y: float | None  # None: no value (a mean of no numbers)
    x_text: str  # the x value as people read it
    x_raw: Any  # JSON-able x, for the data table


class Series(Record):
    __slots__ = ("label", "other", "points")

    def __init__(self, label: str, other: bool = False, points: list[Point] | None = None) -> None:
        self.label, self.other = label, other
        self.points: list[Point] = [] if points is None else points


class ChartData(Record):
    """The aggregated chart. ``series`` has one entry when there is no colour column."""

    __slots__ = (
        "categories",
        "edge_texts",
        "edges",
        "left_out",
        "note",
        "others",
        "plotted",
        "rows",
        "series",
        "shown",
        "spec",
        "stacked",
        "unit",
        "x_kind",
    )

    def __init__(
        self,
        spec: ChartSpec,  # column names as stored in the table
        x_kind: str,  # number, date, datetime, boolean or text
        rows: int,  # rows in the view
        series: list[Series] | None = None,
        categories: list[str] | None = None,  # bar: labels in order
        others: int = 0,  # bar: x values folded into "Other"
        edges: list[float] | None = None,  # histogram: edge positions
        edge_texts: list[str] | None = None,  # histogram: edges as text
        unit: str = "",  # line, area: year, month, day, hour, value, or a bin step ("bins of 10")
        plotted: int = 0,  # rows behind the marks (scatter: rows with both values)
        shown: int = 0,  # scatter: points drawn (fewer than ``plotted`` when sampled)
        left_out: int = 0,  # rows without a usable x (or y): not drawn, counted
        stacked: bool = False,
        note: str = "",
    ) -> None:
        self.spec, self.x_kind, self.rows = spec, x_kind, rows
        self.series: list[Series] = [] if series is None else series
        self.categories: list[str] = [] if categories is None else categories
        self.others = others
        self.edges: list[float] = [] if edges is None else edges
        self.edge_texts: list[str] = [] if edge_texts is None else edge_texts
        self.unit, self.plotted, self.shown, self.left_out = unit, plotted, shown, left_out
        self.stacked, self.note = stacked, note

    def values(self) -> list[float]:
        return [p.y for s in self.series for p in s.points if p.y is not None]

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


class Columns(Record):
    """The spec's columns as stored, with the kind of values each holds."""

    __slots__ = ("color", "color_kind", "x", "x_kind", "y", "y_kind")

    def __init__(
        self,
        x: str,
        x_kind: str,
        y: str | None = None,
        y_kind: str | None = None,
        color: str | None = None,
        color_kind: str | None = None,
    ) -> None:
        self.x, self.x_kind, self.y, self.y_kind = x, x_kind, y, y_kind
        self.color, self.color_kind = color, color_kind


def resolve(source: Source, spec: ChartSpec) -> tuple[ChartSpec, Columns]:
    """The spec with column names as stored; SiftError for a column the table lacks or a
    y column that holds no numbers when the aggregate needs them."""
    x, x_kind = _column(source, spec.x)
    y, y_kind = _column(source, spec.y) if spec.y else (None, None)
    color, color_kind = _column(source, spec.color) if spec.color else (None, None)
    if y is not None and y_kind not in (NUMBER, BOOLEAN):
        verb = "A scatter plot" if spec.type == "scatter" else f"The {spec.agg}"
        raise SiftError(
            f"{verb} needs numbers, but {y} holds {y_kind} values.",
            hint=f"Choose a number column as y, or count the rows by {x}.",
            source=source.table,
        )
    named = ChartSpec(spec.type, x, y, spec.agg, color, spec.title)
    return named, Columns(x, x_kind, y, y_kind, color, color_kind)


def _column(source: Source, name: str) -> tuple[str, str]:
    stored, declared = resolve_column(source.conn, source.table, name)
    return stored, family(declared) or _sniffed(source, stored)


def kind_of(source: Source, column: str) -> str:
    """The kind of values ``column`` (as stored) holds: by its declared type, else sniffed."""
    return _column(source, column)[1]


def _sniffed(source: Source, column: str) -> str:
    """An undeclared column's kind from its first values: numbers, dates, else text."""
    value = quote_ident(column)
    sql = (
        f"SELECT {relevant_sql(NUMBER, value)}, {relevant_sql(DATE, value, strict=False)}"
        f" FROM {quote_ident(source.table)} WHERE {value} IS NOT NULL LIMIT {SAMPLE_KINDS}"
    )
    found = source.conn.execute(sql).fetchall()
    if found and all(number for number, _ in found):
        return NUMBER
    if found and all(date for _, date in found):
        return DATE
    return TEXT


def number_sql(column: str) -> str:
    """The column's value where it is a finite number, else NULL."""
    value = quote_ident(column)
    finite = f"CASE WHEN {finite_sql(value)} THEN {value} END"
    return f"CASE typeof({value}) WHEN 'integer' THEN {value} WHEN 'real' THEN {finite} END"


def date_condition(column: str) -> str:
    return relevant_sql(DATE, quote_ident(column), strict=False)


def index_sql(expr: str, keys: list[Any], prefix: str, params: dict[str, Any]) -> str:
    """An SQL expression: the position of ``expr``'s value in ``keys`` (NULL matches a None
    key), -1 for any other value. Adds the keys to ``params`` as ``prefix0``, ``prefix1``..."""
    if not keys:
        return "-1"
    cases = []
    for i, key in enumerate(keys):
        params[f"{prefix}{i}"] = key
        cases.append(f"WHEN {expr} IS :{prefix}{i} THEN {i}")
    return f"CASE {' '.join(cases)} ELSE -1 END"


class Group(NamedTuple):
    """One group's figures: rows, and the sum, count, min and max of its numbers."""

    key: Any
    n: int
    s: float | None
    c: int
    lo: float | None
    hi: float | None

    def value(self, agg: str | None) -> float | None:
        """The group's aggregate; None when it holds no numbers (SQL's sum, min and max of
        no values are NULL)."""
        if agg in (None, "count"):
            return self.n
        if agg == "sum":
            return self.s
        if agg == "mean":
            return None if not self.c or self.s is None else self.s / self.c
        return self.lo if agg == "min" else self.hi


def group_columns(value: str | None, agg: str | None) -> str:
    """The five figures of a Group (n, s, c, lo, hi) as aggregates of the SQL expression
    ``value``; only those the aggregate reads are computed (each one evaluates ``value``
    again, on every row), the others are constants."""
    figures = {"n": "count(*)", "s": "NULL", "c": "0", "lo": "NULL", "hi": "NULL"}
    if value is not None and agg not in (None, "count"):
        name, function = {"min": ("lo", "min"), "max": ("hi", "max")}.get(agg, ("s", "sum"))
        figures[name] = f"{function}({value})"
        if agg == "mean":  # a mean of groups (Other) is their sum over their count
            figures["c"] = f"count({value})"
    return ", ".join(f"{sql} AS {name}" for name, sql in figures.items())


def ranked(
    source: Source, key: str, value: str | None, agg: str | None, top: int, condition: str = ""
) -> tuple[list[Group], Group | None, int]:
    """The ``top`` groups of ``key`` (an SQL expression) by their aggregate, largest first,
    and the rest as one Group (None when nothing is left) with how many groups it holds.
    One GROUP BY over the view's rows (a sort, or a walk of an index on the column); one
    row per group comes back."""
    rank = AGG_SQL[agg or "count"]
    sql = (
        f"WITH g AS (SELECT {key} AS k, {group_columns(value, agg)} FROM {source.sql(condition)}"
        f" GROUP BY 1), r AS (SELECT *, row_number() OVER (ORDER BY {rank} DESC, n DESC, k)"
        " AS rnk FROM g)"
        " SELECT rnk <= :chart_top, CASE WHEN rnk <= :chart_top THEN k END, sum(n), sum(s),"
        " sum(c), min(lo), max(hi), count(*), min(rnk) FROM r"
        " GROUP BY 1, CASE WHEN rnk <= :chart_top THEN rnk END ORDER BY min(rnk)"
    )
    found = source.run(sql, {"chart_top": top})
    groups = [_group(row[1:7]) for row in found if row[0]]
    rest = [row for row in found if not row[0]]
    if not rest:
        return groups, None, 0
    return groups, _group((None, *rest[0][2:7])), int(rest[0][7])


class Cell(NamedTuple):
    """One group of a ``crossed`` count: x and colour ranks (None: folded into Other)."""

    x_rank: int | None
    x_key: Any
    colour_rank: int | None
    colour_key: Any
    figures: Group


RANK_OF_GROUPS = {
    "count": "sum(n)",
    "sum": "sum(s)",
    "mean": "sum(s) * 1.0 / sum(c)",
    "min": "min(lo)",
    "max": "max(hi)",
}


def crossed(
    source: Source, key: str, colour: str, value: str | None, agg: str | None, *, top: int,
    series: int, condition: str = "",
) -> tuple[list[Cell], int]:  # fmt: skip
    """Groups of (``key``, ``colour``) in one pass over the view's rows: the ``top`` x values
    by their aggregate and the ``series`` most common colour values keep their groups, the
    rest fold into Other (rank None). Also returns how many x values were folded."""
    sql = (
        f"WITH g AS (SELECT {key} AS k, {colour} AS ck, {group_columns(value, agg)}"
        f" FROM {source.sql(condition)} GROUP BY 1, 2),"
        f" kx AS (SELECT k, row_number() OVER (ORDER BY {RANK_OF_GROUPS[agg or 'count']} DESC,"
        " sum(n) DESC, k) AS rx FROM g GROUP BY k),"
        " kc AS (SELECT ck, row_number() OVER (ORDER BY sum(n) DESC, ck) AS rc FROM g GROUP BY ck)"
        " SELECT CASE WHEN rx <= :chart_top THEN rx END AS sx,"
        " CASE WHEN rx <= :chart_top THEN g.k END,"
        " CASE WHEN rc <= :chart_series THEN rc END AS sc,"
        " CASE WHEN rc <= :chart_series THEN g.ck END,"
        " sum(n), sum(s), sum(c), min(lo), max(hi),"
        " (SELECT count(*) FROM kx WHERE rx > :chart_top)"
        " FROM g JOIN kx ON kx.k IS g.k JOIN kc ON kc.ck IS g.ck GROUP BY sx, sc"
    )
    found = source.run(sql, {"chart_top": top, "chart_series": series})
    cells = [
        Cell(sx, k, sc, ck, Group(k, int(n), s, int(c or 0), lo, hi))
        for sx, k, sc, ck, n, s, c, lo, hi, _ in found
    ]
    return cells, int(found[0][9]) if found else 0


def counted(source: Source, column: str, top: int) -> tuple[list[Group], Group | None, int] | None:
    """``ranked`` by count, read from a profile's value counts when the view is the whole
    table and the profile kept enough values; None otherwise (then SQL counts)."""
    counts = source.counts(column) if source.counts and source.where == "1" else None
    if counts is None or len(counts.values) < min(top, counts.distinct):
        return None
    groups = [Group(v, n, None, 0, None, None) for v, n in counts.values]
    if counts.nulls:  # NULL sorts first among equal counts, as in SQL
        at = next((i for i, g in enumerate(groups) if g.n <= counts.nulls), len(groups))
        groups.insert(at, Group(None, counts.nulls, None, 0, None, None))
    kinds = counts.distinct + (1 if counts.nulls else 0)
    if kinds <= top:
        return groups, None, 0
    shown = groups[:top]
    rest = Group(None, counts.rows - sum(g.n for g in shown), None, 0, None, None)
    return shown, rest, kinds - top


def _group(row: tuple[Any, ...]) -> Group:
    key, n, s, c, lo, hi = row
    return Group(key, int(n), s, int(c or 0), lo, hi)


def key_text(value: Any, kind: str | None) -> str:
    """A category as its label: (empty) for NULL, true/false in a boolean column."""
    if value is None:
        return EMPTY_LABEL
    if kind == BOOLEAN and value in (0, 1) and not isinstance(value, float):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value_text(value)
    shown = to_jsonable(value)
    return shown if isinstance(shown, str) else str(shown)


def ordered_kind(kind: str | None) -> bool:
    """Whether categories of this kind read best in their own order (numbers, dates)."""
    return kind in (NUMBER, DATE, DATETIME, BOOLEAN)
