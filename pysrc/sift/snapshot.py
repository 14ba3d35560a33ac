"""One table as a standalone SQLite file, and back: how the workspace is kept in browser storage.

Each table is stored in a file of its own, so two tabs that import different files never
overwrite each other's data. The copy runs inside SQLite (ATTACH + INSERT ... SELECT), not
row by row in Python. Only the table itself is copied: Sift's own indexes of it (sort and
search indexes, ``sift_...``) stay behind and are rebuilt when needed; a stored file that holds
some anyway (an older copy) is read without them. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sift.errors import SiftError
from sift.names import quote_ident
from sift.savepoints import savepoint

ALIAS = "sift_snapshot"


def save_table(conn: sqlite3.Connection, table: str, path: str) -> None:
    """Write `table` (columns, declared types, rows) into a new SQLite file at `path`."""
    if os.path.exists(path):
        os.remove(path)
    with attached(conn, path):
        _copy(conn, "main", ALIAS, table, table)


def restore_table(conn: sqlite3.Connection, path: str, table: str) -> None:
    """Create `table` in `conn` from the one table stored in the file at `path`."""
    with attached(conn, path):
        names = [
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {ALIAS}.sqlite_master WHERE type = 'table'"
                r" AND name NOT LIKE 'sift\_%' ESCAPE '\' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'"
            )
        ]
        if len(names) != 1:
            raise SiftError(
                f"The stored copy of {table} is damaged (it holds {len(names)} tables).",
                hint="Open the original file again.",
                source=table,
            )
        _copy(conn, ALIAS, "main", names[0], table)


def _copy(conn: sqlite3.Connection, src: str, dst: str, src_table: str, dst_table: str) -> None:
    columns = conn.execute(f"PRAGMA {src}.table_info({quote_ident(src_table)})").fetchall()
    defs = ", ".join(f"{quote_ident(c[1])} {c[2]}".rstrip() for c in columns)
    target = f"{dst}.{quote_ident(dst_table)}"
    with savepoint(conn, "sift_snapshot"):
        conn.execute(f"CREATE TABLE {target} ({defs})")
        conn.execute(f"INSERT INTO {target} SELECT * FROM {src}.{quote_ident(src_table)}")


@contextmanager
def attached(conn: sqlite3.Connection, path: str) -> Iterator[None]:
    """ATTACH a database file for the block's duration (engine-internal; user SQL never can)."""
    conn.execute(f"ATTACH DATABASE ? AS {ALIAS}", (path,))
    try:
        yield
    finally:
        conn.execute(f"DETACH DATABASE {ALIAS}")
