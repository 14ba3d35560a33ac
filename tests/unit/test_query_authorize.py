"""Tests for sift.query.authorize through the `sql` command: read-only SQL from links, consent
for the user's Python functions, and the Python error a function raised."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sift.errors import SiftError
from sift.session import Session

CSV = b"city,amount\nParis,10\nOslo,25\n"


class PythonFailure(SiftError):
    kind = "python"


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as session:
        session.load("sales.csv", CSV)
        yield session


def reply(session: Session, **args: Any) -> dict[str, Any]:
    return session.handle("sql", args)


def snapshot(session: Session) -> list[Any]:
    conn = session.workspace.conn
    schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    return [schema, conn.execute("SELECT * FROM sales").fetchall(), conn.total_changes]


@pytest.mark.parametrize(
    ("sql", "action"),
    [
        ("DELETE FROM sales", "DELETE on sales"),
        ("UPDATE sales SET amount = 0", "UPDATE of sales"),
        ("INSERT INTO sales VALUES ('Rome', 1)", "INSERT into sales"),
        ("DROP TABLE sales", "DROP TABLE sales"),
        ("CREATE TABLE t (a)", "CREATE TABLE t"),
        ("CREATE TABLE sift_result_9 AS SELECT 1", "CREATE TABLE sift_result_9"),
        ("CREATE VIEW v AS SELECT 1", "CREATE VIEW v"),
        ("CREATE INDEX i ON sales (city)", "CREATE INDEX i"),
        ("ALTER TABLE sales RENAME TO gone", "ALTER TABLE sales"),
        ("PRAGMA user_version = 5", "PRAGMA user_version"),
        ("PRAGMA writable_schema = ON", "PRAGMA writable_schema"),
        ("ATTACH ':memory:' AS other", "ATTACH"),
        ("VACUUM INTO '/tmp/sift-readonly.db'", "VACUUM"),
        ("VACUUM", "VACUUM"),
        ("REINDEX", "REINDEX"),
        ("ANALYZE", "CREATE TABLE sqlite_stat1"),
        ("BEGIN", "BEGIN"),
        ("SELECT 1; DELETE FROM sales", "DELETE on sales"),
        ("WITH x AS (SELECT 1) DELETE FROM sales", "DELETE on sales"),
        ("EXPLAIN DELETE FROM sales", "DELETE on sales"),
    ],
)
def test_readonly_sql_cannot_change_anything(session: Session, sql: str, action: str) -> None:
    before = snapshot(session)
    answer = reply(session, sql=sql, readonly=True)
    assert not answer["ok"]
    error = answer["error"]
    assert error["kind"] == "readonly"
    assert error["message"] == (
        f"This link's SQL would change your data ({action}); SQL from a link can only read."
    )
    assert snapshot(session) == before


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM sales WHERE amount > 10",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5)"
        " SELECT * FROM c",
        "VALUES (1), (2)",
        "SELECT upper(city) FROM sales",
        "PRAGMA table_info(sales)",
        "SELECT name FROM pragma_table_info('sales')",
        "SELECT count(*) FROM sqlite_master",
    ],
)
def test_readonly_sql_can_read(session: Session, sql: str) -> None:
    answer = reply(session, sql=sql, readonly=True)
    assert answer["ok"], answer
    assert answer["result"]["kind"] == "rows"
    assert answer["result"]["changed_tables"] == []


def test_readonly_can_read_an_earlier_result(session: Session) -> None:
    first = reply(session, sql="SELECT city FROM sales")["result"]["table"]
    answer = reply(session, sql=f"SELECT count(*) FROM {first}", readonly=True)
    assert answer["ok"], answer


def test_readonly_checks_every_statement_before_running_any(session: Session) -> None:
    answer = reply(
        session, sql="SELECT 1; SELECT nope FROM sales; DELETE FROM sales", readonly=True
    )
    assert answer["error"]["kind"] in ("sql", "readonly")
    assert len(session.workspace.conn.execute("SELECT * FROM sales").fetchall()) == 2


def register(session: Session, name: str, function: Any) -> None:
    session.workspace.conn.create_function(name, 1, function)
    session.python_functions.add(name.lower())


def test_python_functions_need_consent(session: Session) -> None:
    register(session, "Shout", lambda v: str(v).upper())
    register(session, "whisper", lambda v: str(v).lower())
    answer = reply(session, sql="SELECT shout(city), WHISPER(city) FROM sales", allow_python=False)
    error = answer["error"]
    assert error["kind"] == "consent"
    assert error["details"] == "shout, whisper"
    allowed = reply(session, sql="SELECT shout(city) FROM sales")
    assert allowed["ok"], allowed


def test_consent_is_checked_inside_views_too(session: Session) -> None:
    register(session, "shout", lambda v: str(v).upper())
    assert reply(session, sql="CREATE VIEW loud AS SELECT shout(city) AS c FROM sales")["ok"]
    error = reply(session, sql="SELECT * FROM loud", allow_python=False)["error"]
    assert error["kind"] == "consent"
    assert error["details"] == "shout"


def test_other_functions_need_no_consent(session: Session) -> None:
    answer = reply(session, sql="SELECT upper(city) FROM sales", allow_python=False)
    assert answer["ok"], answer


def test_a_python_functions_error_is_reported_as_such(session: Session) -> None:
    def broken(value: object) -> object:
        session.python_error = PythonFailure("broken failed: ZeroDivisionError", hint="Fix it.")
        raise ZeroDivisionError

    register(session, "broken", broken)
    session.python_error = PythonFailure("an old error", hint="-")
    error = reply(session, sql="SELECT broken(amount) FROM sales")["error"]
    assert error["kind"] == "python"
    assert error["message"] == "broken failed: ZeroDivisionError"


def test_a_stale_python_error_is_not_reused(session: Session) -> None:
    register(session, "plain", lambda v: v)
    session.python_error = PythonFailure("an old error", hint="-")
    answer = reply(session, sql="SELECT plain(city) FROM sales")
    assert answer["ok"]
    assert session.python_error is None
