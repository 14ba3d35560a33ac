"""Tests for SQLite export (sift.export.sqlite_out) and the workspace file
(sift.export.workspace_out): tables, types, rows in view order, round trips."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from sift.export.commands import COMMANDS
from sift.session import Session
from tests.unit.export_helpers import export, load, reload, table


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        yield opened


def read_db(path: Path) -> dict[str, tuple[str, list[tuple[object, ...]]]]:
    """Each table of the file: its CREATE statement and rows in rowid order."""
    with closing(sqlite3.connect(path)) as db:
        schema = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        return {
            name: (sql, db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall())
            for name, sql in schema
        }


def test_one_table_with_the_view_rows_in_order(session: Session, tmp_path: Path) -> None:
    load(session, "people.csv", b"name,age,seen\nAnn,30,2024-01-02\nBob,25,\nCy,41,2023-05-06\n")
    result = export(
        session,
        tmp_path / "out.sqlite",
        "sqlite",
        sort=[{"column": "age", "desc": True}],
        filters=[{"column": "age", "op": "gte", "value": "30"}],
    )
    assert read_db(tmp_path / "out.sqlite") == {
        "people": (
            'CREATE TABLE "people" ("name" TEXT, "age" INTEGER, "seen" DATE)',
            [("Cy", 41, "2023-05-06"), ("Ann", 30, "2024-01-02")],
        )
    }
    assert result["name"] == "people-filtered.sqlite"
    assert result["mime"] == "application/vnd.sqlite3"
    assert result["bytes"] == (tmp_path / "out.sqlite").stat().st_size


def test_values_stay_as_sqlite_holds_them(session: Session, tmp_path: Path) -> None:
    conn = session.workspace.conn
    conn.execute("CREATE TABLE t (a, b BLOB, r REAL, s TEXT)")
    rows = [(1, b"\x00\xff", 1e999, "=1+1"), ("x", None, 0.1 + 0.2, "-5"), (None, b"", -0.0, "")]
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    export(session, tmp_path / "out.sqlite", "sqlite")
    assert read_db(tmp_path / "out.sqlite")["t"][1] == rows


def test_strict_tables_stay_strict(session: Session, tmp_path: Path) -> None:
    conn = session.workspace.conn
    conn.execute('CREATE TABLE s ("my col" ANY, n INTEGER) STRICT')
    conn.execute("INSERT INTO s VALUES ('012', 1)")
    export(session, tmp_path / "out.sqlite", "sqlite")
    sql, rows = read_db(tmp_path / "out.sqlite")["s"]
    assert sql == 'CREATE TABLE "s" ("my col" ANY, "n" INTEGER) STRICT'
    assert rows == [("012", 1)]  # ANY in a STRICT table keeps text as text


def test_odd_declared_types_are_kept_as_names(session: Session, tmp_path: Path) -> None:
    conn = session.workspace.conn
    conn.execute('CREATE TABLE t (a "x); DROP TABLE t; --", b "NOT NULL", c VARCHAR(10))')
    conn.execute("INSERT INTO t VALUES (1, NULL, 'y')")
    export(session, tmp_path / "out.sqlite", "sqlite")
    with closing(sqlite3.connect(tmp_path / "out.sqlite")) as db:
        info = db.execute("SELECT name, type, \"notnull\" FROM pragma_table_info('t')").fetchall()
        assert db.execute("SELECT * FROM t").fetchall() == [(1, None, "y")]
    assert info == [("a", "x); DROP TABLE t; --", 0), ("b", "NOT NULL", 0), ("c", "VARCHAR(10)", 0)]


def test_a_query_result_is_named_query_result(session: Session, tmp_path: Path) -> None:
    session.workspace.conn.execute("CREATE TABLE sift_result_3 (n INTEGER)")
    session.workspace.conn.execute("INSERT INTO sift_result_3 VALUES (7)")
    result = export(session, tmp_path / "r.sqlite", "sqlite", table="sift_result_3")
    assert result["name"] == "query-result.sqlite"
    assert result["message"] == "Exported 1 row of the query result to SQLite."
    assert list(read_db(tmp_path / "r.sqlite")) == ["query_result"]


def sqlite_file(tmp_path: Path) -> bytes:
    path = tmp_path / "source.db"
    with closing(sqlite3.connect(path)) as db:
        db.executescript(
            """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, data BLOB,
                                added DATE, ok BOOLEAN, "odd name" VARCHAR(10));
            INSERT INTO items VALUES (1, 'Zoë', 1.5, x'00ff', '2024-01-02', 1, '=1+1'),
                                     (2, NULL, 0.1, NULL, NULL, 0, 'a,b'),
                                     (3, '日本', 1e16, x'', '1999-12-31', NULL, NULL);
            CREATE TABLE other (k TEXT, v);
            INSERT INTO other VALUES ('a', 1), ('b', 'two'), ('c', 3.5);
            """
        )
        db.commit()
    return path.read_bytes()


def test_round_trip_gives_the_same_tables(session: Session, tmp_path: Path) -> None:
    result = session.load("source.db", sqlite_file(tmp_path))
    for report in result["tables"]:
        name = report["table"]
        first = table(session, name)
        export(session, tmp_path / f"{name}.sqlite", "sqlite", table=name)
        assert reload(tmp_path / f"{name}.sqlite") == first


# The workspace as one file


def export_workspace(session: Session, path: Path) -> dict[str, object]:
    result: dict[str, object] = COMMANDS["export_workspace"].run(session, {"path": str(path)})
    return result


def test_the_workspace_file_restores_every_table(session: Session, tmp_path: Path) -> None:
    load(session, "people.csv", b"name,age\nAnn,30\nBob,25\n")
    session.load("source.db", sqlite_file(tmp_path))
    load(session, "n.json", b'[{"a": 1, "b": true}, {"a": null, "b": false}]')
    names = session.workspace.table_names()
    before = {name: table(session, name) for name in names}
    result = export_workspace(session, tmp_path / "all.sqlite")
    assert result["tables"] == [{"name": n, "rows": len(before[n][2])} for n in names]
    assert result["rows"] == 2 + 3 + 3 + 2
    assert result["name"] == "sift-workspace.sqlite"
    assert result["message"] == "Exported 4 tables (10 rows) to SQLite."
    with Session() as fresh:
        loaded = fresh.load("all.sqlite", (tmp_path / "all.sqlite").read_bytes())
        assert [t["table"] for t in loaded["tables"]] == names
        assert {name: table(fresh, name) for name in names} == before


def test_sift_tables_and_indexes_stay_behind(session: Session, tmp_path: Path) -> None:
    load(session, "people.csv", b"name,age\nAnn,30\nBob,25\n")
    session.view({"table": "people", "sort": [{"column": "age"}]})  # may make a sort index
    while not session.search_build("people")["done"]:  # makes sift_fts_people and its shadows
        pass
    session.workspace.conn.execute("CREATE TABLE sift_result_1 (x)")
    export_workspace(session, tmp_path / "all.sqlite")
    with closing(sqlite3.connect(tmp_path / "all.sqlite")) as db:
        objects = db.execute("SELECT type, name FROM sqlite_master").fetchall()
    assert objects == [("table", "people")]


def test_an_empty_workspace_is_refused(session: Session, tmp_path: Path) -> None:
    from sift.errors import SiftError

    with pytest.raises(SiftError, match="There are no tables to export"):
        export_workspace(session, tmp_path / "all.sqlite")
    assert list(tmp_path.iterdir()) == []
