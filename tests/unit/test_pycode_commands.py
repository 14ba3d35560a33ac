"""Tests for sift.pycode.commands: the Python commands through Session.handle, and the hooks
the engine worker uses to keep the user's functions with the workspace."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from sift.pycode.commands import COMMANDS, functions_source, restore_functions
from sift.session import Session, command_entry

SOURCE = "def shout(text):\n    return text.upper() + '!'\n"


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        opened.load("people.csv", b"name,age\nann,31\nbob,\ncy,7\n")
        yield opened


def ok(reply: dict[str, Any]) -> Any:
    assert json.loads(json.dumps(reply, allow_nan=False)) == reply
    assert reply["ok"] is True, reply
    return reply["result"]


def test_the_commands_are_in_the_session_registry() -> None:
    assert set(COMMANDS) == {"column_preview", "add_column", "functions", "set_functions"}
    assert all(command_entry(name) is COMMANDS[name] for name in COMMANDS)


def test_preview_then_add_column(session: Session) -> None:
    preview = ok(
        session.handle("column_preview", {"table": "people", "expression": "age * 2", "limit": 2})
    )
    assert preview["values"] == [62, None]
    assert preview["first_error"] == {
        "row": 2,
        "message": "TypeError: unsupported operand type(s) for *: 'NoneType' and 'int'",
    }
    added = ok(
        session.handle("add_column", {"table": "people", "name": "double", "expression": "age * 2"})
    )
    assert (added["column"], added["type"], added["rows"], added["errors"]) == (
        "double",
        "INTEGER",
        3,
        1,
    )
    page = ok(session.handle("page", {"table": "people"}))
    assert page["columns"] == ["name", "age", "double"]
    assert [row[2] for row in page["rows"]] == [62, None, 14]


def test_errors_are_replies(session: Session) -> None:
    reply = session.handle("add_column", {"table": "people", "name": "x", "expression": "age *"})
    assert reply["ok"] is False
    assert reply["error"]["kind"] == "python"
    assert (reply["error"]["line"], reply["error"]["column"]) == (1, 6)
    reply = session.handle("column_preview", {"table": "people", "expression": 3})
    assert reply["error"]["message"] == (
        "The command 'column_preview' needs 'expression' as text, not 3."
    )
    reply = session.handle("set_functions", {"source": "def f(:\n"})
    assert reply["error"]["kind"] == "python"
    assert reply["error"]["line"] == 1


def test_set_functions_and_functions(session: Session) -> None:
    listed = ok(session.handle("set_functions", {"source": SOURCE}))
    assert listed == {
        "source": SOURCE,
        "functions": [{"name": "shout", "params": ["text"]}],
        "problem": None,
    }
    assert ok(session.handle("functions")) == listed
    rows = session.workspace.conn.execute("SELECT shout(name) FROM people").fetchall()
    assert rows == [("ANN!",), ("BOB!",), ("CY!",)]


def test_functions_persist_through_source_and_restore(session: Session) -> None:
    assert functions_source(session) == ""
    ok(session.handle("set_functions", {"source": SOURCE}))
    stored = functions_source(session)
    with Session() as restarted:
        assert restore_functions(restarted, stored) is None
        assert restarted.python_functions == {"shout"}
        assert restarted.workspace.conn.execute("SELECT shout('a')").fetchall() == [("A!",)]


def test_restoring_broken_source_registers_nothing_and_keeps_it(session: Session) -> None:
    broken = SOURCE + "\ndef upper(x):\n    return x\n"
    problem = restore_functions(session, broken)
    assert problem == (
        "Your saved Python functions could not be registered (line 4): upper is the name of a"
        " function SQL already has: overriding it would change every query that uses it."
    )
    assert session.python_functions == set()
    with pytest.raises(sqlite3.OperationalError, match="no such function: shout"):
        session.workspace.conn.execute("SELECT shout('a')")
    assert functions_source(session) == broken  # the editor shows it to be fixed
    assert ok(session.handle("functions"))["problem"] == problem
    problem = restore_functions(session, "def f(x):\n    return (x\n")
    assert problem is not None
    assert problem.startswith(
        "Your saved Python functions could not be registered: Your Python functions have a"
        " syntax error at line 2"
    )
    assert restore_functions(session, SOURCE) is None
    assert ok(session.handle("functions"))["problem"] is None
