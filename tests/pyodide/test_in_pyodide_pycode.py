"""User Python inside Pyodide (CPython 3.14 in wasm, SQLite 3.39): expressions over columns,
computed columns with Cancel, and the user's functions called from SQL.

What differs from the host: 3.14's compiler (inlined comprehensions, syntax error offsets),
SQLite 3.39's parser and function list (keyword and built-in name checks), and user-defined
functions in the wasm build. Plain functions with bare asserts and only the standard library
plus sift, so the runner in this folder can call them in the browser; host pytest collects
them too.
"""

from __future__ import annotations

import sqlite3

from suite_tools import raised

from sift.jobs import Cancelled
from sift.pycode import columns
from sift.pycode.commands import functions_source, restore_functions
from sift.session import Session

SALES = (
    b"name,amount,qty,created\n"
    b"Ann Lee,2.5,4,2024-03-01\n"
    b"Bob,3,0,2023-12-31\n"
    b"Cy Z,1.5,2,2022-01-02\n"
)
FUNCTIONS = """import unicodedata


def slugify(text, sep="-"):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, text.lower()).strip(sep)


def ratio(a, b):
    return a / b
"""


def sales() -> Session:
    session = Session()
    session.load("sales.csv", SALES)
    return session


def test_expressions_from_the_issue() -> None:
    with sales() as session:
        for expression, values in [
            ("amount * qty", [10.0, 0.0, 3.0]),
            ("name.split()[0]", ["Ann", "Bob", "Cy"]),
            ("date.fromisoformat(created).year", [2024, 2023, 2022]),
            (
                "[w[0] for w in name.split() if len(w) > qty - 2]",
                ['["A", "L"]', '["B"]', '["C", "Z"]'],
            ),
        ]:
            reply = session.handle("column_preview", {"table": "sales", "expression": expression})
            assert reply["ok"], reply
            assert reply["result"]["values"] == values, (expression, reply)


def test_row_errors_name_the_first_row_and_suggest_a_column() -> None:
    with sales() as session:
        result = columns.add_column(session, "sales", "per_item", "amount / qty")
        assert (result["type"], result["errors"]) == ("REAL", 1)
        first = result["first_error"]
        assert first["row"] == 2
        # 3.14 says "division by zero" where 3.11 says "float division by zero"
        assert first["message"].startswith("ZeroDivisionError: "), first
        preview = columns.preview(session, "sales", "amout * 2")
        assert preview["first_error"] == {
            "row": 1,
            "message": "NameError: name 'amout' is not defined; did you mean amount?",
        }


def test_bad_syntax_has_its_place() -> None:
    with sales() as session:
        reply = session.handle(
            "add_column", {"table": "sales", "name": "t", "expression": "amount * * qty"}
        )
        error = reply["error"]
        assert (error["kind"], error["line"], error["column"]) == ("python", 1, 10), error
        assert error["message"].startswith("The expression has a syntax error at column 10: ")
        assert session.workspace.columns("sales") == ["name", "amount", "qty", "created"]


def test_cancel_mid_add_column_leaves_the_table_as_it_was() -> None:
    with sales() as session:
        before = session.workspace.conn.execute("SELECT * FROM sales").fetchall()
        calls = 0

        def poll() -> None:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise Cancelled("Cancelled.", hint="Try again.")

        columns.POLL_EVERY, saved = 1, columns.POLL_EVERY
        try:
            session.poll = poll
            error = raised(lambda: columns.add_column(session, "sales", "t", "qty * 2"))
        finally:
            columns.POLL_EVERY = saved
        assert isinstance(error, Cancelled)
        assert session.workspace.conn.execute("SELECT * FROM sales").fetchall() == before
        assert session.workspace.columns("sales") == ["name", "amount", "qty", "created"]


def test_functions_in_sql_with_their_errors() -> None:
    with sales() as session:
        reply = session.handle("set_functions", {"source": FUNCTIONS})
        assert reply["ok"], reply
        conn = session.workspace.conn
        rows = conn.execute("SELECT slugify(name), slugify('Ça va', '_') FROM sales").fetchall()
        assert rows[0] == ("ann-lee", "ca_va")
        failed = raised(lambda: conn.execute("SELECT ratio(amount, qty) FROM sales").fetchall())
        assert isinstance(failed, sqlite3.OperationalError)
        assert session.python_error is not None
        message = session.python_error.message
        assert message.startswith("ratio(...) raised ZeroDivisionError: "), message
        assert message.endswith(" division by zero (line 10 of your functions)"), message
        for name, words in [("upper", "already has"), ("when", "SQL keyword")]:
            reply = session.handle("set_functions", {"source": f"def {name}(x):\n    return x\n"})
            assert words in reply["error"]["message"], reply
        assert session.python_functions == {"slugify", "ratio"}


def test_a_function_over_100_000_rows() -> None:
    with Session() as session:
        assert restore_functions(session, FUNCTIONS) is None
        assert functions_source(session) == FUNCTIONS
        conn = session.workspace.conn
        conn.execute("CREATE TABLE big (s TEXT)")
        conn.executemany("INSERT INTO big VALUES (?)", ((f"Row {i}",) for i in range(100_000)))
        got = conn.execute("SELECT count(DISTINCT slugify(s)), max(slugify(s)) FROM big")
        assert got.fetchall() == [(100_000, "row-99999")]


def test_restoring_broken_functions_registers_nothing() -> None:
    with Session() as session:
        problem = restore_functions(session, "def f(x):\n    return x +\n")
        assert problem is not None
        assert problem.startswith("Your saved Python functions could not be registered: ")
        assert session.python_functions == set()
