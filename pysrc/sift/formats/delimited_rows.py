"""Rows of delimited text, fitted to the table's width, with what the user should hear about.

Wraps the csv module: ragged rows are padded or cut (and counted), blank lines skipped (and
counted), and a quoted field that never closes is an error rather than one giant cell. For that
last one an end marker follows the text: a line holding a NUL character, which the input cannot
contain (NUL is stripped on the way in). If the marker is read as a row of its own, every quote
closed; if a quoted field swallowed it, the file ended inside that field.

Given ``TextChunks``, the rows after the first few are read a chunk of text at a time: a chunk
without quotes and with LF or CR LF line breaks is split with ``str.split`` (in C, several times
faster than the csv module's per-row loop; issue 3), any other chunk is read by the csv module.
Both give the same rows, line numbers and counts.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice, repeat
from typing import TYPE_CHECKING

from sift.errors import LoadError
from sift.formats.text_chunks import TextChunks, joined, line_breaks, plain_lines
from sift.messages import plural

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # characters; the stdlib default (128 KiB) is too small
MAX_ROW_LINES = 10_000  # a row spanning more lines is an unclosed quote, not a real cell
MAX_CHUNK_CHARS = 1 << 20  # characters read at once by the fast path
MIN_CHUNK_CHARS = 4096
_END = "\x00"

Row = list[str]
# A batch of rows, and the same rows as text (each line ending with a line feed) when they came
# from a chunk split without the csv module: ColumnTypes can check that text in one pass.
Batch = tuple[list[Row], str | None]


@dataclass
class _Tally:
    """How many lines of one kind, and the first one's line number."""

    count: int = 0
    first_line: int = 0

    def add(self, line: int) -> None:
        if not self.count:
            self.first_line = line
        self.count += 1


class Rows:
    """The rows of a csv reader over ``lines``: first a few (to guess the header and types),
    then batches of rows exactly as wide as the table.

    Line numbers are physical lines (``reader.line_num``): a row starts on the line after the
    one where the previous row ended.
    """

    def __init__(
        self,
        lines: Iterable[str],
        delimiter: str,
        quotechar: str,
        source: str,
        chunks: TextChunks | None = None,
    ) -> None:
        """``chunks``, if given, reads the same text as ``lines`` (which must then be the text
        stream itself) and turns on the fast path."""
        self._delimiter = delimiter
        self._quotechar = quotechar
        self._width = 0  # known once the header is: sizes the end marker
        self._reader: CsvReader = csv.reader(
            chain(lines, self._end_marker()), delimiter=delimiter, quotechar=quotechar
        )
        self._chunks = chunks
        self._source = source
        self._buffer: list[tuple[Row, int]] = []  # rows read ahead, with their first line
        self._end = 0  # the line where the last row read ended
        self._trailing = 0  # blank lines since the last row: not reported at the end of a file
        self._done = False  # the end marker was read
        self.count = 0
        self.long = _Tally()
        self.short = _Tally()
        self.blank = _Tally()

    def _end_marker(self) -> Iterator[str]:
        # One field more than the table has, so the fast path of ``batches`` never takes it.
        yield _END + self._delimiter * self._width

    def first(self, limit: int) -> list[Row]:
        """Read ahead up to ``limit`` non-blank rows (fewer at the end of the file)."""
        while len(self._buffer) < limit and not self._done:
            start = self._end + 1
            row = self._next()
            if row is None:
                break
            if not row:
                if self._buffer:
                    self.blank.add(start)
                    self._trailing += 1
                continue
            self._trailing = 0
            self._buffer.append((row, start))
        return [row for row, _ in self._buffer]

    def _next(self) -> Row | None:
        """The next row, blank ones included; None after the end marker."""
        start = self._end + 1
        try:
            row = next(self._reader)
        except StopIteration:
            raise _unterminated(self._source, self._buffer[-1][1] if self._buffer else 1) from None
        except csv.Error as exc:
            raise _csv_error(exc, self._source, start) from exc
        self._end = self._reader.line_num
        if row and row[0] == _END:
            self._done = True
            return None
        if self._end - start >= MAX_ROW_LINES or (row and _END in row[-1]):
            raise _unterminated(self._source, start)
        return row

    def ahead(self) -> list[Row]:
        """The rows read ahead and not yet taken, as they are (not fitted to any width)."""
        return [row for row, _ in self._buffer]

    def take_header(self) -> Row:
        """Remove the first row read ahead and return it: it is the header."""
        row, _ = self._buffer.pop(0)
        return row

    def batches(self, width: int, size: int) -> Iterator[Batch]:
        """Lists of up to ``size`` rows of exactly ``width`` cells: first the rows read ahead,
        then the rest. The loops run per row, so they do as little as they can; irregular rows
        take the slow path in ``_fit``."""
        self._width = width
        # Measured before the rows are given out: the caller converts values in place.
        chars = _chunk_chars([row for row, _ in self._buffer], size)
        batch: list[Row] = []
        for row, line in self._buffer:
            batch.append(row if len(row) == width else self._fit(row, width, line))
            if len(batch) >= size:
                yield self._counted(batch, None)
                batch = []
        if batch:
            yield self._counted(batch, None)
        self._buffer = []
        if self._done:
            pass
        elif self._chunks is None:
            yield from self._csv_batches(self._reader, width, size)
        else:
            yield from self._chunk_batches(self._chunks, width, size, chars)
        self.blank.count -= self._trailing

    def _counted(self, batch: list[Row], text: str | None) -> Batch:
        self.count += len(batch)
        return batch, text

    def _csv_batches(
        self, reader: CsvReader, width: int, size: int, stop: int | None = None
    ) -> Iterator[Batch]:
        """Batches of ``reader``'s rows, up to the end marker or, if ``stop`` is given, to the
        row that ends on or after line ``stop``. ``reader`` starts after line ``self._end``."""
        base = self._end - reader.line_num
        end = start = self._end  # the line where the previous row ended; where this one began
        trailing = self._trailing
        batch: list[Row] = []
        try:
            for row in reader:
                start = end + 1
                end = base + reader.line_num
                last = stop is not None and end >= stop
                if end - start >= MAX_ROW_LINES or (last and row and _END in row[-1]):
                    # Too long, or it swallowed the end marker: a quote never closed.
                    raise _unterminated(self._source, start)
                if len(row) != width:
                    if not row:
                        self.blank.add(start)
                        trailing += 1
                        if last:
                            break
                        continue
                    if row[0] == _END:
                        self._done = True
                        break
                    row = self._fit(row, width, start)
                trailing = 0
                batch.append(row)
                if len(batch) >= size:
                    yield self._counted(batch, None)
                    batch = []
                if last:
                    break
            else:  # the last row swallowed the end marker: its quote never closed
                raise _unterminated(self._source, start)
        except csv.Error as exc:
            raise _csv_error(exc, self._source, end + 1) from exc
        self._end, self._trailing = end, trailing
        if batch:
            yield self._counted(batch, None)

    def _chunk_batches(
        self, chunks: TextChunks, width: int, size: int, chars: int
    ) -> Iterator[Batch]:
        """Batches of the rest of the text, read in chunks; chunks that ``str.split`` cannot read
        as the csv module would go to a csv reader that stops at the chunk's end."""
        delimiter = self._delimiter
        while not self._done:
            chunk = chunks.read(chars)
            if not chunk:
                break
            lines = plain_lines(chunk, self._quotechar, FIELD_SIZE_LIMIT)
            if lines is None:
                stop = self._end + line_breaks(chunk) + (chunk[-1] not in "\r\n")
                reader = csv.reader(
                    chain(io.StringIO(chunk, newline=""), chunks.lines(), self._end_marker()),
                    delimiter=delimiter,
                    quotechar=self._quotechar,
                )
                yield from self._csv_batches(reader, width, size, stop)
                continue
            rows = list(map(str.split, lines, repeat(delimiter, len(lines))))
            first = self._end + 1
            self._end += len(lines)
            regular = "" not in lines and set(map(len, rows)) == {width}
            if regular:
                self._trailing = 0
            else:
                rows = self._fitted(lines, rows, width, first)
            for at in range(0, len(rows), size):
                part = rows[at : at + size] if len(rows) > size else rows
                text = joined(islice(lines, at, at + size)) if regular else None
                yield self._counted(part, text)
        self._done = True

    def _fitted(self, lines: list[str], rows: list[Row], width: int, first: int) -> list[Row]:
        """``rows`` (of ``lines``, the first on line ``first``) without blank lines and fitted
        to ``width``, counted as the csv path counts them."""
        kept: list[Row] = []
        trailing = self._trailing
        for number, (line, row) in enumerate(zip(lines, rows, strict=True), start=first):
            if not line:
                self.blank.add(number)
                trailing += 1
                continue
            trailing = 0
            kept.append(row if len(row) == width else self._fit(row, width, number))
        self._trailing = trailing
        return kept

    def _fit(self, row: Row, width: int, line: int) -> Row:
        if len(row) > width:
            self.long.add(line)
            return row[:width]
        self.short.add(line)
        return row + [""] * (width - len(row))

    def warnings(self, header: list[str], columns: list[str]) -> list[str]:
        """What was renamed, padded, cut and skipped, in sentences."""
        warnings = []
        renamed = [new for old, new in zip(header, columns, strict=True) if old.strip() != new]
        if renamed:
            more = f" and {len(renamed) - 5:,} more" if len(renamed) > 5 else ""
            shown = ", ".join(renamed[:5]) + more
            warnings.append(
                f"Renamed {plural(len(renamed), 'column')} with an empty or repeated name: {shown}."
            )
        if self.count == 0:
            warnings.append(f"{self._source} has a header but no rows.")
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


def _chunk_chars(ahead: list[Row], size: int) -> int:
    """Characters to read at once so that a chunk holds about ``size`` rows like ``ahead``."""
    if not ahead:
        return MAX_CHUNK_CHARS
    characters = sum(sum(map(len, row)) + len(row) for row in ahead)
    return max(MIN_CHUNK_CHARS, min(MAX_CHUNK_CHARS, characters * size // len(ahead)))


def _rows_had(count: int) -> str:
    return f"{plural(count, 'row')} had"


def _unterminated(source: str, line: int) -> LoadError:
    return LoadError(
        f"{source} has an unterminated quoted field starting at line {line:,}:"
        ' its closing quote (") is missing.',
        hint="Add the missing quote on that line (or remove the stray one), then open the file"
        " again.",
        source=source,
        line=line,
    )


def _csv_error(exc: csv.Error, source: str, line: int) -> LoadError:
    if "field larger than field limit" in str(exc):
        return LoadError(
            f"{source} has a field longer than {csv.field_size_limit():,} characters in the row"
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
