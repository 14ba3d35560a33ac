"""Turn the rows a ``SheetReader`` collects into one typed SQLite table.

Rows are staged in an untyped table while the sheet streams in (a column's type is known only
at the end), then copied into the final table with declared types, in chunks whose staging
rows are deleted as they go, so SQLite reuses their pages and the copy needs little more
memory than the table itself. Names of SQL objects go through ``quote_ident``; values are
bound. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from sift.errors import LoadError
from sift.formats.xlsx_cells import (
    KIND_BOOLEAN,
    KIND_DATE,
    KIND_DATETIME,
    KIND_INTEGER,
    KIND_REAL,
    SheetReader,
    Tally,
    Value,
    real_text,
)
from sift.messages import plural
from sift.names import quote_ident, unique_column_names

__all__ = ["COPY_CELLS", "SheetTable", "TableResult", "column_type"]

COPY_CELLS = 200_000  # cells per chunk when copying from the staging table
_STAGING = "sift xlsx staging"  # has a space, so no caller-made safe name can equal it
_REAL_TEXT = "sift_xlsx_real_text"
_NUMBERS = KIND_INTEGER | KIND_REAL
_MOMENTS = KIND_DATE | KIND_DATETIME


def column_type(kinds: int) -> str:
    """The declared type for a column whose values had these kind bits."""
    if kinds == KIND_INTEGER:
        return "INTEGER"
    if kinds and not kinds & ~_NUMBERS:
        return "REAL"
    if kinds == KIND_BOOLEAN:
        return "BOOLEAN"
    if kinds == KIND_DATE:
        return "DATE"
    if kinds and not kinds & ~_MOMENTS:
        return "DATETIME"
    return "TEXT"  # times of day ("14:30:00") included: sift.column_types has no TIME


def _copy_expression(column: str, declared: str, kinds: int) -> str:
    """SQL that turns a staged value into the final column's value."""
    if declared == "BOOLEAN":
        return f"CASE {column} WHEN 'TRUE' THEN 1 WHEN 'FALSE' THEN 0 END"
    if declared == "DATETIME":  # a date at midnight was staged as its 10-character date
        return f"CASE WHEN length({column}) = 10 THEN {column} || ' 00:00:00' ELSE {column} END"
    if declared == "TEXT" and kinds & KIND_REAL:
        # SQLite's own REAL-to-text differs between versions (3.39 in Pyodide): use Python's.
        return f"CASE WHEN typeof({column}) = 'real' THEN {_REAL_TEXT}({column}) ELSE {column} END"
    return column


@dataclass
class TableResult:
    """The final table of one sheet."""

    table: str
    columns: list[str]
    types: list[str]
    warnings: list[str]


class SheetTable:
    """The staging table of one sheet and, at the end, its final table."""

    def __init__(self, conn: sqlite3.Connection, source: str, title: str) -> None:
        self._conn = conn
        self._source = source
        self._title = title
        self._staging = ""
        self._width = 0
        self._insert = ""
        self._staged = 0

    def stage(self, reader: SheetReader) -> None:
        """Move the reader's pending rows into the staging table."""
        rows = reader.pending
        if not rows:
            return
        self._widen(max(reader.width, len(reader.header or ())))
        width = self._width
        for row in rows:
            if len(row) < width:
                row.extend([None] * (width - len(row)))
        try:
            self._conn.executemany(self._insert, rows)
        except sqlite3.DataError as exc:  # "string or blob too big"
            raise LoadError(
                f"{self._source}: sheet {self._title!r} has a value too large for SQLite ({exc}).",
                hint="Shorten the longest cells in Excel, save, and open the workbook again.",
                source=self._source,
            ) from exc
        self._staged += len(rows)
        rows.clear()

    def _widen(self, width: int) -> None:
        if width <= self._width:
            return
        if not self._staging:
            self._staging = self._free_name()
            columns = ", ".join(quote_ident(f"c{index}") for index in range(1, width + 1))
            self._conn.execute(f"CREATE TABLE {quote_ident(self._staging)} ({columns})")
        else:
            staging = quote_ident(self._staging)
            for index in range(self._width + 1, width + 1):
                self._conn.execute(f"ALTER TABLE {staging} ADD COLUMN {quote_ident(f'c{index}')}")
        self._width = width
        marks = ", ".join(["?"] * width)
        self._insert = f"INSERT INTO {quote_ident(self._staging)} VALUES ({marks})"

    def _free_name(self) -> str:
        taken = {name.lower() for (name,) in self._conn.execute("SELECT name FROM sqlite_master")}
        name, n = _STAGING, 1
        while name.lower() in taken:
            n += 1
            name = f"{_STAGING} {n}"
        return name

    def finish(self, reader: SheetReader, table: str, tick: Callable[[], None]) -> TableResult:
        """Create ``table`` with the sheet's columns and types and move the staged rows in."""
        header = reader.header or []
        width = max(self._width, len(header))
        labels = _header_labels(header, width, reader.header_merges)
        keep = [i for i in range(width) if labels[i] or reader.kinds[i]]
        names = unique_column_names([labels[i] or f"column_{i + 1}" for i in keep])
        types = [column_type(reader.kinds[i]) for i in keep]
        definitions = ", ".join(
            f"{quote_ident(name)} {declared}" for name, declared in zip(names, types, strict=True)
        )
        self._conn.execute(f"CREATE TABLE {quote_ident(table)} ({definitions})")
        if self._staging:
            expressions = [
                _copy_expression(quote_ident(f"c{i + 1}"), declared, reader.kinds[i])
                for i, declared in zip(keep, types, strict=True)
            ]
            self._copy(table, expressions, tick)
        renamed = [name for i, name in zip(keep, names, strict=True) if labels[i] != name]
        return TableResult(table, names, types, self._warnings(reader, renamed))

    def _copy(self, table: str, expressions: list[str], tick: Callable[[], None]) -> None:
        staging = quote_ident(self._staging)
        copy = (
            f"INSERT INTO {quote_ident(table)} SELECT {', '.join(expressions)}"
            f" FROM {staging} WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
        )
        delete = f"DELETE FROM {staging} WHERE rowid BETWEEN ? AND ?"
        step = max(COPY_CELLS // max(self._width, 1), 1)
        self._conn.create_function(_REAL_TEXT, 1, real_text, deterministic=True)
        try:
            for first in range(1, self._staged + 1, step):
                bounds = (first, first + step - 1)
                self._conn.execute(copy, bounds)
                self._conn.execute(delete, bounds)
                tick()
        finally:
            self._conn.create_function(_REAL_TEXT, 1, None)
        self._conn.execute(f"DROP TABLE {staging}")

    def _warnings(self, reader: SheetReader, renamed: list[str]) -> list[str]:
        prefix = f"Sheet {self._title!r}: "
        notes = []
        if renamed:
            more = f" and {len(renamed) - 5:,} more" if len(renamed) > 5 else ""
            notes.append(
                f"named {plural(len(renamed), 'column')} whose header cell was empty, merged"
                f" or repeated: {', '.join(renamed[:5])}{more}."
            )
        if reader.rows == 0:
            notes.append(f"the header (row {reader.header_row:,}) has no rows below it.")
        blank = reader.last_row - reader.header_row - reader.rows
        if reader.rows and blank > 0:
            notes.append(f"skipped {plural(blank, 'blank row')} between rows.")
        notes += _tally_notes(reader)
        return [prefix + note for note in notes]


def _tally_notes(reader: SheetReader) -> list[str]:
    notes = []
    errors, uncached, bad_dates = reader.errors, reader.uncached, reader.bad_dates
    if errors.count:
        notes.append(
            f"{_cells(errors)} held an Excel error ({', '.join(errors.examples)}) and"
            f" {_were(errors)} left empty; the first is {errors.first}."
        )
    if uncached.count:
        notes.append(
            f"{_cells(uncached)} had a formula without a saved result and {_were(uncached)} left"
            f" empty (Sift never calculates formulas); the first is {uncached.first}."
            " Open the workbook in Excel and save it to store the results."
        )
    if bad_dates.count:
        notes.append(
            f"{_cells(bad_dates)} formatted as dates held numbers outside the range of dates and"
            f" {_were(bad_dates)} kept as numbers; the first is {bad_dates.first}."
        )
    return notes


def _cells(tally: Tally) -> str:
    return plural(tally.count, "cell")


def _were(tally: Tally) -> str:
    return "was" if tally.count == 1 else "were"


def _header_labels(
    header: list[Value | None], width: int, merges: list[tuple[int, int]]
) -> list[str]:
    """Header cells as text, one per column ("" when blank); merged ranges share a name."""
    labels = [_label(value) for value in header] + [""] * (width - len(header))
    for first, last in merges:
        if first < width and labels[first]:
            for index in range(first + 1, min(last, width - 1) + 1):
                labels[index] = labels[index] or labels[first]
    return labels


def _label(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return real_text(value)
    return str(value).strip()
