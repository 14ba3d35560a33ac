"""Tests for sift.workspace: tables, pages and JSON-able values."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from sift.errors import SiftError
from sift.formats.delimited import import_delimited
from sift.workspace import (
    Page,
    TableInfo,
    Workspace,
    blob_text,
    jsonable_rows,
    rowid_alias,
    to_jsonable,
)


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    with Workspace() as opened:
        yield opened


def add(workspace: Workspace, name: str, data: bytes) -> None:
    import_delimited(workspace.conn, name, io.BytesIO(data), source=f"{name}.csv")


def numbers(count: int) -> bytes:
    return b"n,square\n" + b"".join(b"%d,%d\n" % (i, i * i) for i in range(count))


def test_tables_lists_name_rows_and_columns_in_load_order(workspace: Workspace) -> None:
    add(workspace, "zeta", numbers(3))
    import_delimited(workspace.conn, "alpha", io.BytesIO(b"x\n1\n"), source="alpha.csv")
    assert workspace.tables() == [
        TableInfo("zeta", 3, ["n", "square"]),
        TableInfo("alpha", 1, ["x"]),
    ]
    assert workspace.tables()[0].to_dict() == {
        "name": "zeta",
        "rows": 3,
        "columns": ["n", "square"],
    }


def test_page_returns_a_window_in_insertion_order(workspace: Workspace) -> None:
    add(workspace, "nums", numbers(250))
    page = workspace.page("nums", offset=100, limit=3)
    assert page == Page(
        "nums",
        ["n", "square"],
        [[100, 10000], [101, 10201], [102, 10404]],
        250,
        100,
        ["INTEGER", "INTEGER"],
    )
    assert len(workspace.page("nums").rows) == 100
    assert workspace.page("nums", offset=249).rows == [[249, 62001]]
    assert workspace.page("nums", offset=1000).rows == []


def test_page_dict_is_json(workspace: Workspace) -> None:
    add(workspace, "nums", numbers(5))
    as_dict = workspace.page("nums").to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert set(as_dict) == {"table", "columns", "types", "rows", "total_rows", "offset"}


def test_table_names_match_case_insensitively(workspace: Workspace) -> None:
    add(workspace, "Sales", numbers(1))
    assert workspace.page("sales").table == "Sales"
    assert workspace.resolve("SALES") == "Sales"


def test_a_column_named_rowid_does_not_break_the_order(workspace: Workspace) -> None:
    add(workspace, "t", b"rowid,v\n9,a\n8,b\n7,c\n")
    assert workspace.page("t").rows == [[9, "a"], [8, "b"], [7, "c"]]


def test_unknown_table_names_the_existing_ones(workspace: Workspace) -> None:
    add(workspace, "sales", numbers(1))
    with pytest.raises(SiftError) as caught:
        workspace.page("nope")
    assert caught.value.message == "There is no table named 'nope'."
    assert caught.value.hint == "Choose one of the tables: sales."


def test_unknown_table_in_an_empty_workspace(workspace: Workspace) -> None:
    with pytest.raises(SiftError) as caught:
        workspace.columns("x")
    assert caught.value.hint == "Open a file first: each file becomes a table."


def test_internal_sqlite_tables_are_not_user_tables(workspace: Workspace) -> None:
    workspace.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)")
    assert workspace.table_names() == ["t"]
    with pytest.raises(SiftError):
        workspace.page("sqlite_sequence")


@pytest.mark.parametrize(
    ("offset", "limit", "message"),
    [
        (-1, 10, "The page offset must be a whole number from 0 or more, not -1."),
        (0, 1001, "The page limit must be a whole number from 0 to 1,000, not 1001."),
        ("5", 10, "The page offset must be a whole number from 0 or more, not '5'."),
        (0, 2.5, "The page limit must be a whole number from 0 to 1,000, not 2.5."),
        (True, 10, "The page offset must be a whole number from 0 or more, not True."),
    ],
)
def test_bad_page_windows_are_refused(
    workspace: Workspace, offset: object, limit: object, message: str
) -> None:
    add(workspace, "t", numbers(1))
    with pytest.raises(SiftError) as caught:
        workspace.page("t", offset, limit)  # type: ignore[arg-type]
    assert caught.value.message == message


def test_drop_removes_the_table(workspace: Workspace) -> None:
    add(workspace, "t", numbers(1))
    workspace.drop("T")
    assert workspace.tables() == []
    with pytest.raises(SiftError):
        workspace.drop("t")


def test_values_become_json_safe(workspace: Workspace) -> None:
    workspace.conn.execute("CREATE TABLE v (a, b, c, d, e, f, g)")
    workspace.conn.execute(
        "INSERT INTO v VALUES (NULL, 1.5, :big, :blob, 9e999, -9e999, :long_blob)",
        {"big": 2**62, "blob": b"\x00\xff", "long_blob": bytes(1000)},
    )
    row = workspace.page("v").rows[0]
    assert row == [
        None,
        1.5,
        str(2**62),
        "x'00ff'",
        "Infinity",
        "-Infinity",
        "<binary data, 1,000 bytes>",
    ]
    assert json.loads(json.dumps(row, allow_nan=False)) == row


def test_to_jsonable_keeps_safe_integers() -> None:
    assert to_jsonable(2**53 - 1) == 2**53 - 1
    assert to_jsonable(-(2**53)) == str(-(2**53))
    assert to_jsonable("text") == "text"
    assert blob_text(b"") == "x''"


def test_sift_internal_tables_and_indexes_are_not_user_tables(workspace: Workspace) -> None:
    add(workspace, "t", b"name\nParis\n")
    workspace.conn.execute("CREATE VIRTUAL TABLE sift_fts_t USING fts5(c0, tokenize='trigram')")
    workspace.conn.execute('CREATE INDEX sift_idx_t_1 ON t ("name")')
    assert workspace.table_names() == ["t"]
    with pytest.raises(SiftError):
        workspace.resolve("sift_fts_t_data")


def test_versions_change_with_the_table(workspace: Workspace) -> None:
    add(workspace, "t", numbers(3))
    first = workspace.version("T")
    assert workspace.version("t") == first  # reading does not change it
    workspace.set_column_type("t", "n", "TEXT")
    retyped = workspace.version("t")
    workspace.rename("t", "u")
    renamed = workspace.version("u")
    assert workspace.version("t") not in (first, retyped)
    workspace.drop("u")
    dropped = workspace.version("u")
    versions = [first, retyped, renamed, dropped]
    assert len(set(versions)) == 4  # never reused, so a stale cache entry is never read
    workspace.changed("U")
    assert workspace.version("u") not in versions


def test_rename_and_drop_take_sifts_indexes_along(workspace: Workspace) -> None:
    add(workspace, "t", numbers(3))
    workspace.conn.execute("CREATE VIRTUAL TABLE sift_fts_t USING fts5(c0, tokenize='trigram')")
    workspace.conn.execute("CREATE INDEX sift_idx_t_1 ON t (n)")
    workspace.conn.execute("CREATE INDEX mine ON t (square)")  # not Sift's: kept
    workspace.rename("T", "u")
    names = sorted(row[0] for row in workspace.conn.execute("SELECT name FROM sqlite_master"))
    assert names == ["mine", "u"]
    assert workspace.page("u").rows == [[0, 0], [1, 1], [2, 4]]
    workspace.conn.execute("CREATE VIRTUAL TABLE sift_fts_u USING fts5(c0, tokenize='trigram')")
    workspace.set_column_type("u", "n", "TEXT")
    assert workspace.conn.execute("SELECT name FROM sqlite_master").fetchall() == [("u",)]
    workspace.conn.execute("CREATE VIRTUAL TABLE sift_fts_u USING fts5(c0, tokenize='trigram')")
    workspace.drop("u")
    assert workspace.conn.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_rowid_alias_and_row_conversion() -> None:
    assert rowid_alias(["a", "b"]) == "rowid"
    assert rowid_alias(["ROWID", "b"]) == "_rowid_"
    assert rowid_alias(["rowid", "_rowid_"]) == "oid"
    assert rowid_alias(["rowid", "_rowid_", "OID"]) is None
    rows = jsonable_rows([(1, 1, 2**60), (0, None, b"\x01")], ["BOOLEAN", "INTEGER", ""])
    assert rows == [[True, 1, str(2**60)], [False, None, "x'01'"]]
