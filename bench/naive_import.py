"""The naive baseline of the import benchmark: what anyone would write first, run in Pyodide.

`csv.reader` over the opened file, `executemany` into an in-memory SQLite table with one untyped
column per header field, all in one transaction. Standard library only: bench/import_runners.js
runs this file's source in a bare Pyodide, and the unit tests run it under CPython.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import time


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def import_csv(path: str) -> dict[str, float | int]:
    """Import the CSV at `path`; the seconds cover reading, parsing and inserting only."""
    connection = sqlite3.connect(":memory:")
    try:
        start = time.perf_counter()
        with open(path, encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader)
            columns = ", ".join(quote(name) for name in header)
            marks = ", ".join("?" for _ in header)
            with connection:  # one transaction, committed on leaving the block
                connection.execute(f"CREATE TABLE t ({columns})")
                connection.executemany(f"INSERT INTO t VALUES ({marks})", reader)
        seconds = time.perf_counter() - start
        (rows,) = connection.execute("SELECT count(*) FROM t").fetchone()
    finally:
        connection.close()
    return {"seconds": seconds, "rows": int(rows)}


def run(path: str) -> str:
    """import_csv() as JSON, the one value that crosses into JavaScript."""
    return json.dumps(import_csv(path))
