"""User SQL inside Pyodide (SQLite 3.39, Python 3.14): hardening, the authorizer, results made
with CREATE TABLE ... AS, error places, deadlines and cancel. Plain functions with bare
asserts (see runner.py); host pytest collects them too.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from suite_tools import raised

from sift.jobs import Cancelled
from sift.query.hardening import LENGTH_LIMIT, is_defensive
from sift.session import Session

CSV = b"city,amount\nParis,10\nOslo,25\nRome,40\n"
BOMB = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"


def session_with_sales() -> Session:
    session = Session()
    session.load("sales.csv", CSV)
    return session


def sql(session: Session, text: str, **args: Any) -> dict[str, Any]:
    return session.handle("sql", {"sql": text, **args})


def test_the_workspace_connection_is_hardened() -> None:
    with Session() as session:
        conn = session.workspace.conn
        assert conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH) == LENGTH_LIMIT
        expected = True if sys.version_info >= (3, 12) else None  # Pyodide: 3.14, defensive on
        assert is_defensive(conn) is expected
        if expected:
            conn.execute("PRAGMA writable_schema = ON")  # defensive mode ignores it
            conn.execute("CREATE TABLE t (a)")
            error = raised(
                lambda: conn.execute("UPDATE sqlite_master SET sql = 'x' WHERE name = 't'")
            )
            assert isinstance(error, sqlite3.Error), error
            assert "may not be modified" in str(error), error


def test_a_huge_value_fails_fast() -> None:
    with Session() as session:
        error = sql(session, "SELECT zeroblob(9e8)")["error"]
        assert error["kind"] == "sql", error
        assert "too big" in error["message"], error


def test_results_are_made_with_create_table_as_and_read_like_tables() -> None:
    with session_with_sales() as session:
        result = sql(session, "SELECT city, amount * 2 AS double FROM sales ORDER BY amount DESC")
        assert result["ok"], result
        table = result["result"]["table"]
        assert table == "sift_result_1"
        assert session.workspace.table_names() == ["sales"]
        page = session.view({"table": table})
        assert page["rows"] == [["Rome", 80], ["Oslo", 50], ["Paris", 20]]
        assert session.facet({"table": table}, "city")["values"]
        assert session.profile(table, "double")["rows"] == 3
        assert session.search_build(table)["done"]
        pragma = sql(session, "PRAGMA table_info(sales)")["result"]
        assert [row[1] for row in session.view({"table": pragma["table"]})["rows"]] == [
            "city",
            "amount",
        ]


def test_the_authorizer_refuses_writes_from_links_and_attach_always() -> None:
    with session_with_sales() as session:
        for text in (
            "DELETE FROM sales",
            "UPDATE sales SET amount = 0",
            "DROP TABLE sales",
            "CREATE TABLE x (a)",
            "INSERT INTO sales VALUES ('Lima', 1)",
            "PRAGMA user_version = 3",
            "ATTACH ':memory:' AS other",
        ):
            error = sql(session, text, readonly=True)["error"]
            assert error["kind"] == "readonly", (text, error)
        assert sql(session, "ATTACH ':memory:' AS other")["error"]["kind"] == "sql"
        assert len(session.view({"table": "sales"})["rows"]) == 3
        assert sql(session, BOMB.replace("FROM c)", "FROM c WHERE x < 9)"), readonly=True)["ok"]


def test_errors_carry_line_and_column() -> None:
    with session_with_sales() as session:
        error = sql(session, "SELECT 1;\nSELECT * FORM sales")["error"]
        assert error["message"] == 'near "FORM": syntax error', error
        assert (error["line"], error["column"], error["details"]) == (2, 10, "FORM")
        error = sql(session, "SELECT 'nope' FROM sales WHERE nope > 1")["error"]
        assert (error["line"], error["column"], error["details"]) == (1, 32, "nope")


def test_deadline_and_cancel_stop_sql_and_keep_the_workspace() -> None:
    with session_with_sales() as session:
        error = sql(session, BOMB, seconds=0.05)["error"]
        assert error["kind"] == "timeout", error
        calls = []

        def poll() -> None:
            calls.append(1)
            if len(calls) >= 3:
                raise Cancelled("The query was cancelled.", hint="Run it again.")

        session.poll = poll
        error = sql(session, f"DELETE FROM sales; {BOMB}", seconds=600)["error"]
        assert error["kind"] == "cancelled", error
        session.poll = lambda: None
        assert len(session.view({"table": "sales"})["rows"]) == 3
