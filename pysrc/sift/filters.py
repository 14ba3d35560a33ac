"""The filter registry: one entry per operator, each giving its SQL and its sentence.

A filter is (column, operator, value text). ``compile_filter`` checks it against the column's
kind (text, number, date, boolean: from the declared type, by SQLite's affinity rules), parses
the value for that kind, and returns the SQL fragment (named parameters only, prefixed with the
filter's own prefix so several filters never collide) with the sentence shown above the grid.
Anything wrong raises FilterError: what is wrong, naming the column and the value, and what to
type instead. Kinds and value parsing live in sift.filter_values.
Imports: the standard library and sift.errors, sift.filter_values, sift.names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from sift.errors import SiftError
from sift.filter_values import (
    BOOLEAN,
    DATE,
    EXAMPLES,
    KINDS,
    NUMBER,
    PARSERS,
    TEXT,
    BadValue,
    Day,
    Value,
    column_kind,
    shown,
)
from sift.names import quote_ident

__all__ = [
    "BOOLEAN",
    "DATE",
    "KINDS",
    "NUMBER",
    "OPERATORS",
    "TEXT",
    "Column",
    "Filter",
    "FilterError",
    "Operator",
    "column_kind",
    "compile_filter",
    "describe",
    "like_pattern",
    "registry",
]
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


def describe(filters: Sequence[Filter], q: str = "") -> str:
    """'Rows containing “smith” where city is "Paris" and age is between 20 and 30', or ''
    without a search or filters."""
    if not filters and not q:
        return ""
    searched = f" containing “{q}”" if q else ""
    where = " where " + " and ".join(f.text for f in filters) if filters else ""
    return "Rows" + searched + where
