"""Tests for sift.pycode.values: Python values out to SQLite, and the column type they call for."""

from __future__ import annotations

import datetime
import decimal
import fractions
import math

import pytest

from sift.pycode.values import column_type, shown, to_sql, to_sql_all


@pytest.mark.parametrize(
    ("value", "stored", "kind"),
    [
        (None, None, "null"),
        (True, 1, "boolean"),
        (False, 0, "boolean"),
        (42, 42, "integer"),
        (2**63 - 1, 2**63 - 1, "integer"),
        (2**63, str(2**63), "text"),  # too big for SQLite: exact digits, not a rounded float
        (-(2**64), str(-(2**64)), "text"),
        (2.5, 2.5, "real"),
        (math.inf, math.inf, "real"),
        (math.nan, None, "null"),  # SQLite has no NaN
        ("é", "é", "text"),
        (b"\x00\xff", b"\x00\xff", "blob"),
        (bytearray(b"ab"), b"ab", "blob"),
        (memoryview(b"ab"), b"ab", "blob"),
        (datetime.date(2024, 3, 1), "2024-03-01", "date"),
        (datetime.datetime(2024, 3, 1, 12, 30), "2024-03-01T12:30:00", "datetime"),
        (datetime.time(8, 5), "08:05:00", "text"),
        (decimal.Decimal("1.25"), 1.25, "real"),
        (fractions.Fraction(1, 4), 0.25, "real"),
        ([1, "a", None], '[1, "a", null]', "text"),
        ({"k": (1, 2)}, '{"k": [1, 2]}', "text"),
        ([math.nan], "[nan]", "text"),  # not valid JSON: plain str()
        ({1, 2}, "{1, 2}", "text"),
        (datetime.timedelta(days=1), "1 day, 0:00:00", "text"),
    ],
)
def test_values_out_of_python(value: object, stored: object, kind: str) -> None:
    assert to_sql(value) == (stored, kind)


@pytest.mark.parametrize(
    ("kinds", "declared"),
    [
        ([], "TEXT"),
        (["null"], "TEXT"),
        (["integer", "null"], "INTEGER"),
        (["integer", "real"], "REAL"),
        (["boolean"], "BOOLEAN"),
        (["boolean", "integer"], "INTEGER"),
        (["boolean", "integer", "real"], "REAL"),
        (["date"], "DATE"),
        (["date", "datetime"], "DATETIME"),
        (["datetime"], "DATETIME"),
        (["text", "integer"], "TEXT"),
        (["blob"], "BLOB"),
        (["blob", "text"], "TEXT"),
        (["date", "text"], "TEXT"),
    ],
)
def test_column_type_from_the_kinds_of_values(kinds: list[str], declared: str) -> None:
    assert column_type(kinds) == declared


def test_shown_values_are_json_able() -> None:
    assert shown(1, "BOOLEAN") is True
    assert shown(1, "INTEGER") == 1
    assert shown(math.inf, "REAL") == "Infinity"
    assert shown(b"\x01", "BLOB") == "x'01'"
    assert shown(2**60, "INTEGER") == str(2**60)


@pytest.mark.parametrize(
    "values",
    [
        [],
        ["a", None, "b"],
        [1, 2.5, None],
        [1, 2**63],
        [-(2**63), 2**63 - 1],
        [1.0, math.nan],
        [True, 1],
        [datetime.date(2024, 1, 2), "x", b"y", None],
        [None],
    ],
)
def test_to_sql_all_is_to_sql_over_a_list(values: list[object]) -> None:
    kinds: set[str] = {"text"}
    stored = to_sql_all(list(values), kinds)
    assert stored == [to_sql(v)[0] for v in values]
    assert [type(v) for v in stored] == [type(to_sql(v)[0]) for v in values]
    assert kinds == {"text"} | {to_sql(v)[1] for v in values}
