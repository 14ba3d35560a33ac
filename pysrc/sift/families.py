"""What kind of values a column holds, for profiles and facets: number, date, datetime,
boolean or text, and the SQL test that picks the values of that kind.

Sift's own columns have one of six declared types; tables from foreign SQLite files can declare
anything (VARCHAR(20), DOUBLE, nothing at all) and hold any value in any column, so the family
comes from the declared type by SQLite's affinity rules, and a value that does not fit its
column's family (text in an INTEGER column, 'n/a' in a DATE column) is left out of the
statistics and counted instead, never an error.
Imports: the standard library and sift.errors, sift.names, sift.workspace.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sift.errors import SiftError
from sift.names import quote_ident
from sift.workspace import as_boolean, to_jsonable

NUMBER, DATE, DATETIME, BOOLEAN, TEXT = "number", "date", "datetime", "boolean", "text"
# A date starts with YYYY-MM-DD; julianday() alone would also accept a bare number as a
# Julian day, which no one means in a DATE column.
_DATE_SHAPE = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"


def family(declared_type: str) -> str | None:
    """The family a declared type means, or None when only the data can tell (no type, BLOB,
    or a name SQLite gives no text or number meaning): the caller then decides between number
    and text by the values."""
    kind = declared_type.strip().upper()
    if kind.startswith("BOOL"):
        return BOOLEAN
    if kind.startswith("DATETIME") or kind.startswith("TIMESTAMP"):
        return DATETIME
    if kind.startswith("DATE"):
        return DATE
    # SQLite's affinity rules, in its order (https://sqlite.org/datatype3.html 3.1)
    if "INT" in kind:
        return NUMBER
    if any(word in kind for word in ("CHAR", "CLOB", "TEXT")):
        return TEXT
    if any(word in kind for word in ("REAL", "FLOA", "DOUB")):
        return NUMBER
    if any(word in kind for word in ("NUM", "DEC")):
        return NUMBER
    return None  # "", BLOB, ANY, STRING...


def relevant_sql(kind: str, value: str, *, strict: bool = True) -> str:
    """An SQL condition: the SQL expression ``value`` is a value of family ``kind``.

    ``strict=False`` takes a date's shape for a date (no calendar check): for tests run on
    every row of a big view, where julianday() would triple the time. Filters compare dates
    as text too, so a bin still counts exactly what its filter selects.
    """
    if kind == NUMBER:
        return f"typeof({value}) IN ('integer', 'real')"
    if kind in (DATE, DATETIME):
        shape = f"typeof({value}) = 'text' AND {value} GLOB {_DATE_SHAPE}"
        return f"({shape} AND julianday({value}) IS NOT NULL)" if strict else f"({shape})"
    if kind == BOOLEAN:
        return f"(typeof({value}) IN ('integer', 'real') AND {value} IN (0, 1))"
    return f"typeof({value}) = 'text'"


def finite_sql(value: str) -> str:
    """An SQL condition: ``value`` is not an infinity (uses parameters :sift_inf, :sift_ninf)."""
    return f"({value} > :sift_ninf AND {value} < :sift_inf)"


INFINITIES = {"sift_inf": float("inf"), "sift_ninf": float("-inf")}


def resolve_column(conn: sqlite3.Connection, table: str, column: object) -> tuple[str, str]:
    """The stored spelling of ``column`` of ``table`` (case-insensitive) and its declared type.

    Raises SiftError when the table or the column does not exist.
    """
    sql = "SELECT name, type FROM pragma_table_info(:table) ORDER BY cid"
    found = [(str(name), str(kind)) for name, kind in conn.execute(sql, {"table": table})]
    if not found:
        raise SiftError(
            f"There is no table named {table!r}.",
            hint="Choose one of the tables in the tables panel.",
            source=table,
        )
    if isinstance(column, str):
        for name, kind in found:
            if name.lower() == column.lower():
                return name, kind
    shown = ", ".join(name for name, _ in found[:10]) + (", …" if len(found) > 10 else "")
    raise SiftError(
        f"The table {table} has no column named {column!r}.",
        hint=f"Choose one of its columns: {shown}.",
        source=table,
    )


def shown(kind: str | None, value: object) -> Any:
    """A value as the UI gets it: JSON-able, and true/false in a boolean column."""
    return as_boolean(value) if kind == BOOLEAN else to_jsonable(value)


def quoted(table: str, column: str) -> tuple[str, str]:
    return quote_ident(table), quote_ident(column)
