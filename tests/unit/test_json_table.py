"""Tests for sift.formats.json_table: flattening records, column types, staging."""

from __future__ import annotations

import inspect
import sqlite3
import sys
from contextlib import closing
from typing import Any

import pytest

from sift.errors import LoadError
from sift.formats import json_table
from sift.formats.json_table import HugeInt, TableBuilder, savepoint


def build(records: list[dict[str, Any]]) -> tuple[list[str], list[str], list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        builder = TableBuilder(conn, "x.json")
        with savepoint(conn):
            builder.stage(records, None, lambda: 0)
            report = builder.finish(lambda hint: "t")
        types = [row[2] for row in conn.execute('PRAGMA table_info("t")')]
        rows = conn.execute('SELECT * FROM "t" ORDER BY rowid').fetchall()
    return report.columns, types, rows


@pytest.mark.parametrize(
    ("values", "declared"),
    [
        ([True, False], "BOOLEAN"),
        ([1, -5], "INTEGER"),
        ([1.5, 2.0], "REAL"),
        ([1, 2.5], "REAL"),
        (["a"], "TEXT"),
        ([[1]], "TEXT"),
        ([None], "TEXT"),
        ([2**63], "TEXT"),
        ([HugeInt("1" * 5000)], "TEXT"),
        ([True, 1], "TEXT"),
        ([1, "1"], "TEXT"),
    ],
)
def test_declared_type_follows_the_kinds_of_value(values: list[Any], declared: str) -> None:
    _, types, _ = build([{"v": value} for value in values])
    assert types == [declared]


def test_flattening_is_depth_first_in_document_order() -> None:
    columns, _, rows = build([{"a": {"x": 1, "y": {"z": 2}}, "b": 3, "c": {"x": 4}}])
    assert columns == ["a.x", "a.y.z", "b", "c.x"]
    assert rows == [(1, 2, 3, 4)]


def test_nesting_a_thousand_objects_deep_needs_no_recursion() -> None:
    record: dict[str, Any] = {"leaf": 1}
    for _ in range(999):
        record = {"k": record}
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)  # far less than 1,000 levels
    try:
        columns, _, rows = build([record])
    finally:
        sys.setrecursionlimit(limit)
    assert columns == [".".join(["k"] * 999 + ["leaf"])]
    assert rows == [(1,)]


def test_the_flattener_keeps_no_deep_object_graph() -> None:
    # Freeing a tree of objects 1,000 levels deep recurses in C: in a Chromium worker that
    # overflowed the wasm stack (a fatal error), so levels are numbers in flat lists.
    record: dict[str, Any] = {"leaf": 1}
    for _ in range(999):
        record = {"k": record}
    flattener = json_table._Flattener("x.json", 2000)
    flattener.flatten(record)
    assert len(flattener._levels) == 1000
    assert all(type(child) is int for level in flattener._levels for child in level.values())


def test_arrays_are_compact_json_text_with_unicode_kept() -> None:
    _, _, rows = build([{"v": ["é", {"a": None}, 1.5, True]}])
    assert rows == [('["é",{"a":null},1.5,true]',)]


def test_text_rendering_of_floats_keeps_every_digit() -> None:
    assert json_table.number_text(0.1 + 0.2) == "0.30000000000000004"
    assert json_table.number_text(1e300) == "1e+300"
    assert json_table.number_text(float("-inf")) == "-Infinity"
    assert json_table.number_text("x") == "x"
    assert json_table.number_text(None) is None


def test_rows_of_empty_objects_before_the_first_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_table, "DEFAULT_CHUNK_ROWS", 2)
    columns, _, rows = build([{}, {}, {}, {"a": 1}, {}])
    assert columns == ["a"]
    assert rows == [(None,), (None,), (None,), (1,), (None,)]


def test_empty_records_only_are_refused() -> None:
    with pytest.raises(LoadError) as caught:
        build([{}, {"a": {}}])
    assert caught.value.message == "x.json: the records have no fields (every object is empty)."


def test_kind_names_for_warnings() -> None:
    assert json_table.kind_names(json_table._INT | json_table._STRING) == "numbers and text"
    assert json_table.kind_names(0b111111) == "true/false, numbers, text and arrays"


def test_the_staging_table_is_gone_after_success_and_failure() -> None:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        builder = TableBuilder(conn, "x.json")
        with savepoint(conn):
            builder.stage([{"a": 1}], None, lambda: 0)
            builder.finish(lambda hint: "t")
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)
        with pytest.raises(LoadError):
            stage_then_fail(conn)
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)
        assert [name for (name,) in conn.execute("SELECT name FROM sqlite_master")] == ["t"]


def stage_then_fail(conn: sqlite3.Connection) -> None:
    with savepoint(conn):
        TableBuilder(conn, "y.json").stage([{"b": 1}], None, lambda: 0)
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (1,)
        raise LoadError("stop", hint="")
