"""The workspace: the SQLite database that holds the user's tables, and reads from it.

In memory (browser storage keeps a copy of each table: see sift.snapshot). Everything it
returns is JSON-able. Objects named ``sift_...`` (search indexes, sort indexes) are Sift's own:
they are never listed as tables. Query results (``sift_result_<n>``, see sift.query.results)
are not listed either, but ``resolve`` finds them, so views, facets and profiles work on them.
Each table has a version, a number that changes whenever the table does (load, type change,
rename, drop), which caches key on.
Imports: the standard library and sift.column_types, sift.errors, sift.names,
sift.query.hardening.
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sift.column_types import COLUMN_TYPES, conversion_sql, normalise_type, register
from sift.errors import SiftError
from sift.names import quote_ident
from sift.query.hardening import harden

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_SAFE_INTEGER = 2**53 - 1  # beyond this a JavaScript number loses digits: send text
BLOB_HEX_BYTES = 32  # longer blobs are summarised, not sent whole

INTERNAL_PREFIX = "sift_"  # Sift's own tables and indexes; user table names never start so
SEARCH_PREFIX = INTERNAL_PREFIX + "fts_"
SORT_INDEX_PREFIX = INTERNAL_PREFIX + "idx_"
RESULT_PREFIX = INTERNAL_PREFIX + "result_"
_RESULT_NAME = re.compile(r"sift_result_[0-9]+", re.IGNORECASE)
_USER_TABLES = (
    r"type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'"
    r" AND name NOT LIKE 'sift\_%' ESCAPE '\'"
)
_VERSIONS = itertools.count(1)  # one sequence for every table: a version is never reused


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
    types: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "columns": list(self.columns),
            "types": list(self.types),
            "rows": self.rows,
            "total_rows": self.total_rows,
            "offset": self.offset,
        }


@dataclass(frozen=True)
class RetypeResult:
    """What changing a column's type did: the names as stored, the new type, and how many
    values did not convert and became NULL."""

    table: str
    column: str
    type: str
    nulls_created: int


class Workspace:
    """Owns the SQLite connection; importers write to ``conn``, callers read through methods."""

    def __init__(self, path: str = ":memory:") -> None:
        # isolation_level=None: no implicit transactions; writers use explicit savepoints.
        self.conn = sqlite3.connect(path, isolation_level=None)
        harden(self.conn)
        self._versions: dict[str, int] = {}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def version(self, table: str) -> int:
        """The version of ``table`` (any letter case): it changes whenever the table does."""
        key = table.lower()
        if key not in self._versions:
            self._versions[key] = next(_VERSIONS)
        return self._versions[key]

    def changed(self, table: str) -> None:
        """Record that ``table`` changed (or appeared, or went): caches of it are stale."""
        self._versions[table.lower()] = next(_VERSIONS)

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
        if found is None and is_result_name(table):
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = :name"
            sql += " COLLATE NOCASE"
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
        check_window(offset, limit)
        name = self.resolve(table)
        columns = self.columns(name)
        order = _rowid_order(columns)
        sql = f"SELECT * FROM {quote_ident(name)}{order} LIMIT :limit OFFSET :offset"
        cursor = self.conn.execute(sql, {"limit": limit, "offset": offset})
        types = self.column_types(name)
        return Page(name, columns, jsonable_rows(cursor, types), self.count(name), offset, types)

    def drop(self, table: str) -> None:
        """Remove ``table``, its search index and (with it) its sort indexes."""
        name = self.resolve(table)
        self.drop_search_index(name)
        self.conn.execute(f"DROP TABLE {quote_ident(name)}")
        self.changed(name)

    def rename(self, table: str, new: str) -> None:
        """Rename ``table`` to ``new`` (already checked to be free). Its sort and search indexes
        are dropped: they are named after the old name, and are rebuilt when next needed."""
        old = self.resolve(table)
        self.drop_search_index(old)
        self.drop_sort_indexes(old)
        self.conn.execute(f"ALTER TABLE {quote_ident(old)} RENAME TO {quote_ident(new)}")
        self.changed(old)
        self.changed(new)

    def drop_search_index(self, table: str) -> None:
        """Drop the full-text index of ``table`` if it has one (FTS5 drops its shadow tables)."""
        self.conn.execute(f"DROP TABLE IF EXISTS {quote_ident(search_index_name(table))}")

    def drop_sort_indexes(self, table: str) -> None:
        """Drop the indexes Sift made on ``table`` to sort it."""
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"
            r" AND name LIKE 'sift\_idx\_%' ESCAPE '\'"
        )
        for (index,) in self.conn.execute(sql, {"table": table}).fetchall():
            self.conn.execute(f"DROP INDEX IF EXISTS {quote_ident(index)}")

    def column_types(self, table: str) -> list[str]:
        """The declared type of each column of ``table`` ("" where none was declared)."""
        sql = "SELECT type FROM pragma_table_info(:table) ORDER BY cid"
        return [str(kind) for (kind,) in self.conn.execute(sql, {"table": self.resolve(table)})]

    def set_column_type(self, table: str, column: str, kind: str) -> RetypeResult:
        """Give ``column`` the declared type ``kind`` (INTEGER, REAL, TEXT, BOOLEAN, DATE or
        DATETIME), converting its values; a value that does not convert becomes NULL.

        The table is rebuilt (same name, columns and row order) inside a savepoint: on any
        error it is left as it was. Indexes, triggers and constraints are not carried over;
        tables that Sift imports have none.
        """
        name = self.resolve(table)
        columns, declared = self.columns(name), self.column_types(name)
        position = self._column_position(name, columns, column)
        target = normalise_type(kind)
        if target is None:
            raise SiftError(
                f"{kind!r} is not a column type.",
                hint=f"Choose one of: {', '.join(COLUMN_TYPES)}.",
                source=name,
            )
        register(self.conn)
        value = quote_ident(columns[position])
        converted = conversion_sql(value, target, declared[position])
        sql = f"SELECT count(*) FROM {quote_ident(name)} WHERE {value} IS NOT NULL"
        (lost,) = self.conn.execute(f"{sql} AND ({converted}) IS NULL").fetchone()
        expressions = [quote_ident(c) for c in columns]
        expressions[position] = f"{converted} AS {value}"
        new_types = [*declared[:position], target, *declared[position + 1 :]]
        self.drop_search_index(name)  # its text columns change; sort indexes go with the table
        self._rebuild(name, columns, new_types, expressions)
        self.changed(name)
        return RetypeResult(name, columns[position], target, int(lost))

    def _column_position(self, table: str, columns: list[str], column: str) -> int:
        lowered = [c.lower() for c in columns]
        if isinstance(column, str) and column.lower() in lowered:
            return lowered.index(column.lower())
        shown = ", ".join(columns[:10]) + (", …" if len(columns) > 10 else "")
        raise SiftError(
            f"The table {table} has no column named {column!r}.",
            hint=f"Choose one of its columns: {shown}.",
            source=table,
        )

    def _rebuild(
        self, table: str, columns: list[str], types: list[str], expressions: list[str]
    ) -> None:
        """Replace ``table`` by a copy with declared ``types`` whose values are ``expressions``
        of the old columns, in the old row order."""
        temporary = f"{table}_sift_retype"
        while self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = :name COLLATE NOCASE", {"name": temporary}
        ).fetchone():
            temporary += "_"
        definitions = ", ".join(
            f"{quote_ident(c)} {t}".rstrip() for c, t in zip(columns, types, strict=True)
        )
        order = _rowid_order(columns)
        self.conn.execute("SAVEPOINT sift_retype")
        try:
            self.conn.execute(f"CREATE TABLE {quote_ident(temporary)} ({definitions})")
            self.conn.execute(
                f"INSERT INTO {quote_ident(temporary)} SELECT {', '.join(expressions)}"
                f" FROM {quote_ident(table)}{order}"
            )
            self.conn.execute(f"DROP TABLE {quote_ident(table)}")
            self.conn.execute(
                f"ALTER TABLE {quote_ident(temporary)} RENAME TO {quote_ident(table)}"
            )
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO sift_retype")
                self.conn.execute("RELEASE sift_retype")
            raise
        self.conn.execute("RELEASE sift_retype")

    def _unknown_table(self, table: str) -> SiftError:
        names = self.table_names()
        if not names:
            hint = "Open a file first: each file becomes a table."
        else:
            shown = ", ".join(names[:10]) + (", …" if len(names) > 10 else "")
            hint = f"Choose one of the tables: {shown}."
        return SiftError(f"There is no table named {table!r}.", hint=hint, source=table)


def is_result_name(name: str) -> bool:
    """Whether ``name`` is a query result's (sift_result_<n>): readable, never listed or kept."""
    return _RESULT_NAME.fullmatch(name) is not None


def check_window(offset: object, limit: object) -> None:
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


def rowid_alias(columns: Iterable[str]) -> str | None:
    """The first name of the rowid that no column shadows (None if a table uses all three)."""
    taken = {column.lower() for column in columns}
    for alias in ("rowid", "_rowid_", "oid"):
        if alias not in taken:
            return alias
    return None


def _rowid_order(columns: list[str]) -> str:
    """ORDER BY the rowid ("" if a table's columns shadow all its names)."""
    alias = rowid_alias(columns)
    return "" if alias is None else f" ORDER BY {alias}"


def search_index_name(table: str) -> str:
    """The FTS5 table that indexes ``table``'s text (see sift.search)."""
    return SEARCH_PREFIX + table.lower()


def jsonable_rows(rows: Iterable[tuple[Any, ...]], types: list[str]) -> list[list[Any]]:
    """Rows from SQLite as JSON-able lists; BOOLEAN columns (by declared type) as true/false."""
    booleans = [kind.upper() == "BOOLEAN" for kind in types]
    return [
        [as_boolean(v) if flag else to_jsonable(v) for v, flag in zip(row, booleans, strict=True)]
        for row in rows
    ]


def as_boolean(value: object) -> Any:
    """A BOOLEAN column stores 1/0; people read true/false. Anything else passes through."""
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return to_jsonable(value)


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
