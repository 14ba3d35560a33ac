"""Percentiles, targets and the result table of the explore benchmark: pure Python, no I/O.

Standard library only, so the numbers and the wording of the report are unit tested without a
browser (tests/unit/test_bench_explore_stats.py). A sample is a time in milliseconds, or None
for a query that failed or timed out: failures are counted and shown, never silently dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from bench.explore_queries import (
    FACET,
    FACET_FILTERED,
    FILTER,
    FIRST_PAGE,
    PROFILE_COLUMNS,
    SCROLL_ROWS,
    SORT_NUMBER,
    SORT_TEXT,
)
from bench.stats import Verdict, ratio, verdict

Statistic = Literal["p95", "once", "max"]
Samples = Mapping[str, Sequence[float | None]]  # measure key -> samples in ms

LABEL_WIDTH: Final = 42
NUMBER_WIDTH: Final = 7
# The targets, in ms.
INDEXED_P95_MS: Final = 300.0
FIRST_SORT_MS: Final = 1500.0
LONG_TASK_MS: Final = 50.0


@dataclass(frozen=True)
class Measure:
    """One row of the report: what it measures, which statistic counts, and its target."""

    key: str
    label: str
    statistic: Statistic  # "p95" of repeated samples, the one sample ("once"), or the "max"
    max_ms: float | None = None  # the target: the statistic must not exceed it
    reference: bool = True  # whether DuckDB answers it too (scrolling is Sift's grid alone)


MEASURES: Final = (
    Measure(FIRST_PAGE.kind, FIRST_PAGE.label, "p95"),
    Measure(SORT_TEXT.kind + "-first", SORT_TEXT.label + ", first", "once", FIRST_SORT_MS),
    Measure(SORT_NUMBER.kind + "-first", SORT_NUMBER.label + ", first", "once", FIRST_SORT_MS),
    Measure(SORT_TEXT.kind, SORT_TEXT.label + ", repeated", "p95", INDEXED_P95_MS),
    Measure(SORT_NUMBER.kind, SORT_NUMBER.label + ", repeated", "p95", INDEXED_P95_MS),
    Measure(FILTER.kind, FILTER.label, "p95", INDEXED_P95_MS),
    Measure(FACET.kind, FACET.label, "p95", INDEXED_P95_MS),
    Measure(FACET_FILTERED.kind, FACET_FILTERED.label, "p95", INDEXED_P95_MS),
    Measure("profiles", f"profiles of all {len(PROFILE_COLUMNS)} columns", "once"),
    Measure(
        "scroll",
        f"longest task, scrolling {SCROLL_ROWS:,} rows",
        "max",
        LONG_TASK_MS,
        reference=False,
    ),
)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of them <= it."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < share <= 1:
        raise ValueError(f"share {share} is not in (0, 1]")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


@dataclass(frozen=True)
class Summary:
    count: int  # successful samples
    failures: int
    p50: float | None
    p95: float | None
    high: float | None

    def value(self, statistic: Statistic) -> float | None:
        """The statistic a target is checked on: the one sample counts as its p50 and p95."""
        return self.high if statistic == "max" else self.p95


def summarize(samples: Sequence[float | None]) -> Summary:
    values = [s for s in samples if s is not None]
    failures = len(samples) - len(values)
    if not values:
        return Summary(0, failures, None, None, None)
    return Summary(
        len(values), failures, percentile(values, 0.5), percentile(values, 0.95), max(values)
    )


@dataclass(frozen=True)
class Row:
    measure: Measure
    sift: Summary
    duckdb: Summary | None  # None: no reference for this measure

    @property
    def value(self) -> float | None:
        return self.sift.value(self.measure.statistic)

    @property
    def ratio(self) -> float | None:
        """Sift's statistic over DuckDB's: how many times longer Sift takes."""
        if self.duckdb is None:
            return None
        return ratio(self.value, self.duckdb.value(self.measure.statistic))

    @property
    def verdict(self) -> Verdict:
        return verdict(self.value, self.measure.max_ms)


def rows(sift: Samples, duckdb: Samples) -> list[Row]:
    return [
        Row(
            measure,
            summarize(sift.get(measure.key, ())),
            summarize(duckdb.get(measure.key, ())) if measure.reference else None,
        )
        for measure in MEASURES
    ]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _columns(summary: Summary | None, statistic: Statistic) -> str:
    if summary is None:
        return " ".join(f"{'':>{NUMBER_WIDTH}}" for _ in range(3))
    numbers: tuple[float | None, ...]
    if statistic == "once" and summary.count <= 1:
        numbers = (summary.p95, None, None)  # one sample: no spread to show
    else:
        numbers = (summary.p50, summary.p95, summary.high)
    return " ".join(f"{_ms(n):>{NUMBER_WIDTH}}" for n in numbers)


def ratio_text_of(measured: float | None) -> str:
    """Two significant figures or so: 0.06x, 0.8x, 5.6x, 14x."""
    if measured is None:
        return "n/a"
    if measured >= 10:
        return f"{measured:.0f}x"
    return f"{measured:.1f}x" if measured >= 1 else f"{measured:.2f}x"


def target_text(measure: Measure) -> str:
    if measure.max_ms is None:
        return "-"
    name = {"p95": "p95", "once": "once", "max": "max"}[measure.statistic]
    return f"{name} <= {measure.max_ms:.0f} ms"


def format_row(row: Row) -> str:
    measure = row.measure
    counts = f"{row.sift.count + row.sift.failures:>3}"
    text = f"{measure.label:<{LABEL_WIDTH}} {counts} {_columns(row.sift, measure.statistic)}"
    text += f"  {_columns(row.duckdb, measure.statistic)}"
    ratio_text = "" if row.duckdb is None else ratio_text_of(row.ratio)
    text += f"  {ratio_text:>7}  {target_text(measure):<17}"
    if measure.max_ms is not None:
        text += f" {row.verdict}"
    problems = [
        f"{name} {summary.failures} of {summary.count + summary.failures} failed"
        for name, summary in (("Sift", row.sift), ("DuckDB", row.duckdb))
        if summary is not None and summary.failures
    ]
    if problems:
        text += f"  [{'; '.join(problems)}]"
    return text.rstrip()


def header_lines() -> list[str]:
    numbers = " ".join(f"{name:>{NUMBER_WIDTH}}" for name in ("p50", "p95", "max"))
    width = len(numbers)
    first = f"{'':<{LABEL_WIDTH}} {'':>3} {'Sift (ms)':<{width}}  {'DuckDB-WASM (ms)':<{width}}"
    second = f"{'query':<{LABEL_WIDTH}} {'n':>3} {numbers}  {numbers}  {'ratio':>7}  target"
    return [first.rstrip(), second]


def format_table(table: Sequence[Row]) -> str:
    return "\n".join([*header_lines(), *(format_row(row) for row in table)])


def misses(table: Sequence[Row]) -> list[str]:
    """The labels of rows whose target was missed."""
    return [row.measure.label for row in table if row.verdict == "MISS"]


def rows_check(sift_rows: int | None, duckdb_rows: int | None) -> str:
    """Whether both sides' filters kept the same rows: the queries must be the same."""
    if sift_rows is None or duckdb_rows is None:
        return "Rows kept by the filter: not compared (a side did not report them)."
    same = "the same" if sift_rows == duckdb_rows else "DIFFERENT: the two sides disagree"
    return f"Rows kept by the filter: Sift {sift_rows:,}, DuckDB {duckdb_rows:,} ({same})."


def scroll_line(scroll: Mapping[str, object], rows: int) -> str:
    """One sentence on the scroll: how far, how long, and the long tasks meanwhile."""
    tasks = scroll.get("tasks")
    durations = (
        sorted((float(task["duration"]) for task in tasks if isinstance(task, dict)), reverse=True)
        if isinstance(tasks, list)
        else []
    )
    start, reached = scroll.get("start"), scroll.get("reached")
    took = ""
    if isinstance(start, int | float) and isinstance(reached, int | float):
        took = f" in {(reached - start) / 1000:.1f} s"
    text = f"Scrolling: {rows:,} rows{took} ({scroll.get('frames')} frames)"
    if not durations:
        return text + f"; no main-thread task over {LONG_TASK_MS:.0f} ms."
    shown = ", ".join(f"{d:.0f}" for d in durations[:5])
    more = f" (longest: {shown} ms)" if len(durations) > 1 else ""
    return text + f"; {len(durations)} task(s) over {LONG_TASK_MS:.0f} ms{more}."
