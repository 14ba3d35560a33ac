"""bench/import_stats.py: the import benchmark's numbers and report lines, without a browser."""

from __future__ import annotations

import pytest

from bench.import_stats import (
    ImporterSummary,
    Measurement,
    Target,
    checked,
    failed,
    format_importer,
    format_report,
    format_target,
    loaded_rows,
    summarize_importer,
    targets,
    verdict_between,
)
from bench.stats import Summary

MB = 1_000_000
FILE = 100 * MB


def summary(name: str, seconds: float, peak: int | None, kind: str = "wasm") -> ImporterSummary:
    return summarize_importer(name, kind, [Measurement(seconds, 1000, peak)], rows=1000)


def test_checked_keeps_a_run_with_the_expected_rows() -> None:
    run = Measurement(2.0, 1000, 5 * MB)
    assert checked(run, 1000) is run


def test_checked_fails_a_run_with_other_rows() -> None:
    run = checked(Measurement(2.0, 999, 5 * MB), 1000)
    assert run.error == "imported 999 rows, expected 1,000"
    assert run.seconds is None


def test_checked_fails_a_run_that_reported_no_rows() -> None:
    assert checked(Measurement(2.0), 10).error == "imported an unknown number of rows, expected 10"


def test_checked_keeps_the_first_error() -> None:
    assert checked(failed("timed out"), 10).error == "timed out"


@pytest.mark.parametrize(
    ("status", "rows"),
    [
        ("Loaded data.csv: 1,000,000 rows, 10 columns", 1_000_000),
        ("Loaded one.csv: 1 row, 1 column", 1),
        ("Loaded a: b.csv: 12 rows, 3 columns Saved.", 12),
        ("Could not open data.csv.", None),
    ],
)
def test_loaded_rows(status: str, rows: int | None) -> None:
    assert loaded_rows(status) == rows


def test_summary_uses_the_median_and_the_largest_peak() -> None:
    runs = [Measurement(4.0, 1000, 3 * MB), Measurement(2.0, 1000, 9 * MB), failed("no")]
    row = summarize_importer("sift", "wasm", runs, rows=1000)
    assert row.seconds == Summary(2, 1, 3.0, 2.0, 4.0)
    assert row.rows_per_s == pytest.approx(1000 / 3.0)
    assert row.peak_bytes == 9 * MB


def test_summary_of_only_failures() -> None:
    row = summarize_importer("sql.js", "wasm", [failed("x")], rows=1000)
    assert (row.rows_per_s, row.peak_bytes, row.seconds.failures) == (None, None, 1)


@pytest.mark.parametrize(
    ("measured", "at_least", "at_most", "expected"),
    [
        (1.5, 1.5, None, "PASS"),
        (1.49, 1.5, None, "MISS"),
        (3.0, None, 3.0, "PASS"),
        (3.01, None, 3.0, "MISS"),
        (None, 1.5, None, "n/a"),
        (2.0, None, None, "n/a"),
    ],
)
def test_verdict_between(
    measured: float | None, at_least: float | None, at_most: float | None, expected: str
) -> None:
    assert verdict_between(measured, at_least, at_most) == expected


def test_targets_compare_sift_with_each_importer_then_memory() -> None:
    sift = summary("sift", 2.0, 250 * MB)
    naive, cli = summary("pyodide naive", 4.0, 200 * MB), summary("sqlite3 CLI", 1.0, 50 * MB)
    found = targets(sift, [naive, cli], FILE, {"pyodide naive": 1.5}, 3.0)
    assert found == [
        Target("sift rows/s / pyodide naive rows/s", 2.0, at_least=1.5),
        Target("sift rows/s / sqlite3 CLI rows/s", 0.5),
        Target("sift peak wasm memory / file size", 2.5, at_most=3.0),
    ]
    assert [t.verdict for t in found] == ["PASS", "n/a", "PASS"]


def test_targets_without_measurements_are_not_applicable() -> None:
    sift = summarize_importer("sift", "wasm", [failed("timed out")], rows=1000)
    found = targets(sift, [summary("sql.js", 1.0, None)], FILE, {"sql.js": 0.5}, 3.0)
    assert [t.verdict for t in found] == ["n/a", "n/a"]


def test_format_importer() -> None:
    assert format_importer(summary("sift", 12.5, 300 * MB), FILE) == (
        "sift             12.50 s                       80 rows/s  peak  300.0 MB wasm (3.00x file)"
    )


def test_format_importer_with_a_range_and_failures() -> None:
    runs = [Measurement(2.0, 1000, None), Measurement(3.0, 1000, None), failed("x")]
    text = format_importer(summarize_importer("sql.js", "wasm", runs, 1000), FILE)
    assert text.startswith("sql.js            2.50 s  (2.00–3.00)")  # noqa: RUF001 (en dash)
    assert text.endswith("400 rows/s  peak n/a  [1 of 3 runs failed]")


def test_format_skipped_and_failed_importers() -> None:
    skipped = summarize_importer("sqlite3 CLI", "RSS", [], 1000, skipped="not installed")
    assert format_importer(skipped, FILE) == "sqlite3 CLI    not run: not installed"
    failure = summarize_importer("sift", "wasm", [failed("x")], 1000)
    assert format_importer(failure, FILE).startswith("sift           failed ")


def test_format_target() -> None:
    assert format_target(Target("a / b", 0.149, at_least=0.5), 6) == (
        "a / b   0.149x  target >=0.50x  MISS"
    )
    assert format_target(Target("m", 2.0, at_most=3.0), 1) == "m  2.000x  target <=3.00x  PASS"
    assert format_target(Target("x", None), 1) == "x     n/a"


def test_report_aligns_the_ratios() -> None:
    rows = [summary("sift", 2.0, 250 * MB), summary("pyodide naive", 4.0, 200 * MB)]
    report = format_report(rows, targets(rows[0], rows[1:], FILE, {}, 3.0), FILE)
    lines = report.splitlines()
    assert len(lines) == 4
    assert lines[2].index("2.000x") == lines[3].index("2.500x")


def test_cancel_line_judges_the_slowest_cancel_against_half_a_second() -> None:
    from bench.import_stats import cancel_line

    assert cancel_line([83.0, 50.0, 119.0], None) == (
        "Cancel during Sift's import: the status said it was cancelled 83 ms (median of 3;"
        " max 119 ms) after the click; target max <= 500 ms PASS."
    )
    assert cancel_line([83.0, 898.0], None).endswith("MISS.")
    assert cancel_line([90.0], "a cancel run failed: x").endswith("PASS. (a cancel run failed: x)")
    assert cancel_line([], "a cancel run failed: x") == (
        "Cancel during Sift's import: not measured (a cancel run failed: x)."
    )
