"""The workspace: the SQLite database that holds the user's tables, and reads from it.

In memory for now (a later issue persists it). Everything it returns is JSON-able.
Imports: the standard library and sift.errors, sift.names.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from typing import Any

from sift.errors import SiftError
from sift.names import quote_ident

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_SAFE_INTEGER = 2**53 - 1  # beyond this a JavaScript number loses digits: send text
BLOB_HEX_BYTES = 32  # longer blobs are summarised, not sent whole

_USER_TABLES = r"type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'"


@dataclass(frozen=True)
class TableInfo:
    """A table in the workspace: its name, row count and column names."""

    name: str
    rows: int
    columns: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "rows": self.rows, "columns": list(self.columns)}


@dataclass(frozen=True)
class Page:
    """A window of a table's rows; ``rows`` hold JSON-able values, None for NULL."""

    table: str
    columns: list[str]
    rows: list[list[Any]]
    total_rows: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "columns": list(self.columns),
            "rows": self.rows,
            "total_rows": self.total_rows,
            "offset": self.offset,
        }


class Workspace:
    """Owns the SQLite connection; importers write to ``conn``, callers read through methods."""

    def __init__(self, path: str = ":memory:") -> None:
        # isolation_level=None: no implicit transactions; writers use explicit savepoints.
        self.conn = sqlite3.connect(path, isolation_level=None)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def table_names(self) -> list[str]:
        """User tables in the order they were created."""
        sql = f"SELECT name FROM sqlite_master WHERE {_USER_TABLES} ORDER BY rowid"
        return [name for (name,) in self.conn.execute(sql)]

    def tables(self) -> list[TableInfo]:
        names = self.table_names()
        return [TableInfo(name, self.count(name), self.columns(name)) for name in names]

    def resolve(self, table: str) -> str:
        """The stored spelling of ``table`` (names match case-insensitively, as in SQL)."""
        sql = f"SELECT name FROM sqlite_master WHERE {_USER_TABLES} AND name = :name COLLATE NOCASE"
        found = self.conn.execute(sql, {"name": table}).fetchone()
        if found is None:
            raise self._unknown_table(table)
        return str(found[0])

    def columns(self, table: str) -> list[str]:
        name = self.resolve(table)
        sql = "SELECT name FROM pragma_table_info(:table) ORDER BY cid"
        return [column for (column,) in self.conn.execute(sql, {"table": name})]

    def count(self, table: str) -> int:
        name = self.resolve(table)
        (rows,) = self.conn.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()
        return int(rows)

    def page(self, table: str, offset: int = 0, limit: int = DEFAULT_PAGE_SIZE) -> Page:
        """Rows ``offset`` to ``offset + limit`` of ``table``, in insertion order."""
        _check_window(offset, limit)
        name = self.resolve(table)
        columns = self.columns(name)
        order = _rowid_order(columns)
        sql = f"SELECT * FROM {quote_ident(name)}{order} LIMIT :limit OFFSET :offset"
        cursor = self.conn.execute(sql, {"limit": limit, "offset": offset})
        rows = [[to_jsonable(value) for value in row] for row in cursor]
        return Page(name, columns, rows, self.count(name), offset)

    def drop(self, table: str) -> None:
        self.conn.execute(f"DROP TABLE {quote_ident(self.resolve(table))}")

    def _unknown_table(self, table: str) -> SiftError:
        names = self.table_names()
        if not names:
            hint = "Open a file first: each file becomes a table."
        else:
            shown = ", ".join(names[:10]) + (", …" if len(names) > 10 else "")
            hint = f"Choose one of the tables: {shown}."
        return SiftError(f"There is no table named {table!r}.", hint=hint, source=table)


def _check_window(offset: object, limit: object) -> None:
    """Offsets and limits arrive from JSON: refuse anything but sensible whole numbers."""
    _check_whole("offset", offset, None)
    _check_whole("limit", limit, MAX_PAGE_SIZE)


def _check_whole(label: str, value: object, high: int | None) -> None:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= 0
        and (high is None or value <= high)
    ):
        return
    top = f" to {high:,}" if high is not None else " or more"
    raise SiftError(
        f"The page {label} must be a whole number from 0{top}, not {value!r}.",
        hint="Ask for a smaller page, or start again from the first page.",
    )


def _rowid_order(columns: list[str]) -> str:
    """ORDER BY the first rowid alias that no column shadows ("" if a table uses all three)."""
    taken = {column.lower() for column in columns}
    for alias in ("rowid", "_rowid_", "oid"):
        if alias not in taken:
            return f" ORDER BY {alias}"
    return ""


def to_jsonable(value: object) -> Any:
    """A value from SQLite as something ``json.dumps`` writes and JavaScript reads exactly."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "Infinity" if value > 0 else "-Infinity"  # SQLite stores no NaN
    if isinstance(value, bytes):
        return blob_text(value)
    return str(value)


def blob_text(blob: bytes) -> str:
    """Short blobs as hex ("x'00ff'"), longer ones as a size placeholder."""
    if len(blob) <= BLOB_HEX_BYTES:
        return f"x'{blob.hex()}'"
    return f"<binary data, {len(blob):,} bytes>"
