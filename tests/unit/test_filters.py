"""Tests for sift.filters: the operator registry, value parsing, SQL (run against SQLite) and
the sentences. Each bad input is listed with the FilterError it gets."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from sift.filters import (
    BOOLEAN,
    DATE,
    NUMBER,
    OPERATORS,
    TEXT,
    Column,
    FilterError,
    column_kind,
    compile_filter,
    describe,
    like_pattern,
    registry,
)
from sift.view_state import NO_VALUE_OPERATORS
from sift.view_state import OPERATORS as FRAGMENT_OPERATORS

COLUMNS = [
    Column("city", "TEXT"),
    Column("age", "INTEGER"),
    Column("amount", "REAL"),
    Column("day", "DATE"),
    Column("seen", "DATETIME"),
    Column("active", "BOOLEAN"),
    Column("note", "TEXT"),
]
ROWS: list[tuple[Any, ...]] = [
    # city, age, amount, day, seen, active, note
    ("Paris", 20, 1500.5, "2024-01-01", "2024-01-01T09:00:00", 1, "50% off"),
    ("Lyon", 30, -2.0, "2024-01-31", "2024-01-31 23:59", 0, "a_b"),
    ("paris", 25, None, "2024-02-01", "2024-02-01", None, None),
    (None, None, 0.25, None, None, 1, "ends with 50%"),
    ("Pa_is", 40, 7.0, "2023-12-31", "2023-12-31T08:30", 0, "A_B"),
]


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    definitions = ", ".join(f'"{c.name}" {c.declared}' for c in COLUMNS)
    conn.execute(f"CREATE TABLE t ({definitions})")
    conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(COLUMNS))})", ROWS)
    yield conn
    conn.close()


def matching(conn: sqlite3.Connection, column: str, op: str, value: str = "") -> list[int]:
    """The 1-based row numbers the filter keeps."""
    compiled = compile_filter(0, column, op, value, COLUMNS)
    sql = f"SELECT rowid FROM t WHERE {compiled.sql} ORDER BY rowid"
    return [rowid for (rowid,) in conn.execute(sql, compiled.params)]


def error_of(column: object, op: object, value: object, index: int = 2) -> FilterError:
    with pytest.raises(FilterError) as caught:
        compile_filter(index, column, op, value, COLUMNS)
    return caught.value


@pytest.mark.parametrize(
    ("declared", "kind"),
    [
        ("TEXT", TEXT),
        ("INTEGER", NUMBER),
        ("REAL", NUMBER),
        ("DATE", DATE),
        ("DATETIME", DATE),
        ("timestamp", DATE),
        ("BOOLEAN", BOOLEAN),
        ("bool", BOOLEAN),
        # SQLite's affinity rules, in their order, for declared types of foreign databases:
        ("BIGINT", NUMBER),
        ("VARCHAR(20)", TEXT),
        ("NVARCHAR", TEXT),
        ("CLOB", TEXT),
        ("CHARINT", NUMBER),  # "INT" wins over "CHAR", as in SQLite
        ("BLOB", TEXT),
        ("", TEXT),
        ("DOUBLE PRECISION", NUMBER),
        ("FLOAT", NUMBER),
        ("DECIMAL(10,2)", NUMBER),
        ("NUMERIC", NUMBER),
        ("whatever", NUMBER),  # NUMERIC affinity
    ],
)
def test_column_kind_follows_sift_types_then_affinity(declared: str, kind: str) -> None:
    assert column_kind(declared) == kind


@pytest.mark.parametrize(
    ("column", "op", "value", "rows"),
    [
        ("city", "exact", "Paris", [1]),  # exact is case-sensitive
        ("city", "not", "Paris", [2, 3, 4, 5]),  # empty values are "not Paris" too
        ("city", "contains", "ARI", [1, 3]),  # contains ignores ASCII letter case
        ("city", "contains", "_", [5]),  # _ is literal, not "any character"
        ("note", "contains", "50%", [1, 4]),  # % is literal
        ("note", "startswith", "50%", [1]),
        ("note", "endswith", "50%", [4]),
        ("note", "endswith", "a_b", [2, 5]),
        ("note", "startswith", "\\", []),  # the escape character itself is literal
        ("city", "isnull", "", [4]),
        ("city", "notnull", "", [1, 2, 3, 5]),
        ("age", "exact", "30", [2]),
        ("age", "gt", "25", [2, 5]),
        ("age", "gte", " 25 ", [2, 3, 5]),
        ("age", "lt", "25", [1]),
        ("age", "lte", "25.0", [1, 3]),
        ("age", "between", "20,30", [1, 2, 3]),
        ("age", "between", " 21 , 39.5 ", [2, 3]),
        ("age", "not", "30", [1, 3, 4, 5]),
        ("amount", "lt", "-1e0", [2]),
        ("amount", "gte", ".25", [1, 4, 5]),
        ("age", "lt", "99999999999999999999", [1, 2, 3, 5]),  # past 64 bits: a double
        ("age", "gt", "-1e300", [1, 2, 3, 5]),
        ("day", "exact", "2024-01-31", [2]),
        ("day", "gt", "2024-01-01", [2, 3]),
        ("day", "lte", "2024-01-31", [1, 2, 5]),
        ("day", "between", "2024-01-01,2024-01-31", [1, 2]),
        ("day", "isnull", "", [4]),
        # DATETIME: whole days are ranges, whatever the separator stored (T or space)
        ("seen", "exact", "2024-01-31", [2]),
        ("seen", "gt", "2024-01-01", [2, 3]),
        ("seen", "lte", "2024-01-01", [1, 5]),
        ("seen", "lt", "2024-01-01", [5]),
        ("seen", "between", "2023-12-31,2024-01-31", [1, 2, 5]),
        # ... and a time of day compares with the stored time part
        ("seen", "gt", "2024-01-01 08:59", [1, 2, 3]),
        ("seen", "gt", "2024-01-01T09:00:00", [2, 3]),
        ("seen", "lt", "2024-01-31T23:59:30", [1, 2, 5]),
        ("seen", "exact", "2024-01-31T23:59", [2]),
        ("seen", "not", "2024-01-31 23:59", [1, 3, 4, 5]),
        ("seen", "between", "2023-12-31 09:00,2024-01-31", [1, 2]),
        ("active", "istrue", "", [1, 4]),
        ("active", "isfalse", "", [2, 5]),
        ("active", "exact", "yes", [1, 4]),
        ("active", "not", "TRUE", [2, 3, 5]),
        ("active", "isnull", "ignored", [3]),  # operators without a value ignore one
    ],
)
def test_each_operator_keeps_the_right_rows(
    conn: sqlite3.Connection, column: str, op: str, value: str, rows: list[int]
) -> None:
    assert matching(conn, column, op, value) == rows


def test_column_names_match_in_any_case_and_come_back_as_stored(conn: sqlite3.Connection) -> None:
    compiled = compile_filter(0, "CITY", "exact", "Paris", COLUMNS)
    assert compiled.to_dict() == {
        "column": "city",
        "op": "exact",
        "value": "Paris",
        "text": 'city is "Paris"',
    }


@pytest.mark.parametrize(
    ("column", "op", "value", "text"),
    [
        ("city", "exact", "Paris", 'city is "Paris"'),
        ("city", "not", 'say "hi"', 'city is not "say "hi""'),
        ("note", "contains", " 50% ", 'note contains " 50% "'),  # text is kept as typed
        ("note", "startswith", "a", 'note starts with "a"'),
        ("note", "isnull", "", "note is empty"),
        ("note", "notnull", "", "note is not empty"),
        ("age", "between", "20,30", "age is between 20 and 30"),
        ("age", "gt", "1000000", "age is greater than 1,000,000"),
        ("amount", "lte", "-1234.5", "amount is at most -1,234.5"),
        ("amount", "gte", "1234", "amount is at least 1,234"),
        ("age", "lt", "3", "age is less than 3"),
        ("day", "gt", "2024-01-31", "day is after 2024-01-31"),
        ("day", "gte", "2024-01-31", "day is on or after 2024-01-31"),
        ("day", "lt", "2024-01-31", "day is before 2024-01-31"),
        ("seen", "lte", "2024-01-31T10:00", "seen is on or before 2024-01-31 10:00"),
        ("day", "between", "2024-01-01, 2024-12-31", "day is between 2024-01-01 and 2024-12-31"),
        ("active", "istrue", "", "active is true"),
        ("active", "exact", "no", "active is false"),
    ],
)
def test_sentences(column: str, op: str, value: str, text: str) -> None:
    assert compile_filter(0, column, op, value, COLUMNS).text == text


def test_description_joins_the_sentences() -> None:
    filters = [
        compile_filter(0, "city", "exact", "Paris", COLUMNS),
        compile_filter(1, "age", "between", "20,30", COLUMNS),
    ]
    assert describe(filters) == 'Rows where city is "Paris" and age is between 20 and 30'
    assert describe([]) == ""
    assert describe([], "smith") == "Rows containing “smith”"
    assert (
        describe(filters, "x")
        == 'Rows containing “x” where city is "Paris" and age is between 20 and 30'
    )


def test_parameters_are_named_after_the_filter_so_filters_never_collide() -> None:
    first = compile_filter(0, "age", "between", "1,2", COLUMNS)
    second = compile_filter(1, "age", "between", "3,4", COLUMNS)
    assert set(first.params) == {"f0_lo", "f0_hi"}
    assert set(second.params) == {"f1_lo", "f1_hi"}
    assert ":f0_lo" in first.sql
    assert "3" not in first.sql  # values are parameters, never SQL text


@pytest.mark.parametrize(
    ("column", "op", "value", "message", "hint"),
    [
        (
            "agee",
            "gt",
            "3",
            "Filter 3: there is no column named 'agee'.",
            "Choose one of the columns: city, age, amount, day, seen, active, note.",
        ),
        (
            None,
            "gt",
            "3",
            "Filter 3: there is no column named None.",
            "Choose one of the columns: city, age, amount, day, seen, active, note.",
        ),
        (
            "age",
            "bigger",
            "3",
            "Filter on age: there is no filter 'bigger'.",
            "Use one of: exact, not, gt, gte, lt, lte, between, isnull, notnull.",
        ),
        (
            "age",
            "contains",
            "3",
            "Filter on age: 'contains' (contains) does not apply to age, a number column.",
            "Use one of: exact, not, gt, gte, lt, lte, between, isnull, notnull.",
        ),
        (
            "city",
            "gt",
            "a",
            "Filter on city: 'gt' (is greater than) does not apply to city, a text column.",
            "Use one of: exact, not, contains, startswith, endswith, isnull, notnull.",
        ),
        (
            "age",
            "gt",
            "abc",
            "Filter on age: 'abc' is not a number.",
            "age holds numbers: type a number, e.g. 42 or -3.5.",
        ),
        (
            "age",
            "gt",
            "1,000",  # no thousands separators: the comma separates between's values
            "Filter on age: '1,000' is not a number.",
            "age holds numbers: type a number, e.g. 42 or -3.5.",
        ),
        ("age", "gt", "1_000", "Filter on age: '1_000' is not a number.", None),
        ("age", "gt", "nan", "Filter on age: 'nan' is not a number.", None),
        (
            "age",
            "gt",
            "1e999",
            "Filter on age: '1e999' is not a number Sift can compare (it is too large).",
            None,
        ),
        ("age", "exact", "", "Filter on age: '' is not a number.", None),
        (
            "age",
            "between",
            "20",
            "Filter on age: is between needs two values separated by a comma, not '20'.",
            "Type the low and the high value, e.g. 20,30.",
        ),
        (
            "age",
            "between",
            "1,2,3",
            "Filter on age: is between needs two values separated by a comma, not '1,2,3'.",
            None,
        ),
        ("age", "between", "20,x", "Filter on age: 'x' is not a number.", None),
        (
            "age",
            "between",
            "30,20",
            "Filter on age: 30 is greater than 20, so nothing is between them.",
            "Type the low value first, then the high value.",
        ),
        (
            "day",
            "between",
            "2024",
            "Filter on day: is between needs two values separated by a comma, not '2024'.",
            "Type the low and the high value, e.g. 2024-01-01,2024-12-31.",
        ),
        (
            "day",
            "gt",
            "31/01/2024",
            "Filter on day: '31/01/2024' is not a date.",
            "day holds dates: type a date like 2024-01-31 (or 2024-01-31 14:30).",
        ),
        ("day", "gt", "2024-02-30", "Filter on day: '2024-02-30' is not a real date.", None),
        (
            "seen",
            "gt",
            "2024-02-03 25:00",
            "Filter on seen: '2024-02-03 25:00' is not a real time.",
            None,
        ),
        ("active", "exact", "maybe", "Filter on active: 'maybe' is not true or false.", None),
        (
            "note",
            "contains",
            "",
            "Filter on note: contains needs some text to look for.",
            "Type the text, or remove this filter.",
        ),
    ],
)
def test_invalid_filters_raise_a_filter_error_naming_the_filter(
    column: object, op: object, value: object, message: str, hint: str | None
) -> None:
    error = error_of(column, op, value)
    assert error.kind == "filter"
    assert error.column == 2  # the filter's index in the view's list
    assert error.message == message
    assert error.hint
    if hint is not None:
        assert error.hint == hint


def test_a_value_that_is_not_text_is_read_as_text(conn: sqlite3.Connection) -> None:
    compiled = compile_filter(0, "age", "exact", 30, COLUMNS)
    assert compiled.value == "30"
    assert compile_filter(0, "age", "isnull", None, COLUMNS).value == ""


def test_like_pattern_escapes_wildcards_and_the_escape() -> None:
    assert like_pattern("50%_\\", "%", "") == "%50\\%\\_\\\\"


def test_registry_matches_the_fragment_rules() -> None:
    # sift.view_state (shipped to the UI) parses <col>__<op> from links: same names, same order.
    assert tuple(OPERATORS) == FRAGMENT_OPERATORS
    assert {name for name, op in OPERATORS.items() if op.arity == 0} == set(NO_VALUE_OPERATORS)


def test_registry_entries_list_kinds_and_declared_types() -> None:
    entries = {entry["name"]: entry for entry in registry()}
    assert entries["contains"] == {
        "name": "contains",
        "label": "contains",
        "types": ["TEXT"],
        "kinds": ["text"],
        "arity": 1,
    }
    assert entries["between"]["types"] == ["INTEGER", "REAL", "DATE", "DATETIME"]
    assert entries["between"]["arity"] == 2
    assert entries["istrue"]["types"] == ["BOOLEAN"]
    assert entries["isnull"]["arity"] == 0
    assert len(entries["isnull"]["types"]) == 6
