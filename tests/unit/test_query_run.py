"""Tests for the `sql` command (sift.query.run): results, changes, errors, deadlines, cancel."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from sift.jobs import Cancelled
from sift.query.hardening import LENGTH_LIMIT
from sift.session import Session

BOMB = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
CSV = b"city,amount\nParis,10\nOslo,25\nRome,40\n"


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as session:
        session.load("sales.csv", CSV)
        yield session


def ok(session: Session, command: str, **args: Any) -> Any:
    reply = session.handle(command, args)
    assert reply["ok"], reply
    return reply["result"]


def failed(session: Session, command: str, **args: Any) -> dict[str, Any]:
    reply = session.handle(command, args)
    assert not reply["ok"], reply
    error: dict[str, Any] = reply["error"]
    assert "Traceback" not in str(error)
    return error


def rows(session: Session, table: str) -> list[list[Any]]:
    return list(ok(session, "view", table=table)["rows"])


def test_a_select_becomes_a_result_table(session: Session) -> None:
    result = ok(session, "sql", sql="SELECT city FROM sales WHERE amount > 20 ORDER BY city DESC")
    assert result["kind"] == "rows"
    assert result["table"] == "sift_result_1"
    assert result["columns"] == ["city"]
    assert result["rows"] == 2
    assert result["statements"] == 1
    assert result["changed_tables"] == []
    assert result["dropped_tables"] == []
    assert result["message"].startswith("2 rows in ")
    assert result["message"].endswith(" s")
    assert rows(session, "sift_result_1") == [["Rome"], ["Oslo"]]


def test_results_are_hidden_from_tables_but_usable_everywhere(session: Session) -> None:
    ok(session, "sql", sql="SELECT * FROM sales")
    assert [t["name"] for t in ok(session, "tables")] == ["sales"]
    assert session.workspace.table_names() == ["sales"]
    facet = ok(session, "facet", table="sift_result_1", column="city")
    assert facet
    profile = ok(session, "profile", table="sift_result_1", column="amount")
    assert profile["rows"] == 3
    built = ok(session, "search_build", table="sift_result_1")
    assert built["done"]
    found = ok(session, "view", table="sift_result_1", q="osl")
    assert found["rows"] == [["Oslo", 25]]


def test_only_the_three_newest_results_are_kept(session: Session) -> None:
    names = [ok(session, "sql", sql=f"SELECT {n} AS n")["table"] for n in range(5)]
    assert names == [f"sift_result_{n}" for n in range(1, 6)]
    assert rows(session, "sift_result_5") == [[4]]
    for gone in ("sift_result_1", "sift_result_2"):
        assert (
            failed(session, "view", table=gone)["message"] == f"There is no table named {gone!r}."
        )
    assert session.workspace.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sift_result_%'"
    ).fetchone() == (3,)


def test_values_and_with_and_pragma_give_rows(session: Session) -> None:
    assert ok(session, "sql", sql="VALUES (1, 'a'), (2, 'b')")["rows"] == 2
    assert ok(session, "sql", sql="WITH x AS (SELECT 7 AS v) SELECT v FROM x")["rows"] == 1
    pragma = ok(session, "sql", sql="PRAGMA table_info(sales)")
    assert pragma["kind"] == "rows"
    assert pragma["columns"][:3] == ["cid", "name", "type"]
    assert [r[1] for r in rows(session, pragma["table"])] == ["city", "amount"]


def test_returning_rows_become_the_result(session: Session) -> None:
    result = ok(session, "sql", sql="INSERT INTO sales VALUES ('Lima', 5) RETURNING city")
    assert result["kind"] == "rows"
    assert rows(session, result["table"]) == [["Lima"]]
    assert result["changed_tables"] == ["sales"]


def test_multiple_statements_with_semicolons_in_strings_and_comments(session: Session) -> None:
    sql = (
        "CREATE TABLE notes (t TEXT); -- a comment; with a semicolon\n"
        "INSERT INTO notes VALUES ('a;b'), ('c /* ; */');\n"
        "/* ; */ SELECT t FROM notes ORDER BY t;"
    )
    result = ok(session, "sql", sql=sql)
    assert result["statements"] == 3
    assert rows(session, result["table"]) == [["a;b"], ["c /* ; */"]]
    assert result["changed_tables"] == ["notes"]
    assert "notes" in session.workspace.table_names()


def test_changes_are_counted_and_tables_reported(session: Session) -> None:
    before = session.workspace.version("sales")
    result = ok(session, "sql", sql="UPDATE sales SET amount = amount + 1 WHERE amount < 30")
    assert result["kind"] == "changes"
    assert result["changes"] == 2
    assert result["message"].startswith("Changed 2 rows in ")
    assert result["changed_tables"] == ["sales"]
    assert session.workspace.version("sales") != before  # caches of it are stale


def test_create_drop_and_rename_are_reported(session: Session) -> None:
    ok(session, "sql", sql="CREATE TABLE extra AS SELECT * FROM sales")
    result = ok(session, "sql", sql="ALTER TABLE extra RENAME TO renamed; DROP TABLE sales")
    assert result["kind"] == "changes"
    assert result["message"].startswith("Done in ")
    assert result["changed_tables"] == ["renamed"]
    assert result["dropped_tables"] == ["extra", "sales"]
    assert session.workspace.table_names() == ["renamed"]


def test_a_dropped_table_loses_its_search_index(session: Session) -> None:
    ok(session, "search_build", table="sales")
    ok(session, "sql", sql="DROP TABLE sales")
    left = session.workspace.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sift_fts_%'"
    ).fetchone()
    assert left == (0,)


def test_named_parameters_are_bound_numbers_or_text(session: Session) -> None:
    sql = "SELECT city FROM sales WHERE amount >= :least AND city <> :not ORDER BY city"
    result = ok(session, "sql", sql=sql, params={"least": "25", "not": "Rome"})
    assert rows(session, result["table"]) == [["Oslo"]]
    typed = ok(
        session,
        "sql",
        sql="SELECT typeof(:a), typeof(:b), typeof(:c), typeof(:d)",
        params={"a": "12", "b": "-1.5", "c": "007", "d": "12 apples"},
    )
    assert rows(session, typed["table"]) == [["integer", "real", "text", "text"]]


def test_a_missing_parameter_is_named(session: Session) -> None:
    error = failed(session, "sql", sql="SELECT *\nFROM sales WHERE city = :city")
    assert error["kind"] == "sql"
    assert error["message"] == "The query uses :city but no value was given for it."
    assert (error["line"], error["column"], error["details"]) == (2, 25, ":city")


def test_question_mark_parameters_are_refused(session: Session) -> None:
    error = failed(session, "sql", sql="SELECT ?")
    assert error["kind"] == "sql"
    assert error["details"] == "?"


@pytest.mark.parametrize(
    ("sql", "message", "line", "column", "details"),
    [
        ("SELECT * FORM sales", 'near "FORM": syntax error', 1, 10, "FORM"),
        ("SELECT 'FORM', x\nFROM sales WHERE x FORM", 'near "FORM": syntax error', 2, 20, "FORM"),
        ("SELECT nope FROM sales", "no such column: nope", 1, 8, "nope"),
        ("SELECT 1;\n  SELECT * FROM missing", "no such table: missing", 2, 17, "missing"),
        ("SELECT sales.nope FROM sales", "no such column: sales.nope", 1, 8, "sales.nope"),
        ("-- nope(\nSELECT nope(1)", "no such function: nope", 2, 8, "nope"),
        ("SELECT 'a' || x'zz'", "unrecognized token: \"x'zz'\"", 1, 15, "x'zz'"),
        ("SELECT *\nFROM sales WHERE", "incomplete input", 2, 12, "WHERE"),
    ],
)
def test_errors_say_where(
    session: Session, sql: str, message: str, line: int, column: int, details: str
) -> None:
    error = failed(session, "sql", sql=sql)
    assert error["kind"] == "sql"
    assert error["message"] == message
    assert (error["line"], error["column"], error["details"]) == (line, column, details)


def test_an_error_leaves_earlier_statements_undone(session: Session) -> None:
    error = failed(session, "sql", sql="DELETE FROM sales; CREATE TABLE x (a); SELECT nope")
    assert error["message"] == "no such column: nope"
    assert ok(session, "sql", sql="SELECT count(*) FROM sales")["rows"] == 1
    assert session.workspace.table_names() == ["sales"]
    assert rows(session, "sales") == [["Paris", 10], ["Oslo", 25], ["Rome", 40]]


def test_a_recursive_bomb_times_out(session: Session) -> None:
    error = failed(session, "sql", sql=BOMB, seconds=0.05)
    assert error["kind"] == "timeout"
    assert error["message"] == "This query took longer than 0.05 seconds and was stopped."
    assert ok(session, "sql", sql="SELECT 1")["rows"] == 1  # the connection is usable


def test_a_cross_join_of_big_tables_times_out(session: Session) -> None:
    ok(
        session,
        "sql",
        sql=(
            "CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c"
            " WHERE x < 3000) SELECT x FROM c"
        ),
    )
    error = failed(session, "sql", sql="SELECT count(*) FROM big a, big b, big c", seconds=0.05)
    assert error["kind"] == "timeout"
    assert "big" in session.workspace.table_names()


class CancelAfter:
    def __init__(self, calls: int) -> None:
        self.calls, self.left = 0, calls

    def __call__(self) -> None:
        self.calls += 1
        if self.calls >= self.left:
            raise Cancelled("The query was cancelled.", hint="Run it again when you want it.")


def test_cancel_stops_the_query_and_keeps_the_workspace(session: Session) -> None:
    session.poll = CancelAfter(5)
    sql = f"DELETE FROM sales; CREATE TABLE junk AS {BOMB}"
    error = failed(session, "sql", sql=sql, seconds=600)
    assert error["kind"] == "cancelled"
    assert error["message"] == "The query was cancelled."
    session.poll = lambda: None
    assert session.workspace.table_names() == ["sales"]
    assert len(rows(session, "sales")) == 3


def test_a_huge_value_fails_fast_with_too_big(session: Session) -> None:
    error = failed(session, "sql", sql="SELECT zeroblob(9e8)")
    assert error["kind"] == "sql"
    assert "too big" in error["message"]
    # above Sift's limit (100 MB) but below SQLite's default (1 GB): the limit is Sift's
    error = failed(session, "sql", sql="SELECT length(zeroblob(200000000))")
    assert "too big" in error["message"]
    limit = session.workspace.conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
    assert limit == LENGTH_LIMIT


def test_attach_and_transactions_are_refused(session: Session) -> None:
    attach = failed(session, "sql", sql="ATTACH ':memory:' AS other")
    assert attach["kind"] == "sql"
    assert "ATTACH" in attach["message"]
    detach = failed(session, "sql", sql="DETACH other")
    assert detach["kind"] == "sql"
    begin = failed(session, "sql", sql="BEGIN; DELETE FROM sales; COMMIT")
    assert begin["kind"] == "sql"
    assert "BEGIN" in begin["message"]
    assert len(rows(session, "sales")) == 3
    vacuum = failed(session, "sql", sql="VACUUM INTO '/tmp/sift-should-not-exist.db'")
    assert vacuum["kind"] == "sql"


def test_sifts_own_objects_are_off_limits_except_reading_results(session: Session) -> None:
    ok(session, "search_build", table="sales")
    ok(session, "sql", sql="SELECT 1 AS one")
    for sql in (
        "SELECT * FROM sift_fts_sales",
        "DROP TABLE sift_fts_sales",
        "DROP TABLE sift_result_1",
        "INSERT INTO sift_result_1 VALUES (2)",
        "CREATE TABLE sift_mine (a)",
        "CREATE INDEX sift_idx_x ON sales (city)",
    ):
        error = failed(session, "sql", sql=sql)
        assert error["kind"] == "sql", sql
        assert error["message"].startswith("Sift's own tables cannot be used from SQL"), sql
    assert rows(session, "sift_result_1") == [[1]]
    assert ok(session, "sql", sql="SELECT one + 1 FROM sift_result_1")["rows"] == 1


def test_engine_pragmas_are_refused(session: Session) -> None:
    for pragma in ("writable_schema = ON", "query_only = 1", "journal_mode = OFF"):
        assert failed(session, "sql", sql=f"PRAGMA {pragma}")["kind"] == "sql"
    assert ok(session, "sql", sql="PRAGMA user_version = 3")["kind"] == "changes"


def test_no_sql_is_an_error(session: Session) -> None:
    assert failed(session, "sql", sql=" -- nothing\n ; ")["message"] == "There is no SQL to run."


@pytest.mark.parametrize(
    "args",
    [
        {"seconds": 0},
        {"seconds": -1},
        {"seconds": "30"},
        {"seconds": True},
        {"readonly": "yes"},
        {"allow_python": 1},
        {"params": ["a"]},
        {"params": {"a": ["x"]}},
    ],
)
def test_bad_arguments_are_clear_errors(session: Session, args: dict[str, Any]) -> None:
    error = failed(session, "sql", sql="SELECT 1", **args)
    assert error["kind"] == "error"
