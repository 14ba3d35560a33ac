"""sift.number_format: what each number turns into on screen."""

from __future__ import annotations

import pytest

from sift.number_format import count_text, figure, fixed, grouped, percent


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1,000"),
        (1234567, "1,234,567"),
        (-1234, "-1,234"),
        (-999, "-999"),
    ],
)
def test_grouped(number: int, text: str) -> None:
    assert grouped(number) == text


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (1234.5, 2, "1,234.5"),
        (2.0, 2, "2"),
        (-0.004, 2, "0"),  # never "-0"
        (-1234.567, 1, "-1,234.6"),
        (0.125, 3, "0.125"),
        (1e6, 0, "1,000,000"),
    ],
)
def test_fixed(value: float, places: int, text: str) -> None:
    assert fixed(value, places) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "—"),
        (True, "true"),
        (12345, "12,345"),
        (3.14159, "3.14"),
        (1234.56, "1,234.6"),
        (0.012345, "0.0123"),
        (0.0, "0"),
        (-2.5, "-2.5"),
        (0.00001234, "1.23e-05"),
        (2e20, "2e+20"),
        (float("nan"), "NaN"),
        ("2024-01-05", "2024-01-05"),
    ],
)
def test_figure(value: object, text: str) -> None:
    assert figure(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0%"),
        (0.04, "<0.1%"),
        (12.5, "12.5%"),
        (33.3333, "33.3%"),
        (99.95, ">99.9%"),
        (100.0, "100%"),
        (50, "50%"),
    ],
)
def test_percent(value: float, text: str) -> None:
    assert percent(value) == text


def test_count_text() -> None:
    assert count_text(1, "row") == "1 row"
    assert count_text(0, "row") == "0 rows"
    assert count_text(1200, "column") == "1,200 columns"
