"""Sorting big tables fast: an index made on demand, and the head of each sorted view cached.

Measured in Pyodide under Node on the benchmark's 1M rows x 8 columns (2 shared, busy cores):
an index on one column takes 1.4-3.5 s to build, while the first rows of an unindexed sort
take 0.16-0.6 s (SQLite keeps only the top rows while it scans) and an indexed sort ~1 ms. Deep
pages without an index are slow (offset 500,000: 16 s). So, on a big table without an index
on the first sort column:

- a page within the first HEAD_ROWS rows of the order is answered from the view's *head*: the
  rowids of its first HEAD_ROWS rows, found by one scan and then cached per view (table
  version, order, filters), so sorting by that column again, or scrolling near the top, costs
  a lookup of the page's rows by rowid;
- a page past the head builds the index once (named ``sift_idx_<table>_<n>``), and from then
  on every sort by that column is served by it.

Small tables get the index at once: it builds in well under half a second. Any index whose
first column is the sort column serves, whoever made it. Imports: the standard library and
sift modules.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sift.names import quote_ident
from sift.workspace import SORT_INDEX_PREFIX, Workspace

INDEX_AT_ONCE_ROWS = 200_000  # below this an index builds in well under half a second
HEAD_ROWS = 2_000  # rows of each sorted view kept as rowids: a few screens of scrolling
HEADS_KEPT = 32  # sorted views remembered (each ~16 KB of rowids at most)

Params = dict[str, Any]


@dataclass(frozen=True)
class SortedView:
    """What the planner needs of a view: where it reads, how it orders, how it filters."""

    table: str
    version: int
    column: str  # the first sort column
    rowid: str
    where: str
    order_by: str
    params: Params


class Sorting:
    """The sort plan of each page: the index, or the cached head of the view."""

    def __init__(self) -> None:
        self._heads: OrderedDict[str, list[int]] = OrderedDict()

    def head_rowids(
        self, ws: Workspace, view: SortedView, rows: int, offset: int, limit: int
    ) -> list[int] | None:
        """The rowids of the page when the head answers it, in order; None when the caller
        should run the sorted query itself (an index now serves it, or the table is small)."""
        if has_index(ws.conn, view.table, view.column):
            return None
        if rows <= INDEX_AT_ONCE_ROWS or offset + limit > HEAD_ROWS:
            create_index(ws.conn, view.table, view.column)
            return None
        return self._head(ws, view)[offset : offset + limit]

    def _head(self, ws: Workspace, view: SortedView) -> list[int]:
        key = json.dumps(
            [view.table.lower(), view.version, view.where, view.order_by, view.params],
            sort_keys=True,
            default=str,
        )
        if key in self._heads:
            self._heads.move_to_end(key)
            return self._heads[key]
        sql = (
            f"SELECT {view.rowid} FROM {quote_ident(view.table)} WHERE {view.where}"
            f"{view.order_by} LIMIT {HEAD_ROWS}"
        )
        head = [int(rowid) for (rowid,) in ws.conn.execute(sql, view.params)]
        self._heads[key] = head
        if len(self._heads) > HEADS_KEPT:
            self._heads.popitem(last=False)
        return head


def rows_by_rowid(
    conn: sqlite3.Connection, table: str, rowid: str, rowids: list[int]
) -> list[tuple[Any, ...]]:
    """The rows with these rowids, in the order given."""
    if not rowids:
        return []
    sql = (
        f"SELECT {rowid}, * FROM {quote_ident(table)}"
        f" WHERE {rowid} IN (SELECT value FROM json_each(:rowids))"
    )
    found = {row[0]: row[1:] for row in conn.execute(sql, {"rowids": json.dumps(rowids)})}
    return [found[r] for r in rowids if r in found]


def has_index(conn: sqlite3.Connection, table: str, column: str) -> bool:
    """True when an index of ``table`` starts with ``column`` (partial indexes do not count)."""
    indexes = conn.execute(
        "SELECT name, partial FROM pragma_index_list(:table)", {"table": table}
    ).fetchall()
    for name, partial in indexes:
        if partial:
            continue
        first = conn.execute(
            "SELECT name FROM pragma_index_info(:index) WHERE seqno = 0", {"index": name}
        ).fetchone()
        if first is not None and first[0] is not None and str(first[0]).lower() == column.lower():
            return True
    return False


def create_index(conn: sqlite3.Connection, table: str, column: str) -> str:
    """Create an index of ``table`` on ``column`` under a free ``sift_idx_`` name; return it."""
    taken = {
        str(name).lower()
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    base = f"{SORT_INDEX_PREFIX}{table.lower()}_"
    n = 1
    while f"{base}{n}" in taken:
        n += 1
    name = f"{base}{n}"
    conn.execute(
        f"CREATE INDEX {quote_ident(name)} ON {quote_ident(table)} ({quote_ident(column)})"
    )
    return name
