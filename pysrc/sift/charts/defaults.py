"""A first chart for a view, from its columns' kinds (and how many values a text column has).

The rules, in order (docs/chart-contract.md):
1. a date column and a number column: a line of the number's sum over time;
2. a date column alone: a line of the count of rows over time;
3. a text or true/false column with at most ``FEW_VALUES`` distinct values: a bar of counts;
4. two number columns: a scatter plot of the second against the first;
5. one number column: a histogram;
6. otherwise a bar of the counts of the first column (its top values, the rest as Other).
Number columns named like identifiers (id, rowid, *_id) are passed over: their sum, spread or
correlation means nothing.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sift.charts.data import Source, kind_of
from sift.families import BOOLEAN, DATE, DATETIME, NUMBER, TEXT
from sift.names import quote_ident

FEW_VALUES = 30
_CAMEL_ID = re.compile(r"[a-z](Id|ID)$")  # userId, orderID


def is_identifier(name: str) -> bool:
    lower = name.lower()
    if lower in ("id", "rowid", "oid", "_rowid_") or lower.endswith("_id"):
        return True
    return bool(_CAMEL_ID.search(name))


def few_values(source: Source, column: str) -> int:
    """How many distinct values ``column`` has in the view, counted up to FEW_VALUES + 1."""
    sql = f"SELECT count(*) FROM (SELECT DISTINCT {quote_ident(column)} FROM {source.sql()}"
    return int(source.run(f"{sql} LIMIT {FEW_VALUES + 1})")[0][0])


def pick(
    source: Source, columns: list[str], distinct: Callable[[str], int] | None = None
) -> tuple[dict[str, Any], str]:
    """The default chart spec for the view and the reason for it, in words."""
    count_values = distinct or (lambda column: few_values(source, column))
    kinds = [(name, kind_of(source, name)) for name in columns]
    dates = [name for name, kind in kinds if kind in (DATE, DATETIME)]
    numbers = [name for name, kind in kinds if kind == NUMBER and not is_identifier(name)]
    texts = [name for name, kind in kinds if kind in (TEXT, BOOLEAN)]
    if dates and numbers:
        spec = _spec("line", dates[0], y=numbers[0], agg="sum")
        return spec, f"{dates[0]} holds dates: the sum of {numbers[0]} over time."
    if dates:
        return _spec("line", dates[0]), f"{dates[0]} holds dates: the rows over time."
    for name in texts:
        if count_values(name) <= FEW_VALUES:
            return _spec("bar", name), f"{name} has few values: the rows of each."
    if len(numbers) >= 2:
        spec = _spec("scatter", numbers[0], y=numbers[1])
        return spec, f"{numbers[0]} and {numbers[1]} hold numbers: one against the other."
    if numbers:
        return _spec("histogram", numbers[0]), f"{numbers[0]} holds numbers: their spread."
    first = texts[0] if texts else columns[0]
    if kinds and dict(kinds)[first] == NUMBER:
        return _spec("histogram", first), f"{first} holds numbers: their spread."
    return _spec("bar", first), f"The rows of the most common values of {first}."


def _spec(kind: str, x: str, *, y: str | None = None, agg: str | None = None) -> dict[str, Any]:
    chosen = agg or ("count" if kind in ("bar", "line", "histogram") else None)
    return {"type": kind, "x": x, "y": y, "agg": chosen, "color": None, "title": None}
