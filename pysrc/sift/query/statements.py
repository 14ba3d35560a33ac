"""User SQL cut into statements, and what each one asks for (parameters, functions).

A ``;`` ends a statement only where ``sqlite3.complete_statement`` agrees: not inside a
string, a comment, a quoted name or a trigger's BEGIN ... END. Statements that hold nothing but
spaces and comments are left out. Imports: the standard library and sift.query.lexer.
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass, field

from sift.query.lexer import PARAM, PUNCT, WORD, Token, code

ROW_STATEMENTS = frozenset({"select", "values", "with"})  # can be wrapped in CREATE TABLE AS
# Keywords that may stand before "(" without being a function call.
_NOT_CALLS = frozenset(
    [
        "as",
        "in",
        "values",
        "exists",
        "using",
        "on",
        "over",
        "filter",
        "check",
        "default",
        "key",
        "references",
        "unique",
        "table",
        "into",
        "and",
        "or",
        "not",
        "where",
        "select",
        "from",
        "join",
        "by",
        "when",
        "then",
        "else",
        "case",
        "is",
        "like",
        "glob",
        "between",
        "set",
        "returning",
        "primary",
        "foreign",
    ]
)


@dataclass(frozen=True)
class Statement:
    """One statement: its text (without the ending ``;``) and where it starts in the query."""

    text: str
    start: int
    tokens: list[Token] = field(default_factory=list, compare=False)  # code, from ``text``

    @property
    def verb(self) -> str:
        """The first keyword, lower case ("select", "with", "pragma"...)."""
        return self.tokens[0].text.lower() if self.tokens else ""

    def parameters(self) -> list[Token]:
        """The parameter tokens (``:name``, ``@name``, ``$name``, ``?``) in order."""
        return [token for token in self.tokens if token.kind == PARAM]

    def called(self) -> list[str]:
        """Lower-case names written as function calls: a name followed by ``(``."""
        pairs = itertools.pairwise(self.tokens)
        return [
            a.name
            for a, b in pairs
            if a.kind == WORD and b.text == "(" and a.name not in _NOT_CALLS
        ]


def split(sql: str) -> list[Statement]:
    """The statements of ``sql``, in order; empty ones (only spaces and comments) left out."""
    found: list[Statement] = []
    start = 0
    for token in code(sql):
        ends = token.kind == PUNCT and token.text == ";"
        if ends and sqlite3.complete_statement(sql[start : token.end]):
            _add(found, sql, start, token.start)
            start = token.end
    _add(found, sql, start, len(sql))
    return found


def _add(found: list[Statement], sql: str, start: int, end: int) -> None:
    text = sql[start:end]
    tokens = code(text)
    if tokens and not all(t.kind == PUNCT and t.text == ";" for t in tokens):
        found.append(Statement(text, start, tokens))
