"""Streaming import of delimited text (CSV, TSV, ';' or '|' separated) into a new SQLite table.

The stages: read a head and choose the encoding; guess the delimiter and the quote; read the
first rows, guess whether the first is a header and plan each column's type from them; then
stream the rest in batches while ``ColumnTypes`` narrows each column's type batch by batch and
``TypedTable`` stores the values as the types say (declared INTEGER, REAL, BOOLEAN, DATE,
DATETIME or TEXT). A type that widens later (INTEGER to REAL, a column empty at first) costs one
SQL copy at the end. A planned type disproved later (row 900,000 says "n/a") means that values
already stored lost their exact text: the file is read again from the start with that column
staged as text; if a second column is disproved, once more with every column staged as text
and typed by one copy at the end. The result is exact either way. A stream that cannot seek
is staged as text from the start.
Everything happens inside one savepoint, so a failed or cancelled import leaves no table.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import csv
import gc
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sift.errors import LoadError
from sift.formats.base import ByteStream, ImportReport, Progress
from sift.formats.delimited_rows import FIELD_SIZE_LIMIT, Row, Rows
from sift.formats.infer import TEXT, Chain, ColumnTypes, Kind, chains_for, guess_header
from sift.formats.sniff_delimiter import guess_delimiter, guess_quotechar
from sift.formats.text_chunks import TextChunks
from sift.formats.text_input import (
    HEAD_SIZE,
    ChainedReader,
    LineCounter,
    NulCount,
    TextEncoding,
    Utf8Check,
    choose_encoding,
    declared_encoding,
    decode_sample,
    open_text,
    read_head,
)
from sift.formats.typed_store import TypedTable, TypesChanged
from sift.messages import plural
from sift.names import unique_column_names
from sift.savepoints import savepoint
from sift.sniff_bytes import describe_binary

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "FIELD_SIZE_LIMIT",
    "DelimitedReport",
    "ImportReport",
    "import_delimited",
]

DEFAULT_CHUNK_ROWS = 5000
HEADER_SAMPLE_ROWS = 200  # rows read before deciding whether the first one is a header
TAB_EXTENSIONS = (".tsv", ".tab")
_SAVEPOINT = "sift_import"


@dataclass
class DelimitedReport(ImportReport):
    """An ImportReport with the declared type of each column and whether a header was found."""

    types: list[str] = field(default_factory=list)
    header: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "types": list(self.types), "header": self.header}


@dataclass(frozen=True)
class _Plan:
    """What the head told: how to decode and split the text."""

    encoding: TextEncoding
    delimiter: str
    quotechar: str


def import_delimited(
    conn: sqlite3.Connection,
    table: str,
    stream: ByteStream,
    *,
    source: str,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
) -> DelimitedReport:
    """Create ``table`` from the delimited text in ``stream`` (named ``source`` in messages).

    ``delimiter`` and ``header`` override the guesses. Raises LoadError when the file is empty,
    binary, wider than SQLite allows or malformed; the table then does not exist.
    ``progress(rows, bytes_read)`` runs after each batch and between the typed copy's chunks.
    """
    try:
        return _import(conn, table, stream, source, chunk_rows, progress, delimiter, header)
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
    delimiter: str | None,
    header: bool | None,
) -> DelimitedReport:
    start = _position(stream)
    options = (source, chunk_rows, progress, delimiter, header)
    if start is None:  # the stream cannot be read again: stage every column as text
        return _read(conn, table, stream, *options, as_text=None)
    try:
        return _read(conn, table, stream, *options, as_text=frozenset())
    except TypesChanged as changed:
        # A type planned from the first rows was disproved after values were stored
        # converted: read the file again with that column staged as text...
        disproved = changed.column
    stream.seek(start)  # type: ignore[attr-defined]
    try:
        return _read(conn, table, stream, *options, as_text=frozenset({disproved}))
    except TypesChanged:
        pass
    # ...and if another one is disproved too, once more with every column as text.
    stream.seek(start)  # type: ignore[attr-defined]
    return _read(conn, table, stream, *options, as_text=None)


def _position(stream: ByteStream) -> int | None:
    """Where a seekable stream is now (to read it again), or None."""
    seekable = getattr(stream, "seekable", None)
    if callable(seekable) and seekable() and callable(getattr(stream, "seek", None)):
        tell = getattr(stream, "tell", None)
        return int(tell()) if callable(tell) else None
    return None


def _read(
    conn: sqlite3.Connection,
    table: str,
    stream: ByteStream,
    source: str,
    chunk_rows: int,
    progress: Progress | None,
    delimiter: str | None,
    header: bool | None,
    *,
    as_text: frozenset[int] | None,
) -> DelimitedReport:
    """One pass over the file. Columns are declared with the types of the first rows, except
    those in ``as_text`` (every column if None), staged as text and typed at the end; a
    planned type disproved later raises TypesChanged (never when every column is text)."""
    head = read_head(stream, HEAD_SIZE)
    plan = _plan(head, source, delimiter)
    # A process-wide setting of the csv module; every import sets the same value.
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    decoding = _Decoding(plan.encoding)
    raw = decoding.reader(head, stream)
    with open_text(raw, plan.encoding) as text, _gc_paused():
        # The fast path reads the text in chunks; for UTF-16/32, NUL is removed per line.
        chunks = TextChunks(text) if plan.encoding.ascii_compatible else None
        rows = Rows(decoding.lines(text), plan.delimiter, plan.quotechar, source, chunks)
        first = rows.first(HEADER_SAMPLE_ROWS)
        if not first:
            raise _empty_error(source)
        chains = chains_for(plan.delimiter)
        has_header = guess_header(first, chains) if header is None else header
        names = rows.take_header() if has_header else _numbered(len(first[0]))
        columns = unique_column_names(names)
        _check_width(conn, len(columns), source)
        types = ColumnTypes(len(columns), chains)
        planned = _planned_kinds(rows.ahead(), len(columns), chains, as_text)

        def report(count: int) -> None:
            if progress is not None:
                progress(count, raw.bytes_read)

        with savepoint(conn, _SAVEPOINT):
            target = TypedTable(conn, table, columns, planned)
            for batch, text_of_batch in rows.batches(len(columns), chunk_rows):
                types.update(batch, text_of_batch, plan.delimiter)
                target.write(batch, types.kinds())
                report(rows.count)
            kinds = types.kinds()
            target.finish(kinds, lambda: report(rows.count))
    warnings = [
        *decoding.warnings(source),
        *([] if has_header else [_no_header_warning(source, len(columns))]),
        *rows.warnings(names if has_header else columns, columns),
    ]
    return DelimitedReport(
        table,
        rows.count,
        columns,
        warnings,
        plan.encoding.label,
        plan.delimiter,
        types=[kind.declared for kind in kinds],
        header=has_header,
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while rows stream: an import allocates millions of lists
    and strings that reference counting frees at once, and the collector's passes over them
    cost time for nothing (measured in Pyodide: issue 3)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _planned_kinds(
    ahead: list[Row], width: int, chains: tuple[Chain, ...], as_text: frozenset[int] | None
) -> list[Kind]:
    """The kinds of the rows read ahead; TEXT for a column with no value yet, for the columns
    in ``as_text``, and for all of them if it is None."""
    if as_text is None:
        return [TEXT] * width
    types = ColumnTypes(width, chains)
    types.update([(row + [""] * width)[:width] for row in ahead])
    return [TEXT if column in as_text else kind for column, kind in enumerate(types.kinds())]


def _plan(head: bytes, source: str, delimiter: str | None) -> _Plan:
    """Refuse an empty or binary file; choose the encoding, delimiter and quote from the head."""
    complete = len(head) < HEAD_SIZE
    encoding = _check_head(head, complete, source)
    sample = decode_sample(head, encoding, complete=complete)
    if complete and not sample.strip():
        raise _empty_error(source)
    if delimiter is None:
        delimiter = guess_delimiter(sample, complete=complete, default=_default_delimiter(source))
    elif len(delimiter) != 1 or delimiter in '"\r\n\x00':
        raise LoadError(
            f"{delimiter!r} cannot be the delimiter of {source}.",
            hint="Choose one character other than a quote or a line break, such as , ; | or tab.",
            source=source,
        )
    return _Plan(encoding, delimiter, guess_quotechar(sample, delimiter))


def _check_head(head: bytes, complete: bool, source: str) -> TextEncoding:
    """Refuse an empty or binary file before parsing; otherwise choose its encoding."""
    if not head:
        raise _empty_error(source)
    declared = declared_encoding(head)
    if declared is not None:
        return declared
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


def _numbered(width: int) -> list[str]:
    return [f"column_{position}" for position in range(1, width + 1)]


def _check_width(conn: sqlite3.Connection, width: int, source: str) -> None:
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_COLUMN)
    if width > limit:
        raise LoadError(
            f"{source} has {width:,} columns; this version of SQLite allows at most {limit:,}.",
            hint="Remove the columns you do not need or split the file, then open it again.",
            source=source,
        )


class _Decoding:
    """Decoding one pass: the UTF-8 check and the NUL count, sharing one line counter."""

    def __init__(self, encoding: TextEncoding) -> None:
        self.encoding = encoding
        self._lines = LineCounter()
        self.check = Utf8Check(self._lines) if encoding.checked else None
        self.nul = NulCount(self._lines)

    def reader(self, head: bytes, stream: ByteStream) -> ChainedReader:
        # NUL is removed from the bytes when one byte is one NUL character, else per line.
        nul = self.nul if self.encoding.ascii_compatible else None
        return ChainedReader(head, stream, self.check, nul, self._lines)

    def lines(self, text: Iterable[str]) -> Iterable[str]:
        return text if self.encoding.ascii_compatible else self.nul.strip_lines(text)

    def warnings(self, source: str) -> list[str]:
        encoding, check, nul = self.encoding, self.check, self.nul
        warnings = []
        if encoding.region:
            warnings.append(
                f"{source} is not valid UTF-8, so it was read as {encoding.label}"
                f" ({encoding.region}). If some letters look wrong, save the file as UTF-8 and"
                " open it again."
            )
        elif not encoding.is_utf8:
            why = (
                "its bytes show it (it has no byte order mark)"
                if encoding.guessed
                else "its byte order mark says so"
            )
            warnings.append(f"{source} was read as {encoding.label}, not UTF-8: {why}.")
        if check is not None and check.invalid:
            warnings.append(
                f"Some bytes in {source} are not valid UTF-8: {plural(check.invalid, 'byte')}"
                f" replaced with \ufffd, the first on line {check.first_line or 1:,}."
            )
        if nul.count:
            warnings.append(
                f"Removed {plural(nul.count, 'NUL character')} (code 0, not text) from {source},"
                f" the first on line {nul.first_line or 1:,}."
            )
        return warnings


def _no_header_warning(source: str, width: int) -> str:
    last = f" to column_{width}" if width > 1 else ""
    return (
        f"The first row of {source} looks like data, not a header, so it was kept as a row"
        f" and the columns were named column_1{last}."
    )
