"""Tests for JSON export (sift.export.json_out): the array of objects, values, round trips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sift.session import Session
from tests.unit.export_helpers import export, load, reload, table


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        yield opened


def written(session: Session, tmp_path: Path, **args: object) -> str:
    export(session, tmp_path / "out.json", "json", **args)
    return (tmp_path / "out.json").read_text(encoding="utf-8")


def test_an_array_of_objects_one_per_line(session: Session, tmp_path: Path) -> None:
    session.workspace.conn.execute("CREATE TABLE t (name TEXT, n INTEGER)")
    session.workspace.conn.execute("INSERT INTO t VALUES ('Zoë', 1), ('say \"hi\"\n', NULL)")
    assert written(session, tmp_path) == (
        '[\n{"name":"Zoë","n":1},\n{"name":"say \\"hi\\"\\n","n":null}\n]\n'
    )


def test_an_empty_view_is_an_empty_array(session: Session, tmp_path: Path) -> None:
    session.workspace.conn.execute("CREATE TABLE t (a TEXT)")
    assert written(session, tmp_path) == "[]\n"
    assert json.loads(written(session, tmp_path)) == []


def test_values(session: Session, tmp_path: Path) -> None:
    conn = session.workspace.conn
    conn.execute("CREATE TABLE t (b BOOLEAN, r REAL, i INTEGER, x BLOB, s TEXT)")
    conn.execute(
        "INSERT INTO t VALUES (1, 0.1 + 0.2, 9007199254740993, x'00ff', '=1+1'),"
        " (0, 1e999, -1, NULL, ''), (NULL, -1e999, NULL, x'', NULL), (2, 1e16, 0, 'x', '-5')"
    )
    assert json.loads(written(session, tmp_path)) == [
        # BOOLEAN 1/0 as true/false; exact reals and big integers; blobs as 0x hex; no
        # neutralization (JSON is not opened as a spreadsheet)
        {"b": True, "r": 0.30000000000000004, "i": 9007199254740993, "x": "0x00ff", "s": "=1+1"},
        {"b": False, "r": None, "i": -1, "x": None, "s": ""},  # infinity has no JSON: null
        {"b": None, "r": None, "i": None, "x": "0x", "s": None},
        {"b": 2, "r": 1e16, "i": 0, "x": "x", "s": "-5"},
    ]


def test_the_view_is_exported(session: Session, tmp_path: Path) -> None:
    load(session, "p.csv", b"name,age\nAnn,30\nBob,25\nCy,41\n")
    text = written(
        session,
        tmp_path,
        sort=[{"column": "name", "desc": True}],
        filters=[{"column": "age", "op": "gt", "value": "26"}],
    )
    assert json.loads(text) == [{"name": "Cy", "age": 41}, {"name": "Ann", "age": 30}]


def test_options_are_refused_for_json(session: Session, tmp_path: Path) -> None:
    from sift.errors import SiftError

    load(session, "p.csv", b"a\n1\n")
    with pytest.raises(SiftError, match="The JSON export has no option 'raw'") as caught:
        export(session, tmp_path / "out.json", "json", options={"raw": True})
    assert caught.value.hint == "It takes: no options."


RECORDS = [
    {"name": "Zoë", "n": 1, "x": 1.5, "ok": True, "note": "=1+1", "tags": [1, 2]},
    {"name": "a,b", "n": -7, "x": 0.1, "ok": False, "note": None, "tags": []},
    {"name": None, "n": None, "x": 1e16, "ok": None, "note": "日本", "tags": None},
    {"name": "big", "n": 9007199254740993, "x": -0.0, "ok": True, "note": "", "tags": [1]},
]


def test_round_trip_gives_the_same_table(session: Session, tmp_path: Path) -> None:
    first = table(session, load(session, "records.json", json.dumps(RECORDS).encode()))
    export(session, tmp_path / "records.json", "json")
    assert reload(tmp_path / "records.json") == first


def test_round_trip_of_nested_objects(session: Session, tmp_path: Path) -> None:
    # The importer flattens {"a": {"b": 1}} to a column "a.b"; the export writes that key
    # as it is, and the importer reads it back to the same column.
    data = json.dumps([{"id": 1, "a": {"b": 2, "c": "x"}}, {"id": 2, "a": {"b": None}}])
    first = table(session, load(session, "nested.json", data.encode()))
    assert first[0] == ["id", "a.b", "a.c"]
    export(session, tmp_path / "nested.json", "json")
    assert reload(tmp_path / "nested.json") == first


def test_round_trip_from_csv_keeps_values_but_dates_become_text(
    session: Session, tmp_path: Path
) -> None:
    # JSON has no date type: DATE and DATETIME columns come back as TEXT, same values.
    columns, types, rows = table(
        session, load(session, "d.csv", b"day,at\n2024-01-02,2024-01-02T03:04:05\n")
    )
    export(session, tmp_path / "d.json", "json")
    assert types == ["DATE", "DATETIME"]
    assert reload(tmp_path / "d.json") == (columns, ["TEXT", "TEXT"], rows)
