"""SQLite export: the view's rows, in view order, as one table in a new database file.

A fresh connection writes the file; the rows stream from the workspace in batches (values as
SQLite holds them: blobs stay blobs, reals stay exact). The table keeps the column names,
declared types and STRICT-ness, named after the view's table (a query result's
``sift_result_<n>`` is called ``query_result``: Sift would rename a ``sift_`` table on import).
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from sift.export.rows import ViewRows
from sift.formats.sqlite_file import _type_sql
from sift.names import quote_ident
from sift.workspace import is_result_name

RESULT_TABLE = "query_result"


def export_table_name(table: str) -> str:
    """The name a view's table gets in an exported file."""
    return RESULT_TABLE if is_result_name(table) else table


def write_sqlite(source: ViewRows, path: str) -> list[str]:
    """Write the view's rows to a new SQLite database at ``path``; returns warnings (none)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as out:
        out.execute("PRAGMA journal_mode = OFF")  # a new file no one else reads yet
        out.execute("BEGIN")
        copy_rows(source, out, export_table_name(source.view.table))
        out.execute("COMMIT")
    return []


def copy_rows(source: ViewRows, out: sqlite3.Connection, name: str) -> None:
    """Create ``name`` in ``out`` like the view's table and insert the view's rows."""
    out.execute(create_sql(source.conn, source.view.table, name, source.columns, source.types))
    marks = ", ".join("?" * len(source.columns))
    insert = f"INSERT INTO {quote_ident(name)} VALUES ({marks})"
    with source.batches() as batches:
        for batch in batches:
            out.executemany(insert, batch)
            source.pacer.step(len(batch), 0)


def create_sql(
    conn: sqlite3.Connection, table: str, name: str, columns: list[str], types: list[str]
) -> str:
    definitions = ", ".join(
        f"{quote_ident(column)} {_type_sql(kind)}".rstrip()
        for column, kind in zip(columns, types, strict=True)
    )
    strict = " STRICT" if is_strict(conn, table) else ""
    return f"CREATE TABLE {quote_ident(name)} ({definitions}){strict}"


def is_strict(conn: sqlite3.Connection, table: str) -> bool:
    found = conn.execute(
        "SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = :table",
        {"table": table},
    ).fetchone()
    return bool(found and found[0])
