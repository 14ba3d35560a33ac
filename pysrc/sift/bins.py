"""Histogram bins with nice edges, for numbers and for dates, and the filters that select them.

Edges are half-open ranges ``[edge[i], edge[i + 1])`` that cover every value from ``low`` to
``high``; the last edge is strictly above ``high``, so no bin is special. Number steps are 1, 2
or 5 times a power of ten; date steps are whole minutes, hours, days, months or years. An edge
is written exactly as the text a filter would hold (``0.3`` is ``3 / 10``, the double that
``float("0.3")`` reads), so a count made by comparing with the edges is the count the bin's
filter selects.

A bin's ``filters`` select exactly its rows (as sift.filters reads them): ``between low,high``
(inclusive) when a gap-free inclusive ``high`` exists (whole numbers: next edge - 1; bins of
whole days: the day before the next edge, a date-time on that day included), otherwise
``gte low`` and ``lt next-edge`` (reals; date-times in bins of minutes or hours).
Imports: the standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

TARGET_BINS = 20
_MANTISSAS = (1, 2, 5)
# (unit, multiples) from the finest to the coarsest; weeks are 7 days
_DATE_STEPS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("minute", (1, 2, 5, 10, 15, 30)),
    ("hour", (1, 2, 3, 6, 12)),
    ("day", (1, 2, 7, 14)),
    ("month", (1, 2, 3, 6)),
    ("year", (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)),
)
_DAY_UNITS = ("day", "month", "year")


@dataclass(frozen=True)
class Edges:
    """Bin edges and how to turn one bin into filters.

    ``values`` are numbers (int for whole-number bins) or ISO text (dates); ``inclusive`` says
    that bin ``i`` is ``between values[i], high(i)`` with ``high(i)`` the last value before
    ``values[i + 1]`` (whole numbers, days); otherwise it is ``>= values[i]`` and ``<
    values[i + 1]``.
    """

    values: list[Any]
    inclusive: bool
    unit: str  # "number", or the date unit: minute, hour, day, month, year

    def high(self, i: int) -> Any:
        """What the UI shows as the top of bin ``i`` (inclusive or exclusive, see above)."""
        top = self.values[i + 1]
        if not self.inclusive:
            return top
        if isinstance(top, int):
            return top - 1
        return (date.fromisoformat(top[:10]) - timedelta(days=1)).isoformat()

    def bins(self, counts: list[int]) -> list[dict[str, Any]]:
        """``[{low, high, count, filters: [{op, value}]}]`` for ``counts`` (one per bin)."""
        out = []
        for i, count in enumerate(counts):
            low, high = self.values[i], self.high(i)
            if self.inclusive:
                filters = [{"op": "between", "value": f"{_text(low)},{_text(high)}"}]
            else:
                filters = [
                    {"op": "gte", "value": _text(low)},
                    {"op": "lt", "value": _text(high)},
                ]
            out.append({"low": low, "high": high, "count": count, "filters": filters})
        return out


def bindable(edge: Any) -> Any:
    """An edge as an SQL parameter: Python ints beyond SQLite's 64 bits cannot be bound, so
    those are compared as the nearest double (SQLite compares integers and reals exactly)."""
    if isinstance(edge, int) and not -(2**63) <= edge < 2**63:
        return float(edge)
    return edge


def _text(value: Any) -> str:
    """An edge as filter text: repr of a float is its shortest exact spelling."""
    return repr(value) if isinstance(value, float) else str(value)


def number_edges(low: float, high: float, *, whole: bool, target: int = TARGET_BINS) -> Edges:
    """Edges covering ``[low, high]`` (finite, low <= high) in at most about ``target`` bins.

    ``whole``: every value is an integer, so steps are whole and bins inclusive.
    """
    raw = high / target - low / target  # no overflow even from -1e308 to 1e308
    if raw <= 0:  # one value: a bin of the value's own magnitude
        raw = (abs(low) or 1.0) / target
    # no step finer than the doubles around the values: edges would repeat
    # (nor finer than 1e-300, whose power of ten still converts to a double)
    raw = max(raw, 4 * math.ulp(max(abs(low), abs(high))), 1e-300)
    mantissa, exponent = _nice_step(raw)
    while True:
        if whole and exponent < 0:
            mantissa, exponent = 1, 0
        first, last = _edge_range(low, high, mantissa, exponent, whole)
        # A range just past a step boundary (-1e-71 to 1 in steps of 0.05) needs one bin
        # more than ``target``; the next nice step keeps the count in bounds.
        if last - first <= target + 1:
            break
        mantissa, exponent = _nice_step(mantissa * 10.0**exponent * 1.01)
    values = [_edge(k, mantissa, exponent, whole) for k in range(first, last + 1)]
    return Edges(values, inclusive=whole, unit="number")


def _edge_range(
    low: float, high: float, mantissa: int, exponent: int, whole: bool
) -> tuple[int, int]:
    """The indexes of the first edge at or below ``low`` and the first above ``high``."""
    first = math.floor(_exact_div(low, mantissa, exponent))
    while _edge(first, mantissa, exponent, whole) > low:  # the division may round up
        first -= 1
    last = math.floor(_exact_div(high, mantissa, exponent)) + 1
    while _edge(last, mantissa, exponent, whole) <= high:
        last += 1
    return first, last


def _nice_step(raw: float) -> tuple[int, int]:
    """The smallest 1, 2 or 5 x 10^e that is at least ``raw`` (> 0)."""
    exponent = math.floor(math.log10(raw))
    for _ in range(2):
        for mantissa in _MANTISSAS:
            if mantissa * 10.0**exponent >= raw * (1 - 1e-12):
                return mantissa, exponent
        exponent += 1
    return 1, exponent  # pragma: no cover - the loop above always returns


def _exact_div(value: float, mantissa: int, exponent: int) -> float:
    """``value / (mantissa * 10^exponent)`` without the rounding error of 10.0**-e."""
    scale: int = 10 ** abs(exponent)
    if exponent >= 0:
        return value / (mantissa * scale)
    return value * scale / mantissa


def _edge(k: int, mantissa: int, exponent: int, whole: bool) -> int | float:
    """Edge ``k``: k x mantissa x 10^exponent, the double nearest the decimal number."""
    scale: int = 10 ** abs(exponent)
    try:
        if exponent >= 0:
            value = k * mantissa * scale
            return value if whole else float(value)
        return k * mantissa / scale  # int / int rounds once, correctly
    except OverflowError:  # an edge past the largest double: every finite value is below it
        return math.inf if k > 0 else -math.inf


def parse_moment(text: object) -> datetime | None:
    """An ISO date or date-time (as DATE and DATETIME columns hold them), or None."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


def date_edges(
    low: datetime, high: datetime, *, with_time: bool, sep: str = " ", target: int = TARGET_BINS
) -> Edges | None:
    """Edges covering ``[low, high]`` in whole minutes, hours, days, months or years; None when
    the range reaches past the years 1-9999 that the edges can spell."""
    for unit, multiples in _DATE_STEPS:
        if not with_time and unit not in _DAY_UNITS:
            continue
        for step in multiples:
            try:
                values = _date_range(low, high, unit, step, target)
            except (OverflowError, ValueError):
                return None
            if values is not None:
                texts = [_date_text(v, unit, with_time, sep) for v in values]
                # whole days: ``between`` reads a day as the whole day, times included
                return Edges(texts, inclusive=unit in _DAY_UNITS, unit=unit)
    return None


def _date_range(
    low: datetime, high: datetime, unit: str, step: int, target: int
) -> list[datetime] | None:
    """Edges from ``low`` floored to a multiple of the step until past ``high``; None if that
    makes more than ``target`` bins."""
    start = _floor(low, unit, step)
    values = [start]
    while values[-1] <= high:
        if len(values) > target:
            return None
        values.append(_advance(values[-1], unit, step))
    return values


def _floor(moment: datetime, unit: str, step: int) -> datetime:
    if unit == "minute":
        return moment.replace(minute=moment.minute - moment.minute % step, second=0, microsecond=0)
    if unit == "hour":
        return moment.replace(hour=moment.hour - moment.hour % step, minute=0, second=0,
                              microsecond=0)  # fmt: skip
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return day
    if unit == "month":
        return day.replace(month=(day.month - 1) // step * step + 1, day=1)
    return day.replace(year=max(1, day.year // step * step), month=1, day=1)


def _advance(moment: datetime, unit: str, step: int) -> datetime:
    if unit == "minute":
        return moment + timedelta(minutes=step)
    if unit == "hour":
        return moment + timedelta(hours=step)
    if unit == "day":
        return moment + timedelta(days=step)
    if unit == "month":
        months = moment.year * 12 + moment.month - 1 + step
        return moment.replace(year=months // 12, month=months % 12 + 1)
    return moment.replace(year=moment.year + step)


def _date_text(moment: datetime, unit: str, with_time: bool, sep: str) -> str:
    """Day-or-longer edges as YYYY-MM-DD (which sorts before that day's first date-time as
    text); shorter ones with the column's own date/time separator."""
    if unit in _DAY_UNITS:
        return moment.date().isoformat()
    return moment.date().isoformat() + sep + moment.strftime("%H:%M:%S")
