"""Tests for sift.formats.infer: value grammar, batch inference and the header guess."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sift.formats.infer import (
    BOOLEAN,
    CALENDAR_DATE_PATTERN,
    CALENDAR_DATETIME_PATTERN,
    DATE,
    DATETIME,
    DECIMAL_COMMA_CHAINS,
    INTEGER,
    REAL,
    REAL_DECIMAL_COMMA,
    TEXT,
    ColumnTypes,
    Kind,
    chains_for,
    classify,
    guess_header,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("0", INTEGER),
        ("7", INTEGER),
        ("-42", INTEGER),
        ("9223372036854775807", INTEGER),  # 2**63 - 1
        ("-9223372036854775808", INTEGER),  # -2**63
        ("1234567890123456789", INTEGER),  # 19 digits, below the limit
        ("9223372036854775808", TEXT),  # 2**63: beyond 64 bits
        ("-9223372036854775809", TEXT),
        ("12345678901234567890", TEXT),
        ("007", TEXT),  # leading zeros: a code, not a number
        ("02134", TEXT),
        ("-0", TEXT),
        ("+5", TEXT),
        (" 5", TEXT),
        ("5 ", TEXT),
        ("1_000", TEXT),
        ("1.5", REAL),
        ("-0.25", REAL),
        (".5", REAL),
        ("1.", REAL),
        ("1e5", REAL),
        ("-2.5E-3", REAL),
        ("0.5e+10", REAL),
        ("007.5", TEXT),
        ("1,5", TEXT),  # a decimal comma only in ';' files
        ("1,234.5", TEXT),  # thousands separators are not read
        ("1.234,5", TEXT),
        ("NaN", TEXT),
        ("inf", TEXT),
        ("e5", TEXT),
        ("1e", TEXT),
        ("true", BOOLEAN),
        ("FALSE", BOOLEAN),
        ("True", BOOLEAN),
        ("yes", TEXT),
        ("t", TEXT),
        ("2023-01-31", DATE),
        ("2024-02-29", DATE),  # a leap day
        ("2023-02-29", TEXT),
        ("2023-04-31", TEXT),
        ("2023-13-01", TEXT),
        ("2023-1-5", TEXT),
        ("31/12/2023", TEXT),
        ("2023-01-31T10:00", DATETIME),
        ("2023-01-31 10:00:59", DATETIME),
        ("2023-01-31T10:00:59.123456Z", DATETIME),
        ("2023-01-31T23:59:00+05:30", DATETIME),
        ("2023-01-31T24:00", TEXT),
        ("2023-02-30T10:00", TEXT),
        ("2023-01-31T10:00 garbage", TEXT),
        ("n/a", TEXT),
    ],
)
def test_classify(value: str, kind: Kind) -> None:
    assert classify(value) is kind


def test_classify_empty_is_none() -> None:
    assert classify("") is None


@pytest.mark.parametrize(
    ("value", "kind"), [("1,5", REAL_DECIMAL_COMMA), ("-,5", REAL_DECIMAL_COMMA)]
)
def test_decimal_comma_in_semicolon_files(value: str, kind: Kind) -> None:
    assert chains_for(";") is DECIMAL_COMMA_CHAINS
    assert classify(value, chains_for(";")) is kind
    assert classify(value, chains_for(",")) is TEXT


def test_sql_of_each_kind() -> None:
    assert INTEGER.sql('"n"') == 'CAST("n" AS INTEGER)'
    assert REAL.sql('"x"') == 'sift_real("x")'
    assert DATE.sql('"d"') == '"d"'
    assert "WHEN 'true' THEN 1" in BOOLEAN.sql('"b"')


def kinds_of(*batches: list[list[str]], width: int = 1) -> list[str]:
    types = ColumnTypes(width)
    for batch in batches:
        types.update(batch)
    return [kind.declared for kind in types.kinds()]


def test_each_column_gets_the_narrowest_kind() -> None:
    batch = [["1", "1.5", "true", "2023-01-01", "x", ""], ["2", "2", "false", "", "", ""]]
    assert kinds_of(batch, width=6) == ["INTEGER", "REAL", "BOOLEAN", "DATE", "TEXT", "TEXT"]


def test_a_late_batch_widens_or_disproves() -> None:
    first = [["1", "2023-01-01", "5"]] * 3
    second = [["2.5", "2023-01-01 10:00", "n/a"]]
    assert kinds_of(first, width=3) == ["INTEGER", "DATE", "INTEGER"]
    assert kinds_of(first, second, width=3) == ["REAL", "DATETIME", "TEXT"]


def test_a_column_empty_at_first_takes_the_kind_of_later_values() -> None:
    assert kinds_of([[""]] * 5, [["3"]]) == ["INTEGER"]
    assert kinds_of([[""]] * 5) == ["TEXT"]


def test_a_text_column_stays_text() -> None:
    assert kinds_of([["x"]], [["1"]]) == ["TEXT"]


def test_mixing_chains_is_text() -> None:
    assert kinds_of([["1"], ["true"]]) == ["TEXT"]
    assert kinds_of([["2023-01-01"], ["1"]]) == ["TEXT"]


def test_values_with_line_breaks_are_text() -> None:
    assert kinds_of([["1\n2"]]) == ["TEXT"]
    assert kinds_of([["1"], ["2\r"]]) == ["TEXT"]


def test_an_invalid_day_anywhere_in_a_batch_disproves_dates() -> None:
    batch = [["2024-02-29"], ["2023-01-31"], ["2023-06-30"]]
    assert kinds_of(batch) == ["DATE"]
    assert kinds_of([*batch, ["2023-06-31"]]) == ["TEXT"]
    assert kinds_of([*batch, ["2023-02-29 10:00"]]) == ["TEXT"]


def test_large_batches_do_not_exhaust_the_regex_engine() -> None:
    rows = [[str(n), f"{n}.5"] for n in range(100_000)]
    assert kinds_of(rows, width=2) == ["INTEGER", "REAL"]
    assert kinds_of([*rows, ["x", "y"]], width=2) == ["TEXT", "TEXT"]


# The header guess


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["name", "age"], ["Ada", "36"], ["Alan", "41"]], True),  # text above numbers
        ([["Ada", "36"], ["Alan", "41"]], False),  # a number above numbers
        ([["a", "b"], ["x", "y"]], True),  # all text: a header
        ([["only", "row"]], True),  # one row: a header
        ([["1", "2"], ["3", "4"]], False),
        ([["id", "2019"], ["1", "5"]], True),  # any header vote wins
        ([["yes", "Paris"], ["no", "London"], ["yes", "Rome"]], False),  # a value repeats below
        ([["day"], ["2023-01-01"]], True),
        ([["2023-01-01"], ["2023-01-02"]], False),
        ([["flag"], ["true"]], True),
        ([["zip"], ["02134"], ["10001"]], True),  # codes are text: no vote, so a header
        ([["", "n"], ["x", "1"]], True),  # an empty header cell does not vote
        ([["a", "b"], ["1", "2"], ["a", "b"]], True),  # a repeated header row is no evidence
        ([["x", "y"], ["", ""], ["", ""]], True),  # nothing below: no evidence
    ],
)
def test_guess_header(rows: list[list[str]], expected: bool) -> None:
    assert guess_header(rows) is expected


def test_guess_header_tolerates_ragged_rows() -> None:
    assert guess_header([["name", "age", "extra"], ["Ada", "36"], ["Alan"]]) is True


def test_guess_header_with_decimal_commas() -> None:
    rows = [["1,5", "2,5"], ["3,5", "4,5"]]
    assert guess_header(rows, chains_for(";")) is False
    assert guess_header(rows, chains_for(",")) is True


# The check over a batch's text (issue 3): a fast accept that must never differ from the column
# by column check.

_CELLS = [
    "", "0", "7", "-42", "007", "+5", "9223372036854775807", "9223372036854775808", "1.5", ".5",
    "1.", "-2.5e-3", "1e5", "1,5", "true", "FALSE", "yes", "2024-02-29", "2023-02-29",
    "2023-04-31", "2023-04-30", "2020-01-01 10:00", "2020-01-01T10:00:30.5Z", "x", "a b", "n/a",
]  # fmt: skip


def _line_text(rows: list[list[str]], delimiter: str) -> str:
    return "".join(delimiter.join(row) + "\n" for row in rows)


@settings(database=None, max_examples=400, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(
            st.lists(
                st.lists(st.sampled_from(_CELLS), min_size=width, max_size=width),
                min_size=1,
                max_size=6,
            ),
            min_size=1,
            max_size=4,
        )
    ),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_text_check_gives_the_same_kinds_as_the_column_check(
    batches: list[list[list[str]]], delimiter: str
) -> None:
    width = len(batches[0][0])
    chains = chains_for(delimiter)
    by_text, by_column = ColumnTypes(width, chains), ColumnTypes(width, chains)
    for rows in batches:
        # A delimiter inside a cell would change the width: such a line never reaches the check.
        rows = [[cell.replace(delimiter, "") for cell in row] for row in rows]
        by_text.update(rows, _line_text(rows, delimiter), delimiter)
        by_column.update(rows)
        assert by_text.kinds() == by_column.kinds()


def test_text_check_accepts_a_batch_that_changes_nothing() -> None:
    types = ColumnTypes(3)
    types.update([["1", "2024-02-29", "x"]])
    calls: list[str] = []
    real_next_state = types._next_state

    def next_state(state: object, joined: str) -> object:
        calls.append(joined)
        return real_next_state(state, joined)  # type: ignore[arg-type]

    types._next_state = next_state  # type: ignore[assignment,method-assign]
    rows = [["5", "2023-01-31", "y"], ["", "2000-02-29", ""]]
    types.update(rows, _line_text(rows, ","), ",")
    assert calls == []  # no column was checked one by one
    assert types.kinds() == [INTEGER, DATE, TEXT]


@pytest.mark.parametrize(
    "value", ["2023-02-29", "1900-02-29", "2023-04-31", "2023-11-31", "2023-13-01", "2023-00-10"]
)
def test_text_check_refuses_days_the_calendar_lacks(value: str) -> None:
    types = ColumnTypes(2)
    types.update([["2024-02-29", "1"]])
    rows = [[value, "2"]]
    types.update(rows, _line_text(rows, ","), ",")
    assert types.kinds() == [TEXT, INTEGER]


def test_calendar_patterns_match_the_extra_check() -> None:
    date = re.compile(CALENDAR_DATE_PATTERN).fullmatch
    date_time = re.compile(CALENDAR_DATETIME_PATTERN).fullmatch
    for year in [*range(1896, 1905), *range(1996, 2005), 0, 400, 2100, 2400, 9999]:
        for month in range(14):
            for day in range(33):
                value = f"{year:04d}-{month:02d}-{day:02d}"
                assert DATE.fits(value) == bool(date(value)), value
                assert DATETIME.fits(value + "T10:00") == bool(date_time(value + "T10:00")), value
