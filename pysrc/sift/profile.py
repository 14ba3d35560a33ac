"""Column profiles: type, nulls, distinct values, min, max, mean, median, standard deviation,
top values and a histogram, for one column at a time; and the cache that Session keeps.

One pass over the table does the expensive part: ``GROUP BY`` the column (a sort, or a walk
of an index on the column when there is one) into a temporary table of distinct values in
order, with their counts and a running count. Everything else reads that small table: counts
and sums in one scan, the exact median and every histogram edge by binary search on the
running count (a few dozen row lookups). SQLite 3.39 (Pyodide) has no median(); window
functions and aggregate FILTER clauses are used, both older than 3.30.

What each family gets (values outside the family are counted in ``mismatched`` and left out):
- number: min, max and median over all numbers (±Infinity included); mean, sample standard
  deviation (n - 1) and the histogram over the finite ones. Whole-number columns get whole,
  inclusive bins. Integers beyond 2**53 come back as text (``to_jsonable``).
- date, datetime: min, max and median (the lower middle value) as ISO text; no mean or
  standard deviation; histogram by minutes, hours, days, months or years.
- boolean: min and max as false/true; mean is the share of true; histogram [false, true].
- text: min and max are the first and last text in SQLite's order; no mean, median or
  standard deviation; ``histogram`` is the counts of the top values (``histogram_of: "top"``):
  a shape of how concentrated the column is, with no further pass over the data.
- an empty table or an all-NULL column: counts are 0, ``null_pct`` is 0.0 or 100.0, every
  statistic is None, ``top`` and ``histogram`` are [].
Blobs are values like any other: counted, and shown as ``x'00ff'`` in top values.
Imports: the standard library and sift.bins, sift.errors, sift.families, sift.names,
sift.workspace.
"""

from __future__ import annotations

import copy
import math
import sqlite3
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sift.bins import Edges, bindable, date_edges, number_edges, parse_moment
from sift.families import (
    BOOLEAN,
    DATE,
    DATETIME,
    NUMBER,
    TEXT,
    family,
    relevant_sql,
    resolve_column,
    shown,
)
from sift.names import quote_ident

TOP_VALUES = 10  # in a profile
KEPT_VALUES = 100  # kept in the cache, so an unfiltered values facet needs no query
# temporary tables, dropped after each profile
VALUES, GROUPS = "sift_profile_values", "sift_profile_groups"


@dataclass(frozen=True)
class Counts:
    """A column's value counts over a whole table: what an unfiltered values facet shows."""

    rows: int
    nulls: int
    distinct: int
    values: list[tuple[Any, int]]  # raw SQLite values, most frequent first, then by value


def profile_column(
    conn: sqlite3.Connection, table: str, column: str, declared_type: str
) -> dict[str, Any]:
    """The profile of ``column`` of ``table`` (see the module docstring for each family)."""
    return _profile(conn, table, column, declared_type)[0]


def _profile(
    conn: sqlite3.Connection, table: str, column: str, declared_type: str
) -> tuple[dict[str, Any], Counts]:
    name, _ = resolve_column(conn, table, column)
    declared = family(declared_type)
    kind = declared or NUMBER  # undeclared: numbers if every value is one, else text (below)
    groups = _Groups(conn, table, name, kind)
    try:
        figures = _FIGURES[kind](groups)
        if declared is None and (groups.mismatched(figures) or not figures["relevant"]):
            kind = TEXT
            figures = _text_figures(groups)
        top = groups.top(KEPT_VALUES)
        rows, nulls = groups.rows, groups.nulls
        profile = {
            "column": name,
            "type": declared_type,
            "family": kind,
            "rows": rows,
            "nulls": nulls,
            "null_pct": 100.0 * nulls / rows if rows else 0.0,
            "distinct": groups.distinct,
            "mismatched": groups.mismatched(figures),
            "min": None,
            "max": None,
            "mean": None,
            "median": None,
            "stddev": None,
            "top": [{"value": shown(kind, v), "count": n} for v, n in top[:TOP_VALUES]],
            "histogram": [],
            "histogram_of": "none",
            "bins": [],
        }
        profile.update((key, value) for key, value in figures.items() if key != "relevant")
        if kind == TEXT:
            profile.update(histogram=[n for _, n in top[:TOP_VALUES]], histogram_of="top")
        return profile, Counts(rows, nulls, groups.distinct, top)
    finally:
        groups.drop()


_NULL, _NUMBER, _TEXT, _BLOB = range(4)  # SQLite's order of storage classes


def _storage_class(value: object) -> int:
    if value is None:
        return _NULL
    if isinstance(value, int | float):
        return _NUMBER
    return _TEXT if isinstance(value, str) else _BLOB


class _Groups:
    """The column's distinct values in a temporary table, one row per value: rowids 1, 2, ...
    follow SQLite's order (NULL, numbers, text, blobs, each sorted), ``n`` is how many rows
    hold the value. For numbers and dates two running counts come along: ``cum`` of all rows
    and ``rcum`` of the rows whose value belongs to the family, so the k-th value is the first
    with ``rcum >= k`` and every count below a value is one lookup. Reading this table is
    binary searches (``probe`` reads one row) and scans of rowid ranges, never a test per row.
    """

    def __init__(self, conn: sqlite3.Connection, table: str, column: str, kind: str) -> None:
        self.conn = conn
        self._probes: dict[int, tuple[Any, int, int, int]] = {}
        self.drop()
        value = quote_ident(column)
        # The one sort of the table. GROUP BY emits values in order and SQLite knows it, so
        # ORDER BY costs nothing here and rowids follow the values' order. (By position: a
        # column named "n" would otherwise be read as the alias n.)
        conn.execute(
            f"CREATE TEMP TABLE {VALUES} AS SELECT {value} AS v, count(*) AS n"
            f" FROM {quote_ident(table)} GROUP BY 1 ORDER BY 1"
        )
        self.ordered = kind in (NUMBER, DATE, DATETIME)
        if self.ordered:
            # A window in rowid order over a table read in rowid order needs no second sort
            # (a window over the GROUP BY itself would sort all the groups again).
            relevant = relevant_sql(kind, "v", strict=False)  # a date's shape, as facets
            conn.execute(
                f"CREATE TEMP TABLE {GROUPS} AS SELECT v, n, sum(n) OVER w AS cum,"
                f" sum(CASE WHEN {relevant} THEN n ELSE 0 END) OVER w AS rcum FROM {VALUES}"
                " WINDOW w AS (ORDER BY rowid ROWS UNBOUNDED PRECEDING) ORDER BY rowid"
            )
            conn.execute(f"DROP TABLE temp.{VALUES}")
        else:  # text and booleans need no order statistics
            conn.execute(f"ALTER TABLE temp.{VALUES} RENAME TO {GROUPS}")
        self.size = int(conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {GROUPS}").fetchone()[0])
        classes = _Lazy(lambda r: _storage_class(self.probe(r)[0]), 1, self.size)
        # first rowid of each storage class (size + 1 when there is none of it or after it)
        self.starts = [1 + bisect_left(classes, c) for c in range(_NUMBER, _BLOB + 1)]
        self.nulls = self.probe(1)[1] if self.size and self.probe(1)[0] is None else 0
        self.distinct = self.size - (1 if self.nulls else 0)
        self.rows = self.count(1, self.size)

    def drop(self) -> None:
        self.conn.execute(f"DROP TABLE IF EXISTS temp.{VALUES}")
        self.conn.execute(f"DROP TABLE IF EXISTS temp.{GROUPS}")

    def span(self, storage_class: int) -> tuple[int, int]:
        """First and last rowid of the values of one storage class (last < first: none)."""
        first = self.starts[storage_class - _NUMBER]
        after = self.starts[storage_class - _NUMBER + 1] if storage_class < _BLOB else None
        return first, (after if after is not None else self.size + 1) - 1

    def probe(self, rowid: int) -> tuple[Any, int, int, int]:
        """(value, n, cum, rcum) of the group at ``rowid`` (1 to size; cum 0 if unordered)."""
        if rowid not in self._probes:
            columns = "v, n, cum, rcum" if self.ordered else "v, n, 0, 0"
            sql = f"SELECT {columns} FROM {GROUPS} WHERE rowid = :r"
            v, n, cum, rcum = self.conn.execute(sql, {"r": rowid}).fetchone()
            self._probes[rowid] = (v, int(n), int(cum), int(rcum))
        return self._probes[rowid]

    def count(self, first: int, last: int) -> int:
        """Rows holding the values from rowid ``first`` to ``last``."""
        if last < first:
            return 0
        if self.ordered:
            return self.probe(last)[2] - (self.probe(first - 1)[2] if first > 1 else 0)
        sql = f"SELECT coalesce(sum(n), 0) FROM {GROUPS} WHERE rowid BETWEEN :a AND :b"
        return int(self.conn.execute(sql, {"a": first, "b": last}).fetchone()[0])

    def relevant_below(self, rowid: int) -> int:
        """Rows of the family's values before ``rowid`` (ordered tables only)."""
        return self.probe(rowid - 1)[3] if rowid > 1 else 0

    def kth(self, k: int) -> Any:
        """The k-th smallest value of the family (1-based; ordered tables only)."""
        running = _Lazy(lambda r: self.probe(r)[3], 1, self.size)
        return self.probe(1 + bisect_left(running, k))[0]

    def below(self, edge: Any, first: int, last: int) -> int:
        """Rows of the family's values below ``edge``; rowids ``first`` to ``last`` hold
        values of one storage class, in order, including every value of the family."""
        values = _Lazy(lambda r: self.probe(r)[0], first, last)
        return self.relevant_below(first + bisect_left(values, edge))

    def mismatched(self, figures: dict[str, Any]) -> int:
        return self.rows - self.nulls - int(figures["relevant"])

    def top(self, limit: int) -> list[tuple[Any, int]]:
        sql = f"SELECT v, n FROM {GROUPS} WHERE v IS NOT NULL ORDER BY n DESC, rowid LIMIT :k"
        return [(v, int(n)) for v, n in self.conn.execute(sql, {"k": limit})]

    def moments(self, first: int, last: int, shift: float) -> tuple[int, float, float, bool]:
        """Rows, sums of (v - shift) and (v - shift)^2, and whether any value is a real, over
        rowids ``first`` to ``last``, in one scan. Shifting by a value inside the data keeps
        the one-pass variance accurate (no cancellation of two huge sums)."""
        sql = (
            "SELECT coalesce(sum(n), 0), total(n * (v - :k)), total(n * (v - :k) * (v - :k)),"
            f" coalesce(max(typeof(v) = 'real'), 0) FROM {GROUPS} WHERE rowid BETWEEN :a AND :b"
        )
        rows, s1, s2, real = self.conn.execute(sql, {"a": first, "b": last, "k": shift}).fetchone()
        return int(rows), float(s1), float(s2), bool(real)


class _Lazy:
    """Rows ``first`` to ``last`` of the groups as a sequence ``bisect`` can search, read on
    demand: a binary search touches about log2(groups) rows."""

    def __init__(self, read: Any, first: int, last: int) -> None:
        self.read, self.first, self.size = read, first, max(0, last - first + 1)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> Any:
        return self.read(self.first + i)


def histogram_counts(groups: _Groups, edges: Edges, first: int, last: int) -> list[int]:
    below = [groups.below(bindable(edge), first, last) for edge in edges.values]
    return [high - low for low, high in pairwise(below)]


def _number_figures(groups: _Groups) -> dict[str, Any]:
    first, last = groups.span(_NUMBER)
    relevant = groups.count(first, last)
    figures: dict[str, Any] = {"relevant": relevant}
    if not relevant:
        return figures
    figures["min"] = shown(NUMBER, groups.probe(first)[0])
    figures["max"] = shown(NUMBER, groups.probe(last)[0])
    low, high = groups.kth((relevant + 1) // 2), groups.kth(relevant // 2 + 1)
    middle = low if low == high else (low + high) / 2
    figures["median"] = None if middle != middle else shown(NUMBER, middle)  # inf - inf
    # infinities are one group each, at the ends
    first += groups.probe(first)[0] == -math.inf
    last -= groups.probe(last)[0] == math.inf
    if last < first:
        return figures
    shift = middle if math.isfinite(middle) else groups.probe(first)[0]
    finite, s1, s2, real = groups.moments(first, last, float(shift))
    figures["mean"] = shown(NUMBER, shift + s1 / finite)
    if finite > 1:
        variance = max(0.0, (s2 - s1 * s1 / finite) / (finite - 1))
        figures["stddev"] = shown(NUMBER, math.sqrt(variance))
    edges = number_edges(groups.probe(first)[0], groups.probe(last)[0], whole=not real)
    figures.update(_histogram(edges, histogram_counts(groups, edges, first, last), NUMBER))
    return figures


def _date_figures(groups: _Groups, *, with_time: bool) -> dict[str, Any]:
    relevant = groups.probe(groups.size)[3] if groups.size else 0
    figures: dict[str, Any] = {"relevant": relevant}
    if not relevant:
        return figures
    low, high = groups.kth(1), groups.kth(relevant)
    figures.update(min=low, max=high, median=groups.kth((relevant + 1) // 2))
    first_moment, last_moment = parse_moment(low), parse_moment(high)
    if first_moment is None or last_moment is None:
        return figures
    sep = "T" if low[10:11] == "T" else " "
    edges = date_edges(first_moment, last_moment, with_time=with_time, sep=sep)
    if edges is not None:
        first, last = groups.span(_TEXT)
        figures.update(_histogram(edges, histogram_counts(groups, edges, first, last), DATE))
    return figures


def _boolean_figures(groups: _Groups) -> dict[str, Any]:
    first, last = groups.span(_NUMBER)
    sql = (
        "SELECT coalesce(sum(CASE WHEN v = 0 THEN n END), 0),"
        f" coalesce(sum(CASE WHEN v = 1 THEN n END), 0) FROM {GROUPS}"
        " WHERE rowid BETWEEN :a AND :b"
    )
    false, true = groups.conn.execute(sql, {"a": first, "b": last}).fetchone()
    figures: dict[str, Any] = {
        "relevant": false + true,
        "histogram": [false, true],
        "histogram_of": "booleans",
    }
    if false + true:
        figures.update(min=not false, max=bool(true), mean=true / (false + true))
    return figures


def _text_figures(groups: _Groups) -> dict[str, Any]:
    first, last = groups.span(_TEXT)
    figures: dict[str, Any] = {"relevant": groups.count(first, last)}
    if last >= first:
        figures.update(min=groups.probe(first)[0], max=groups.probe(last)[0])
    return figures


def _histogram(edges: Edges, counts: list[int], kind: str) -> dict[str, Any]:
    bins = edges.bins(counts)
    for item in bins:
        item["low"], item["high"] = shown(kind, item["low"]), shown(kind, item["high"])
    return {"histogram": counts, "histogram_of": "bins", "bins": bins}


_FIGURES: dict[str, Callable[[_Groups], dict[str, Any]]] = {
    NUMBER: _number_figures,
    DATE: lambda groups: _date_figures(groups, with_time=False),
    DATETIME: lambda groups: _date_figures(groups, with_time=True),
    BOOLEAN: _boolean_figures,
    TEXT: _text_figures,
}


class ProfileCache:
    """Profiles by (table, column, version): Session bumps a table's version whenever the table
    changes (load, set_type, rename, drop), so an old entry is never read again; ``forget``
    frees a table's entries. Names match case-insensitively, as in SQL."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, int], tuple[dict[str, Any], Counts]] = {}

    def profile(
        self,
        conn: sqlite3.Connection,
        table: str,
        column: str,
        declared_type: str,
        version: int,
    ) -> dict[str, Any]:
        """The cached profile, computed first if there is none for this version."""
        key = (table.lower(), column.lower(), version)
        if key not in self._entries:
            self.forget(table, column)
            self._entries[key] = _profile(conn, table, column, declared_type)
        return copy.deepcopy(self._entries[key][0])

    def get(self, table: str, column: str, version: int) -> dict[str, Any] | None:
        entry = self._entries.get((table.lower(), column.lower(), version))
        return None if entry is None else copy.deepcopy(entry[0])

    def counts(self, table: str, column: str, version: int) -> Counts | None:
        """The whole table's top value counts, if this version's profile was computed."""
        entry = self._entries.get((table.lower(), column.lower(), version))
        return None if entry is None else entry[1]

    def forget(self, table: str, column: str | None = None) -> None:
        """Drop the entries of ``table`` (of one of its columns), whatever their version."""
        for key in [k for k in self._entries if k[0] == table.lower()]:
            if column is None or key[1] == column.lower():
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)
