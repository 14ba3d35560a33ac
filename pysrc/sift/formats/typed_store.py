"""Write streamed rows into a table whose column types are still being learned.

The table is created with a planned type per column (from the first rows, or TEXT for every
column) and each batch is bound as the kind its column has now: reals as Python floats (SQLite's
own text-to-real conversion is not always correctly rounded), booleans as 1/0, the rest as text
that the column's affinity converts. A later batch may change a column's kind:

- from a planned TEXT column (all text so far, or no value yet): the raw text is kept, and
  ``finish`` converts it once, with one SQL copy of the table;
- within a chain (INTEGER to REAL, DATE to DATETIME): what is stored converts exactly, so the
  column is bound as the wider kind from then on and ``finish`` copies it;
- from INTEGER, DATE or DATETIME to TEXT: what is stored reads back as its exact text, so the
  column goes on as UTF-8 BLOBs (no affinity converts those) and ``finish`` casts it to TEXT;
- from REAL or BOOLEAN to TEXT: the values stored so far lost their exact text (1.50 became
  1.5, True became 1), so ``write`` raises ``TypesChanged`` and the caller starts again with
  that column planned as TEXT (and, if that happens again, every column: which never raises).
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from operator import itemgetter, setitem
from typing import Any

from sift.column_types import register
from sift.formats.infer import DATE, DATETIME, INTEGER, TEXT, Kind
from sift.names import quote_ident

__all__ = ["CONVERT_CHUNK_ROWS", "TypedTable", "TypesChanged"]

CONVERT_CHUNK_ROWS = 50_000  # rows per copy statement: progress (and Cancel) runs between
_ROWID_ALIASES = ("rowid", "_rowid_", "oid")


# Kinds whose stored values CAST back to the exact text they came from: canonical integers,
# and dates kept as text. A column of these that turns out to be TEXT goes on as BLOBs.
_TEXT_EXACT = (INTEGER, DATE, DATETIME)
_TEXT_AS_BLOB = Kind("TEXT", TEXT.pattern, python=str.encode)


class TypesChanged(Exception):
    """A column's planned type was disproved after values were stored converted."""

    def __init__(self, column: int, name: str) -> None:
        super().__init__(f"the planned type of column {name!r} was disproved")
        self.column = column


class TypedTable:
    """The table being written: its columns, the kinds they were declared with, and the kind
    each column's values are bound as now."""

    def __init__(
        self, conn: sqlite3.Connection, table: str, columns: list[str], planned: list[Kind]
    ) -> None:
        self._conn = conn
        self._table = table
        self._columns = columns
        self._declared = list(planned)
        self._bound = list(planned)
        self._sql = self._insert()
        _create(conn, table, columns, planned)

    def _insert(self) -> str:
        # Values are bound, never interpolated. NULLIF makes empty text NULL inside SQLite; the
        # values converted in Python are None already, and skipping NULLIF saves a function
        # call per value.
        values = ", ".join("?" if kind.python else "NULLIF(?, '')" for kind in self._bound)
        return f"INSERT INTO {quote_ident(self._table)} VALUES ({values})"

    def write(self, rows: Sequence[list[Any]], kinds: Sequence[Kind]) -> None:
        """Insert ``rows``, each exactly as wide as the table, whose columns are of ``kinds``
        (what a ColumnTypes says after seeing them); converted values replace the text in
        ``rows``. Raises TypesChanged (see the module)."""
        for column, kind in enumerate(kinds):
            if kind is not self._bound[column]:
                self._rebind(column, kind)
                self._sql = self._insert()
        for column, kind in enumerate(self._bound):
            if kind.python is not None:
                _convert_in_place(rows, column, kind.python)
        self._conn.executemany(self._sql, rows)

    def _rebind(self, column: int, kind: Kind) -> None:
        bound = self._bound[column]
        if bound is TEXT or bound is _TEXT_AS_BLOB:
            return  # the text is kept; finish() converts it
        if kind is not TEXT:
            self._bound[column] = kind  # a wider kind of the same chain
        elif any(bound is exact for exact in _TEXT_EXACT):
            # What is stored reads back as its exact text; later values go in as BLOBs, which
            # no column affinity converts ("007" would become 7 in an INTEGER column).
            self._bound[column] = _TEXT_AS_BLOB
        else:
            raise TypesChanged(column, self._columns[column])

    def finish(self, kinds: Sequence[Kind], between_chunks: Callable[[], None]) -> None:
        """Give the table the final ``kinds``: one copy if any differs from the declared."""
        if all(k.declared == d.declared for k, d in zip(kinds, self._declared, strict=True)):
            return
        register(self._conn)
        conn, table = self._conn, self._table
        staging = _unused_name(conn, f"{table}_sift_staging")
        conn.execute(f"ALTER TABLE {quote_ident(table)} RENAME TO {quote_ident(staging)}")
        _create(conn, table, self._columns, list(kinds))
        select = ", ".join(
            _conversion(stored, kind, quote_ident(column))
            for column, stored, kind in zip(self._columns, self._declared, kinds, strict=True)
        )
        copy = f"INSERT INTO {quote_ident(table)} SELECT {select} FROM {quote_ident(staging)}"
        for _ in _copy_in_chunks(conn, copy, staging, self._columns):
            between_chunks()
        conn.execute(f"DROP TABLE {quote_ident(staging)}")


def _convert_in_place(
    rows: Sequence[list[Any]], column: int, convert: Callable[[str], object]
) -> None:
    """Convert ``column`` of every row (empty text becomes None). The loops run in C (map):
    this is per row, for every row of a file."""
    values: list[Any] = list(map(itemgetter(column), rows))
    if "" in values:
        values = [convert(value) if value else None for value in values]
    else:
        values = list(map(convert, values))
    deque(map(setitem, rows, repeat(column), values), maxlen=0)


def _conversion(stored: Kind, kind: Kind, column: str) -> str:
    """SQL turning ``column``, stored as ``stored``, into ``kind``."""
    if kind.declared == stored.declared:
        return column
    if stored is TEXT:
        return kind.sql(column)
    if kind is TEXT and any(stored is exact for exact in _TEXT_EXACT):
        return f"CAST({column} AS TEXT)"  # the values stored as BLOBs are UTF-8 text
    if stored is INTEGER and kind.declared == "REAL":  # exact, as is every later float
        return f"CAST({column} AS REAL)"
    if stored is DATE and kind is DATETIME:
        return column
    raise AssertionError(f"no lossless conversion from {stored.declared} to {kind.declared}")


def _create(conn: sqlite3.Connection, table: str, columns: list[str], kinds: list[Kind]) -> None:
    definitions = ", ".join(
        f"{quote_ident(column)} {kind.declared}"
        for column, kind in zip(columns, kinds, strict=True)
    )
    conn.execute(f"CREATE TABLE {quote_ident(table)} ({definitions})")


def _copy_in_chunks(
    conn: sqlite3.Connection, copy: str, staging: str, columns: list[str]
) -> Iterator[None]:
    """Run ``copy`` (an INSERT ... SELECT ... FROM staging) in rowid order, a chunk at a time,
    yielding after each chunk."""
    taken = {column.lower() for column in columns}
    rowid = next((alias for alias in _ROWID_ALIASES if alias not in taken), None)
    if rowid is None:  # every alias is a column's name: one statement, in table order anyway
        conn.execute(copy)
        yield None
        return
    # The staged rowids run from 1 to the row count: nothing was ever deleted.
    (last,) = conn.execute(f"SELECT count(*) FROM {quote_ident(staging)}").fetchone()
    chunk = f"{copy} WHERE {rowid} > :low AND {rowid} <= :high ORDER BY {rowid}"
    for low in range(0, last, CONVERT_CHUNK_ROWS):
        conn.execute(chunk, {"low": low, "high": low + CONVERT_CHUNK_ROWS})
        yield None


def _unused_name(conn: sqlite3.Connection, base: str) -> str:
    sql = "SELECT 1 FROM sqlite_master WHERE name = :name COLLATE NOCASE"
    name, n = base, 1
    while conn.execute(sql, {"name": name}).fetchone() is not None:
        n += 1
        name = f"{base}_{n}"
    return name
