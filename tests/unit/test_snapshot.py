from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from sift.errors import SiftError
from sift.snapshot import restore_table, save_table

HOSTILE = 'x"); DROP TABLE t; --'


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute(
        f'CREATE TABLE "{HOSTILE.replace(chr(34), chr(34) * 2)}" ("a b" INTEGER, "c" DATE, d)'
    )
    conn.executemany(
        f'INSERT INTO "{HOSTILE.replace(chr(34), chr(34) * 2)}" VALUES (?, ?, ?)',
        [(1, "2024-01-02", None), (2, None, b"\x00\xff"), (None, "x", 3.5)],
    )
    conn.execute("CREATE TABLE other (z)")
    yield conn
    conn.close()


def rows(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    quoted = '"' + table.replace('"', '""') + '"'
    return conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid").fetchall()


def test_round_trip_keeps_columns_types_and_values(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = str(tmp_path / "t.sqlite")
    save_table(conn, HOSTILE, path)
    with sqlite3.connect(path) as stored:
        assert [r[0] for r in stored.execute("SELECT name FROM sqlite_master")] == [HOSTILE]
    stored.close()
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    restore_table(fresh, path, "copy")
    info = fresh.execute('PRAGMA table_info("copy")').fetchall()
    assert [(c[1], c[2]) for c in info] == [("a b", "INTEGER"), ("c", "DATE"), ("d", "")]
    assert rows(fresh, "copy") == rows(conn, HOSTILE)
    assert fresh.execute("PRAGMA database_list").fetchall()[-1][1] == "main"  # detached again
    fresh.close()


def test_save_replaces_an_older_file(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = str(tmp_path / "t.sqlite")
    save_table(conn, "other", path)
    save_table(conn, HOSTILE, path)
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    restore_table(fresh, path, "t")
    assert len(rows(fresh, "t")) == 3
    fresh.close()


def test_restore_refuses_a_file_with_several_tables(tmp_path: Path) -> None:
    path = tmp_path / "two.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE a (x)")
        db.execute("CREATE TABLE b (x)")
    db.close()
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(SiftError, match="damaged"):
        restore_table(fresh, str(path), "t")
    assert fresh.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    fresh.close()


def test_restore_into_an_existing_name_fails_cleanly(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = str(tmp_path / "t.sqlite")
    save_table(conn, "other", path)
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        restore_table(conn, path, "other")
    assert conn.execute("PRAGMA database_list").fetchall()[-1][1] == "main"


def test_sifts_indexes_stay_behind_and_are_ignored_in_old_copies(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.execute("INSERT INTO t VALUES ('Paris')")
    conn.execute("CREATE VIRTUAL TABLE sift_fts_t USING fts5(c0, tokenize='trigram')")
    conn.execute("CREATE INDEX sift_idx_t_1 ON t (name)")
    path = str(tmp_path / "t.sqlite")
    save_table(conn, "t", path)
    with sqlite3.connect(path) as stored:
        assert stored.execute("SELECT type, name FROM sqlite_master").fetchall() == [("table", "t")]
    stored.close()
    conn.close()
    # a copy that holds a search index anyway (written by hand here) restores without it
    with sqlite3.connect(path) as stored:
        stored.execute("CREATE VIRTUAL TABLE sift_fts_t USING fts5(c0, tokenize='trigram')")
    stored.close()
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    restore_table(fresh, path, "t")
    assert fresh.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    assert rows(fresh, "t") == [("Paris",)]
    fresh.close()
