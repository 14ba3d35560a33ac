"""Tests for sift.pycode.functions and wrappers: the user's Python functions inside SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from sift.jobs import Cancelled
from sift.pycode import functions, wrappers
from sift.pycode.failures import PythonError
from sift.session import Session

SLUGIFY = '''"""My helpers."""
import re

LIMIT = 20


def slugify(text, sep="-"):
    """lower-case words joined by sep"""
    return re.sub(r"[^a-z0-9]+", sep, text.lower()).strip(sep)[:LIMIT]


def _helper(x):
    return x


def ratio(a, b):
    return a / b


def is_big(n):
    return n > 2


def to_date(text):
    return date.fromisoformat(text)


def count_args(*values):
    return len(values)
'''


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        conn = opened.workspace.conn
        conn.execute("CREATE TABLE t (name TEXT, n INTEGER, created TEXT)")
        conn.executemany(
            "INSERT INTO t VALUES (?, ?, ?)",
            [("Hello World", 1, "2024-03-01"), ("Ça va?", 0, "2023-12-31"), ("x", 3, "bad")],
        )
        yield opened


def query(session: Session, sql: str) -> list[tuple[object, ...]]:
    return session.workspace.conn.execute(sql).fetchall()


def test_functions_are_callable_from_sql(session: Session) -> None:
    result = functions.set_functions(session, SLUGIFY)
    assert result["functions"] == [
        {"name": "count_args", "params": ["*values"]},
        {"name": "is_big", "params": ["n"]},
        {"name": "ratio", "params": ["a", "b"]},
        {"name": "slugify", "params": ["text", "sep='-'"]},
        {"name": "to_date", "params": ["text"]},
    ]
    assert result["source"] == SLUGIFY
    assert session.python_functions == {"count_args", "is_big", "ratio", "slugify", "to_date"}
    assert query(session, "SELECT slugify(name), SLUGIFY(name, '_') FROM t") == [
        ("hello-world", "hello_world"),
        ("a-va", "a_va"),
        ("x", "x"),
    ]
    assert query(session, "SELECT is_big(n), count_args(), count_args(1, 2, 3) FROM t") == [
        (0, 0, 3),
        (0, 0, 3),
        (1, 0, 3),
    ]
    assert query(session, "SELECT to_date(created) FROM t LIMIT 1") == [("2024-03-01",)]
    with pytest.raises(sqlite3.OperationalError, match="no such function: _helper"):
        query(session, "SELECT _helper(1)")


def test_a_raising_function_sets_python_error_with_its_line(session: Session) -> None:
    functions.set_functions(session, SLUGIFY)
    with pytest.raises(sqlite3.OperationalError, match="user-defined function raised exception"):
        query(session, "SELECT ratio(10, n) FROM t")
    error = session.python_error
    assert isinstance(error, PythonError)
    assert error.to_dict() == {
        "kind": "python",
        "message": "ratio(...) raised ZeroDivisionError: division by zero "
        "(line 17 of your functions)",
        "hint": wrappers.FIX_HINT,
        "source": "ratio",
        "line": 17,
        "column": 12,
    }
    session.python_error = None
    with pytest.raises(sqlite3.OperationalError):
        query(session, "SELECT to_date(created) FROM t")
    assert session.python_error is not None
    assert "ValueError: Invalid isoformat string: 'bad'" in session.python_error.message


def test_a_wrong_argument_count_is_python_s_message(session: Session) -> None:
    functions.set_functions(session, "def one(a):\n    return a\n")
    with pytest.raises(sqlite3.OperationalError, match="wrong number of arguments"):
        query(session, "SELECT one(1, 2)")
    functions.set_functions(session, "def one(a, b=2):\n    return a + b\n")
    assert query(session, "SELECT one(1), one(1, 5)") == [(3, 6)]
    with pytest.raises(sqlite3.OperationalError):
        query(session, "SELECT one(1, 2, 3)")
    assert session.python_error is not None
    assert "TypeError" in session.python_error.message


def test_cancel_inside_a_function_is_kept_for_the_query(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wrappers, "POLL_CALLS", 10)
    functions.set_functions(session, "def same(x):\n    return x\n")
    cancelled = Cancelled("The query was cancelled.", hint="Run it again.")
    polls = 0

    def poll() -> None:
        nonlocal polls
        polls += 1
        if polls == 3:
            raise cancelled

    session.poll = poll
    with pytest.raises(sqlite3.OperationalError):
        query(
            session,
            "WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 1000)"
            " SELECT same(v) FROM s",
        )
    assert session.python_error is cancelled
    assert polls == 3


def test_a_function_over_100_000_rows(session: Session) -> None:
    functions.set_functions(session, SLUGIFY)
    polls = 0

    def poll() -> None:
        nonlocal polls
        polls += 1

    session.poll = poll
    conn = session.workspace.conn
    conn.execute("CREATE TABLE big (s TEXT)")
    conn.executemany("INSERT INTO big VALUES (?)", ((f"Row {i} Of Many",) for i in range(100_000)))
    got = query(session, "SELECT count(DISTINCT slugify(s)), min(slugify(s)) FROM big")
    assert got == [(100_000, "row-0-of-many")]
    assert polls >= 200_000 // wrappers.POLL_CALLS


@pytest.mark.parametrize(
    ("source", "message", "line"),
    [
        ("def upper(x):\n    return x\n", "upper is the name of a function SQL already has", 1),
        ("x = 1\n\ndef Count(x):\n    return 1\n", "Count is the name of a function SQL", 3),
        ("def sift_real(x):\n    return x\n", "sift_real is the name of a function SQL", 1),
        ("def slug(x):\n    return x\ndef Slug(x):\n    return x\n", "slug and Slug differ", 3),
        ("def when(x):\n    return x\n", "when is an SQL keyword: a query cannot call", 1),
        ("def Select(x):\n    return x\n", "Select is an SQL keyword", 1),
        ("async def f(x):\n    return x\n", "f is an async function: SQL cannot wait for it.", 1),
        ("def f(x, *, y):\n    return x\n", "f needs the keyword argument y", 1),
        ("def f(x):\n    return x +\n", "Your Python functions have a syntax error at line 2", 2),
        ("def f(x):\nreturn x\n", "Your Python functions have a syntax error at line 2", 2),
        ("import nosuchmodule\n", "Running your Python functions failed at line 1: Module", 1),
        (
            "def f(x):\n    return x\nf(1, 2)\n",
            "Running your Python functions failed at line 3: TypeError",
            3,
        ),
    ],
)
def test_refused_source_changes_nothing(
    session: Session, source: str, message: str, line: int
) -> None:
    functions.set_functions(session, SLUGIFY)
    with pytest.raises(PythonError) as caught:
        functions.set_functions(session, source)
    assert caught.value.message.startswith(message)
    assert caught.value.line == line
    assert functions.listing(session)["source"] == SLUGIFY
    assert len(session.python_functions) == 5
    assert query(session, "SELECT slugify('A B'), upper('a'), count(*) FROM t") == [("a-b", "A", 3)]


def test_replacing_the_set_removes_the_old_functions(session: Session) -> None:
    functions.set_functions(session, SLUGIFY)
    functions.set_functions(session, "def ratio(a, b, c):\n    return a + b + c\n")
    assert session.python_functions == {"ratio"}
    assert query(session, "SELECT ratio(1, 2, 3)") == [(6,)]
    with pytest.raises(sqlite3.OperationalError):
        query(session, "SELECT slugify('x')")
    assert session.python_error is not None
    assert session.python_error.message == "slugify() is no longer one of your Python functions."
    session.python_error = None
    with pytest.raises(sqlite3.OperationalError):
        query(session, "SELECT ratio(1, 2)")  # the old two-argument slot: Python says why
    assert session.python_error is not None
    assert "missing 1 required positional argument" in session.python_error.message
    functions.set_functions(session, "")
    assert session.python_functions == set()
    assert functions.listing(session) == {"source": "", "functions": [], "problem": None}
    # a name once registered is the user's again: it can be defined anew
    functions.set_functions(session, "def slugify(x):\n    return 'new'\n")
    assert query(session, "SELECT slugify(1)") == [("new",)]


def test_functions_are_usable_in_expressions(session: Session) -> None:
    from sift.pycode.columns import preview

    functions.set_functions(session, SLUGIFY)
    assert preview(session, "t", "slugify(name, '+')")["values"] == ["hello+world", "a+va", "x"]


def test_sessions_keep_their_own_functions(session: Session) -> None:
    functions.set_functions(session, SLUGIFY)
    with Session() as other:
        assert functions.listing(other)["functions"] == []
        with pytest.raises(sqlite3.OperationalError):
            other.workspace.conn.execute("SELECT slugify('a')")
    assert len(functions.listing(session)["functions"]) == 5


def test_the_source_runs_as_a_module_with_decorators_and_classes(session: Session) -> None:
    source = (
        "from dataclasses import dataclass\n"
        "from functools import lru_cache\n\n"
        "@dataclass\n"
        "class Point:\n"
        "    x: int\n"
        "    y: int = 0\n\n"
        "@lru_cache(maxsize=None)\n"
        "def fib(n):\n"
        "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n"
        "def point(x):\n"
        "    return repr(Point(x))\n"
    )
    listed = functions.set_functions(session, source)
    assert [f["name"] for f in listed["functions"]] == ["fib", "point"]
    assert query(session, "SELECT fib(80), point(3)") == [(23416728348467685, "Point(x=3, y=0)")]
