"""Axes: nice ticks for numbers (1, 2 or 5 times a power of ten) and for dates (whole days,
months or years, from sift.bins), mapping values to drawing coordinates, and tick labels.

Dates are placed by their day number (``day_number``: days since year 1, with the time as a
fraction), so a time axis is a linear axis whose ticks fall on calendar boundaries.
Imports: the standard library and sift.bins, sift.number_format.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sift.bins import date_edges, parse_moment
from sift.number_format import figure, fixed
from sift.record import Record

TICKS = 5  # about this many ticks on an axis
_COMPACT = ((1e12, "T"), (1e9, "B"), (1e6, "M"))


class Axis(Record):
    """A linear axis from ``low`` to ``high`` with ticks at ``ticks`` labelled ``labels``."""

    __slots__ = ("high", "labels", "low", "ticks")

    def __init__(self, low: float, high: float, ticks: list[float], labels: list[str]) -> None:
        self.low, self.high, self.ticks, self.labels = low, high, ticks, labels

    def at(self, value: float, start: float, end: float) -> float:
        """``value`` mapped from [low, high] onto [start, end] (start may exceed end)."""
        span = self.high - self.low
        share = (value - self.low) / span if span else 0.5
        return start + share * (end - start)


def nice_step(raw: float) -> tuple[int, int]:
    """The smallest 1, 2 or 5 x 10^e at least ``raw`` (> 0), as (mantissa, exponent)."""
    exponent = math.floor(math.log10(raw))
    for power in (exponent, exponent + 1):
        for mantissa in (1, 2, 5):
            if mantissa * 10.0**power >= raw * (1 - 1e-9):
                return mantissa, power
    return 1, exponent + 1  # pragma: no cover - the loop always returns


def tick_step(span: float, ticks: int) -> tuple[int, int]:
    """The step for about ``ticks`` ticks over ``span`` (> 0): 1, 2 or 5 x 10^e, the one
    nearest the raw step on a log scale (as d3's ticks), so an axis ends close to its data."""
    raw = span / ticks
    exponent = math.floor(math.log10(raw))
    error = raw / 10.0**exponent
    if error >= math.sqrt(50):
        return 1, exponent + 1
    if error >= math.sqrt(10):
        return 5, exponent
    return (2, exponent) if error >= math.sqrt(2) else (1, exponent)


def _multiple(k: int, mantissa: int, exponent: int) -> float:
    scale = 10 ** abs(exponent)
    return float(k * mantissa * scale) if exponent >= 0 else k * mantissa / scale


def number_axis(low: float, high: float, *, zero: bool = False, ticks: int = TICKS) -> Axis:
    """An axis from a tick at or below ``low`` to one at or above ``high`` (``zero``: the
    axis includes 0, as bars and areas need)."""
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        pad = abs(low) / 10 or 1.0
        low, high = (low, low + pad) if zero and low == 0 else (low - pad, high + pad)
    mantissa, exponent = tick_step(high - low, ticks)
    step = _multiple(1, mantissa, exponent)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    values = [_multiple(k, mantissa, exponent) for k in range(first, last + 1)]
    decimals = max(0, -exponent)
    return Axis(values[0], values[-1], values, [number_label(v, decimals) for v in values])


def number_label(value: float, decimals: int) -> str:
    """A tick label: grouped digits (1,200), or compact past a million (2.5M, 1B)."""
    for size, suffix in _COMPACT:
        if abs(value) >= size:
            places = max(0, decimals + round(math.log10(size)))
            return fixed(value / size, min(places, 3)) + suffix
    return fixed(value, decimals)


def value_text(value: object) -> str:
    """A value as a tooltip or a sentence says it: 12,345, 3.14, 2024-01-31, Paris."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return figure(int(value))
    return figure(value)


def day_number(moment: datetime) -> float:
    """Days since 0001-01-01 (its day number is 1), the time of day as a fraction."""
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return moment.toordinal() + seconds / 86400


def date_axis(low: datetime, high: datetime, *, with_time: bool, ticks: int = TICKS) -> Axis:
    """An axis from ``low`` to ``high`` with ticks on whole days, months or years inside it
    (whole hours or minutes too when ``with_time``)."""
    start, end = day_number(low), day_number(high)
    if end == start:
        start, end = start - 1, end + 1
    edges = date_edges(low, high, with_time=with_time, target=ticks) if low <= high else None
    values, labels = [], []
    for text in edges.values if edges is not None else []:
        moment = parse_moment(text)
        if moment is not None and start <= day_number(moment) <= end:
            values.append(day_number(moment))
            labels.append(date_label(text, edges.unit if edges is not None else "day"))
    return Axis(start, end, values, labels)


def date_label(text: str, unit: str) -> str:
    """A date tick: 2024 for years, 2024-03 for months, 2024-03-15 for days, with the time
    (2024-03-15 14:00) for hours and minutes."""
    if unit == "year":
        return text[:4]
    if unit == "month":
        return text[:7]
    if unit == "day":
        return text[:10]
    return text[:10] + " " + text[11:16]


def moment_at(day: float) -> datetime:
    """The inverse of ``day_number`` (to the second)."""
    whole = int(day // 1)
    seconds = round((day - whole) * 86400)
    return datetime.fromordinal(max(1, whole)) + timedelta(seconds=seconds)


def axis_for(kind: str, low: float, high: float, *, zero: bool = False) -> Axis:
    """A number axis, or a date axis for day numbers of a date or date-time column."""
    if kind in ("date", "datetime"):
        return date_axis(moment_at(low), moment_at(high), with_time=kind == "datetime")
    return number_axis(low, high, zero=zero)


def inside(axis: Axis, low: float, high: float) -> Axis:
    """``axis`` stretched to exactly [low, high], keeping only the ticks inside (histogram
    edges are already nice: the bars should fill the plot)."""
    kept = [
        (t, label) for t, label in zip(axis.ticks, axis.labels, strict=True) if low <= t <= high
    ]
    return Axis(low, high, [t for t, _ in kept], [label for _, label in kept])


def date_unit(span_days: float, with_time: bool) -> str:
    """Buckets for a date range: a few hundred points at most."""
    if with_time and span_days <= 3:
        return "hour"
    if span_days <= 180:
        return "day"
    return "month" if span_days <= 366 * 12 else "year"


def bucket_moment(text: str, unit: str) -> str:
    """A bucket's text (2024, 2024-03, 2024-03-15, 2024-03-15T14) as a date or date-time."""
    if unit == "year":
        return text + "-01-01"
    if unit == "month":
        return text + "-01"
    return text if unit == "day" else text[:10] + " " + text[11:13] + ":00"
