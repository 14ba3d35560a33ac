"""All-or-nothing blocks of SQLite work: an import, a query's result, a stored snapshot.

Its own module so that what needs it (storage, at the engine's start) does not import every
file format. Imports: the standard library only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def savepoint(conn: sqlite3.Connection, name: str = "sift_import") -> Iterator[None]:
    """All or nothing: a savepoint works with or without a transaction already open, so an
    import that fails or is cancelled leaves no table behind."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # some errors (SQLITE_FULL, NOMEM) already rolled back
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")
