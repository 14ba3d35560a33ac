"""Import an Excel .xlsx workbook: every sheet with data becomes a table.

The order of work, each step refusing bad input before the next one spends effort on it:
magic bytes (``xlsx_book``: empty, legacy .xls, text or another binary format), the ZIP
directory against the zip-bomb budget (``zip_guard``), the workbook's structure with openpyxl
(``xlsx_book``: sheet list, date formats, 1904 date system; its XML goes through defusedxml),
then the shared strings (``xlsx_xml``) and each sheet's cells (``xlsx_cells``), streamed with a
hardened expat into SQLite (``xlsx_table``). Formulas are never evaluated: a cell shows the
result Excel saved; macros are never read.

Column types are chosen once a sheet has been read (``xlsx_table``), from the set that
``sift.column_types`` knows: INTEGER, REAL, BOOLEAN (1/0), DATE ("2024-03-01"), DATETIME
("2024-03-01 14:30:00") and TEXT, which also holds times of day ("14:30:00"), durations
("26:30:00") and every column that mixes kinds. A float with no fraction counts as an integer:
Excel has one number type, so 3 and 3.0 are the same number. The header is the first row with
a value; blank header cells are named ``column_N`` (N = the spreadsheet column: column_3 is C),
a header merged across columns lends its name to the columns it covers (Q1, Q1_2, Q1_3), and
columns with neither a header nor a value are left out. A row holding only error cells is kept
(as NULLs); empty sheets are skipped with a warning. Everything happens in one savepoint: an
error or a cancel leaves no table at all.

Imports: the standard library, openpyxl and sift modules.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl  # type: ignore[import-untyped]

from sift.errors import LoadError
from sift.formats import zip_guard
from sift.formats.base import ByteStream, ImportReport, Progress
from sift.formats.xlsx_book import Book, Sheet, check_magic, read_book
from sift.formats.xlsx_cells import SheetReader
from sift.formats.xlsx_table import SheetTable
from sift.formats.xlsx_xml import read_shared_strings
from sift.savepoints import savepoint

__all__ = ["LIMITS", "SAFE_XML", "SheetReport", "import_xlsx"]

# openpyxl parses with defusedxml only when it is installed (it is a bundled wheel) and not
# switched off by OPENPYXL_DEFUSEDXML. Checked once, at import; without it nothing is read.
SAFE_XML: bool = openpyxl.DEFUSEDXML is True

LIMITS = zip_guard.DEFAULT_LIMITS
FLUSH_CELLS = 50_000  # staged cells per INSERT batch
_SAVEPOINT = "sift_xlsx_import"


@dataclass
class SheetReport(ImportReport):
    """An ImportReport for one sheet: also the sheet's title (any text) and column types."""

    sheet: str = ""
    types: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "sheet": self.sheet, "types": list(self.types)}


def import_xlsx(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    *,
    source: str,
    progress: Progress | None = None,
) -> list[SheetReport]:
    """Create one table per sheet of the workbook in ``stream`` (named ``source`` in messages).

    Table names come from ``allocate(f"{file stem}_{sheet title}")``. Raises LoadError for
    anything that is not a readable, safe workbook; no table is left behind then, nor when
    ``progress(rows, bytes_read)`` raises (that is how an import is cancelled).
    """
    if not SAFE_XML:
        raise LoadError(
            f"{source} cannot be opened: Excel support is missing its safe XML parser"
            " (defusedxml), so no workbook is read.",
            hint="This build of Sift is incomplete. Reload the page; if that does not help,"
            " save the sheet as CSV and open that.",
            source=source,
        )
    try:
        with zip_guard.seekable(stream, source=source, limit=LIMITS.max_archive) as file:
            check_magic(file, source)
            size = file.seek(0, 2)
            file.seek(0)
            with zip_guard.open_zip(file, source=source, limits=LIMITS) as archive:
                book = read_book(archive, source)
                meter = _Meter(progress, size, book)
                return _import_book(conn, allocate, archive, book, source, meter)
    except OSError as exc:
        raise LoadError(
            f"Could not read {source}: {exc.strerror or exc}.",
            hint="Check that the file still exists and can be read, then open it again.",
            source=source,
        ) from exc


# The sheets, streamed into tables


class _Meter:
    """Rows so far and an estimate of the file's bytes consumed, for ``progress``."""

    def __init__(self, progress: Progress | None, size: int, book: Book) -> None:
        self._progress = progress
        streamed = [sheet.part for sheet in book.sheets]
        streamed += [book.strings] if book.strings is not None else []
        self._done = max(size - sum(info.compress_size for info in streamed), 0)
        self._part: zipfile.ZipInfo | None = None
        self._expanded = 0
        self.rows = 0

    def begin(self, part: zipfile.ZipInfo) -> None:
        self._part, self._expanded = part, 0

    def chunk(self, size: int) -> None:
        self._expanded += size

    def end(self) -> None:
        if self._part is not None:
            self._done += self._part.compress_size
        self._part = None

    def report(self, rows_in_sheet: int = 0) -> None:
        if self._progress is None:
            return
        done = self._done
        if self._part is not None and self._part.file_size:
            share = min(self._expanded / self._part.file_size, 1.0)
            done += int(self._part.compress_size * share)
        self._progress(self.rows + rows_in_sheet, done)


def _import_book(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    archive: zipfile.ZipFile,
    book: Book,
    source: str,
    meter: _Meter,
) -> list[SheetReport]:
    max_text = conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
    strings = _shared_strings(archive, book, source, meter, max_text)
    stem = _file_stem(source)
    reports: list[SheetReport] = []
    notes = list(book.warnings)
    with savepoint(conn, _SAVEPOINT):
        for sheet in book.sheets:
            reader = SheetReader(
                strings,
                book.formats,
                source=source,
                part=sheet.part.filename,
                sheet=sheet.title,
                max_columns=conn.getlimit(sqlite3.SQLITE_LIMIT_COLUMN),
                max_text=max_text,
            )
            table = SheetTable(conn, source, sheet.title)
            report = _import_sheet(
                allocate, archive, sheet, reader, table, f"{stem}_{sheet.title}", meter
            )
            if report is None:
                notes.append(f"Sheet {sheet.title!r} is empty; no table was made for it.")
            else:
                reports.append(report)
        if not reports:
            raise _no_data(source, book, notes)
    reports[0].warnings[:0] = notes
    return reports


def _no_data(source: str, book: Book, notes: list[str]) -> LoadError:
    if not book.warnings:
        why = "every sheet is empty." if book.sheets else "it has no worksheets."
    else:  # some sheets were skipped: say which and why
        why = " ".join(notes)
    return LoadError(
        f"{source} holds no data: {why}",
        hint="Check that you chose the right workbook, or save the sheet as CSV.",
        source=source,
    )


def _shared_strings(
    archive: zipfile.ZipFile, book: Book, source: str, meter: _Meter, max_text: int
) -> list[str]:
    if book.strings is None:
        return []
    part = book.strings

    def after_chunk(size: int) -> None:
        meter.chunk(size)
        meter.report()

    meter.begin(part)
    chunks = zip_guard.read_member(archive, part, source=source)
    strings = read_shared_strings(
        chunks, source=source, part=part.filename, max_text=max_text, after_chunk=after_chunk
    )
    meter.end()
    return strings


def _import_sheet(
    allocate: Callable[[str], str],
    archive: zipfile.ZipFile,
    sheet: Sheet,
    reader: SheetReader,
    table: SheetTable,
    hint: str,
    meter: _Meter,
) -> SheetReport | None:
    """Stream one sheet into a staging table, then make its final table; None if empty."""
    meter.begin(sheet.part)
    for chunk in zip_guard.read_member(archive, sheet.part, source=reader.source):
        reader.feed(chunk)
        meter.chunk(len(chunk))
        if len(reader.pending) * max(reader.width, 1) >= FLUSH_CELLS:
            table.stage(reader)
        meter.report(reader.rows)
    reader.close()
    table.stage(reader)
    meter.end()
    if reader.header is None:
        return None
    result = table.finish(reader, allocate(hint), lambda: meter.report(reader.rows))
    meter.rows += reader.rows
    hidden = [f"Sheet {sheet.title!r} is hidden in the workbook."] if sheet.hidden else []
    return SheetReport(
        result.table,
        reader.rows,
        result.columns,
        hidden + result.warnings,
        sheet=sheet.title,
        types=result.types,
    )


def _file_stem(source: str) -> str:
    leaf = re.split(r"[/\\]", source)[-1]
    stem, dot, _ = leaf.rpartition(".")
    return stem if dot and stem else leaf
