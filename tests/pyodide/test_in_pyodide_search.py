"""Explore (views, sorting, search) on Pyodide's SQLite; meant to run inside Pyodide.

Plain functions with bare asserts and only the standard library plus sift, so a tiny runner can
call every ``test_*`` function in the browser; host pytest collects them too.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

from suite_tools import raised

from sift import sort_index
from sift.deadline import QueryTimeout, within
from sift.session import Session

CITIES = ["Paris", "Lyon", "Zürich", "50% off", "a_b"]


def people(rows: int) -> bytes:
    lines = ["name,city,age"]
    lines += [f"n{i},{CITIES[i % len(CITIES)]},{i % 90 if i % 11 else ''}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def names(result: dict[str, Any]) -> list[str]:
    return [row[0] for row in result["rows"]]


def test_the_sqlite_features_search_and_sorting_rely_on() -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute(
            "CREATE VIRTUAL TABLE f USING fts5(c0, content='', tokenize='trigram', detail='none')"
        )
        conn.execute("INSERT INTO f (rowid, c0) VALUES (7, 'Zürich'), (8, 'Paris')")
        found = conn.execute("SELECT rowid FROM f WHERE f MATCH :q", {"q": '"zür" "ric"'})
        assert found.fetchall() == [(7,)]
        assert conn.execute("SELECT value FROM json_each('[3, 1]')").fetchall() == [(3,), (1,)]
        conn.execute("CREATE TABLE t (a)")
        conn.execute("CREATE INDEX i ON t (a)")
        listed = conn.execute("SELECT name, partial FROM pragma_index_list('t')").fetchall()
        assert listed == [("i", 0)]


def test_search_gives_the_same_rows_before_and_after_the_index() -> None:
    with Session() as session:
        session.load("people.csv", people(3000))
        queries = ["paris", "ZÜR", "50%", "_", "n12", "ly n3", "zz"]
        before = {q: session.view({"table": "people", "q": q}, 0, 1000) for q in queries}
        assert before["paris"]["search"] == "none"
        progress = session.search_build("people")
        while not progress["done"]:
            progress = session.search_build("people")
        assert progress["rows_done"] == progress["rows_total"] == 3000
        for q in queries:
            after = session.view({"table": "people", "q": q}, 0, 1000)
            assert after["search"] == "ready"
            assert after["rows"] == before[q]["rows"], q
            assert after["total_rows"] == before[q]["total_rows"], q
        assert before["_"]["total_rows"] == 600  # only a_b: _ is literal
        assert [t["name"] for t in session.tables()] == ["people"]


def test_sorting_a_big_table_from_its_head_then_its_index() -> None:
    head_rows, at_once = sort_index.HEAD_ROWS, sort_index.INDEX_AT_ONCE_ROWS
    sort_index.HEAD_ROWS, sort_index.INDEX_AT_ONCE_ROWS = 200, 1000
    try:
        with Session() as session:
            session.load("people.csv", people(5000))
            spec = {"table": "people", "sort": [{"column": "age", "desc": True}]}
            top = session.view(spec, 0, 100)
            assert not sort_index.has_index(session.workspace.conn, "people", "age")
            deep = session.view(spec, 150, 100)  # past the head: the index is built
            assert sort_index.has_index(session.workspace.conn, "people", "age")
            assert names(session.view(spec, 0, 100)) == names(top)
            ages = [row[2] for row in top["rows"] + deep["rows"][:50]]
            assert ages == sorted(ages, reverse=True)
            assert top["rows"][0][2] == 89
            assert deep["total_rows"] == 5000
    finally:
        sort_index.HEAD_ROWS, sort_index.INDEX_AT_ONCE_ROWS = head_rows, at_once


def test_filters_and_their_errors() -> None:
    with Session() as session:
        session.load("people.csv", people(100))
        spec = {
            "table": "people",
            "filters": [
                {"column": "city", "op": "contains", "value": "%"},
                {"column": "age", "op": "between", "value": "10,40"},
            ],
        }
        result = session.view(spec)
        assert result["description"] == 'Rows where city contains "%" and age is between 10 and 40'
        assert result["total_rows"] == len(
            [i for i in range(100) if i % 5 == 3 and i % 11 and 10 <= i <= 40]
        )
        spec["filters"][1]["value"] = "ten"
        reply = session.handle("view", spec)
        assert reply["error"]["kind"] == "filter"
        assert reply["error"]["column"] == 1


def run_within(conn: sqlite3.Connection, sql: str) -> None:
    with within(conn, 0.05, what="Endless"):
        conn.execute(sql).fetchone()


def test_a_query_past_its_deadline_stops() -> None:
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
    with closing(sqlite3.connect(":memory:")) as conn:
        error = raised(lambda: run_within(conn, endless))
        assert isinstance(error, QueryTimeout), error
        assert error.message == "Endless took longer than 0.05 seconds and was stopped."
        assert conn.execute("SELECT 1").fetchone() == (1,)
