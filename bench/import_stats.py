"""Summaries, targets and the result table of the import benchmark: pure Python, no I/O.

Standard library only, so the numbers and the wording of the report are unit tested without a
browser (tests/unit/test_bench_import_stats.py). Medians and ranges come from bench/stats.py.
An importer's run either measured something or carries an error; failures are shown, never
dropped, and a run that imported the wrong number of rows counts as a failure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from bench.stats import EN_DASH, Summary, Verdict, cancel_figures, cancel_verdict, ratio, summarize

NAME_WIDTH: Final = 15
LOADED_STATUS: Final = re.compile(r"Loaded .*: ([\d,]+) rows?, (\d+) columns?")


@dataclass(frozen=True)
class Measurement:
    """One import: the timed seconds, the rows it reported, its peak memory in bytes."""

    seconds: float | None
    rows: int | None = None
    peak_bytes: int | None = None
    error: str | None = None
    note: str = ""  # how it was measured, when that differs from the usual way


def failed(error: str) -> Measurement:
    return Measurement(None, error=error)


def checked(measurement: Measurement, expected_rows: int) -> Measurement:
    """The measurement, or a failure if it imported a number of rows other than expected."""
    if measurement.error is not None or measurement.rows == expected_rows:
        return measurement
    found = "an unknown number of" if measurement.rows is None else f"{measurement.rows:,}"
    return replace(
        measurement, seconds=None, error=f"imported {found} rows, expected {expected_rows:,}"
    )


def loaded_rows(status: str) -> int | None:
    """The row count in Sift's status line "Loaded data.csv: 1,000 rows, 10 columns"."""
    match = LOADED_STATUS.match(status)
    return int(match.group(1).replace(",", "")) if match else None


@dataclass(frozen=True)
class ImporterSummary:
    name: str
    memory_kind: str  # what peak_bytes measures: "wasm" memory or the process's "RSS"
    seconds: Summary
    rows_per_s: float | None  # the expected rows / the median seconds
    peak_bytes: int | None  # the largest over the successful runs
    skipped: str | None = None  # why it did not run at all


def summarize_importer(
    name: str, memory_kind: str, runs: Sequence[Measurement], rows: int, skipped: str | None = None
) -> ImporterSummary:
    seconds = summarize([run.seconds if run.error is None else None for run in runs])
    peaks = [run.peak_bytes for run in runs if run.error is None and run.peak_bytes is not None]
    rate = None if seconds.median is None or seconds.median <= 0 else rows / seconds.median
    return ImporterSummary(name, memory_kind, seconds, rate, max(peaks, default=None), skipped)


def verdict_between(
    measured: float | None, at_least: float | None = None, at_most: float | None = None
) -> Verdict:
    """PASS when the measured value is within its bound(s); n/a without a bound or a value."""
    if measured is None or (at_least is None and at_most is None):
        return "n/a"
    if at_least is not None and measured < at_least:
        return "MISS"
    if at_most is not None and measured > at_most:
        return "MISS"
    return "PASS"


@dataclass(frozen=True)
class Target:
    """A ratio and its bound: `>= at_least` or `<= at_most` (or none, shown for information)."""

    label: str
    measured: float | None
    at_least: float | None = None
    at_most: float | None = None

    @property
    def verdict(self) -> Verdict:
        return verdict_between(self.measured, self.at_least, self.at_most)


def targets(
    sift: ImporterSummary,
    others: Sequence[ImporterSummary],
    file_bytes: int,
    min_speed: dict[str, float],
    max_memory_ratio: float,
) -> list[Target]:
    """Sift's rows/s against each other importer, then its peak wasm memory / the file size."""
    rows = [
        Target(
            f"sift rows/s / {other.name} rows/s",
            ratio(sift.rows_per_s, other.rows_per_s),
            at_least=min_speed.get(other.name),
        )
        for other in others
    ]
    peak = None if sift.peak_bytes is None else float(sift.peak_bytes)
    memory = Target(
        "sift peak wasm memory / file size",
        ratio(peak, float(file_bytes)),
        at_most=max_memory_ratio,
    )
    return [*rows, memory]


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def format_seconds(summary: Summary) -> str:
    if summary.median is None or summary.low is None or summary.high is None:
        return "failed"
    text = f"{summary.median:7.2f} s"
    if summary.count > 1:
        text += f"  ({summary.low:.2f}{EN_DASH}{summary.high:.2f})"
    return text


def format_importer(row: ImporterSummary, file_bytes: int) -> str:
    head = f"{row.name:<{NAME_WIDTH}}"
    if row.skipped is not None:
        return f"{head}not run: {row.skipped}"
    text = f"{head}{format_seconds(row.seconds):<24}"
    rate = "n/a" if row.rows_per_s is None else f"{row.rows_per_s:,.0f}"
    text += f"{rate:>10} rows/s"
    if row.peak_bytes is None:
        text += "  peak n/a"
    else:
        times_file = row.peak_bytes / file_bytes if file_bytes > 0 else 0.0
        text += f"  peak {megabytes(row.peak_bytes):>9} {row.memory_kind} ({times_file:.2f}x file)"
    failures = row.seconds.failures
    if failures:
        text += f"  [{failures} of {row.seconds.count + failures} runs failed]"
    return text


def format_target(target: Target, width: int) -> str:
    measured = "   n/a" if target.measured is None else f"{target.measured:.3f}x"
    text = f"{target.label:<{width}}  {measured}"
    if target.at_least is not None:
        text += f"  target >={target.at_least:.2f}x  {target.verdict}"
    elif target.at_most is not None:
        text += f"  target <={target.at_most:.2f}x  {target.verdict}"
    return text


def format_report(
    importers: Sequence[ImporterSummary], ratios: Sequence[Target], file_bytes: int
) -> str:
    lines = [format_importer(row, file_bytes) for row in importers]
    width = max((len(target.label) for target in ratios), default=0)
    lines += [format_target(target, width) for target in ratios]
    return "\n".join(lines)


def cancel_line(lags_ms: Sequence[float], problem: str | None) -> str:
    """Cancel in the middle of Sift's import, against issue 3's half second."""
    if not lags_ms:
        return f"Cancel during Sift's import: not measured ({problem or 'no run'})."
    line = (
        f"Cancel during Sift's import: the status said it was cancelled {cancel_figures(lags_ms)}"
        f" after the click; {cancel_verdict(lags_ms)}."
    )
    return f"{line} ({problem})" if problem else line
