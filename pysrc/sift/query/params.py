"""The values of a query's ``:name`` parameters: text from the UI, numbers where they look so.

A value whose text is a whole integer or a decimal ("42", "-3.5") is bound as a number, so
``amount > :min`` compares numbers; anything else is bound as text. Text with leading zeros
("007", a postcode or an id) stays text. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sift.errors import SiftError
from sift.query.failures import SqlError
from sift.query.locate import line_column
from sift.query.statements import Statement

_INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[+-]?(?:0|[1-9][0-9]*)?\.[0-9]+|[+-]?(?:0|[1-9][0-9]*)\.")
_INT64 = 2**63
Bound = dict[str, Any]


def parse_params(params: object) -> dict[str, Any]:
    """The ``params`` argument: names (a leading ':', '@' or '$' is dropped) to values."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise SiftError(
            f"The SQL parameters must be a mapping of names to text, not {params!r}.",
            hint='Send them as a JSON object, e.g. {"city": "Paris"}.',
        )
    values: dict[str, Any] = {}
    for key, value in params.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str | int | float)):
            raise SiftError(
                f"The SQL parameter {key!r} must have text as its value, not {value!r}.",
                hint="Send each parameter's value as text.",
            )
        name = key[1:] if key[:1] in (":", "@", "$") else key
        values[name] = value_of(value) if isinstance(value, str) else value
    return values


def value_of(text: str) -> Any:
    """``text`` as a number when it is a whole integer or a decimal, else the text itself."""
    stripped = text.strip()
    if _INTEGER.fullmatch(stripped):
        number = int(stripped)
        return number if -_INT64 <= number < _INT64 else text
    if _DECIMAL.fullmatch(stripped):
        return float(stripped)
    return text


def bind(statement: Statement, values: dict[str, Any], sql: str) -> Bound:
    """The values ``statement`` needs; a missing one, or a ``?``, is an error naming it."""
    bound: Bound = {}
    for token in statement.parameters():
        name = token.text[1:]
        if token.text.startswith("?"):
            raise _at(
                sql,
                statement,
                token.start,
                token.text,
                f"Sift needs named parameters, not {token.text}.",
                "Write :name instead (for example :city); a box for its value appears.",
            )
        if name not in values:
            raise _at(
                sql,
                statement,
                token.start,
                token.text,
                f"The query uses {token.text} but no value was given for it.",
                f"Fill in {token.text} above the query, then run it again.",
            )
        bound[name] = values[name]
    return bound


def _at(sql: str, statement: Statement, start: int, text: str, message: str, hint: str) -> SqlError:
    line, column = line_column(sql, statement.start + start)
    return SqlError(message, hint=hint, line=line, column=column, details=text)
