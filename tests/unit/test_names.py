"""Tests for sift.names: table names, column names and quoted identifiers."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sift.names import quote_ident, table_name_from_filename, unique_column_names


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("data.csv", "data"),
        ("/home/ada/My Data (2).csv", "My_Data_2"),
        ("C:\\Users\\ada\\report.final.tsv", "report_final"),
        ("2024 sales.csv", "t_2024_sales"),
        ("sqlite_master.csv", "t_sqlite_master"),
        ("SQLite_stat1", "t_SQLite_stat1"),
        ("café.csv", "cafe"),
        ("数据.csv", "table"),
        ("", "table"),
        (".csv", "csv"),
        ("noextension", "noextension"),
        ('x"); DROP TABLE t; --.csv', "x_DROP_TABLE_t"),
        ("<script>alert(1).csv", "script_alert_1"),
        ("<script>alert(1)</script>.csv", "script"),  # "/" separates directories
    ],
)
def test_table_name_from_filename(filename: str, expected: str) -> None:
    assert table_name_from_filename(filename, set()) == expected


def test_table_names_are_unique_case_insensitively() -> None:
    assert table_name_from_filename("data.csv", {"DATA"}) == "data_2"
    assert table_name_from_filename("data.csv", {"data", "Data_2"}) == "data_3"


def test_table_names_are_at_most_60_characters_even_with_a_suffix() -> None:
    name = table_name_from_filename("x" * 200 + ".csv", set())
    assert name == "x" * 60
    second = table_name_from_filename("x" * 200 + ".csv", {name})
    assert second == "x" * 58 + "_2"


@settings(database=None, max_examples=200)
@given(st.text(max_size=80), st.sets(st.text(max_size=10), max_size=5))
def test_table_names_are_always_safe(filename: str, existing: set[str]) -> None:
    name = table_name_from_filename(filename, existing)
    assert name
    assert len(name) <= 60
    assert all(c.isascii() and (c.isalnum() or c == "_") for c in name)
    assert not name[0].isdigit()
    assert not name.lower().startswith("sqlite_")
    assert name.lower() not in {e.lower() for e in existing}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["a", "b"], ["a", "b"]),
        ([" a ", "b\t"], ["a", "b"]),
        (["", "  ", "x"], ["column_1", "column_2", "x"]),
        (["a", "A", "a"], ["a", "A_2", "a_3"]),
        (["a", "a", "a_2"], ["a", "a_3", "a_2"]),
        (["id", "ID ", "id"], ["id", "ID_2", "id_3"]),
        (["a\x00b"], ["ab"]),
        (['x"); DROP TABLE t; --'], ['x"); DROP TABLE t; --']),
        ([], []),
    ],
)
def test_unique_column_names(header: list[str], expected: list[str]) -> None:
    assert unique_column_names(header) == expected


def test_thousands_of_duplicates_stay_fast_and_unique() -> None:
    names = unique_column_names(["a"] * 2000)
    assert len({name.lower() for name in names}) == 2000
    assert names[:3] == ["a", "a_2", "a_3"]


@settings(database=None, max_examples=300)
@given(st.lists(st.text(max_size=6), max_size=12))
def test_column_names_never_drop_and_never_collide(header: list[str]) -> None:
    names = unique_column_names(header)
    assert len(names) == len(header)
    assert len({name.lower() for name in names}) == len(names)
    assert all(name and "\x00" not in name for name in names)


def test_quote_ident_doubles_inner_quotes() -> None:
    assert quote_ident("plain") == '"plain"'
    assert quote_ident('say "hi"') == '"say ""hi"""'


def test_quote_ident_rejects_nul() -> None:
    with pytest.raises(ValueError, match="NUL"):
        quote_ident("a\x00b")


@pytest.mark.parametrize("name", ['x"); DROP TABLE t; --', "<script>", "select", "a b", '"'])
def test_quoted_identifiers_work_in_sqlite(name: str) -> None:
    table = quote_ident(name)
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute(f"CREATE TABLE {table} ({table} TEXT)")
        conn.execute(f"INSERT INTO {table} VALUES (:value)", {"value": name})
        assert conn.execute(f"SELECT {table} FROM {table}").fetchall() == [(name,)]
