"""Limits every workspace connection carries, whoever's SQL runs on it (RELIABILITY.md §3).

A length limit makes a single huge value (``zeroblob(9e8)``, ``printf('%.*c', 9e8, 'x')``) fail
at once with "string or blob too big" instead of filling WebAssembly memory in one call that no
progress handler can stop. Defensive mode (no writable schema, no writes to shadow tables) is
switched on where the runtime offers ``setconfig`` (Python 3.12+: Pyodide has it, CPython 3.11
does not). ATTACH is refused by the user-SQL authorizer, not by SQLITE_LIMIT_ATTACHED: Sift's
storage attaches files itself. Imports: the standard library only.
"""

from __future__ import annotations

import sqlite3

LENGTH_LIMIT = 100_000_000  # bytes in one string, blob or row: far above any real cell


def harden(conn: sqlite3.Connection) -> None:
    """Put the length limit and (where available) defensive mode on ``conn``."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LENGTH_LIMIT)
    flag = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    setconfig = getattr(conn, "setconfig", None)
    if flag is not None and setconfig is not None:
        setconfig(flag, True)


def is_defensive(conn: sqlite3.Connection) -> bool | None:
    """Whether defensive mode is on; None where the runtime cannot say (Python < 3.12)."""
    flag = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    getconfig = getattr(conn, "getconfig", None)
    if flag is None or getconfig is None:
        return None
    return bool(getconfig(flag))
