"""Values crossing between user Python and SQLite, and the column type a set of values calls for.

Into Python, values are what SQLite holds (int, float, str, bytes, None). Out of Python:
None stays NULL; bool becomes 1/0; int stays int, unless it is too big for SQLite's 64 bits
(then its exact digits as text); float stays float, except NaN, which becomes NULL (SQLite has
no NaN: it would store NULL anyway), while infinities are kept; str stays str; bytes,
bytearray and memoryview become a blob; a datetime, date or time becomes ISO 8601 text;
Decimal and Fraction become float; list, tuple and dict become JSON text (which SQLite's json
functions read); anything else becomes ``str(value)``. None of these conversions is an error.
Imports: the standard library and sift.workspace (for the JSON-able form of a stored value).
"""

from __future__ import annotations

import datetime
import decimal
import fractions
import json
import math
from collections.abc import Iterable
from typing import Any

from sift.workspace import as_boolean, to_jsonable

SQLITE_MIN_INT, SQLITE_MAX_INT = -(2**63), 2**63 - 1

# What a converted value was, for the column type: one word per kind.
NULL, BOOLEAN, INTEGER, REAL, DATE, DATETIME, TEXT, BLOB = (
    "null",
    "boolean",
    "integer",
    "real",
    "date",
    "datetime",
    "text",
    "blob",
)

SqlValue = int | float | str | bytes | None


def to_sql(value: object) -> tuple[SqlValue, str]:
    """``value`` as SQLite stores it, and its kind (one of the words above)."""
    if value is None:
        return None, NULL
    if isinstance(value, bool):
        return int(value), BOOLEAN
    if isinstance(value, int):
        if SQLITE_MIN_INT <= value <= SQLITE_MAX_INT:
            return int(value), INTEGER
        return str(int(value)), TEXT  # exact digits rather than a rounded float
    if isinstance(value, float):
        return (None, NULL) if math.isnan(value) else (float(value), REAL)
    if isinstance(value, str):
        return str(value), TEXT
    return _other(value)


def _other(value: object) -> tuple[SqlValue, str]:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value), BLOB
    if isinstance(value, datetime.datetime):  # before date: a datetime is a date too
        return value.isoformat(), DATETIME
    if isinstance(value, datetime.date):
        return value.isoformat(), DATE
    if isinstance(value, datetime.time):
        return value.isoformat(), TEXT
    if isinstance(value, decimal.Decimal | fractions.Fraction):
        return to_sql(float(value))
    if isinstance(value, list | tuple | dict):
        try:
            return json.dumps(value, ensure_ascii=False, default=str, allow_nan=False), TEXT
        except (TypeError, ValueError):  # NaN inside, or keys JSON cannot hold
            return str(value), TEXT
    return str(value), TEXT


_PLAIN = {type(None): NULL, int: INTEGER, float: REAL, str: TEXT}


def to_sql_all(values: list[object], kinds: set[str]) -> list[SqlValue]:
    """``to_sql`` over a list, adding the kinds seen to ``kinds``; values that SQLite takes as
    they are (the usual case: all text, or all numbers in range) are returned untouched."""
    types = set(map(type, values))
    if types <= _PLAIN.keys() and _plain(values, types):
        kinds.update(_PLAIN[t] for t in types)
        return values  # type: ignore[return-value]  # checked: only None, int, float, str
    converted: list[SqlValue] = []
    for value in values:
        stored, kind = to_sql(value)
        converted.append(stored)
        kinds.add(kind)
    return converted


def _plain(values: list[object], types: set[type]) -> bool:
    """No NaN among the floats, no int beyond SQLite's 64 bits."""
    if float in types:
        floats = values if len(types) == 1 else [v for v in values if type(v) is float]
        if any(map(math.isnan, floats)):  # type: ignore[arg-type]  # checked: floats only
            return False
    if int in types:
        ints = [v for v in values if isinstance(v, int)]
        return min(ints) >= SQLITE_MIN_INT and max(ints) <= SQLITE_MAX_INT
    return True


# One kind -> the declared type (sift.column_types.COLUMN_TYPES, plus BLOB for raw bytes).
_SINGLE = {
    BOOLEAN: "BOOLEAN",
    INTEGER: "INTEGER",
    REAL: "REAL",
    DATE: "DATE",
    DATETIME: "DATETIME",
    TEXT: "TEXT",
    BLOB: "BLOB",
}
_MIXED = (
    ({INTEGER, REAL}, "REAL"),
    ({BOOLEAN, INTEGER}, "INTEGER"),
    ({BOOLEAN, INTEGER, REAL}, "REAL"),
    ({DATE, DATETIME}, "DATETIME"),
)


def column_type(kinds: Iterable[str]) -> str:
    """The declared type for a column whose values had these kinds (NULLs do not count):
    one kind gives its own type, numbers together give REAL (INTEGER for booleans and
    integers), dates with datetimes give DATETIME, any other mixture (or nothing) TEXT."""
    present = set(kinds) - {NULL}
    if len(present) == 1:
        return _SINGLE[present.pop()]
    for members, declared in _MIXED:
        if present == members:
            return declared
    return "TEXT"


def shown(value: SqlValue, declared: str) -> Any:
    """A stored value as the UI shows it: JSON-able, BOOLEAN columns as true/false."""
    return as_boolean(value) if declared == "BOOLEAN" else to_jsonable(value)
