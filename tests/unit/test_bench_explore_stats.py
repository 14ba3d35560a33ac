"""bench/explore_stats.py: the explore benchmark's percentiles, verdicts and report lines."""

from __future__ import annotations

import pytest

from bench.explore_stats import (
    LABEL_WIDTH,
    MEASURES,
    Measure,
    Row,
    format_row,
    format_table,
    misses,
    percentile,
    ratio_text_of,
    rows,
    rows_check,
    scroll_line,
    summarize,
    target_text,
)

P95 = Measure("filter", "filter amount > 500", "p95", 300.0)
ONCE = Measure("sort-text-first", "sort text column (name), first", "once", 1500.0)
SCROLL = Measure("scroll", "longest task, scrolling 10,000 rows", "max", 50.0, reference=False)


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([5.0], 0.95, 5.0),
        ([1.0, 2.0], 0.5, 1.0),  # nearest rank: ceil(0.5 * 2) = the 1st
        ([float(n) for n in range(1, 21)], 0.95, 19.0),  # of 20, the 19th: one may be slower
        ([float(n) for n in range(1, 101)], 0.95, 95.0),
        ([float(n) for n in range(1, 11)], 0.95, 10.0),  # of 10, the p95 is the max
        ([3.0, 1.0, 2.0], 1.0, 3.0),  # order does not matter
    ],
)
def test_percentile_is_nearest_rank(values: list[float], share: float, expected: float) -> None:
    assert percentile(values, share) == expected


def test_percentile_of_nothing_or_a_bad_share_raises() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.95)
    with pytest.raises(ValueError, match="not in"):
        percentile([1.0], 0.0)
    with pytest.raises(ValueError, match="not in"):
        percentile([1.0], 1.5)


def test_summarize_counts_failures_apart() -> None:
    summary = summarize([10.0, None, 30.0, 20.0])
    assert (summary.count, summary.failures) == (3, 1)
    assert (summary.p50, summary.p95, summary.high) == (20.0, 30.0, 30.0)


def test_summarize_all_failed_has_no_figures() -> None:
    summary = summarize([None, None])
    assert (summary.count, summary.failures, summary.p95) == (0, 2, None)


def test_row_ratio_and_verdict_use_the_measures_statistic() -> None:
    row = Row(P95, summarize([100.0] * 19 + [900.0]), summarize([20.0] * 20))
    assert row.value == 100.0  # the one slow sample is past the p95 of 20
    assert row.ratio == 5.0
    assert row.verdict == "PASS"
    slow = Row(P95, summarize([100.0] * 18 + [400.0, 900.0]), summarize([20.0] * 20))
    assert slow.verdict == "MISS"


def test_the_max_statistic_counts_every_sample() -> None:
    row = Row(SCROLL, summarize([0.0, 0.0, 51.0]), None)
    assert row.value == 51.0
    assert row.verdict == "MISS"
    assert row.ratio is None  # no reference


def test_a_target_exactly_met_passes() -> None:
    assert Row(ONCE, summarize([1500.0]), summarize([10.0])).verdict == "PASS"


def test_no_measurement_is_not_a_verdict() -> None:
    row = Row(P95, summarize([None]), summarize([10.0]))
    assert (row.value, row.ratio, row.verdict) == (None, None, "n/a")


def test_a_zero_reference_gives_no_ratio() -> None:
    assert Row(P95, summarize([10.0]), summarize([0.0])).ratio is None


def test_rows_follow_the_measures_and_leave_scroll_without_reference() -> None:
    table = rows({"filter": [100.0]}, {"filter": [10.0], "scroll": [1.0]})
    assert [row.measure.key for row in table] == [m.key for m in MEASURES]
    by_key = {row.measure.key: row for row in table}
    assert by_key["filter"].ratio == 10.0
    assert by_key["scroll"].duckdb is None
    assert by_key["facet"].sift.count == 0


def test_the_issue_targets() -> None:
    targets = {m.key: (m.statistic, m.max_ms) for m in MEASURES}
    assert targets["sort-text-first"] == ("once", 1500.0)
    assert targets["sort-number-first"] == ("once", 1500.0)
    for key in ("sort-text", "sort-number", "filter", "facet", "facet-filtered"):
        assert targets[key] == ("p95", 300.0)
    assert targets["scroll"] == ("max", 50.0)
    assert targets["first-page"][1] is None
    assert targets["profiles"][1] is None


@pytest.mark.parametrize(
    ("measured", "text"),
    [(None, "n/a"), (0.0612, "0.06x"), (0.84, "0.84x"), (5.64, "5.6x"), (13.8, "14x")],
)
def test_ratio_text_keeps_two_figures(measured: float | None, text: str) -> None:
    assert ratio_text_of(measured) == text


def test_target_text() -> None:
    assert target_text(P95) == "p95 <= 300 ms"
    assert target_text(ONCE) == "once <= 1500 ms"
    assert target_text(Measure("x", "x", "p95")) == "-"


def fields(row: Row) -> list[str]:
    """The report line after its label, split on spaces."""
    text = format_row(row)
    assert text.startswith(row.measure.label + " ")
    return text[LABEL_WIDTH:].split()


def test_format_row_of_a_p95_measure() -> None:
    row = Row(P95, summarize([100.0, 120.0, 140.0]), summarize([10.0, 20.0]))
    assert fields(row) == [
        *("3", "120", "140", "140"),  # Sift: n, p50, p95, max
        *("10", "20", "20"),  # DuckDB: p50, p95, max
        *("7.0x", "p95", "<=", "300", "ms", "PASS"),
    ]


def test_format_row_of_a_single_sample_shows_one_number() -> None:
    row = Row(ONCE, summarize([1600.0]), summarize([80.0]))
    assert fields(row) == [
        *("1", "1600", "-", "-"),
        *("80", "-", "-"),
        *("20x", "once", "<=", "1500", "ms", "MISS"),
    ]


def test_format_row_says_how_many_failed_on_each_side() -> None:
    row = Row(P95, summarize([100.0, None]), summarize([None, None]))
    text = format_row(row)
    assert text.endswith("[Sift 1 of 2 failed; DuckDB 2 of 2 failed]")
    assert fields(row)[:8] == ["2", "100", "100", "100", "-", "-", "-", "n/a"]


def test_format_row_without_reference_leaves_its_columns_blank() -> None:
    row = Row(SCROLL, summarize([0.0]), None)
    assert fields(row) == ["1", "0", "0", "0", "max", "<=", "50", "ms", "PASS"]


def test_format_table_has_a_two_line_header() -> None:
    lines = format_table(rows({}, {})).splitlines()
    assert "Sift (ms)" in lines[0]
    assert "DuckDB-WASM (ms)" in lines[0]
    assert lines[1].split()[:5] == ["query", "n", "p50", "p95", "max"]
    assert len(lines) == 2 + len(MEASURES)


def test_misses_lists_the_rows_over_target() -> None:
    table = [
        Row(P95, summarize([400.0]), summarize([1.0])),
        Row(ONCE, summarize([100.0]), summarize([1.0])),
    ]
    assert misses(table) == ["filter amount > 500"]


def test_rows_check() -> None:
    assert rows_check(10, 10) == "Rows kept by the filter: Sift 10, DuckDB 10 (the same)."
    assert "DIFFERENT" in rows_check(1_000, 999)
    assert "not compared" in rows_check(None, 5)


def test_scroll_line_without_long_tasks() -> None:
    line = scroll_line({"start": 1000.0, "reached": 6100.0, "frames": 300, "tasks": []}, 10_000)
    assert line == "Scrolling: 10,000 rows in 5.1 s (300 frames); no main-thread task over 50 ms."


def test_scroll_line_lists_the_longest_tasks() -> None:
    tasks = [{"start": 0, "duration": d} for d in (60.0, 120.4, 75.0)]
    line = scroll_line({"start": 0.0, "reached": 5000.0, "frames": 280, "tasks": tasks}, 10_000)
    assert line.endswith("; 3 task(s) over 50 ms (longest: 120, 75, 60 ms).")
