"""What a chart is: its type, the columns it reads and its aggregate, checked and completed.

``ChartSpec.parse`` takes the ``chart`` argument of the ``chart`` command: a dict (or the
fragment's text, read by sift.chart_spec) and fills in what is implied: no ``y`` means a count;
a ``y`` without ``agg`` means a sum; a histogram always counts rows; a scatter has no
aggregate. Column names are checked against the table later (sift.charts.data).
Imports: the standard library and sift.chart_spec, sift.errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sift.chart_spec import AGGREGATES, TYPES, parse_chart
from sift.errors import SiftError
from sift.record import Record

HINT_TYPES = "Choose one of: " + ", ".join(TYPES) + "."
AGG_WORDS = {"sum": "sum", "mean": "mean", "min": "minimum", "max": "maximum"}


class ChartSpec(Record):
    __slots__ = ("agg", "color", "title", "type", "x", "y")

    def __init__(
        self,
        type: str,
        x: str,
        y: str | None = None,
        agg: str | None = "count",
        color: str | None = None,
        title: str | None = None,
    ) -> None:
        self.type, self.x, self.y, self.agg, self.color, self.title = type, x, y, agg, color, title

    @classmethod
    def parse(cls, raw: object) -> ChartSpec:
        if isinstance(raw, str):
            raw = parse_chart(raw)
        if not isinstance(raw, Mapping):
            raise _error(f"A chart spec must be an object, not {raw!r}.", "Send {type, x, ...}.")
        kind = raw.get("type")
        if kind not in TYPES:
            raise _error(f"Sift has no chart type {kind!r}.", HINT_TYPES)
        x = str(_column(raw, "x", required=True))
        y, color = _column(raw, "y"), _column(raw, "color")
        agg = raw.get("agg")
        if agg is not None and agg not in AGGREGATES:
            raise _error(
                f"A chart's aggregate is one of {', '.join(AGGREGATES)}, not {agg!r}.",
                "Count rows, or sum, average (mean), min or max a number column.",
            )
        title = raw.get("title")
        if title is not None and not isinstance(title, str):
            raise _error(f"A chart's title must be text, not {title!r}.", "Send text or nothing.")
        if kind == "histogram":
            y, agg = None, "count"
        elif kind == "scatter":
            if y is None:
                raise _error("A scatter plot needs a y column.", "Choose a number column as y.")
            agg = None
        elif agg is None:
            agg = "count" if y is None else "sum"
        elif agg != "count" and y is None:
            raise _error(
                f"The {AGG_WORDS[str(agg)]} needs a y column to work on.",
                "Choose a number column as y, or count rows.",
            )
        if agg == "count":
            y = None
        return cls(str(kind), x, y, agg, color, (title or "").strip() or None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "x": self.x,
            "y": self.y,
            "agg": self.agg,
            "color": self.color,
            "title": self.title,
        }


def _column(raw: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise _error(f"A chart needs an {key} column.", f"Choose the column to put on {key}.")
        return None
    if not isinstance(value, str):
        raise _error(f"A chart's {key} must be a column name, not {value!r}.", "Send its name.")
    return value


def _error(message: str, hint: str) -> SiftError:
    return SiftError(message, hint=hint)
