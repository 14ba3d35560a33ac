"""Views of a table: a spec (sort, filters, search) compiled to SQL, and its pages.

``ViewSpec.parse`` checks the JSON shape of a spec (docs/explore-contract.md); ``compile_view``
resolves it against the table (filters through sift.filters, search through sift.search) into
a WHERE clause with named parameters and an ORDER BY; ``Views.page`` answers the ``view``
command. Rows are ordered by the sort columns, then by rowid, so paging is stable; empty values
sort as the smallest (first ascending, last descending), which keeps an index usable. View
counts are cached per (table version, WHERE clause, parameters): paging never recounts.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sift.deadline import QUERY_SECONDS, within
from sift.errors import SiftError
from sift.filters import Column, Filter, column_kind, compile_filter, describe
from sift.names import quote_ident
from sift.search import SearchIndexes
from sift.sort_index import SortedView, Sorting, rows_by_rowid
from sift.workspace import DEFAULT_PAGE_SIZE, Workspace, check_window, jsonable_rows, rowid_alias

Params = dict[str, Any]
T = TypeVar("T")
COUNT_CACHE_SIZE = 256


@dataclass(frozen=True)
class SortKey:
    column: str
    desc: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "desc": self.desc}


@dataclass(frozen=True)
class ViewSpec:
    """A view as the UI sends it; filters stay raw until compiled against the table."""

    table: str
    sort: tuple[SortKey, ...] = ()
    filters: tuple[Mapping[str, Any], ...] = ()
    q: str = ""

    @classmethod
    def parse(cls, args: Mapping[str, Any]) -> ViewSpec:
        table = args.get("table")
        if not isinstance(table, str):
            raise _shape(f"A view needs 'table' as text, not {table!r}.")
        sort, filters, q = args.get("sort") or [], args.get("filters") or [], args.get("q") or ""
        if not isinstance(sort, list) or not all(_is_sort_key(s) for s in sort):
            raise _shape(f"A view's 'sort' must be a list of {{column, desc}}, not {sort!r}.")
        if not isinstance(filters, list) or not all(isinstance(f, Mapping) for f in filters):
            raise _shape(
                f"A view's 'filters' must be a list of {{column, op, value}}: {filters!r}."
            )
        if not isinstance(q, str):
            raise _shape(f"A view's 'q' must be text, not {q!r}.")
        keys = tuple(SortKey(s["column"], bool(s.get("desc", False))) for s in sort)
        return cls(table, keys, tuple(filters), q.strip())


def _is_sort_key(entry: object) -> bool:
    return isinstance(entry, Mapping) and isinstance(entry.get("column"), str)


def _shape(message: str) -> SiftError:
    return SiftError(message, hint="This is a bug in the page that sent it; reload the page.")


@dataclass(frozen=True)
class CompiledView:
    """A spec resolved against its table: names as stored, SQL pieces, sentences."""

    table: str
    version: int
    columns: list[str]
    types: list[str]
    sort: list[SortKey]
    filters: list[Filter]
    q: str
    search: str
    where: str  # a boolean SQL expression over the table's columns; "1" keeps every row
    params: Params = field(default_factory=dict)
    rowid: str | None = None

    def cache_key(self, *more: object) -> str:
        """What makes the view's rows what they are (table version, WHERE clause, parameters),
        plus ``more``, as one text: the key of every cache of results about the view."""
        parts = [self.table.lower(), self.version, self.where, self.params, *more]
        return json.dumps(parts, sort_keys=True, default=str)

    def order_by(self) -> str:
        """ORDER BY the sort keys, then the rowid in the first key's direction (so an index
        on the first key serves the whole order), or the rowid alone."""
        first_desc = bool(self.sort) and self.sort[0].desc
        keys = [f"{quote_ident(k.column)}{' DESC' if k.desc else ''}" for k in self.sort]
        if self.rowid is not None:
            keys.append(f"{self.rowid}{' DESC' if first_desc else ''}")
        return f" ORDER BY {', '.join(keys)}" if keys else ""


def compile_view(ws: Workspace, searches: SearchIndexes, spec: ViewSpec) -> CompiledView:
    """Resolve ``spec`` against its table; FilterError names the first filter that is wrong."""
    table = ws.resolve(spec.table)
    columns, types = ws.columns(table), ws.column_types(table)
    described = [Column(c, t) for c, t in zip(columns, types, strict=True)]
    filters = [
        compile_filter(n, f.get("column"), f.get("op"), f.get("value", ""), described)
        for n, f in enumerate(spec.filters)
    ]
    params: Params = {}
    parts = []
    for checked in filters:
        parts.append(checked.sql)
        params.update(checked.params)
    found, search_params = searches.condition(ws, table, spec.q)
    if found:
        parts.append(found)
        params.update(search_params)
    return CompiledView(
        table=table,
        version=ws.version(table),
        columns=columns,
        types=types,
        sort=_resolve_sort(table, spec.sort, columns),
        filters=filters,
        q=spec.q,
        search=searches.state(ws, table),
        where=" AND ".join(parts) or "1",
        params=params,
        rowid=rowid_alias(columns),
    )


def _resolve_sort(table: str, keys: Sequence[SortKey], columns: list[str]) -> list[SortKey]:
    by_lower = {c.lower(): c for c in columns}
    resolved: dict[str, SortKey] = {}
    for key in keys:
        name = by_lower.get(key.column.lower())
        if name is None:
            raise SiftError(
                f"Cannot sort {table} by {key.column!r}: it has no such column.",
                hint="Click a column's header to sort by it.",
                source=table,
            )
        resolved.setdefault(name.lower(), SortKey(name, key.desc))  # a repeat adds nothing
    return list(resolved.values())


class Views:
    """Answers ``view`` commands; keeps the count cache and the sort-index policy."""

    def __init__(self, searches: SearchIndexes, seconds: float = QUERY_SECONDS) -> None:
        self.searches = searches
        self.sorting = Sorting()
        self.seconds = seconds
        self._counts: Recent[int] = Recent(COUNT_CACHE_SIZE)

    def compile(self, ws: Workspace, spec: ViewSpec) -> CompiledView:
        return compile_view(ws, self.searches, spec)

    def count(self, ws: Workspace, view: CompiledView) -> int:
        """Rows in the view, counted once per table version, WHERE clause and parameters."""
        key = view.cache_key()
        known = self._counts.get(key)
        if known is not None:
            return known
        sql = f"SELECT count(*) FROM {quote_ident(view.table)} WHERE {view.where}"
        with within(ws.conn, self.seconds, what=f"Counting the rows of {view.table}"):
            (rows,) = ws.conn.execute(sql, view.params).fetchone()
        self._counts.put(key, int(rows))
        return int(rows)

    def known_rows(self, ws: Workspace, table: str, rows: int) -> None:
        """Remember how many rows ``table`` has now (an import counted them as it wrote)."""
        name = ws.resolve(table)
        whole = CompiledView(name, ws.version(name), [], [], [], [], "", "", "1")
        self._counts.put(whole.cache_key(), rows)

    def table_rows(self, ws: Workspace, view: CompiledView) -> int:
        whole = CompiledView(
            view.table, view.version, view.columns, view.types, [], [], "", "", "1"
        )
        return self.count(ws, whole)

    def rows(self, ws: Workspace, view: CompiledView, offset: int, limit: int) -> list[list[Any]]:
        """One page of the view's rows, JSON-able."""
        rows = self.table_rows(ws, view) if view.sort else 0  # counted outside: no nesting
        with within(ws.conn, self.seconds, what=f"Reading {view.table}"):
            if view.sort and view.rowid is not None:
                planned = SortedView(
                    view.table,
                    view.version,
                    view.sort[0].column,
                    view.rowid,
                    view.where,
                    view.order_by(),
                    view.params,
                )
                rowids = self.sorting.head_rowids(ws, planned, rows, offset, limit)
                if rowids is not None:
                    found = rows_by_rowid(ws.conn, view.table, view.rowid, rowids)
                    return jsonable_rows(found, view.types)
            sql = (
                f"SELECT * FROM {quote_ident(view.table)} WHERE {view.where}{view.order_by()}"
                " LIMIT :page_limit OFFSET :page_offset"
            )
            params = {**view.params, "page_limit": limit, "page_offset": offset}
            return jsonable_rows(ws.conn.execute(sql, params).fetchall(), view.types)

    def page(
        self, ws: Workspace, spec: ViewSpec, offset: int = 0, limit: int = DEFAULT_PAGE_SIZE
    ) -> dict[str, Any]:
        """The ``view`` reply (docs/explore-contract.md)."""
        check_window(offset, limit)
        view = self.compile(ws, spec)
        rows = self.rows(ws, view, offset, limit)
        if len(rows) < limit and (rows or offset == 0):
            # a short page is the view's last: its end is the count, no second scan needed
            self._counts.put(view.cache_key(), offset + len(rows))
        return {
            "table": view.table,
            "columns": view.columns,
            "types": view.types,
            "kinds": [column_kind(t) for t in view.types],
            "rows": rows,
            "offset": offset,
            "total_rows": self.count(ws, view),
            "table_rows": self.table_rows(ws, view),
            "sort": [key.to_dict() for key in view.sort],
            "filters": [f.to_dict() for f in view.filters],
            "description": describe(view.filters, view.q),
            "q": view.q,
            "search": view.search,
        }


class Recent(Generic[T]):
    """A small cache that forgets the least recently used entry beyond ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, T] = OrderedDict()

    def get(self, key: str) -> T | None:
        if key not in self._entries:
            return None
        self._entries.move_to_end(key)
        return self._entries[key]

    def put(self, key: str, value: T) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
