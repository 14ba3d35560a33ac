"""JSON records to a typed SQLite table: flattening, column types and staging.

``TableBuilder`` flattens each record (a dict from ``json.loads``) into one row, nested objects
becoming ``parent.child`` columns in first-seen order (an empty object adds none), stages the
rows in an untyped temporary table while noting the kinds of value in each column, then
creates the typed table with one ``INSERT ... SELECT``. The typing rules:

- only ``true``/``false`` -> BOOLEAN (stored as 1/0); only whole numbers -> INTEGER; numbers,
  some with a fraction -> REAL; anything else (strings, arrays, mixed kinds) -> TEXT.
- In a TEXT column every value is rendered as JSON writes it, except that strings keep no
  quotes: ``"abc"`` -> ``abc``, ``12`` -> ``12``, ``2.5`` -> ``2.5``, ``true`` -> ``true``,
  arrays (with any objects inside them) -> compact JSON text ``["a",1]``. null is always NULL.
- Whole numbers beyond SQLite's 64-bit range make their column TEXT, every digit kept. Numbers
  longer than Python converts by default (4,300 digits) arrive as ``HugeInt``; inside an
  array they are written as quoted strings in the JSON text.
- NaN (which Python's json accepts) becomes NULL, as SQLite itself stores it; Infinity and
  -Infinity stay REAL infinities (rendered ``Infinity`` in a TEXT column). Both are counted.
- A lone surrogate (from a ``"\\ud800"`` escape), which SQLite cannot store, becomes U+FFFD.

Imports: the standard library and sift modules.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sift.errors import LoadError
from sift.formats.base import ImportReport, Progress
from sift.messages import plural
from sift.names import quote_ident, unique_column_names
from sift.savepoints import savepoint

__all__ = ["DEFAULT_CHUNK_ROWS", "HugeInt", "TableBuilder", "savepoint"]

DEFAULT_CHUNK_ROWS = 5000  # rows per staged batch, and between progress calls
SAVEPOINT = "sift_json_import"
_STAGING = "temp.sift_json_staging"

# Kinds of value seen in a column, as bits.
_BOOL, _INT, _REAL, _BIG, _STRING, _ARRAY = 1, 2, 4, 8, 16, 32
_NUMBERS = _INT | _REAL
_KIND_NAMES = (
    (_BOOL, "true/false"),
    (_INT | _REAL | _BIG, "numbers"),
    (_STRING, "text"),
    (_ARRAY, "arrays"),
)
# Arrays are kept as compact JSON text; one encoder, since json.dumps(**options) builds one
# per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

# SQL function that renders staged REAL values the way JSON writes them (see number_text).
TEXT_FUNCTION = "sift_json_number_text"

# Lone surrogates: what a JSON "\ud800" escape decodes to; SQLite cannot store them.
_SURROGATE = re.compile("[\ud800-\udfff]")


class HugeInt(str):
    """The digits of a JSON integer too long for ``int()`` (Python's 4,300-digit limit)."""

    __slots__ = ()


class TableBuilder:
    """Stages flattened rows in an untyped temporary table, then creates the typed table.

    Columns appear as records reveal them, so the staging table grows with ALTER TABLE. It is
    created with column c0 before any field has been seen: rows of empty objects fill c0
    with NULL until the first field appears.
    """

    def __init__(self, conn: sqlite3.Connection, source: str) -> None:
        self._conn = conn
        self._source = source
        self._flattener = _Flattener(source, conn.getlimit(sqlite3.SQLITE_LIMIT_COLUMN))
        self._width = 0  # columns bound per row; the staging table has at least one
        self._insert = f"INSERT INTO {_STAGING} VALUES (NULL)"
        self._replaced = 0
        self.rows = 0

    def stage(
        self,
        records: Iterable[dict[str, Any]],
        progress: Progress | None,
        bytes_read: Callable[[], int],
    ) -> None:
        """Flatten and stage every record, calling ``progress`` after each batch."""
        self._conn.execute(f"CREATE TEMP TABLE {_STAGING} (c0)")
        flatten = self._flattener.flatten
        batch: list[list[Any]] = []
        for record in records:
            batch.append(flatten(record))
            if len(batch) >= DEFAULT_CHUNK_ROWS:
                self._insert_batch(batch)
                batch = []
                if progress is not None:
                    progress(self.rows, bytes_read())
        if batch:
            self._insert_batch(batch)
        if progress is not None:
            progress(self.rows, bytes_read())

    def _insert_batch(self, batch: list[list[Any]]) -> None:
        width = len(self._flattener.kinds)
        if width != self._width:
            self._widen(width)
        for row in batch:  # rows flattened before a new column appeared are shorter
            if len(row) == width:
                break
            row.extend([None] * (width - len(row)))
        try:
            self._conn.executemany(self._insert, batch)
        except UnicodeEncodeError:  # a lone surrogate: rows before it went in, so redo all
            self._discard_partial_batch()
            self._conn.executemany(self._insert, self._without_surrogates(batch))
        except sqlite3.DataError as exc:  # "string or blob too big"
            record = self._discard_partial_batch() + 1
            raise self._too_big(record) from exc
        self.rows += len(batch)

    def _widen(self, width: int) -> None:
        for index in range(max(self._width, 1), width):
            self._conn.execute(f"ALTER TABLE {_STAGING} ADD COLUMN c{index}")
        self._width = width
        self._insert = f"INSERT INTO {_STAGING} VALUES ({', '.join(['?'] * width)})"

    def _discard_partial_batch(self) -> int:
        """Delete the rows of a failed batch; return how many rows stay staged in all."""
        (staged,) = self._conn.execute(f"SELECT count(*) FROM {_STAGING}").fetchone()
        self._conn.execute(f"DELETE FROM {_STAGING} WHERE rowid > ?", (self.rows,))
        return int(staged)

    def _without_surrogates(self, batch: list[list[Any]]) -> list[list[Any]]:
        cleaned = []
        for row in batch:
            for index, value in enumerate(row):
                if isinstance(value, str):
                    row[index], count = _SURROGATE.subn("\ufffd", value)
                    self._replaced += count > 0
            cleaned.append(row)
        return cleaned

    def _too_big(self, record: int) -> LoadError:
        limit = self._conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
        return LoadError(
            f"{self._source}: record {record:,} holds a value longer than this SQLite allows"
            f" ({limit:,} bytes).",
            hint="Shorten or remove that value (arrays are stored as JSON text), then open"
            " the file again.",
            source=self._source,
        )

    def finish(self, allocate: Callable[[str], str]) -> ImportReport:
        """Create the typed table from the staged rows and drop the staging table."""
        paths, kinds = self._flattener.paths, self._flattener.kinds
        if not paths:
            raise LoadError(
                f"{self._source}: the records have no fields (every object is empty).",
                hint="Choose a file whose objects hold at least one key and value.",
                source=self._source,
            )
        originals = [_SURROGATE.sub("\ufffd", ".".join(path)) for path in paths]
        columns = unique_column_names(originals)
        table = allocate(self._source)
        definitions = ", ".join(
            f"{quote_ident(name)} {column_type(kind)}"
            for name, kind in zip(columns, kinds, strict=True)
        )
        self._conn.execute(f"CREATE TABLE {quote_ident(table)} ({definitions})")
        self._conn.create_function(TEXT_FUNCTION, 1, number_text, deterministic=True)
        values = ", ".join(select_expression(f"c{i}", kind) for i, kind in enumerate(kinds))
        self._conn.execute(
            f"INSERT INTO {quote_ident(table)} SELECT {values} FROM {_STAGING} ORDER BY rowid"
        )
        self._conn.execute(f"DROP TABLE {_STAGING}")
        warnings = _renamed_warning(originals, columns) + self._value_warnings(columns)
        return ImportReport(table, self.rows, columns, warnings)

    def _value_warnings(self, columns: list[str]) -> list[str]:
        flattener, source = self._flattener, self._source
        kinds = flattener.kinds
        warnings = []
        mixed = [(name, kind) for name, kind in zip(columns, kinds, strict=True) if is_mixed(kind)]
        if len(mixed) == 1:
            name, kind = mixed[0]
            warnings.append(
                f"Column {_quoted(name)} holds {kind_names(kind)}, so it was stored as text."
            )
        elif mixed:
            shown = [f"{_quoted(name)} ({kind_names(kind)})" for name, kind in mixed]
            warnings.append(
                f"Columns {_shown(shown)} hold mixed kinds of value, so they were stored as text."
            )
        huge = [_quoted(name) for name, kind in zip(columns, kinds, strict=True) if kind & _BIG]
        if huge:
            subject = (
                f"Column {huge[0]} holds" if len(huge) == 1 else f"Columns {_shown(huge)} hold"
            )
            warnings.append(
                f"{subject} whole numbers too large for SQLite's 64-bit integers;"
                " they were stored as text, every digit kept."
            )
        if flattener.nan:
            warnings.append(
                f"{plural(flattener.nan, 'NaN value')} in {source} {_were(flattener.nan)}"
                " stored as empty (NULL)."
            )
        if flattener.infinite:
            warnings.append(
                f"{plural(flattener.infinite, 'value')} in {source} {_were(flattener.infinite)}"
                " Infinity or -Infinity, kept as infinite numbers."
            )
        if self._replaced:
            warnings.append(
                f"{plural(self._replaced, 'text value')} held invalid \\u escapes (lone"
                " surrogates); they were replaced with \ufffd."
            )
        return warnings


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _shown(names: list[str]) -> str:
    """At most five names, then how many more: '"a", "b", "c", "d", "e" and 3 more'."""
    more = f" and {len(names) - 5:,} more" if len(names) > 5 else ""
    return ", ".join(names[:5]) + more


def _renamed_warning(originals: list[str], columns: list[str]) -> list[str]:
    renamed = [new for old, new in zip(originals, columns, strict=True) if old.strip() != new]
    if not renamed:
        return []
    return [
        f"Renamed {plural(len(renamed), 'column')} with an empty or repeated name:"
        f" {_shown(renamed)}."
    ]


class _Flattener:
    """Flattens records into rows and remembers each column's path and kinds of value.

    Column ``i`` has the key path ``paths[i]`` (``("a", "b")`` for ``{"a": {"b": ...}}``) and
    the kind bits ``kinds[i]``. A row holds staged values: str, int, float or None, where
    ``true``/``false`` are the strings "true"/"false" until ``select_expression`` converts them.

    Each level of nesting is a number indexing two flat lists (its keys' columns, its keys'
    nested levels) rather than a tree of objects: freeing a tree 1,000 levels deep recurses in
    C and overflowed the wasm stack in a Chromium worker, a fatal error.
    """

    def __init__(self, source: str, max_columns: int) -> None:
        self._source = source
        self._max_columns = max_columns
        self._columns: list[dict[str, int]] = [{}]  # level -> key -> column index
        self._levels: list[dict[str, int]] = [{}]  # level -> key -> nested level
        self.paths: list[tuple[str, ...]] = []
        self.kinds: list[int] = []
        self.nan = 0
        self.infinite = 0

    def flatten(self, record: dict[str, Any]) -> list[Any]:
        """One row for ``record``, as long as the columns known after reading it.

        This runs per value, so it is written for speed: exact type checks, strings, 64-bit
        integers and finite floats handled inline, and nested objects walked depth first with
        an explicit stack rather than recursion (nesting can be 1,000 levels deep).
        """
        kinds = self.kinds
        row: list[Any] = [None] * len(kinds)
        stack: list[tuple[Iterator[tuple[str, Any]], int, tuple[str, ...]]] = []
        items, level = iter(record.items()), 0
        prefix: tuple[str, ...] = ()
        columns = self._columns[level]
        while True:
            for key, value in items:
                kind = type(value)
                if kind is dict:
                    if value:  # an empty object adds no column
                        stack.append((items, level, prefix))
                        level = self._levels[level].get(key) or self._add_level(level, key)
                        items, prefix = iter(value.items()), (*prefix, key)
                        columns = self._columns[level]
                        break
                    continue
                index = columns.get(key)
                if index is None:
                    index = self._add_column(level, prefix, key, row)
                if kind is str:
                    kinds[index] |= _STRING
                    row[index] = value
                elif kind is int and _INT64_MIN <= value <= _INT64_MAX:
                    kinds[index] |= _INT
                    row[index] = value
                elif kind is float and value - value == 0.0:  # finite: inf - inf is NaN
                    kinds[index] |= _REAL
                    row[index] = value
                elif value is not None:
                    row[index] = self._convert(value, index)
            else:
                if not stack:
                    return row
                items, level, prefix = stack.pop()
                columns = self._columns[level]

    def _convert(self, value: Any, index: int) -> Any:
        """The staged form of the less common values: true/false, arrays, huge numbers,
        NaN and infinities."""
        if isinstance(value, bool):
            self.kinds[index] |= _BOOL
            return "true" if value else "false"
        if isinstance(value, list):
            self.kinds[index] |= _ARRAY
            return _ENCODER.encode(value)
        if isinstance(value, float):
            if math.isnan(value):
                self.nan += 1
                return None
            self.infinite += 1
            self.kinds[index] |= _REAL
            return value
        self.kinds[index] |= _BIG  # an int beyond 64 bits, or a HugeInt
        return str(value)

    def _add_level(self, level: int, key: str) -> int:
        child = self._levels[level][key] = len(self._levels)
        self._columns.append({})
        self._levels.append({})
        return child

    def _add_column(self, level: int, prefix: tuple[str, ...], key: str, row: list[Any]) -> int:
        index = len(self.paths)
        if index >= self._max_columns:
            raise LoadError(
                f"{self._source} has more than {self._max_columns:,} different fields;"
                f" this version of SQLite allows at most {self._max_columns:,} columns.",
                hint="Keep only the fields you need (for example with jq), then open it again.",
                source=self._source,
            )
        self.paths.append((*prefix, key))
        self.kinds.append(0)
        self._columns[level][key] = index
        row.append(None)  # the row was as long as the columns before this one
        return index


def column_type(kinds: int) -> str:
    """The declared SQLite type for a column that held ``kinds`` of value."""
    if kinds == _BOOL:
        return "BOOLEAN"
    if kinds == _INT:
        return "INTEGER"
    if kinds and not kinds & ~_NUMBERS:
        return "REAL"
    return "TEXT"


def select_expression(column: str, kinds: int) -> str:
    """SQL converting the staged values of ``column`` (a quoted name) to its declared type.

    The target column's affinity does part of the work: a TEXT column stores an INTEGER as its
    exact digits. _REAL values in a TEXT column go through TEXT_FUNCTION, because SQLite would
    write them with 15 significant digits and lose precision.
    """
    declared = column_type(kinds)
    if declared == "BOOLEAN":
        return f"({column} = 'true')"
    if declared == "REAL":
        return f"CAST({column} AS _REAL)"
    if declared == "TEXT" and kinds & _REAL:
        return f"{TEXT_FUNCTION}({column})"
    return column


def number_text(value: str | float | None) -> str | float | None:
    """A staged value as TEXT_FUNCTION returns it: floats as JSON writes them, others as is."""
    if isinstance(value, float):
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return value


def kind_names(kinds: int) -> str:
    """The kinds of value in a mixed column, for a warning: "numbers and text"."""
    names = [name for bits, name in _KIND_NAMES if kinds & bits]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def is_mixed(kinds: int) -> bool:
    """True when a column held several kinds of value and so became TEXT."""
    return column_type(kinds) == "TEXT" and sum(1 for bits, _ in _KIND_NAMES if kinds & bits) > 1


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
