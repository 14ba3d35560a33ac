"""Summaries and the result table for the start-up benchmark: pure Python, no I/O.

Standard library only, so the numbers and the wording of the report are unit tested without a
browser (tests/unit/test_bench_stats.py). A sample is a time in milliseconds, or None for a load
that failed or timed out: failures are counted and shown, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

Verdict = Literal["PASS", "MISS", "n/a"]

LABEL_WIDTH: Final = 24
RANGE_WIDTH: Final = 13  # "(12345-67890)"
EN_DASH: Final = "\N{EN DASH}"  # as in the example, "(380\N{EN DASH}470)"


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Summary:
    """Median and range of the successful samples, and how many loads failed."""

    count: int
    failures: int
    median: float | None
    low: float | None
    high: float | None


CANCEL_TARGET_MS: Final = 500.0  # issues 3 and 5: Cancel stops "within half a second"


def cancel_figures(lags_ms: Sequence[float]) -> str:
    """How long Cancel took, at least one lag: '83 ms (median of 5; max 119 ms)'."""
    return f"{median(lags_ms):.0f} ms (median of {len(lags_ms)}; max {max(lags_ms):.0f} ms)"


def cancel_verdict(lags_ms: Sequence[float]) -> str:
    """The slowest Cancel against the half second: 'target max <= 500 ms PASS'."""
    passed = max(lags_ms) <= CANCEL_TARGET_MS
    return f"target max <= {CANCEL_TARGET_MS:.0f} ms {'PASS' if passed else 'MISS'}"


def summarize(samples: Sequence[float | None]) -> Summary:
    values = [s for s in samples if s is not None]
    failures = len(samples) - len(values)
    if not values:
        return Summary(0, failures, None, None, None)
    return Summary(len(values), failures, median(values), min(values), max(values))


def ratio(value: float | None, reference: float | None) -> float | None:
    """`value / reference`, or None when either is missing or the reference is not positive."""
    if value is None or reference is None or reference <= 0:
        return None
    return value / reference


def verdict(measured: float | None, max_ratio: float | None) -> Verdict:
    """PASS when a measured ratio is within its target; n/a without a target or a measurement."""
    if measured is None or max_ratio is None:
        return "n/a"
    return "PASS" if measured <= max_ratio else "MISS"


@dataclass(frozen=True)
class Row:
    """One line of the report: a scenario at one temperature, against the same-temperature ref."""

    temperature: str
    label: str
    summary: Summary
    reference: Summary | None = None  # None: this row is the reference itself
    max_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.reference is None:
            return None
        return ratio(self.summary.median, self.reference.median)

    @property
    def verdict(self) -> Verdict:
        return verdict(self.ratio, self.max_ratio)


def format_ms(value: float) -> str:
    return f"{value:.0f}"


def format_row(row: Row) -> str:
    head = f"{row.temperature:<5} {row.label:<{LABEL_WIDTH}}"
    summary = row.summary
    if summary.median is None or summary.low is None or summary.high is None:
        text = f"{head}no successful load"
    else:
        spread = f"({format_ms(summary.low)}{EN_DASH}{format_ms(summary.high)})"
        text = f"{head}median {format_ms(summary.median):>5} ms  {spread:<{RANGE_WIDTH}}"
        text += f"  {_ratio_text(row)}"
        if row.max_ratio is not None:
            text += f"  target <={row.max_ratio:.2f}x  {row.verdict}"
    if summary.failures:
        text += f"  [{summary.failures} of {summary.count + summary.failures} loads failed]"
    return text


def _ratio_text(row: Row) -> str:
    if row.reference is None:
        return "reference"
    measured = row.ratio
    # Three decimals: a ratio of 0.148 against a target of 0.15 must not print as "0.15x".
    return "   n/a ref" if measured is None else f"{measured:.3f}x ref"


def format_table(rows: Sequence[Row]) -> str:
    return "\n".join(format_row(row) for row in rows)
