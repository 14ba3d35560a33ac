"""A Python expression over a row's columns, compiled once into a function of those columns.

Names in an expression resolve in this order: ``row`` (a dict of every column of the row by
its stored name), then each column whose name is a Python identifier (``amount``; NFKC
normalised as Python does; a keyword such as ``class`` is reachable only as
``row["class"]``), then the user's Python functions, then the modules ``math``, ``re``,
``datetime``, ``json``, ``statistics`` and the classes ``date`` and ``timedelta``, then
Python's builtins. So a column named ``date`` or ``len`` hides the class or builtin of that
name in expressions over its table; ``datetime.date`` still reaches the class. A column named
``row`` is ``row["row"]``.

The expression becomes the body of a lambda whose parameters are the columns it names, so
comprehensions and nested lambdas see the columns as ordinary closures, and only the columns
used are read from SQLite (all of them when ``row`` is used).
Imports: the standard library and sift.pycode.failures.
"""

from __future__ import annotations

import ast
import builtins
import datetime
import json
import keyword
import math
import re
import statistics
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sift.pycode.failures import EXPRESSION_FILE, PythonError, syntax_error

ROW = "row"
MODULES: Mapping[str, object] = {
    "math": math,
    "re": re,
    "datetime": datetime,
    "date": datetime.date,
    "timedelta": datetime.timedelta,
    "json": json,
    "statistics": statistics,
}
SYNTAX_HINT = (
    "Write one Python expression over the row's columns, e.g. amount * qty or "
    "name.split()[0]; a column whose name is not a Python name is row['its name']."
)


@dataclass(frozen=True)
class Expression:
    """A compiled expression: ``call(values)`` takes the values of ``inputs`` in order."""

    text: str
    inputs: tuple[str, ...]  # stored column names to read, in order
    function: Callable[..., object]
    uses_row: bool
    suggestions: Mapping[str, str]  # a name someone may mean -> how to write it

    def call(self, values: Sequence[object]) -> object:
        if self.uses_row:
            return self.function(*values, dict(zip(self.inputs, values, strict=True)))
        return self.function(*values)

    def call_all(self, rows: Sequence[Sequence[object]]) -> list[object]:
        """``call`` over many rows (one comprehension: the per-row cost is the user's code)."""
        function, inputs = self.function, self.inputs
        if self.uses_row:
            return [function(*values, dict(zip(inputs, values))) for values in rows]  # noqa: B905
        return [function(*values) for values in rows]


def python_names(columns: Sequence[str]) -> dict[str, str]:
    """Python name -> stored column name, for the columns an expression can name directly."""
    names: dict[str, str] = {}
    for column in columns:
        name = unicodedata.normalize("NFKC", column)
        if name.isidentifier() and not keyword.iskeyword(name) and name != ROW:
            names.setdefault(name, column)
    return names


def compile_expression(
    text: str, columns: Sequence[str], functions: Mapping[str, object] | None = None
) -> Expression:
    """Compile ``text`` over a table with ``columns``; bad syntax raises PythonError."""
    source, shift = _stripped(text)
    tree = _parse(source, shift, show_line="\n" in source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    by_name = python_names(columns)
    params = sorted(name for name in used if name in by_name)
    uses_row = ROW in used
    inputs = tuple(columns) if uses_row else tuple(by_name[name] for name in params)
    namespace: dict[str, Any] = {"__builtins__": builtins, **MODULES, **(functions or {})}
    function = _as_lambda(tree, params, inputs if uses_row else None, by_name, namespace)
    return Expression(text, inputs, function, uses_row, _suggestions(columns, by_name, namespace))


def _stripped(text: str) -> tuple[str, tuple[int, int]]:
    """``text`` without surrounding space, and the (lines, columns) taken off its start."""
    source = text.strip()
    if not source:
        raise PythonError(
            "The expression is empty.", hint=SYNTAX_HINT, line=1, column=1, details=None
        )
    lead = text[: len(text) - len(text.lstrip())]
    return source, (lead.count("\n"), len(lead.rpartition("\n")[2]))


def _parse(source: str, shift: tuple[int, int], *, show_line: bool) -> ast.Expression:
    try:
        compile(source, EXPRESSION_FILE, "eval")  # the checks ast.parse skips ('yield' ...)
        return ast.parse(source, EXPRESSION_FILE, "eval")
    except SyntaxError as error:
        raise syntax_error(
            error, "The expression has", SYNTAX_HINT, show_line=show_line, shift=shift
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:  # NUL bytes, deep nesting
        raise PythonError(
            f"The expression cannot be compiled: {error}.", hint=SYNTAX_HINT
        ) from None


def _as_lambda(
    tree: ast.Expression,
    params: list[str],
    every_column: Sequence[str] | None,
    by_name: Mapping[str, str],
    namespace: dict[str, Any],
) -> Callable[..., object]:
    """``lambda <params>: <expression>``; with ``row`` the lambda takes every column (those
    that are not parameters as placeholders) and then the row dict."""
    if every_column is None:
        names = list(params)
    else:
        stored = {column: name for name, column in by_name.items() if name in params}
        names = [stored.get(column, f"_sift_{n}") for n, column in enumerate(every_column)]
        names.append(ROW)
    arguments = ast.arguments(
        posonlyargs=[ast.arg(name) for name in names],
        args=[],
        vararg=None,
        kwonlyargs=[],
        kw_defaults=[],
        kwarg=None,
        defaults=[],
    )
    body = ast.Expression(ast.copy_location(ast.Lambda(arguments, tree.body), tree.body))
    ast.fix_missing_locations(body)
    function: Callable[..., object] = eval(compile(body, EXPRESSION_FILE, "eval"), namespace)
    return function


def _suggestions(
    columns: Sequence[str], by_name: Mapping[str, str], namespace: Mapping[str, Any]
) -> dict[str, str]:
    """Names an unknown name may be a typo of: columns first (as the user must write them)."""
    known = {name: name for name in by_name}
    for column in columns:
        if column not in by_name.values():
            known.setdefault(column, f"row[{column!r}]")
    for name in namespace:
        if not name.startswith("_"):
            known.setdefault(name, name)
    return known
