"""Tests for sift.pycode.columns: previewing an expression and storing it as a new column."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from sift.errors import SiftError
from sift.jobs import Cancelled
from sift.pycode import columns
from sift.pycode.failures import PythonError
from sift.session import Session


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        conn = opened.workspace.conn
        conn.execute(
            "CREATE TABLE sales (name TEXT, amount REAL, qty INTEGER, created TEXT,"
            ' "unit price" REAL)'
        )
        conn.executemany(
            "INSERT INTO sales VALUES (?, ?, ?, ?, ?)",
            [
                ("Ann Lee", 2.5, 4, "2024-03-01", 1.0),
                ("Bob", 3.0, 0, "2023-12-31", 2.0),
                ("Cy Z", None, 2, "bad", 3.0),
                ("Di", 1.0, 5, "2022-01-02", 4.0),
            ],
        )
        yield opened


def table(session: Session, name: str = "sales") -> list[tuple[Any, ...]]:
    return session.workspace.conn.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()


def schema(session: Session, name: str = "sales") -> list[tuple[Any, ...]]:
    return session.workspace.conn.execute(f"SELECT * FROM pragma_table_info('{name}')").fetchall()


def test_preview_shows_values_inputs_and_the_first_error(session: Session) -> None:
    result = columns.preview(session, "SALES", "amount / qty")
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    assert result["table"] == "sales"
    assert result["columns"] == ["amount", "qty"]
    assert result["rows"] == [[2.5, 4], [3.0, 0], [None, 2], [1.0, 5]]
    assert result["values"] == [0.625, None, None, 0.2]
    assert result["type"] == "REAL"
    assert result["errors"] == 2
    assert result["row_errors"] == [
        None,
        "ZeroDivisionError: float division by zero",
        "TypeError: unsupported operand type(s) for /: 'NoneType' and 'int'",
        None,
    ]
    assert result["first_error"] == {
        "row": 2,
        "message": "ZeroDivisionError: float division by zero",
    }


def test_preview_limit(session: Session) -> None:
    assert columns.preview(session, "sales", "qty", 2)["values"] == [4, 0]
    assert columns.preview(session, "sales", "1 + 1", 3)["values"] == [2, 2, 2]
    assert columns.preview(session, "sales", "1 + 1", 3)["columns"] == []
    for bad in (0, 101, True, "5", 2.0):
        with pytest.raises(SiftError, match="A preview shows 1 to 100 rows"):
            columns.preview(session, "sales", "qty", bad)


def test_preview_of_booleans_and_dates(session: Session) -> None:
    assert columns.preview(session, "sales", "qty > 1")["values"] == [True, False, True, True]
    dated = columns.preview(session, "sales", "date.fromisoformat(created)")
    assert dated["type"] == "DATE"
    assert dated["values"] == ["2024-03-01", "2023-12-31", None, "2022-01-02"]
    assert dated["first_error"] == {
        "row": 3,
        "message": "ValueError: Invalid isoformat string: 'bad'",
    }


def test_preview_of_an_unknown_name_suggests_a_column(session: Session) -> None:
    result = columns.preview(session, "sales", "amout * 2")
    assert result["errors"] == 4
    assert result["first_error"] == {
        "row": 1,
        "message": "NameError: name 'amout' is not defined; did you mean amount?",
    }


@pytest.mark.parametrize(
    ("expression", "declared", "values"),
    [
        ("amount * qty", "REAL", [10.0, 0.0, None, 5.0]),
        ("qty * 2", "INTEGER", [8, 0, 4, 10]),
        ("name.split()[0]", "TEXT", ["Ann", "Bob", "Cy", "Di"]),
        ("date.fromisoformat(created).year", "INTEGER", [2024, 2023, None, 2022]),
        ("qty > 1", "BOOLEAN", [1, 0, 1, 1]),
        ("date.fromisoformat(created)", "DATE", ["2024-03-01", "2023-12-31", None, "2022-01-02"]),
        ('row["unit price"] * 2', "REAL", [2.0, 4.0, 6.0, 8.0]),
        ("None", "TEXT", [None, None, None, None]),
    ],
)
def test_add_column_stores_every_row_with_a_type_from_the_values(
    session: Session, expression: str, declared: str, values: list[object]
) -> None:
    before = table(session)
    result = columns.add_column(session, "sales", "new", expression)
    assert (result["table"], result["column"], result["type"], result["rows"]) == (
        "sales",
        "new",
        declared,
        4,
    )
    assert schema(session)[-1][1:3] == ("new", declared)
    assert table(session) == [(*row, v) for row, v in zip(before, values, strict=True)]


def test_add_column_counts_errors_and_names_the_first(session: Session) -> None:
    version = session.workspace.version("sales")
    result = columns.add_column(session, "sales", "ratio", "amount / qty")
    assert result["errors"] == 2
    assert result["first_error"] == {
        "row": 2,
        "message": "ZeroDivisionError: float division by zero",
    }
    assert result["message"] == (
        "Added ratio to sales: 4 rows. 2 rows failed and are empty; the first is row 2: "
        "ZeroDivisionError: float division by zero"
    )
    assert [row[-1] for row in table(session)] == [0.625, None, None, 0.2]
    assert session.workspace.version("sales") != version
    assert session.workspace.conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (
        0,
    )


def test_add_column_over_many_batches_keeps_row_order(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(columns, "BATCH_ROWS", 7)
    monkeypatch.setattr(columns, "POLL_EVERY", 3)
    conn = session.workspace.conn
    conn.execute("CREATE TABLE n (x INTEGER)")
    conn.executemany("INSERT INTO n VALUES (?)", [(i,) for i in range(100)])
    conn.execute("DELETE FROM n WHERE x % 10 = 3")  # gaps in the rowids
    polls = 0

    def poll() -> None:
        nonlocal polls
        polls += 1

    session.poll = poll
    result = columns.add_column(session, "n", "y", "1 / (x % 7)")
    assert result["rows"] == 90
    rows = table(session, "n")
    assert all(y == (None if x % 7 == 0 else 1 / (x % 7)) for x, y in rows)
    assert result["errors"] == sum(1 for x, _ in rows if x % 7 == 0)
    assert result["first_error"] == {"row": 1, "message": "ZeroDivisionError: division by zero"}
    assert polls >= 90 // 3


@pytest.mark.parametrize("after", [1, 2, 5])
def test_cancel_mid_add_column_leaves_the_table_exactly_as_before(
    session: Session, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    monkeypatch.setattr(columns, "BATCH_ROWS", 2)
    monkeypatch.setattr(columns, "POLL_EVERY", 1)
    before, shape, version = table(session), schema(session), session.workspace.version("sales")
    calls = 0

    def poll() -> None:
        nonlocal calls
        calls += 1
        if calls >= after:
            raise Cancelled("Adding the column was cancelled.", hint="Try again.")

    session.poll = poll
    reply = session.handle("add_column", {"table": "sales", "name": "t", "expression": "qty * 2"})
    assert reply["ok"] is False
    assert reply["error"]["kind"] == "cancelled"
    assert (table(session), schema(session)) == (before, shape)
    assert session.workspace.version("sales") == version
    assert not session.workspace.conn.in_transaction
    assert session.workspace.conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (
        0,
    )
    session.poll = lambda: None
    assert columns.add_column(session, "sales", "t", "qty * 2")["rows"] == 4


def test_a_memory_error_stops_add_column_and_changes_nothing(session: Session) -> None:
    before = table(session)
    with pytest.raises(MemoryError):
        columns.add_column(session, "sales", "big", "[0] * (2**62)")
    assert table(session) == before


def test_user_code_exiting_is_a_row_error(session: Session) -> None:
    result = columns.add_column(session, "sales", "x", "exit(3) if qty == 0 else qty")
    assert result["errors"] == 1
    assert result["first_error"] == {"row": 2, "message": "SystemExit: 3"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the new column a name."),
        ("   ", "Give the new column a name."),
        ("QTY", "sales already has a column named qty."),
        ("Unit Price", "sales already has a column named unit price."),
        ("a\x00b", "A column name cannot contain a NUL character."),
    ],
)
def test_bad_column_names_are_refused(session: Session, name: str, message: str) -> None:
    before = schema(session)
    with pytest.raises(SiftError) as caught:
        columns.add_column(session, "sales", name, "qty")
    assert caught.value.message == message
    assert schema(session) == before


def test_bad_syntax_changes_nothing(session: Session) -> None:
    before = schema(session)
    with pytest.raises(PythonError) as caught:
        columns.add_column(session, "sales", "t", "qty * * 2")
    assert (caught.value.line, caught.value.column) == (1, 7)
    assert caught.value.message == "The expression has a syntax error at column 7: invalid syntax"
    assert schema(session) == before


def test_the_new_name_is_kept_as_typed_and_may_shadow_the_rowid(session: Session) -> None:
    result = columns.add_column(session, "sales", "  rowid ", "qty + 100")
    assert result["column"] == "rowid"
    conn = session.workspace.conn
    assert conn.execute("SELECT rowid, _rowid_ FROM sales").fetchall() == [
        (104, 1),
        (100, 2),
        (102, 3),
        (105, 4),
    ]
    result = columns.add_column(session, "sales", 'odd "name"', "rowid - 100")
    assert conn.execute('SELECT "odd ""name""" FROM sales').fetchall() == [(4,), (0,), (2,), (5,)]


def test_tables_without_a_rowid_are_refused_clearly(session: Session) -> None:
    conn = session.workspace.conn
    conn.execute("CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID")
    conn.execute("INSERT INTO k VALUES (1, 'a')")
    assert columns.preview(session, "k", "v * 2")["values"] == ["aa"]
    with pytest.raises(SiftError, match="its rows have no rowid"):
        columns.add_column(session, "k", "w", "v * 2")
    conn.execute("CREATE TABLE all3 (rowid, _rowid_, oid)")
    with pytest.raises(SiftError, match="its rows have no rowid"):
        columns.add_column(session, "all3", "w", "1")


def test_an_empty_table_gets_the_column(session: Session) -> None:
    session.workspace.conn.execute("CREATE TABLE e (a INTEGER)")
    result = columns.add_column(session, "e", "b", "a * 2")
    assert (result["rows"], result["type"], result["errors"]) == (0, "TEXT", 0)
    assert result["message"] == "Added b to e: 0 rows."
    assert session.workspace.columns("e") == ["a", "b"]


def test_an_unknown_table_is_named(session: Session) -> None:
    with pytest.raises(SiftError, match="There is no table named 'nope'"):
        columns.add_column(session, "nope", "b", "1")
