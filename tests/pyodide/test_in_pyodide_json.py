"""JSON and NDJSON import where Pyodide may differ from CPython: deep nesting (RELIABILITY A7:
without the scan, json.loads of 100,000 nested arrays is a fatal stack overflow, and objects
die at about 1,850 levels in a Chromium worker), huge integers and streaming a file.

Plain functions with bare asserts and only the standard library plus sift, so a tiny runner can
call every ``test_*`` function in the browser; host pytest collects them too.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from contextlib import closing

from sift.errors import LoadError
from sift.formats.json_records import import_json, import_ndjson

DEEP = "JSON nested deeper than 1,000 levels; Sift refuses it to protect the browser tab."
IN_PYODIDE = sys.platform == "emscripten"


def _allocate(hint: str) -> str:
    return "t"


def _refusal(importer: Callable[..., object], data: bytes, name: str) -> str:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        try:
            importer(conn, _allocate, io.BytesIO(data), source=name)
        except LoadError as error:
            assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
            return error.message
    raise AssertionError(f"{name} was not refused")


def test_deep_json_is_refused_and_the_runtime_survives() -> None:
    cases = {
        "brackets.json": b"[" * 3000,
        "many.json": b"[" * 100_000,
        "keys.json": b'{"a":' * 5000,
    }
    for name, data in cases.items():
        assert _refusal(import_json, data, name) == f"{name}: {DEEP}"
    line = b'{"ok": 1}\n' + b'{"a":' * 5000 + b"\n"
    assert _refusal(import_ndjson, line, "deep.ndjson") == f"deep.ndjson: line 2 holds {DEEP}"
    assert sum(range(10)) == 45  # still running


def _load_or_refuse(data: bytes) -> object:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        try:
            (report,) = import_json(conn, _allocate, io.BytesIO(data), source="limit.json")
        except LoadError as error:
            return error.message
        return report.columns, conn.execute('SELECT * FROM "t"').fetchall()


def test_nesting_at_the_limit_loads_in_pyodide() -> None:
    # 1,000 levels: json.loads and json.dumps recurse in C; freeing a deep tree does too (an
    # earlier flattener kept one per import and overflowed the stack of a Chromium worker).
    # CPython 3.11 stops a little earlier at its recursion limit: reported, not fatal.
    refused = f"limit.json: {DEEP}"
    arrays = _load_or_refuse(b"[" * 1000 + b"]" * 1000)
    assert arrays == (["value"], [("[" * 999 + "]" * 999,)]) or (
        not IN_PYODIDE and arrays == refused
    )
    objects = _load_or_refuse(b"[" + b'{"a":' * 999 + b"1" + b"}" * 999 + b"]")
    column = ".".join(["a"] * 999)
    assert objects == ([column], [(1,)]) or (not IN_PYODIDE and objects == refused)


def test_huge_integers_nan_and_infinity() -> None:
    digits = "7" * 5000  # above Python's 4,300-digit limit for int()
    data = f'[{{"n": {digits}, "big": {2**63}, "x": NaN}}, {{"n": 1, "big": 1, "x": Infinity}}]'
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        (report,) = import_json(conn, _allocate, io.BytesIO(data.encode()), source="n.json")
        types = [row[2] for row in conn.execute('PRAGMA table_info("t")')]
        rows = conn.execute('SELECT * FROM "t" ORDER BY rowid').fetchall()
    assert types == ["TEXT", "TEXT", "REAL"]
    assert rows == [(digits, str(2**63), None), ("1", "1", float("inf"))]
    assert len(report.warnings) == 3


def test_ndjson_streams_from_the_file_system() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "events.ndjson")
        with open(path, "w", encoding="utf-8") as handle:
            for i in range(30_000):
                handle.write(json.dumps({"id": i, "user": {"name": f"u{i}"}, "tags": ["a"]}) + "\n")
        calls: list[int] = []
        with open(path, "rb") as stream, closing(sqlite3.connect(":memory:")) as conn:
            (report,) = import_ndjson(
                conn,
                _allocate,
                stream,
                source="events.ndjson",
                progress=lambda r, b: calls.append(b),
            )
            last = conn.execute('SELECT * FROM "t" ORDER BY rowid DESC LIMIT 1').fetchone()
        size = os.path.getsize(path)
    assert report.columns == ["id", "user.name", "tags"]
    assert last == (29_999, "u29999", '["a"]')
    assert calls[0] < size
    assert calls[-1] == size
