"""Summaries, ratios and the report of the SQL benchmark: pure Python, no I/O.

Standard library only (tests/unit/test_bench_sql_stats.py). A sample is a time in ms, or None
for a run that failed or timed out: failures are counted and shown, never dropped. Each query
runs once per round; the first round's run is the "first" (nothing cached by that query yet),
the later rounds' are the warm runs, summarized by their median (p50: the mean of the middle
two for an even count) and max. Ratios are
Sift's warm p50 over a reference's (its first run when there is only one round).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bench.explore_stats import ratio_text_of
from bench.sql_queries import ENGINE_NAMES, REFERENCES, Engine
from bench.stats import cancel_figures, cancel_verdict, median, ratio

Samples = Mapping[str, Sequence[float | None]]  # query key -> one sample per round, in order

LABEL_WIDTH: Final = 40
NUMBER_WIDTH: Final = 6
RATIO_WIDTH: Final = 8


@dataclass(frozen=True)
class Summary:
    first: float | None
    p50: float | None  # of the warm runs; the first run's when there is no other
    high: float | None  # the warm runs' max; the first run's when there is no other
    runs: int
    failures: int

    @property
    def typical(self) -> float | None:
        """The figure ratios use: the warm median, else the first run."""
        return self.p50


def summarize(samples: Sequence[float | None]) -> Summary:
    if not samples:
        return Summary(None, None, None, 0, 0)
    first, warm = samples[0], [s for s in samples[1:] if s is not None]
    failures = sum(s is None for s in samples)
    if len(samples) == 1:
        return Summary(first, first, first, 1, failures)
    if not warm:
        return Summary(first, None, None, len(samples), failures)
    return Summary(first, median(warm), max(warm), len(samples), failures)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    summaries: Mapping[Engine, Summary]  # the engines that ran

    def ratio(self, reference: Engine) -> float | None:
        """Sift's typical time over the reference's: how many times longer Sift takes."""
        sift, other = self.summaries.get("sift"), self.summaries.get(reference)
        if sift is None or other is None:
            return None
        return ratio(sift.typical, other.typical)


def rows(labels: Sequence[tuple[str, str]], samples: Mapping[Engine, Samples]) -> list[Row]:
    """One row per (key, label), with a summary for each engine in `samples`."""
    return [
        Row(key, label, {engine: summarize(runs.get(key, ())) for engine, runs in samples.items()})
        for key, label in labels
    ]


def _ms(value: float | None) -> str:
    return f"{'-' if value is None else format(value, '.0f'):>{NUMBER_WIDTH}}"


def _numbers(summary: Summary | None) -> str:
    if summary is None:
        return " ".join(f"{'':>{NUMBER_WIDTH}}" for _ in range(3))
    return " ".join(_ms(value) for value in (summary.first, summary.p50, summary.high))


def header_lines(engines: Sequence[Engine]) -> list[str]:
    width = 3 * NUMBER_WIDTH + 2
    names = "  ".join(f"{ENGINE_NAMES[e] + ' (ms)':<{width}}" for e in engines)
    numbers = "  ".join(
        " ".join(f"{name:>{NUMBER_WIDTH}}" for name in ("first", "p50", "max")) for _ in engines
    )
    references = [r for r in REFERENCES if r in engines and "sift" in engines]
    top = "".join(f"  {'Sift /':>{RATIO_WIDTH}}" for _ in references)
    bottom = "".join(f"  {ENGINE_NAMES[r]:>{RATIO_WIDTH}}" for r in references)
    first = f"{'':<{LABEL_WIDTH}}  {names}{top}"
    return [first.rstrip(), f"{'query':<{LABEL_WIDTH}}  {numbers}{bottom}"]


def format_row(row: Row, engines: Sequence[Engine]) -> str:
    text = f"{row.label:<{LABEL_WIDTH}}  "
    text += "  ".join(_numbers(row.summaries.get(engine)) for engine in engines)
    for reference in REFERENCES:
        if reference in engines and "sift" in engines:
            text += f"  {ratio_text_of(row.ratio(reference)):>{RATIO_WIDTH}}"
    problems = [
        f"{ENGINE_NAMES[engine]} {summary.failures} of {summary.runs} failed"
        for engine, summary in row.summaries.items()
        if summary.failures
    ]
    if problems:
        text += f"  [{'; '.join(problems)}]"
    return text.rstrip()


def format_table(table: Sequence[Row], engines: Sequence[Engine]) -> str:
    return "\n".join([*header_lines(engines), *(format_row(row, engines) for row in table)])


def slowest_line(table: Sequence[Row]) -> str:
    """Where Sift is furthest behind each reference: the query and the ratio."""
    parts = []
    for reference in REFERENCES:
        measured = [(row.ratio(reference), row) for row in table]
        known = [(value, row) for value, row in measured if value is not None]
        if known:
            value, row = max(known, key=lambda pair: pair[0])
            parts.append(
                f"against {ENGINE_NAMES[reference]} on {row.key} ({row.label}): "
                f"{ratio_text_of(value)} its time"
            )
    if not parts:
        return "Sift's slowest query: not known (Sift or both references did not run)."
    return "Sift is slowest " + "; ".join(parts) + "."


def udf_line(python: Summary, builtin: Summary, agreement: str) -> str:
    """The Python UDF against the built-in expression, both in Sift."""
    measured = ratio(python.typical, builtin.typical)
    return (
        f"Python UDF vs built-in SQL (Sift): UDF p50 {_ms(python.typical).strip()} ms, "
        f"built-in p50 {_ms(builtin.typical).strip()} ms: the UDF takes "
        f"{ratio_text_of(measured)} the built-in's time; answers {agreement}."
    )


def cancel_line(lags: Sequence[float]) -> str:
    """The runaway query's reply after Cancel, against the issue's half second."""
    if not lags:
        return "Cancel: not measured (the runaway query did not run)."
    return (
        f"Cancel: a runaway query answered {cancel_figures(lags)} after the cancel call; "
        f"{cancel_verdict(lags)}."
    )


def engine_share_line(samples: Samples, engine_ms: Mapping[str, Sequence[float]]) -> str:
    """How much of Sift's time its engine reports as its own (the `sql` reply's `seconds`)."""
    page = sum(ms for key in engine_ms for ms in samples.get(key, ()) if ms is not None)
    own = sum(ms for values in engine_ms.values() for ms in values)
    if page <= 0 or own <= 0:
        return "Sift's own share of its times: not known (no successful `sql` call)."
    return (
        f"Of Sift's times, {own / page:.1%} is the engine's own (the `sql` reply's `seconds`): "
        "the rest is the worker call and its JSON."
    )
