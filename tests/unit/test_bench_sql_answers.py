"""bench/sql_answers.py: when the engines' answers count as the same."""

from __future__ import annotations

import pytest

from bench.sql_answers import (
    CHECK_LIMIT,
    CHECK_ROWS,
    Answer,
    Value,
    answer_from,
    checksum,
    compare,
    rows_wanted,
    same_value,
)


def answer(rows: list[tuple[Value, ...]], count: int | None = None) -> Answer:
    return Answer(len(rows) if count is None else count, ("a", "b"), tuple(rows))


def test_numbers_agree_within_a_relative_tolerance() -> None:
    assert same_value(1234567.89, 1234567.89 * (1 + 1e-12))  # sums added in another order
    assert not same_value(1234567.89, 1234567.9)
    assert same_value(3, 3.0)  # SQLite's integer, a JSON float
    assert same_value(True, 1)
    assert same_value(False, 0.0)
    assert same_value(None, None)
    assert not same_value(None, 0)
    assert not same_value("1", 1)  # text is not a number
    assert same_value(float("nan"), float("nan"))


def test_ordered_answers_compare_the_first_rows_in_order() -> None:
    a = answer([("x", 1), ("y", 2)], count=500)
    b = answer([("x", 1.0), ("y", 2)], count=500)
    result = compare({"Sift": a, "sql.js": b}, ordered=True)
    assert result.agree
    assert result.text == f"agree: 500 rows (first 2 compared), checksum {checksum(a.rows)}"
    swapped = answer([("y", 2), ("x", 1)], count=500)
    result = compare({"Sift": a, "DuckDB": swapped}, ordered=True)
    assert not result.agree
    assert result.text == "DIFFER: DuckDB against Sift, row 1: ['x', 1] vs ['y', 2]"


def test_unordered_answers_compare_as_sets() -> None:
    a = answer([("x", 1), ("y", 2)])
    b = answer([("y", 2.0), ("x", True)])
    result = compare({"Sift": a, "DuckDB": b}, ordered=False)
    assert result.agree
    assert result.text.startswith("agree: 2 rows, checksum ")
    c = answer([("y", 2), ("x", 3)])
    assert not compare({"Sift": a, "DuckDB": c}, ordered=False).agree


def test_different_row_counts_differ_whatever_the_rows() -> None:
    result = compare({"Sift": answer([("x", 1)]), "sql.js": answer([("x", 1)], 2)}, True)
    assert not result.agree
    assert result.text == "DIFFER in row count: Sift 1, sql.js 2"


def test_too_many_unordered_rows_compare_by_count_only() -> None:
    many = answer([("x", 1)] * 3, count=CHECK_LIMIT + 5)
    other = answer([("z", 9)] * 3, count=CHECK_LIMIT + 5)
    result = compare({"Sift": many, "DuckDB": other}, ordered=False)
    assert result.agree
    assert result.text == f"agree on the count: {CHECK_LIMIT + 5:,} rows (too many to compare)"


def test_missing_answers_are_named_and_one_answer_is_no_agreement() -> None:
    one = answer([("x", 1)])
    result = compare({"Sift": None, "sql.js": one, "DuckDB": one}, ordered=True)
    assert result.agree
    assert result.text.endswith("(Sift: no answer)")
    result = compare({"Sift": None, "DuckDB": one}, ordered=True)
    assert not result.agree
    assert result.text == "not compared: fewer than two answers (Sift: no answer)"


def test_checksum_rounds_numbers_and_keeps_order() -> None:
    assert checksum([("x", 1.0000000001)]) == checksum([("x", 1)])
    # Sums of 2-decimal amounts, added in another order: not on a 4-digit rounding boundary.
    assert checksum([(12345.45,)]) == checksum([(12345.449999999,)])
    assert checksum([("x", 1), ("y", 2)]) != checksum([("y", 2), ("x", 1)])
    assert checksum([(None,)]) != checksum([("",)]) != checksum([(0,)])
    assert len(checksum([])) == 8


def test_answer_from_page_json() -> None:
    got = answer_from({"count": 3, "columns": ["n"], "rows": [[1], [2]]})
    assert got == Answer(3, ("n",), ((1,), (2,)))
    assert not got.complete
    with pytest.raises(ValueError, match="not an answer"):
        answer_from({"count": "3", "columns": [], "rows": []})


def test_rows_wanted_is_one_past_the_limit_for_sets() -> None:
    assert rows_wanted(True) == CHECK_ROWS
    assert rows_wanted(False) == CHECK_LIMIT + 1  # one more tells "too many" from "all"
