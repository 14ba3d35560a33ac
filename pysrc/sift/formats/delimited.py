"""Streaming import of delimited text (CSV, TSV, ';' or '|' separated) into a new SQLite table.

Reads the stream in chunks, decodes it, guesses the delimiter and inserts rows in batches
inside one savepoint, so a failed or cancelled import leaves no table behind. Every column is
TEXT and an empty cell is NULL. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sift.errors import LoadError
from sift.formats.base import ByteStream, ImportReport, Progress
from sift.formats.sniff_delimiter import guess_delimiter
from sift.formats.text_input import (
    HEAD_SIZE,
    ChainedReader,
    TextEncoding,
    Utf8Check,
    choose_encoding,
    decode_sample,
    open_text,
    read_head,
)
from sift.messages import plural
from sift.names import quote_ident, unique_column_names
from sift.sniff_bytes import describe_binary

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["DEFAULT_CHUNK_ROWS", "FIELD_SIZE_LIMIT", "ImportReport", "import_delimited"]

FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # characters; the stdlib default (128 KiB) is too small
DEFAULT_CHUNK_ROWS = 5000
TAB_EXTENSIONS = (".tsv", ".tab")
_SAVEPOINT = "sift_import"

Row = list[str]


def import_delimited(
    conn: sqlite3.Connection,
    table: str,
    stream: ByteStream,
    *,
    source: str,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
) -> ImportReport:
    """Create ``table`` from the delimited text in ``stream`` (named ``source`` in messages).

    Raises LoadError when the file is empty, binary, wider than SQLite allows or unreadable;
    the table then does not exist. ``progress(rows, bytes_read)`` runs after each batch.
    """
    try:
        return _import(conn, table, stream, source, chunk_rows, progress)
    except OSError as exc:
        raise LoadError(
            f"Could not read {source}: {exc.strerror or exc}.",
            hint="Check that the file still exists and can be read, then open it again.",
            source=source,
        ) from exc


def _import(
    conn: sqlite3.Connection,
    table: str,
    stream: ByteStream,
    source: str,
    chunk_rows: int,
    progress: Progress | None,
) -> ImportReport:
    head = read_head(stream, HEAD_SIZE)
    complete = len(head) < HEAD_SIZE
    encoding = _check_head(head, complete, source)
    sample = decode_sample(head, encoding, complete=complete)
    if complete and not sample.strip():
        raise _empty_error(source)
    delimiter = guess_delimiter(sample, complete=complete, default=_default_delimiter(source))
    # A process-wide setting of the csv module; every import sets the same value.
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    check = Utf8Check() if encoding.checked else None
    raw = ChainedReader(head, stream, check)
    with open_text(raw, encoding) as text:
        # NUL characters are kept: csv accepts them since Python 3.11 and sqlite3 binds and
        # returns text by length, so a NUL inside a cell survives the round trip.
        rows = _Rows(csv.reader(text, delimiter=delimiter), source)
        header = rows.header()
        columns = unique_column_names(header)
        _check_width(conn, len(columns), source)
        with _savepoint(conn):
            _create_table(conn, table, columns)
            for count in _insert(conn, table, len(columns), rows.batches(len(columns), chunk_rows)):
                if progress is not None:
                    progress(count, raw.bytes_read)
    warnings = _decoding_warnings(source, encoding, check) + rows.warnings(source, header, columns)
    return ImportReport(table, rows.count, columns, warnings, encoding.label, delimiter)


def _check_head(head: bytes, complete: bool, source: str) -> TextEncoding:
    """Refuse an empty or binary file before parsing; otherwise choose its encoding."""
    if not head:
        raise _empty_error(source)
    description = describe_binary(head)
    if description is not None:
        raise LoadError(
            f"{source} is not a CSV file: it looks like {description}.",
            hint="Sift can open CSV and TSV text files. Export the data as CSV and open that.",
            source=source,
        )
    return choose_encoding(head, complete=complete)


def _empty_error(source: str) -> LoadError:
    return LoadError(
        f"{source} is empty.",
        hint="Choose a file that contains data: a header row and at least one row of values.",
        source=source,
    )


def _default_delimiter(source: str) -> str:
    return "\t" if source.lower().endswith(TAB_EXTENSIONS) else ","


def _check_width(conn: sqlite3.Connection, width: int, source: str) -> None:
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_COLUMN)
    if width > limit:
        raise LoadError(
            f"{source} has {width:,} columns; this version of SQLite allows at most {limit:,}.",
            hint="Remove the columns you do not need or split the file, then open it again.",
            source=source,
        )


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """All or nothing: a savepoint works with or without a transaction already open."""
    conn.execute(f"SAVEPOINT {_SAVEPOINT}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # some errors (SQLITE_FULL, NOMEM) already rolled back
            conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
            conn.execute(f"RELEASE {_SAVEPOINT}")
        raise
    conn.execute(f"RELEASE {_SAVEPOINT}")


def _create_table(conn: sqlite3.Connection, table: str, columns: list[str]) -> None:
    definitions = ", ".join(f"{quote_ident(column)} TEXT" for column in columns)
    conn.execute(f"CREATE TABLE {quote_ident(table)} ({definitions})")


def _insert(
    conn: sqlite3.Connection, table: str, width: int, batches: Iterator[list[Row]]
) -> Iterator[int]:
    """Insert each batch; yield the number of rows inserted so far after each one."""
    # Values are bound, never interpolated. Positional "?" rather than named parameters: rows
    # arrive as lists from the csv module, and a dict per row would only cost time.
    # NULLIF turns empty cells into NULL inside SQLite, faster than a Python pass per row.
    values = ", ".join(["NULLIF(?, '')"] * width)
    sql = f"INSERT INTO {quote_ident(table)} VALUES ({values})"
    inserted = 0
    for batch in batches:
        conn.executemany(sql, batch)
        inserted += len(batch)
        yield inserted


def _decoding_warnings(source: str, encoding: TextEncoding, check: Utf8Check | None) -> list[str]:
    warnings = []
    if encoding.guessed:
        warnings.append(
            f"{source} is not valid UTF-8, so it was read as {encoding.label} (Western European)."
            " If some letters look wrong, save the file as UTF-8 and open it again."
        )
    if check is not None and check.invalid:
        warnings.append(
            f"Some bytes in {source} are not valid UTF-8: {plural(check.invalid, 'byte')}"
            f" replaced with \ufffd, the first on line {check.first_line or 1:,}."
        )
    return warnings


@dataclass
class _Tally:
    """How many lines of one kind, and the first one's line number."""

    count: int = 0
    first_line: int = 0

    def add(self, line: int) -> None:
        if not self.count:
            self.first_line = line
        self.count += 1


class _Rows:
    """Rows of a csv reader fitted to the header's width, with tallies for the warnings.

    Line numbers are physical lines (``reader.line_num``): a row starts on the line after the
    one where the previous row ended.
    """

    def __init__(self, reader: CsvReader, source: str) -> None:
        self._reader = reader
        self._source = source
        self.count = 0
        self.long = _Tally()
        self.short = _Tally()
        self.blank = _Tally()

    def header(self) -> list[str]:
        """The first non-blank row."""
        try:
            for row in self._reader:
                if row:
                    return row
        except csv.Error as exc:
            raise _csv_error(exc, self._source, self._reader.line_num) from exc
        raise _empty_error(self._source)

    def batches(self, width: int, size: int) -> Iterator[list[Row]]:
        """Lists of up to ``size`` rows of exactly ``width`` cells. This loop runs per row, so
        it does as little as it can; irregular rows take the slow path in ``_fit``."""
        reader = self._reader
        batch: list[Row] = []
        end = reader.line_num  # the line where the previous row ended
        trailing = 0  # blank lines since the last row: not reported at the end of a file
        try:
            for row in reader:
                if len(row) != width:
                    if not row:
                        self.blank.add(end + 1)
                        trailing += 1
                        end = reader.line_num
                        continue
                    row = self._fit(row, width, end + 1)
                trailing = 0
                batch.append(row)
                end = reader.line_num
                if len(batch) >= size:
                    self.count += len(batch)
                    yield batch
                    batch = []
        except csv.Error as exc:
            raise _csv_error(exc, self._source, end + 1) from exc
        self.blank.count -= trailing
        if batch:
            self.count += len(batch)
            yield batch

    def _fit(self, row: list[str], width: int, line: int) -> list[str]:
        if len(row) > width:
            self.long.add(line)
            return row[:width]
        self.short.add(line)
        return row + [""] * (width - len(row))

    def warnings(self, source: str, header: list[str], columns: list[str]) -> list[str]:
        warnings = []
        renamed = [new for old, new in zip(header, columns, strict=True) if old.strip() != new]
        if renamed:
            more = f" and {len(renamed) - 5:,} more" if len(renamed) > 5 else ""
            shown = ", ".join(renamed[:5]) + more
            warnings.append(
                f"Renamed {plural(len(renamed), 'column')} with an empty or repeated name: {shown}."
            )
        if self.count == 0:
            warnings.append(f"{source} has a header but no rows.")
        width = len(columns)
        if self.long.count:
            warnings.append(
                f"{_rows_had(self.long.count)} more fields than the header ({width:,});"
                f" the extra fields were dropped. First at line {self.long.first_line:,}."
            )
        if self.short.count:
            warnings.append(
                f"{_rows_had(self.short.count)} fewer fields than the header ({width:,});"
                f" the missing values were left empty. First at line {self.short.first_line:,}."
            )
        if self.blank.count:
            warnings.append(
                f"Skipped {plural(self.blank.count, 'blank line')} between rows."
                f" First at line {self.blank.first_line:,}."
            )
        return warnings


def _rows_had(count: int) -> str:
    return f"{plural(count, 'row')} had"


def _csv_error(exc: csv.Error, source: str, line: int) -> LoadError:
    if "field larger than field limit" in str(exc):
        return LoadError(
            f"{source} has a field longer than {FIELD_SIZE_LIMIT:,} characters in the row"
            f" starting at line {line:,}.",
            hint='Check for a missing closing quote (") on that line.',
            source=source,
            line=line,
        )
    return LoadError(
        f"{source} could not be read as delimited text at line {line:,}: {exc}.",
        hint="Check the quotes and delimiters on that line, or save the file again as CSV.",
        source=source,
        line=line,
    )
