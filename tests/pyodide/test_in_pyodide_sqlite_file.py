"""Checks of the SQLite file importer where Pyodide may differ: its SQLite (3.39), its in-memory
file system and its CPython (3.14). Plain functions with bare asserts, stdlib and sift only."""

from __future__ import annotations

import io
import os
import random
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing

from sift.errors import LoadError
from sift.formats import sqlite_file
from sift.formats.sqlite_file import import_sqlite

SCRIPT = r'''
CREATE TABLE "odd ""name""" (k TEXT PRIMARY KEY, v INTEGER, twice INT AS (v * 2),
                             w "NOT NULL", z "x); DROP TABLE k; --") WITHOUT ROWID;
INSERT INTO "odd ""name""" (k, v, w, z) VALUES ('a', 1, CAST(x'41ff' AS TEXT), 'é');
CREATE VIRTUAL TABLE docs USING fts5(body);
INSERT INTO docs VALUES ('Paris, France');
CREATE VIEW forever AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)
SELECT i FROM r;
'''


def make_db(folder: str, script: str, name: str = "made.db") -> str:
    path = os.path.join(folder, name)
    with closing(sqlite3.connect(path)) as db:
        db.executescript(script)
        db.commit()
    return path


def db_data(script: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder, open(make_db(folder, script), "rb") as file:
        return file.read()


def allocator() -> Callable[[str], str]:
    return lambda hint: "t_" + "".join(c for c in hint if c.isalnum())


def test_tables_types_and_bad_utf8_in_this_sqlite() -> None:
    data = db_data(SCRIPT)
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        reports = import_sqlite(conn, allocator(), io.BytesIO(data), source="made.db")
        types = conn.execute("SELECT name, type FROM pragma_table_info('t_oddname')").fetchall()
        rows = conn.execute("SELECT * FROM t_oddname").fetchall()
        docs = conn.execute("SELECT * FROM t_docs").fetchall()
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_schema ORDER BY name")]
    assert names == ["t_docs", "t_oddname"], names
    # SQLite stores a quoted declared type without its quotes, so hostile types survive.
    assert types == [
        ("k", "TEXT"),
        ("v", "INTEGER"),
        ("twice", "INT"),
        ("w", "NOT NULL"),
        ("z", "x); DROP TABLE k; --"),
    ], types
    assert rows == [("a", 1, 2, "A\ufffd", "é")], rows
    assert docs == [("Paris, France",)]
    assert reports[0].warnings[0].startswith('Skipped 1 view ("forever")'), reports[0].warnings
    assert reports[0].warnings[1].startswith("1 text value in table"), reports[0].warnings


def test_a_wal_file_opens_in_place_read_only() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = make_db(
            folder, "PRAGMA journal_mode = WAL; CREATE TABLE t (a); INSERT INTO t VALUES (1);"
        )
        with open(path, "rb") as stream, closing(sqlite3.connect(":memory:")) as conn:
            assert sqlite_file._real_path(stream) == path  # no copy into memory
            reports = import_sqlite(conn, allocator(), stream, source="wal.db")
        left = sorted(os.listdir(folder))
    assert [r.rows for r in reports] == [1]
    assert left == ["made.db"], left


def test_mutated_databases_import_or_fail_cleanly() -> None:
    data = db_data("PRAGMA page_size = 1024;" + SCRIPT)
    rng = random.Random(7)
    outcomes = {"imported": 0, "refused": 0}
    for _ in range(60):
        mutant = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            mutant[rng.randrange(len(mutant))] = rng.randrange(256)
        with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
            try:
                import_sqlite(conn, allocator(), io.BytesIO(bytes(mutant)), source="m.db")
                outcomes["imported"] += 1
            except LoadError:
                outcomes["refused"] += 1
    assert outcomes["imported"] + outcomes["refused"] == 60, outcomes
