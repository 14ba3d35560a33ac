"""The column types a person can choose, and the SQL that converts a column to one of them.

Types are declared SQL types that later code reads back from ``PRAGMA table_info``: INTEGER,
REAL and TEXT, plus BOOLEAN (stored as 1/0), DATE and DATETIME (ISO 8601 text). A conversion
the user asks for is more lenient than import-time inference (it trims spaces, accepts leading
zeros and ``yes``/``no``), but it never guesses: a value that does not convert becomes NULL,
and the caller counts those. Reals become INTEGER only when they are whole numbers.
Imports: the standard library only (sqlite3 to register the functions the SQL uses).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from types import MappingProxyType

__all__ = ["COLUMN_TYPES", "REAL_FUNCTION", "conversion_sql", "normalise_type", "register"]

# SQLite's own text-to-real conversion (3.39, 3.40) is off by one unit in the last place for
# about 1 value in 4,000 (CAST('0.76339696051' AS REAL) gives 0.7633969605099999): numbers
# go through Python's float(), which rounds correctly. "1,5" is read as 1.5: callers only pass
# text already checked to be a number.
REAL_FUNCTION = "sift_real"


def text_to_real(value: object) -> float | None:
    """``value`` as a float (a decimal comma read as a point); None if it is not a number."""
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    if isinstance(value, int | float):
        return float(value)
    return None


def register(conn: sqlite3.Connection) -> None:
    """Make the conversion functions these SQL expressions use available on ``conn``."""
    conn.create_function(REAL_FUNCTION, 1, text_to_real, deterministic=True)


_BOOLEAN_WORDS = {
    **dict.fromkeys(("true", "yes", "y", "t", "1"), 1),
    **dict.fromkeys(("false", "no", "n", "f", "0"), 0),
}
_DATE_SHAPE = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"


def _number(text: str) -> str:
    """True when ``text`` (an SQL expression without affinity) is a whole numeric literal.

    CAST(... AS NUMERIC) has NUMERIC affinity, so the comparison converts ``text`` only if all
    of it is a number ("12abc" stays text and compares unequal).
    """
    return f"CAST({text} AS NUMERIC) = {text}"


def _to_integer(value: str, current: str) -> str:
    text = f"trim({value})"
    number = f"CAST({text} AS NUMERIC)"
    return (
        f"CASE typeof({value})"
        f" WHEN 'integer' THEN {value}"
        f" WHEN 'real' THEN CASE WHEN {value} = CAST({value} AS INTEGER)"
        f" THEN CAST({value} AS INTEGER) END"
        f" WHEN 'text' THEN CASE WHEN {_number(text)} AND {number} = CAST({number} AS INTEGER)"
        f" THEN CAST({number} AS INTEGER) END END"
    )


def _to_real(value: str, current: str) -> str:
    text = f"trim({value})"
    return (
        f"CASE typeof({value})"
        f" WHEN 'integer' THEN CAST({value} AS REAL) WHEN 'real' THEN {value}"
        f" WHEN 'text' THEN CASE WHEN {_number(text)} THEN {REAL_FUNCTION}({text}) END END"
    )


def _to_text(value: str, current: str) -> str:
    if current == "BOOLEAN":
        return f"CASE {value} WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE CAST({value} AS TEXT) END"
    return f"CAST({value} AS TEXT)"


def _to_boolean(value: str, current: str) -> str:
    words = " ".join(f"WHEN '{word}' THEN {flag}" for word, flag in _BOOLEAN_WORDS.items())
    return (
        f"CASE WHEN typeof({value}) IN ('integer', 'real')"
        f" THEN CASE {value} WHEN 1 THEN 1 WHEN 0 THEN 0 END"
        f" WHEN typeof({value}) = 'text' THEN CASE lower(trim({value})) {words} END END"
    )


def _iso_text(value: str) -> str:
    """True when ``value`` is text that starts with a real ISO date and SQLite can read whole."""
    text = f"trim({value})"
    day = f"substr({text}, 1, 10)"
    return (
        f"typeof({value}) = 'text' AND {text} GLOB {_DATE_SHAPE}"
        f" AND date(julianday({day})) = {day} AND julianday({text}) IS NOT NULL"
    )


def _to_date(value: str, current: str) -> str:
    return f"CASE WHEN {_iso_text(value)} THEN substr(trim({value}), 1, 10) END"


def _to_datetime(value: str, current: str) -> str:
    return f"CASE WHEN {_iso_text(value)} THEN trim({value}) END"


# declared type -> (quoted column, its current declared type) -> SQL expression
COLUMN_TYPES: MappingProxyType[str, Callable[[str, str], str]] = MappingProxyType(
    {
        "INTEGER": _to_integer,
        "REAL": _to_real,
        "TEXT": _to_text,
        "BOOLEAN": _to_boolean,
        "DATE": _to_date,
        "DATETIME": _to_datetime,
    }
)


def normalise_type(name: object) -> str | None:
    """The declared type ``name`` means (any letter case, surrounding spaces ignored), or None."""
    if not isinstance(name, str):
        return None
    upper = name.strip().upper()
    return upper if upper in COLUMN_TYPES else None


def conversion_sql(quoted_column: str, target: str, current: str) -> str:
    """The SQL expression giving ``quoted_column``'s value as ``target``, NULL if it does not
    convert. ``current`` is the column's declared type now (BOOLEAN 1/0 become true/false)."""
    return COLUMN_TYPES[target](quoted_column, current.strip().upper())
