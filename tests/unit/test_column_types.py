"""Tests for sift.column_types and changing a column's type (Workspace and the Session command)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import pytest

from sift import column_types
from sift.column_types import COLUMN_TYPES, conversion_sql, normalise_type, register
from sift.errors import SiftError
from sift.session import COMMANDS, Session


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        yield opened


def table(session: Session, sql: str, rows: list[tuple[object, ...]]) -> None:
    """Create a table as an import would have: ``sql`` is its CREATE TABLE statement."""
    conn = session.workspace.conn
    conn.execute(sql)
    name = sql.split()[2]
    conn.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def make(session: Session, declared: str, values: list[object]) -> None:
    conn = session.workspace.conn
    conn.execute(f"CREATE TABLE t (id INTEGER, v {declared}, keep TEXT)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?)", [(i, v, f"k{i}") for i, v in enumerate(values)]
    )


def column(session: Session) -> list[object]:
    return [v for (v,) in session.workspace.conn.execute("SELECT v FROM t ORDER BY rowid")]


CASES = [
    (
        "TEXT",
        ["1", " 2 ", "007", "1.0", "1.5", "x", None, "1e3"],
        "INTEGER",
        [1, 2, 7, 1, None, None, None, 1000],
        2,
    ),
    ("REAL", [1.0, 2.5, -3.0, 1e20], "INTEGER", [1, None, -3, None], 2),
    (
        "TEXT",
        ["1.5", "0.76339696051", " 2 ", "1,5", "abc", "12abc"],
        "REAL",
        [1.5, 0.76339696051, 2.0, None, None, None],
        3,
    ),
    ("INTEGER", [1, -2], "REAL", [1.0, -2.0], 0),
    ("BOOLEAN", [1, 0, None], "TEXT", ["true", "false", None], 0),
    ("REAL", [1.5, 2.0], "TEXT", ["1.5", "2.0"], 0),
    ("TEXT", ["true", "No", " y ", "1", "0", "F", "maybe"], "BOOLEAN", [1, 0, 1, 1, 0, 0, None], 1),
    ("INTEGER", [1, 0, 2], "BOOLEAN", [1, 0, None], 1),
    (
        "TEXT",
        ["2023-01-31", "2023-02-30", "2023-01-31T10:00", "31/01/2023", "now"],
        "DATE",
        ["2023-01-31", None, "2023-01-31", None, None],
        3,
    ),
    (
        "TEXT",
        ["2023-01-31 10:00", "2023-01-31", "2023-01-31 25:00", "2023-01-31x"],
        "DATETIME",
        ["2023-01-31 10:00", "2023-01-31", None, None],
        2,
    ),
    ("INTEGER", [20230131], "DATE", [None], 1),
]


@pytest.mark.parametrize(("declared", "values", "target", "expected", "lost"), CASES)
def test_set_column_type(
    session: Session,
    declared: str,
    values: list[object],
    target: str,
    expected: list[object],
    lost: int,
) -> None:
    make(session, declared, values)
    result = session.workspace.set_column_type("t", "v", target.lower())
    assert (result.table, result.column, result.type) == ("t", "v", target)
    assert result.nulls_created == lost
    assert column(session) == expected
    assert session.workspace.column_types("t") == ["INTEGER", target, "TEXT"]
    keep = session.workspace.conn.execute("SELECT id, keep FROM t ORDER BY rowid").fetchall()
    assert keep == [(i, f"k{i}") for i in range(len(values))]


def test_every_type_is_covered() -> None:
    assert {case[2] for case in CASES} == set(COLUMN_TYPES)


def test_the_session_command(session: Session) -> None:
    rows = [(1, "12"), (2, "n/a"), (3, "7.5")]
    table(session, "CREATE TABLE sales (id INTEGER, amount TEXT)", rows)
    reply = session.handle("set_type", {"table": "SALES", "column": "Amount", "type": "real"})
    assert reply == {
        "ok": True,
        "result": {
            "table": "sales",
            "column": "amount",
            "type": "REAL",
            "nulls_created": 1,
            "message": "Changed amount in sales to REAL."
            " 1 value could not be converted to REAL and is now empty.",
        },
    }
    assert json.loads(json.dumps(reply)) == reply
    assert session.page("sales")["rows"] == [[1, 12.0], [2, None], [3, 7.5]]
    assert "set_type" in COMMANDS


def test_the_message_without_losses_and_with_several(session: Session) -> None:
    table(session, "CREATE TABLE s (a TEXT, b INTEGER)", [("x", 1), ("y", 2)])
    assert session.set_type("s", "b", "TEXT")["message"] == "Changed b in s to TEXT."
    assert session.set_type("s", "a", "INTEGER")["message"] == (
        "Changed a in s to INTEGER. 2 values could not be converted to INTEGER and are now empty."
    )


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            {"table": "s", "column": "nope", "type": "REAL"},
            "The table s has no column named 'nope'.",
            "Choose one of its columns: a, b.",
        ),
        (
            {"table": "s", "column": "a", "type": "money"},
            "'money' is not a column type.",
            "Choose one of: INTEGER, REAL, TEXT, BOOLEAN, DATE, DATETIME.",
        ),
        (
            {"table": "nope", "column": "a", "type": "REAL"},
            "There is no table named 'nope'.",
            "Choose one of the tables: s.",
        ),
    ],
)
def test_errors_name_the_problem_and_the_choices(
    session: Session, args: dict[str, str], message: str, hint: str
) -> None:
    table(session, "CREATE TABLE s (a TEXT, b INTEGER)", [("x", 1)])
    reply = session.handle("set_type", args)
    assert reply["ok"] is False
    assert (reply["error"]["message"], reply["error"]["hint"]) == (message, hint)
    assert session.page("s")["rows"] == [["x", 1]]


def test_a_failed_rebuild_leaves_the_table_as_it_was(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    table(session, "CREATE TABLE s (a INTEGER)", [(1,)])
    conn = session.workspace.conn
    conn.execute("CREATE TABLE s_sift_retype (x)")  # the temporary name is taken: one is added
    session.set_type("s", "a", "TEXT")
    calls: list[object] = []

    def fail_in_the_copy(value: object) -> float:
        calls.append(value)
        if len(calls) > 1:  # the first call is the count of values that will not convert
            raise ZeroDivisionError
        return 1.0

    monkeypatch.setattr(column_types, "text_to_real", fail_in_the_copy)
    with pytest.raises(sqlite3.OperationalError):
        session.workspace.set_column_type("s", "a", "REAL")
    assert session.workspace.column_types("s") == ["TEXT"]
    assert session.page("s")["rows"] == [["1"]]
    assert session.workspace.table_names() == ["s_sift_retype", "s"]
    assert not conn.in_transaction


def test_rows_keep_their_order_and_a_rowid_column_survives(session: Session) -> None:
    table(session, "CREATE TABLE r (rowid INTEGER, v TEXT)", [(3, "a"), (1, "b"), (2, "c")])
    session.set_type("r", "v", "BOOLEAN")
    assert session.page("r")["rows"] == [[3, None], [1, None], [2, None]]


@pytest.mark.parametrize(("name", "expected"), [(" real ", "REAL"), ("Date", "DATE"), ("x", None)])
def test_normalise_type(name: object, expected: str | None) -> None:
    assert normalise_type(name) == expected


def test_normalise_type_refuses_non_text() -> None:
    assert normalise_type(3) is None


def test_conversion_sql_runs_on_plain_sqlite() -> None:
    conn = sqlite3.connect(":memory:")
    register(conn)
    try:
        for target in COLUMN_TYPES:
            sql = conversion_sql("v", target, "TEXT")
            assert conn.execute(f"SELECT {sql} FROM (SELECT ' 7 ' AS v)").fetchone() is not None
    finally:
        conn.close()


def test_sift_error_is_raised_by_the_workspace(session: Session) -> None:
    table(session, "CREATE TABLE s (a INTEGER)", [(1,)])
    with pytest.raises(SiftError):
        session.workspace.set_column_type("s", "a", "BLOB")
