"""Checks of the SQLite build that Sift relies on; meant to run inside Pyodide.

Plain functions with bare asserts and only the standard library plus sift, so a tiny runner can
call every ``test_*`` function in the browser; host pytest collects them too.
"""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing

from suite_tools import raised

from sift.errors import LoadError
from sift.formats.delimited import import_delimited
from sift.session import Session


def test_sqlite_is_recent_enough() -> None:
    # pragma_table_info() as a table-valued function and sqlite_master queries need 3.16;
    # Pyodide 314.0.7 ships 3.39.
    assert sqlite3.sqlite_version_info >= (3, 35, 0), sqlite3.sqlite_version


def test_fts5_with_trigram_tokenizer_is_available() -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='trigram')")
        conn.executemany(
            "INSERT INTO docs (body) VALUES (:body)",
            [{"body": "Paris, France"}, {"body": "Parma, Italy"}, {"body": "Oslo"}],
        )
        found = conn.execute(
            "SELECT body FROM docs WHERE docs MATCH :query ORDER BY body", {"query": "Par"}
        ).fetchall()
    assert found == [("Paris, France",), ("Parma, Italy",)]


def test_at_most_2000_columns() -> None:
    columns = ", ".join(f"c{i}" for i in range(2001))
    with closing(sqlite3.connect(":memory:")) as conn:
        assert conn.getlimit(sqlite3.SQLITE_LIMIT_COLUMN) == 2000
        error = raised(lambda: conn.execute(f"CREATE TABLE wide ({columns})"))
    assert isinstance(error, sqlite3.OperationalError), error
    assert "too many columns" in str(error)


def test_import_refuses_2001_columns_and_accepts_2000() -> None:
    wide = ",".join(f"c{i}" for i in range(2001)).encode()
    header = ",".join(f"c{i}" for i in range(2000))
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        error = raised(lambda: import_delimited(conn, "t2001", io.BytesIO(wide), source="wide.csv"))
        stream = io.BytesIO(f"{header}\n{header}\n".encode())
        report = import_delimited(conn, "t2000", stream, source="wide.csv")
        names = [name for (name,) in conn.execute("SELECT name FROM sqlite_master")]
    assert isinstance(error, LoadError), error
    assert error.message == (
        "wide.csv has 2,001 columns; this version of SQLite allows at most 2,000."
    )
    assert len(report.columns) == 2000
    assert report.rows == 1
    assert names == ["t2000"]


def test_page_survives_a_json_round_trip() -> None:
    with Session() as session:
        session.load("v.csv", b"a,b\n1,\n")
        session.workspace.conn.execute("CREATE TABLE odd (x, y, z)")
        session.workspace.conn.execute(
            "INSERT INTO odd VALUES (:big, :blob, :inf)",
            {"big": 2**62, "blob": b"\x01\x02", "inf": float("inf")},
        )
        replies = [session.handle("page", {"table": table}) for table in ("v", "odd")]
    for reply in replies:
        assert reply["ok"], reply
        assert json.loads(json.dumps(reply, allow_nan=False)) == reply
    assert replies[0]["result"]["rows"] == [[1, None]]
    assert replies[1]["result"]["rows"] == [[str(2**62), "x'0102'", "Infinity"]]
