"""Tests for sift.messages: the sentences shown to the user."""

from __future__ import annotations

import pytest

from sift.messages import loaded_message, plural


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (1234567, "1,234,567 rows")]
)
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "row") == expected


def test_loaded_message() -> None:
    assert loaded_message("airports.csv", 3376, 7) == "Loaded airports.csv: 3,376 rows, 7 columns"
    assert loaded_message("one.csv", 1, 1) == "Loaded one.csv: 1 row, 1 column"
    assert loaded_message("none.csv", 0, 2) == "Loaded none.csv: 0 rows, 2 columns"


def test_loaded_tables_message() -> None:
    from sift.messages import loaded_tables_message

    assert loaded_tables_message("a.csv", [("a", 1, 2)]) == "Loaded a.csv: 1 row, 2 columns"
    assert loaded_tables_message("b.xlsx", [("b_Sales", 1200, 5), ("b_Costs", 3, 2)]) == (
        "Loaded b.xlsx: 2 tables: b_Sales (1,200 rows, 5 columns), b_Costs (3 rows, 2 columns)"
    )
