"""How grid cells show values (sift.cell_text)."""

from __future__ import annotations

import pytest

from sift.cell_text import (
    BOOLEAN,
    CELL_CHARS,
    DATE,
    DATETIME,
    MAX_WIDTH_PX,
    MIN_WIDTH_PX,
    NUMBER,
    TEXT,
    cell_text,
    column_kinds,
    column_width,
    declared_kind,
    full_text,
    number_text,
)


@pytest.mark.parametrize(
    ("declared", "kind"),
    [
        ("INTEGER", NUMBER),
        ("REAL", NUMBER),
        ("bigint", NUMBER),
        ("DOUBLE PRECISION", NUMBER),
        ("NUMERIC(10,2)", NUMBER),
        ("TEXT", TEXT),
        ("VARCHAR(20)", TEXT),
        ("BLOB", TEXT),
        ("BOOLEAN", BOOLEAN),
        ("DATE", DATE),
        ("DATETIME", DATETIME),
        ("", None),  # undeclared: the values decide
        ("whatever", TEXT),
    ],
)
def test_declared_kind(declared: str, kind: str | None) -> None:
    assert declared_kind(declared) == kind


def test_undeclared_columns_are_numbers_only_when_every_sampled_value_is() -> None:
    rows = [[1, "a", None, True], [2.5, "b", None, 3], [None, 3, None, 4]]
    assert column_kinds(["", "", "", ""], rows, 4) == [NUMBER, TEXT, TEXT, TEXT]
    assert column_kinds(["TEXT"], [[1]], 1) == [TEXT]  # a declaration wins
    assert column_kinds([], [], 2) == [TEXT, TEXT]  # no types, no rows


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (1234567, "1,234,567"),
        (-1234, "-1,234"),
        (1234.5, "1,234.5"),
        (0.1 + 0.2, "0.3"),  # 15 significant digits: no float noise
        (-0.25, "-0.25"),
        (1e20, "1e+20"),
        (3.0, "3"),
        ("12345678901234567890", "12,345,678,901,234,567,890"),  # big integers arrive as text
        ("Infinity", "Infinity"),
        ("12abc", "12abc"),
    ],
)
def test_number_text(value: object, text: str) -> None:
    assert number_text(value) == text


def test_null_empty_and_booleans_are_distinct() -> None:
    assert full_text(None, TEXT) == "NULL"
    assert full_text("", TEXT) == ""
    assert full_text("NULL", TEXT) == "NULL"  # the text NULL: the grid marks real NULLs
    assert full_text(True, BOOLEAN) == "true"
    assert full_text(False, NUMBER) == "false"


def test_dates_read_as_iso() -> None:
    assert full_text("2024-05-01T13:45:00", DATETIME) == "2024-05-01 13:45:00"
    assert full_text("2024-05-01", DATE) == "2024-05-01"
    assert full_text("2024-05-01T13:45:00", TEXT) == "2024-05-01T13:45:00"  # text stays text


def test_long_text_is_cut_in_the_cell_only() -> None:
    long = "x" * 500
    assert len(cell_text(long, TEXT)) == CELL_CHARS
    assert cell_text(long, TEXT).endswith("\u2026")
    assert full_text(long, TEXT) == long
    assert cell_text("short", TEXT) == "short"


def test_column_width_fits_header_and_values_within_bounds() -> None:
    assert column_width("id", ["1", "22"]) == MIN_WIDTH_PX
    assert column_width("x", ["y" * 1000]) == MAX_WIDTH_PX
    narrow = column_width("name", ["Ada"])
    wide = column_width("name", ["Ada Lovelace, Countess"])
    assert MIN_WIDTH_PX <= narrow < wide < MAX_WIDTH_PX
