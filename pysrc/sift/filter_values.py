"""Filter values: the kinds of column, and the values a person types parsed for each kind.

A column's kind (text, number, date, boolean) comes from its declared type: Sift's own types
first, then SQLite's affinity rules. Values arrive as text; each kind has a parser that returns
the value to bind, or raises BadValue saying what the text is not. ``shown`` writes a value
back for a sentence. Imports: the standard library only.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

TEXT, NUMBER, DATE, BOOLEAN = "text", "number", "date", "boolean"
KINDS = (TEXT, NUMBER, DATE, BOOLEAN)


def column_kind(declared: str) -> str:
    """The kind of a column from its declared type. Sift's own types first (BOOLEAN, DATE,
    DATETIME, which SQLite would read as NUMERIC), then SQLite's affinity rules in their order:
    INT -> integer; CHAR, CLOB, TEXT -> text; BLOB or nothing -> text here (values of any kind,
    compared as text); REAL, FLOA, DOUB -> real; anything else is NUMERIC."""
    upper = declared.strip().upper()
    if upper in ("BOOLEAN", "BOOL"):
        return BOOLEAN
    if upper in ("DATE", "DATETIME", "TIMESTAMP"):
        return DATE
    if "INT" in upper:
        return NUMBER
    if any(part in upper for part in ("CHAR", "CLOB", "TEXT")) or "BLOB" in upper or not upper:
        return TEXT
    return NUMBER  # REAL, FLOA, DOUB, and NUMERIC affinity (DECIMAL, NUMERIC, MONEY...)


@dataclass(frozen=True)
class Day:
    """A date value: the day, the next day (day ranges keep an index usable) and an optional
    time of day, compared with the time part of stored ISO text whatever its separator."""

    day: str
    next_day: str
    time: str | None

    def __str__(self) -> str:
        return self.day if self.time is None else f"{self.day} {self.time}"


Value = str | int | float | Day

# ---------------------------------------------------------------------------- value parsing

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?")
_BOOLEANS = {
    **dict.fromkeys(("true", "yes", "y", "t", "1"), 1),
    **dict.fromkeys(("false", "no", "n", "f", "0"), 0),
}
EXAMPLES = MappingProxyType(
    {
        TEXT: "any text",
        NUMBER: "a number, e.g. 42 or -3.5",
        DATE: "a date like 2024-01-31 (or 2024-01-31 14:30)",
        BOOLEAN: "true or false",
    }
)


class BadValue(ValueError):
    """A value that does not parse; its message completes "<value> is not ..."."""


def parse_number(text: str) -> int | float:
    """'42' -> 42, '-3.5' -> -3.5, '1e3' -> 1000.0; no thousands separators, no underscores.
    Whole numbers beyond SQLite's 64 bits become the nearest double (they cannot be bound)."""
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        raise BadValue("a number")
    if re.fullmatch(r"[+-]?\d+", cleaned) and -(2**63) <= int(cleaned) < 2**63:
        return int(cleaned)
    number = float(cleaned)
    if not math.isfinite(number):
        raise BadValue("a number Sift can compare (it is too large)")
    return number


def parse_date(text: str) -> Day:
    """'2024-01-31' or '2024-01-31 14:30[:00]' (a T or a space): a real calendar day."""
    found = _DATE.fullmatch(text.strip())
    if found is None:
        raise BadValue("a date")
    try:
        day = datetime.date.fromisoformat(found.group(1))
    except ValueError:
        raise BadValue("a real date") from None
    if found.group(2) is not None and not _valid_time(found.group(2)):
        raise BadValue("a real time")
    following = day + datetime.timedelta(days=1) if day < datetime.date.max else day
    return Day(day.isoformat(), following.isoformat(), found.group(2))


def _valid_time(text: str) -> bool:
    hours, minutes = int(text[:2]), int(text[3:5])
    seconds = int(text[6:8]) if len(text) >= 8 else 0
    return hours < 24 and minutes < 60 and seconds < 60


def parse_boolean(text: str) -> int:
    flag = _BOOLEANS.get(text.strip().lower())
    if flag is None:
        raise BadValue("true or false")
    return flag


def parse_text(text: str) -> str:
    return text


PARSERS: Mapping[str, Callable[[str], Value]] = MappingProxyType(
    {TEXT: parse_text, NUMBER: parse_number, DATE: parse_date, BOOLEAN: parse_boolean}
)


def shown(value: Value, kind: str) -> str:
    """A value in a sentence: text quoted, numbers with thousands separators."""
    if kind == TEXT:
        return f'"{value}"'
    if kind == BOOLEAN:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)
