"""bench/stats.py: the start-up benchmark's numbers and report lines, without a browser."""

from __future__ import annotations

import pytest

from bench.stats import Row, Summary, format_row, format_table, median, ratio, summarize, verdict

REF = Summary(count=5, failures=0, median=4000.0, low=3800.0, high=4400.0)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3.0], 3.0), ([5.0, 1.0, 3.0], 3.0), ([4.0, 1.0, 3.0, 2.0], 2.5), ([2.0, 2.0], 2.0)],
)
def test_median(values: list[float], expected: float) -> None:
    assert median(values) == expected


def test_median_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        median([])


def test_summarize_counts_failures_apart_from_the_values() -> None:
    assert summarize([300.0, None, 100.0, 200.0]) == Summary(3, 1, 200.0, 100.0, 300.0)


def test_summarize_with_only_failures() -> None:
    assert summarize([None, None]) == Summary(0, 2, None, None, None)


@pytest.mark.parametrize(
    ("value", "reference", "expected"),
    [(50.0, 200.0, 0.25), (None, 200.0, None), (50.0, None, None), (50.0, 0.0, None)],
)
def test_ratio(value: float | None, reference: float | None, expected: float | None) -> None:
    assert ratio(value, reference) == expected


@pytest.mark.parametrize(
    ("measured", "max_ratio", "expected"),
    [(0.15, 0.15, "PASS"), (0.151, 0.15, "MISS"), (None, 0.15, "n/a"), (0.3, None, "n/a")],
)
def test_verdict(measured: float | None, max_ratio: float | None, expected: str) -> None:
    assert verdict(measured, max_ratio) == expected


def test_row_with_a_target_that_passes() -> None:
    row = Row("warm", "sift shell-interactive", summarize([412.0, 380.0, 470.0]), REF, 0.15)
    assert row.ratio == pytest.approx(0.103)
    assert row.verdict == "PASS"
    assert format_row(row) == (
        "warm  sift shell-interactive  median   412 ms  (380–470)      0.103x ref"  # noqa: RUF001 (en dash)
        "  target <=0.15x  PASS"
    )


def test_row_that_misses_its_target() -> None:
    row = Row("cold", "sift engine-ready", summarize([3000.0]), REF, 0.6)
    assert format_row(row).endswith("0.750x ref  target <=0.60x  MISS")


def test_reference_row_has_no_ratio() -> None:
    row = Row("cold", "ref pyodide-ready", REF)
    assert row.ratio is None
    assert row.verdict == "n/a"
    assert format_row(row) == (
        "cold  ref pyodide-ready       median  4000 ms  (3800–4400)    reference"  # noqa: RUF001 (en dash)
    )


def test_row_without_a_target_shows_only_the_ratio() -> None:
    row = Row("cold", "sift shell-interactive", summarize([1000.0]), REF)
    assert format_row(row).endswith("0.250x ref")


def test_failed_loads_are_reported() -> None:
    row = Row("cold", "sift engine-ready", summarize([3000.0, None]), REF, 0.6)
    assert format_row(row).endswith("MISS  [1 of 2 loads failed]")


def test_row_with_no_successful_load() -> None:
    row = Row("warm", "sift engine-ready", summarize([None, None]), REF, 0.5)
    assert row.verdict == "n/a"
    assert format_row(row) == (
        "warm  sift engine-ready       no successful load  [2 of 2 loads failed]"
    )


def test_ratio_is_na_when_the_reference_never_loaded() -> None:
    row = Row("warm", "sift engine-ready", summarize([900.0]), summarize([None]), 0.5)
    assert "   n/a ref" in format_row(row)
    assert row.verdict == "n/a"


def test_table_is_one_line_per_row_with_columns_aligned() -> None:
    rows = [
        Row("cold", "ref pyodide-ready", REF),
        Row("cold", "sift engine-ready", summarize([12345.0, 9.0]), REF, 0.6),
    ]
    lines = format_table(rows).splitlines()
    assert len(lines) == 2
    assert lines[0].index("median") == lines[1].index("median")
    assert lines[0].index("reference") == lines[1].index("x ref") - 5
