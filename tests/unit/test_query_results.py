"""Tests for sift.query.results: save_result copies a result into a user table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sift.session import Session


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as session:
        session.load("sales.csv", b"city,day\nParis,2024-01-02\nOslo,2024-03-04\n")
        yield session


def run(session: Session, command: str, **args: Any) -> dict[str, Any]:
    return session.handle(command, args)


def test_save_result_makes_a_user_table(session: Session) -> None:
    table = run(session, "sql", sql="SELECT * FROM sales ORDER BY city")["result"]["table"]
    saved = run(session, "save_result", table=table, name="by city!")["result"]
    assert saved == {
        "table": "by_city",
        "rows": 2,
        "message": "Saved the result as by_city (2 rows).",
    }
    assert session.workspace.table_names() == ["sales", "by_city"]
    page = run(session, "view", table="by_city")["result"]
    assert page["rows"] == [["Oslo", "2024-03-04"], ["Paris", "2024-01-02"]]
    assert page["types"] == session.workspace.column_types(table)


def test_saved_names_are_unique_and_never_sifts_own(session: Session) -> None:
    table = run(session, "sql", sql="SELECT 1 AS one")["result"]["table"]
    assert run(session, "save_result", table=table, name="sales")["result"]["table"] == "sales_2"
    own = run(session, "save_result", table=table, name="sift_result_7")["result"]["table"]
    assert own == "t_sift_result_7"


@pytest.mark.parametrize("table", ["sales", "sift_result_99", "sift_fts_sales"])
def test_only_a_kept_result_can_be_saved(session: Session, table: str) -> None:
    error = run(session, "save_result", table=table, name="x")["error"]
    assert error["message"] == f"There is no query result named {table!r}."


def test_a_blank_name_is_refused(session: Session) -> None:
    table = run(session, "sql", sql="SELECT 1")["result"]["table"]
    error = run(session, "save_result", table=table, name="   ")["error"]
    assert error["message"] == "Give the new table a name."


def test_results_keep_the_declared_types_of_the_columns_they_show(session: Session) -> None:
    assert run(session, "set_type", table="sales", column="day", type="DATE")["ok"]
    session.workspace.conn.execute("CREATE TABLE flags (city TEXT, open BOOLEAN)")
    session.workspace.conn.execute("INSERT INTO flags VALUES ('Paris', 1), ('Oslo', 0)")
    sql = (
        "SELECT s.city, s.day, f.open, length(s.city) AS n FROM sales s"
        " JOIN flags f USING (city) WHERE s.day > :after ORDER BY s.day"
    )
    result = run(session, "sql", sql=sql, params={"after": "2000-01-01"})["result"]
    page = run(session, "view", table=result["table"])["result"]
    assert page["types"] == ["TEXT", "DATE", "BOOLEAN", "INTEGER"]  # n: from its values
    assert page["rows"] == [["Paris", "2024-01-02", True, 5], ["Oslo", "2024-03-04", False, 4]]


def test_a_result_that_cannot_be_a_view_still_has_its_rows(session: Session) -> None:
    result = run(session, "sql", sql="VALUES (1, 'a'), (2, 'b')")["result"]
    page = run(session, "view", table=result["table"])["result"]
    assert page["columns"] == ["column1", "column2"]
    assert page["rows"] == [[1, "a"], [2, "b"]]


def test_computed_columns_get_the_type_of_their_values(session: Session) -> None:
    sql = (
        "SELECT city, count(*) AS n, count(*) / 2.0 AS half, max(day) AS last"
        " FROM sales GROUP BY city ORDER BY city DESC"
    )
    table = run(session, "sql", sql=sql)["result"]["table"]
    assert session.workspace.column_types(table) == ["TEXT", "INTEGER", "NUMERIC", ""]
    page = run(session, "view", table=table)["result"]
    assert page["rows"] == [["Paris", 1, 0.5, "2024-01-02"], ["Oslo", 1, 0.5, "2024-03-04"]]
    assert page["kinds"] == ["text", "number", "number", "text"]
    # A number filter on a count compares numbers, not text ("10" < "9" as text).
    session.load("many.csv", ("k\n" + "a\n" * 10 + "b\n" * 9).encode())
    table = run(session, "sql", sql="SELECT k, count(*) AS n FROM many GROUP BY k")["result"]
    kept = run(
        session, "view", table=table["table"], filters=[{"column": "n", "op": "gt", "value": "9"}]
    )
    assert kept["result"]["rows"] == [["a", 10]]
