"""Export where Pyodide may differ from CPython: its in-memory file system (temporary names,
rename, XlsxWriter's constant-memory temp files), SQLite 3.39 and float formatting. Meant to
run inside Pyodide; host pytest collects these too.

Plain functions with bare asserts and only the standard library plus sift (and the bundled
XlsxWriter, through sift.export).
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import tempfile
from contextlib import closing
from typing import Any

from sift.export.commands import COMMANDS
from sift.jobs import Cancelled
from sift.session import Session, reply_for

DATA = (
    "name,n,x,day,ok,note\r\n"
    "Zoë,1,0.1,2024-01-02,true,=1+1\r\n"
    "Cy,,,,,\r\n"  # empty cells (a row with every cell empty is a blank row in a sheet)
    '"a,b",-7,1e+16,1999-12-31,false,"two\nlines"\r\n'
).encode()


def stored(session: Session, table: str) -> list[tuple[Any, ...]]:
    return session.workspace.conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()


def round_trip(fmt: str, options: dict[str, bool] | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder, Session() as session:
        table = session.load("data.csv", DATA)["table"]
        path = os.path.join(folder, "out." + fmt)
        args = {"table": table, "format": fmt, "path": path, "options": options or {}}
        result = COMMANDS["export"].run(session, args)
        assert result["rows"] == 3, result
        assert os.listdir(folder) == ["out." + fmt]  # the temporary file was renamed
        with open(path, "rb") as file, Session() as fresh:
            again = fresh.load("out." + fmt, file.read())["table"]
            assert stored(fresh, again) == stored(session, table)
            assert fresh.workspace.column_types(again) == session.workspace.column_types(table)


def test_csv_round_trip_raw() -> None:
    round_trip("csv", {"raw": True})


def test_xlsx_round_trip() -> None:
    round_trip("xlsx")


def test_sqlite_round_trip() -> None:
    round_trip("sqlite")


def test_csv_neutralizes_and_writes_shortest_floats() -> None:
    with tempfile.TemporaryDirectory() as folder, Session() as session:
        session.workspace.conn.execute("CREATE TABLE t (s TEXT, r REAL)")
        session.workspace.conn.execute("INSERT INTO t VALUES ('@x', 0.1 + 0.2), ('-5', 1e999)")
        path = os.path.join(folder, "t.csv")
        COMMANDS["export"].run(session, {"table": "t", "format": "csv", "path": path})
        with open(path, encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file))
    assert rows == [["s", "r"], ["'@x", "0.30000000000000004"], ["-5", "Infinity"]]


def test_cancel_leaves_no_file_in_the_runtime_file_system() -> None:
    for fmt in ("csv", "json", "xlsx", "sqlite"):
        with tempfile.TemporaryDirectory() as folder, Session() as session:
            rows = "".join(f"{i},{i * 0.5}\n" for i in range(20_000))
            session.load("big.csv", ("a,b\n" + rows).encode())
            session.poll = CancelOnCall(4)
            path = os.path.join(folder, "big." + fmt)
            args = {"table": "big", "format": fmt, "path": path}
            reply = reply_for(lambda: COMMANDS["export"].run(session, args))  # noqa: B023
            assert reply["ok"] is False
            assert reply["error"]["kind"] == "cancelled", reply
            assert os.listdir(folder) == [], fmt


class CancelOnCall:
    """A session.poll that raises Cancelled on its ``calls``-th call."""

    def __init__(self, calls: int) -> None:
        self.calls = calls

    def __call__(self) -> None:
        self.calls -= 1
        if self.calls == 0:
            raise Cancelled("Cancelled.", hint="Export again.")


def test_workspace_file_restores_the_tables() -> None:
    with tempfile.TemporaryDirectory() as folder, Session() as session:
        session.load("data.csv", DATA)
        session.load("more.json", b'[{"k": "a", "v": 1.5}, {"k": null, "v": null}]')
        path = os.path.join(folder, "all.sqlite")
        result = COMMANDS["export_workspace"].run(session, {"path": path})
        assert [t["name"] for t in result["tables"]] == ["data", "more"]
        with closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        with open(path, "rb") as file, Session() as fresh:
            fresh.load("all.sqlite", io.BytesIO(file.read()))
            for name in ("data", "more"):
                assert stored(fresh, name) == stored(session, name)
