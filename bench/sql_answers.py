"""Whether the engines gave the same answer: row counts and the first rows, compared.

Standard library only (tests/unit/test_bench_sql_answers.py). A benchmark that times wrong
answers is worthless, so each query's answer from every engine is checked against the others:
- the row counts must be equal;
- ordered queries (a total ORDER BY): the first rows, in order;
- unordered ones: all rows as a multiset, when every engine sent them all (at most `limit`),
  else the counts alone (the report says so).
Values are compared as the engines return them through JSON, made comparable first: true/false
are 1/0 (DuckDB has booleans, SQLite 1/0), integers and reals are numbers, and numbers are
equal within a relative 1e-9 (sums of a million reals differ in their last bits between
engines, which add them in different orders). The checksum shown is a short hash of the rows
with numbers rounded to 4 significant digits: a label for the answer, not the test of it (a
value just on a rounding boundary could still give two engines different checksums; few
enough digits make that rare, as the 2-decimal amounts' sums often end in 5 at the 7th).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

Value = str | int | float | bool | None

REL_TOL: Final = 1e-9
ABS_TOL: Final = 1e-9
CHECK_ROWS: Final = 50  # the first rows compared of an ordered answer
CHECK_LIMIT: Final = 1000  # an unordered answer is compared whole up to this many rows
SORT_DIGITS: Final = 9  # significant digits of numbers when sorting an unordered answer
CHECKSUM_DIGITS: Final = 4


@dataclass(frozen=True)
class Answer:
    """What an engine returned: its row count, columns, and the rows it sent back."""

    count: int
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]  # the first rows (ordered), or all of them (unordered)

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.count


def answer_from(data: Mapping[str, object]) -> Answer:
    """An answer from a page's JSON: {count, columns: [..], rows: [[..], ..]}."""
    count, columns, rows = data["count"], data["columns"], data["rows"]
    if not isinstance(count, int) or not isinstance(columns, list) or not isinstance(rows, list):
        raise ValueError(f"not an answer: {dict(data)!r}")
    return Answer(count, tuple(str(c) for c in columns), tuple(tuple(row) for row in rows))


def rows_wanted(ordered: bool) -> int:
    """How many rows an engine sends back for the check (one more than the limit: whole?)."""
    return CHECK_ROWS if ordered else CHECK_LIMIT + 1


def comparable(value: Value) -> str | float | None:
    """True/False as 1/0, integers as floats: what is compared is the number."""
    if isinstance(value, bool | int):
        return float(value)
    return value


def same_value(a: Value, b: Value) -> bool:
    x, y = comparable(a), comparable(b)
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=ABS_TOL) or (
            math.isnan(x) and math.isnan(y)
        )
    return type(x) is type(y) and x == y


def same_rows(a: Sequence[Sequence[Value]], b: Sequence[Sequence[Value]]) -> bool:
    return len(a) == len(b) and all(
        len(x) == len(y) and all(same_value(u, v) for u, v in zip(x, y, strict=True))
        for x, y in zip(a, b, strict=True)
    )


def rounded(value: Value, digits: int) -> str:
    """A value's text for sorting and the checksum: numbers to `digits` significant digits."""
    known = comparable(value)
    if known is None:
        return "\x00null"
    if isinstance(known, float):
        return "\x01" + ("0" if known == 0 else f"{known:.{digits}g}")
    return "\x02" + known


def sort_key(row: Sequence[Value], digits: int = SORT_DIGITS) -> tuple[str, ...]:
    return tuple(rounded(value, digits) for value in row)


def in_order(answer: Answer, ordered: bool) -> list[tuple[Value, ...]]:
    """The rows to compare: as sent for an ordered answer, sorted for an unordered one."""
    return list(answer.rows) if ordered else sorted(answer.rows, key=sort_key)


def checksum(rows: Sequence[Sequence[Value]]) -> str:
    text = "\n".join("\x1f".join(sort_key(row, CHECKSUM_DIGITS)) for row in rows)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]


@dataclass(frozen=True)
class Agreement:
    agree: bool
    text: str  # "agree: 200 rows, checksum 1a2b3c4d" or what differs


def compare(answers: Mapping[str, Answer | None], ordered: bool) -> Agreement:
    """Whether every engine that answered gave the same answer; `answers` by engine name.

    An engine that did not answer (None) is left out and named; with fewer than two answers
    there is nothing to compare, which is not agreement.
    """
    given = {name: answer for name, answer in answers.items() if answer is not None}
    missing = [name for name, answer in answers.items() if answer is None]
    suffix = f" ({', '.join(missing)}: no answer)" if missing else ""
    if len(given) < 2:
        return Agreement(False, "not compared: fewer than two answers" + suffix)
    counts = {name: answer.count for name, answer in given.items()}
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{name} {count:,}" for name, count in counts.items())
        return Agreement(False, f"DIFFER in row count: {listed}{suffix}")
    count = next(iter(counts.values()))
    rows_text = f"{count:,} row{'s' if count != 1 else ''}"
    if not ordered and not all(answer.complete for answer in given.values()):
        return Agreement(True, f"agree on the count: {rows_text} (too many to compare){suffix}")
    shown = min(len(answer.rows) for answer in given.values())
    compared = {name: in_order(answer, ordered)[:shown] for name, answer in given.items()}
    first_name, first = next(iter(compared.items()))
    differ = [name for name, rows in compared.items() if not same_rows(first, rows)]
    if differ:
        where = first_difference(first, compared[differ[0]])
        return Agreement(
            False, f"DIFFER: {', '.join(differ)} against {first_name}, {where}{suffix}"
        )
    what = f" (first {shown} compared)" if shown < count else ""
    return Agreement(True, f"agree: {rows_text}{what}, checksum {checksum(first)}{suffix}")


def first_difference(a: Sequence[Sequence[Value]], b: Sequence[Sequence[Value]]) -> str:
    """Where two lists of rows first differ, as a phrase: "row 3: [...] vs [...]"."""
    for number, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if not same_rows([x], [y]):
            return f"row {number}: {list(x)!r} vs {list(y)!r}"
    return f"{len(a)} rows vs {len(b)}"
