"""Where in the user's text an SQLite error points: line, column and the offending text.

SQLite's messages name the culprit ('near "FORM": syntax error', 'no such column: x') but
Python's sqlite3 does not expose the error offset, so the name is looked for among the
statement's tokens (never inside strings or comments). For a syntax error the exact place is
found by preparing growing prefixes of the statement, under EXPLAIN, on a scratch connection:
the first prefix that fails with the same message ends at the offending token.
Imports: the standard library and sift.query modules.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass

from sift.query.lexer import PUNCT, QUOTED, WORD, Token
from sift.query.statements import Statement

MAX_PROBES = 200  # prefixes tried to place a syntax error; past that, the first match wins


@dataclass(frozen=True)
class Place:
    line: int
    column: int
    text: str


def _names(name: str) -> list[str]:
    """'main.t' -> ['main', 't']: the parts of a possibly qualified name, lower case."""
    return [part.strip('"`[]').lower() for part in name.split(".")]


# (message pattern, what the name is: a "name" (maybe qualified), a "function", the "syntax"
# token, or an "unrecognized" token). The first pattern that matches wins.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r'^near "(?P<x>.*)": syntax error$', re.S), "syntax"),
    (re.compile(r'^unrecognized token: "(?P<x>.*)"$', re.S), "unrecognized"),
    (re.compile(r"^(?P<x>incomplete input)$"), "end"),
    (re.compile(r"^no such function: (?P<x>\S+)$"), "function"),
    (re.compile(r"^wrong number of arguments to function (?P<x>[^(\s]+)\(\)$"), "function"),
    (
        re.compile(r"^misuse of (?:aggregate|aggregate function|window function) (?P<x>[^(\s:]+)"),
        "function",
    ),
    (re.compile(r"^table \S+ has no column named (?P<x>\S+)$"), "name"),
    (re.compile(r"^table (?P<x>\S+) has \d+ columns? but \d+ values? w"), "name"),
    (
        re.compile(
            r"^(?:no such (?:column|table|index|view|collation sequence|module)"
            r"|ambiguous column name|duplicate column name): (?P<x>\S+)$"
        ),
        "name",
    ),
    (re.compile(r"^(?:table|index|view|trigger) (?P<x>\S+) already exists$"), "name"),
]


def locate(message: str, sql: str, statement: Statement) -> Place | None:
    """The place in ``sql`` that ``message`` (from running ``statement``) is about, if found."""
    for pattern, what in _PATTERNS:
        match = pattern.search(message)
        if match is None:
            continue
        culprit = match.group("x")
        found = _find(what, culprit, statement, message)
        if found is None:
            return None
        start, end = found
        offset = statement.start + start
        return Place(*line_column(sql, offset), sql[offset : statement.start + end])
    return None


def _find(what: str, culprit: str, statement: Statement, message: str) -> tuple[int, int] | None:
    tokens = statement.tokens
    if what == "end":  # the statement stops short: mark its last word
        return (tokens[-1].start, tokens[-1].end) if tokens else None
    if what == "unrecognized":
        at = statement.text.find(culprit)
        return None if at < 0 or not culprit else (at, at + len(culprit))
    if what == "syntax":
        return _syntax(culprit, statement, message)
    if what == "function":
        calls = [
            t
            for t, after in itertools.pairwise(tokens)
            if t.kind == WORD and t.name == culprit.lower() and after.text == "("
        ]
        return (calls[0].start, calls[0].end) if calls else None
    return _qualified(tokens, _names(culprit))


def _qualified(tokens: list[Token], parts: list[str]) -> tuple[int, int] | None:
    """The first run of tokens spelling ``a.b.c`` (dots between names), or just its last part."""
    span = 2 * len(parts) - 1
    for at in range(len(tokens) - span + 1):
        run = tokens[at : at + span]
        names, dots = run[::2], run[1::2]
        if all(_is_name(t, p) for t, p in zip(names, parts, strict=True)) and all(
            d.kind == PUNCT and d.text == "." for d in dots
        ):
            return run[0].start, run[-1].end
    if len(parts) > 1:
        return _qualified(tokens, parts[-1:])
    return None


def _is_name(token: Token, name: str) -> bool:
    return token.kind in (WORD, QUOTED) and token.name == name


def _syntax(culprit: str, statement: Statement, message: str) -> tuple[int, int] | None:
    """The token a syntax error is 'near': the first whose prefix fails with ``message``."""
    if not culprit:
        return None
    candidates = [t for t in statement.tokens if t.text.lower() == culprit.lower()]
    if not candidates:
        at = statement.text.lower().find(culprit.lower())
        return None if at < 0 else (at, at + len(culprit))
    explain = "" if statement.verb == "explain" else "EXPLAIN "
    with closing(sqlite3.connect(":memory:")) as scratch:
        prepare = _preparer(scratch)
        for token in candidates[:MAX_PROBES]:
            if prepare(explain + statement.text[: token.end]) == message:
                return token.start, token.end
    first = candidates[0]
    return first.start, first.end


def _preparer(conn: sqlite3.Connection) -> Callable[[str], str | None]:
    """A function that prepares SQL (EXPLAIN only lists its program) and returns the error."""

    def prepare(sql: str) -> str | None:
        try:
            conn.execute(sql).close()
        except sqlite3.Error as error:
            return str(error)
        return None

    return prepare


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text`` (columns count characters)."""
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1
