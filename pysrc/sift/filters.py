"""The filter registry: one entry per operator, each giving its SQL and its sentence.

A filter is (column, operator, value text). ``compile_filter`` checks it against the column's
kind (text, number, date, boolean: from the declared type, by SQLite's affinity rules), parses
the value for that kind, and returns the SQL fragment (named parameters only, prefixed with the
filter's own prefix so several filters never collide) with the sentence shown above the grid.
Anything wrong raises FilterError: what is wrong, naming the column and the value, and what to
type instead. Imports: the standard library and sift.errors, sift.names.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from sift.errors import SiftError
from sift.names import quote_ident

TEXT, NUMBER, DATE, BOOLEAN = "text", "number", "date", "boolean"
KINDS = (TEXT, NUMBER, DATE, BOOLEAN)
# The declared types Sift writes, per kind: the UI matches operators to a column's declared type.
DECLARED = MappingProxyType(
    {
        TEXT: ("TEXT",),
        NUMBER: ("INTEGER", "REAL"),
        DATE: ("DATE", "DATETIME"),
        BOOLEAN: ("BOOLEAN",),
    }
)
LIKE_ESCAPE = "\\"

Params = dict[str, Any]


class FilterError(SiftError):
    """A filter that cannot be applied; ``column`` is the filter's index in the view's list."""

    kind: ClassVar[str] = "filter"


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
    """'42' -> 42, '-3.5' -> -3.5, '1e3' -> 1000.0; no thousands separators, no underscores."""
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        raise BadValue("a number")
    if re.fullmatch(r"[+-]?\d+", cleaned):
        return int(cleaned)
    return float(cleaned)


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


# ------------------------------------------------------------------------------- SQL pieces

# (quoted column, kind, parsed values, parameter prefix, params to fill) -> SQL fragment
SqlBuilder = Callable[[str, str, Sequence[Value], str, Params], str]


def like_pattern(text: str, before: str, after: str) -> str:
    """``text`` as a LIKE pattern matched literally (% and _ escaped), between wildcards."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return before + escaped + after


def _day_range(column: str, name: str, value: Day, params: Params) -> str:
    """SQL true when ``column`` falls on ``value``'s day (and minute, if it has a time)."""
    params[f"{name}_day"], params[f"{name}_next"] = value.day, value.next_day
    same_day = f"{column} >= :{name}_day AND {column} < :{name}_next"
    if value.time is None:
        return same_day
    params[f"{name}_time"] = value.time
    return f"{same_day} AND substr({column}, 12, {len(value.time)}) = :{name}_time"


def _date_compare(column: str, symbol: str, name: str, value: Day, params: Params) -> str:
    """``column <symbol> value`` for ISO date text: whole days compare as ranges, a time of day
    compares with the stored time part (stored as 2024-01-31T14:30 or 2024-01-31 14:30)."""
    params[f"{name}_day"], params[f"{name}_next"] = value.day, value.next_day
    if value.time is None:
        bound = {">": "next", ">=": "day", "<": "day", "<=": "next"}[symbol]
        strict = ">=" if symbol in (">", ">=") else "<"
        return f"{column} {strict} :{name}_{bound}"
    params[f"{name}_time"] = value.time
    other_days = f"{column} >= :{name}_next" if ">" in symbol else f"{column} < :{name}_day"
    same_day = f"{column} >= :{name}_day AND {column} < :{name}_next"
    return f"({other_days} OR ({same_day} AND substr({column}, 12) {symbol} :{name}_time))"


def _compare(symbol: str) -> SqlBuilder:
    def build(column: str, kind: str, values: Sequence[Value], name: str, params: Params) -> str:
        (value,) = values
        if isinstance(value, Day):
            return _date_compare(column, symbol, name, value, params)
        params[name] = value
        return f"{column} {symbol} :{name}"

    return build


def _exact(column: str, kind: str, values: Sequence[Value], name: str, params: Params) -> str:
    (value,) = values
    if isinstance(value, Day):
        return _day_range(column, name, value, params)
    params[name] = value
    return f"{column} = :{name}"


def _not(column: str, kind: str, values: Sequence[Value], name: str, params: Params) -> str:
    # Empty values are "not Paris" too: people expect them kept, SQL's != would drop them.
    return f"({column} IS NULL OR NOT ({_exact(column, kind, values, name, params)}))"


def _like(before: str, after: str) -> SqlBuilder:
    def build(column: str, kind: str, values: Sequence[Value], name: str, params: Params) -> str:
        params[name] = like_pattern(str(values[0]), before, after)
        return f"{column} LIKE :{name} ESCAPE '{LIKE_ESCAPE}'"

    return build


def _between(column: str, kind: str, values: Sequence[Value], name: str, params: Params) -> str:
    low = _compare(">=")(column, kind, values[:1], f"{name}_lo", params)
    high = _compare("<=")(column, kind, values[1:], f"{name}_hi", params)
    return f"({low} AND {high})"


def _fixed(sql: str) -> SqlBuilder:
    def build(column: str, kind: str, values: Sequence[Value], name: str, params: Params) -> str:
        return sql.format(column=column)

    return build


@dataclass(frozen=True)
class Operator:
    """A registry entry: the name used in links, the words used in sentences (per kind where
    they differ), the kinds of column it applies to, how many values it takes, and its SQL."""

    name: str
    label: str
    kinds: tuple[str, ...]
    arity: int
    sql: SqlBuilder
    kind_labels: Mapping[str, str] = field(default_factory=dict)
    needs_text: bool = False  # an empty value means nothing (contains "")

    def label_for(self, kind: str) -> str:
        return self.kind_labels.get(kind, self.label)

    def to_dict(self) -> dict[str, Any]:
        types = [declared for kind in self.kinds for declared in DECLARED[kind]]
        return {
            "name": self.name,
            "label": self.label,
            "types": types,
            "kinds": list(self.kinds),
            "arity": self.arity,
        }


_ORDERED = (NUMBER, DATE)
_EQUAL = (TEXT, NUMBER, DATE, BOOLEAN)
_ALL = KINDS
_WHEN = MappingProxyType
OPERATORS: Mapping[str, Operator] = MappingProxyType(
    {
        op.name: op
        for op in (
            Operator("exact", "is", _EQUAL, 1, _exact),
            Operator("not", "is not", _EQUAL, 1, _not),
            Operator("contains", "contains", (TEXT,), 1, _like("%", "%"), needs_text=True),
            Operator("startswith", "starts with", (TEXT,), 1, _like("", "%"), needs_text=True),
            Operator("endswith", "ends with", (TEXT,), 1, _like("%", ""), needs_text=True),
            Operator(
                "gt", "is greater than", _ORDERED, 1, _compare(">"), _WHEN({DATE: "is after"})
            ),
            Operator(
                "gte", "is at least", _ORDERED, 1, _compare(">="), _WHEN({DATE: "is on or after"})
            ),
            Operator("lt", "is less than", _ORDERED, 1, _compare("<"), _WHEN({DATE: "is before"})),
            Operator(
                "lte", "is at most", _ORDERED, 1, _compare("<="), _WHEN({DATE: "is on or before"})
            ),
            Operator("between", "is between", _ORDERED, 2, _between),
            Operator("isnull", "is empty", _ALL, 0, _fixed("{column} IS NULL")),
            Operator("notnull", "is not empty", _ALL, 0, _fixed("{column} IS NOT NULL")),
            Operator("istrue", "is true", (BOOLEAN,), 0, _fixed("{column} = 1")),
            Operator("isfalse", "is false", (BOOLEAN,), 0, _fixed("{column} = 0")),
        )
    }
)


# ------------------------------------------------------------------------------- compiling


@dataclass(frozen=True)
class Column:
    """A column as filters see it: its stored name, declared type and kind."""

    name: str
    declared: str

    @property
    def kind(self) -> str:
        return column_kind(self.declared)


@dataclass(frozen=True)
class Filter:
    """A checked filter: the normalised spec, its sentence, and its SQL with parameters."""

    column: str
    op: str
    value: str
    text: str
    sql: str
    params: Params

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "op": self.op, "value": self.value, "text": self.text}


def compile_filter(
    index: int, column: object, op: object, value: object, columns: Sequence[Column]
) -> Filter:
    """Check filter number ``index`` against the table's ``columns``; its parameters are
    named ``f<index>...``. Raises FilterError (``column`` = ``index``) when it cannot apply."""
    found = _find_column(index, column, columns)
    operator = _find_operator(index, op, found)
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    values = _parse_values(index, operator, found, text)
    params: Params = {}
    sql = operator.sql(quote_ident(found.name), found.kind, values, f"f{index}", params)
    words = [found.name, operator.label_for(found.kind)]
    words += [" and ".join(shown(v, found.kind) for v in values)] if values else []
    normal = "" if operator.arity == 0 else text.strip() if found.kind != TEXT else text
    return Filter(found.name, operator.name, normal, " ".join(words), f"({sql})", params)


def _find_column(index: int, column: object, columns: Sequence[Column]) -> Column:
    if isinstance(column, str):
        for candidate in columns:
            if candidate.name.lower() == column.lower():
                return candidate
    names = [c.name for c in columns]
    shown_names = ", ".join(names[:10]) + (", …" if len(names) > 10 else "")
    raise FilterError(
        f"Filter {index + 1}: there is no column named {column!r}.",
        hint=f"Choose one of the columns: {shown_names}.",
        column=index,
    )


def _find_operator(index: int, op: object, column: Column) -> Operator:
    fitting = [o.name for o in OPERATORS.values() if column.kind in o.kinds]
    operator = OPERATORS.get(op) if isinstance(op, str) else None
    if operator is None:
        raise FilterError(
            f"Filter on {column.name}: there is no filter {op!r}.",
            hint=f"Use one of: {', '.join(fitting)}.",
            column=index,
        )
    if column.kind not in operator.kinds:
        raise FilterError(
            f"Filter on {column.name}: {operator.name!r} ({operator.label}) does not apply to "
            f"{column.name}, a {column.kind} column.",
            hint=f"Use one of: {', '.join(fitting)}.",
            column=index,
        )
    return operator


def _parse_values(index: int, operator: Operator, column: Column, text: str) -> list[Value]:
    if operator.arity == 0:
        return []
    parts = text.split(",") if operator.arity == 2 else [text]
    if len(parts) != operator.arity:
        raise FilterError(
            f"Filter on {column.name}: {operator.label} needs two values separated by a comma, "
            f"not {text!r}.",
            hint=f"Type the low and the high value, e.g. {_pair_example(column.kind)}.",
            column=index,
        )
    if operator.needs_text and not text:
        raise FilterError(
            f"Filter on {column.name}: {operator.label} needs some text to look for.",
            hint="Type the text, or remove this filter.",
            column=index,
        )
    parsed: list[Value] = []
    for part in parts:
        try:
            parsed.append(PARSERS[column.kind](part))
        except BadValue as error:
            raise FilterError(
                f"Filter on {column.name}: {part.strip()!r} is not {error}.",
                hint=f"{column.name} holds {column.kind}s: type {EXAMPLES[column.kind]}.",
                column=index,
            ) from None
    if len(parsed) == 2 and _order_key(parsed[0]) > _order_key(parsed[1]):
        raise FilterError(
            f"Filter on {column.name}: {shown(parsed[0], column.kind)} is greater than "
            f"{shown(parsed[1], column.kind)}, so nothing is between them.",
            hint="Type the low value first, then the high value.",
            column=index,
        )
    return parsed


def _order_key(value: Value) -> tuple[float, str]:
    if isinstance(value, int | float):
        return (float(value), "")
    return (0.0, f"{value.day} {value.time or ''}" if isinstance(value, Day) else value)


def _pair_example(kind: str) -> str:
    return "2024-01-01,2024-12-31" if kind == DATE else "20,30"


def registry() -> list[dict[str, Any]]:
    """The operators as the UI lists them in menus, in the registry's order."""
    return [operator.to_dict() for operator in OPERATORS.values()]


def describe(filters: Sequence[Filter]) -> str:
    """'Rows where city is "Paris" and age is between 20 and 30', or '' without filters."""
    if not filters:
        return ""
    return "Rows where " + " and ".join(f.text for f in filters)
