"""Excel (.xlsx) export with XlsxWriter in constant-memory mode: rows stream to the sheet.

One sheet named after the table (as Excel allows); a bold, frozen header row. Every cell is
typed, never a formula: text goes through ``write_string`` (and the workbook's conversions of
strings to formulas, numbers and URLs are off), numbers are numbers, BOOLEAN columns are
TRUE/FALSE cells. Text that starts like a formula gets Excel's quote prefix, a cell style that
keeps it text even when someone edits the cell, without changing the value (``raw``: no
prefix; still text). DATE and DATETIME columns become Excel dates, formatted yyyy-mm-dd
(hh:mm:ss[.000]), when the value is ISO text from March 1900 on with at most milliseconds and
no time zone; other values stay text. Integers beyond 2**53 and infinite reals are written as
text (an Excel number would round or cannot hold them); blobs as ``0x`` and hex. Text longer
than Excel's 32,767 characters is cut, with a warning. A view of more than 1,048,575 rows is
refused before anything is written.
Imports: the standard library, XlsxWriter (imported on first use) and sift modules.
"""

from __future__ import annotations

import datetime
import math
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sift.errors import SiftError
from sift.export.cell_sql import hex_blobs, is_boolean
from sift.export.neutral import TRIGGERS
from sift.export.rows import ViewRows
from sift.messages import plural

MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header
# XlsxWriter's per-cell work makes rows ~10x slower than CSV's in Pyodide (2,000-6,600 rows/s
# measured): smaller batches keep Cancel and progress within a tenth of a second.
XLSX_BATCH_ROWS = 200
MAX_TEXT = 32_767
MAX_EXACT_INTEGER = 2**53
SHEET_NAME_CHARS = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATETIME_MS_FORMAT = "yyyy-mm-dd hh:mm:ss.000"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?", re.ASCII
)
# Excel counts a 29 February 1900 that never was, and XlsxWriter writes 1 January 1900 as a
# bare time (serial 0): dates from March 1900 on are exact, earlier ones stay text.
FIRST_EXCEL_DATE = datetime.datetime(1900, 3, 1)


@dataclass(frozen=True)
class XlsxOptions:
    raw: bool = False


def check_rows(rows: int) -> None:
    """Refuse a view that does not fit in one sheet, before writing anything."""
    if rows > MAX_ROWS:
        raise SiftError(
            f"This view has {rows:,} rows; an Excel sheet holds at most {MAX_ROWS:,}"
            " below its header.",
            hint="Filter the view to fewer rows, or export it as CSV or SQLite.",
        )


def write_xlsx(source: ViewRows, path: str, options: XlsxOptions) -> list[str]:
    """Write the view's rows to ``path`` as a one-sheet workbook; returns warnings."""
    import xlsxwriter  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="sift-xlsx-") as scratch:
        book = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "tmpdir": scratch,
                "use_zip64": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        try:
            sheet = _Sheet(book, source, options)
            sheet.write_all()
            book.close()
        except BaseException:
            for worksheet in book.worksheets():
                worksheet._opt_close()  # the constant-memory temp file, left open otherwise
            raise
    return sheet.warnings()


@dataclass
class _Sheet:
    book: Any
    source: ViewRows
    options: XlsxOptions
    cut: int = 0
    formats: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sheet = self.book.add_worksheet(sheet_name(self.source.view.table))
        self.prefix = None if self.options.raw else self.book.add_format({"quote_prefix": True})
        for key, number_format in (
            ("date", DATE_FORMAT),
            ("datetime", DATETIME_FORMAT),
            ("datetime_ms", DATETIME_MS_FORMAT),
        ):
            self.formats[key] = self.book.add_format({"num_format": number_format})

    def write_all(self) -> None:
        bold = self.book.add_format({"bold": True})
        if not self.options.raw:
            bold.set_quote_prefix()  # a column name can start like a formula too
        for column, name in enumerate(self.source.columns):
            self.text(0, column, name, bold)
        self.sheet.freeze_panes(1, 0)
        writers = [self.writer(t) for t in self.source.types]
        select = [hex_blobs(c) for c in self.source.columns]
        row_number = 1
        with self.source.batches(select, size=XLSX_BATCH_ROWS) as batches:
            for batch in batches:
                for row in batch:
                    for column, (value, write) in enumerate(zip(row, writers, strict=True)):
                        if value is not None:
                            write(row_number, column, value)
                    row_number += 1
                self.source.pacer.step(len(batch), 0)

    def writer(self, declared: str) -> Callable[[int, int, Any], None]:
        kind = declared.strip().upper()
        if is_boolean(kind):
            return self.boolean
        if kind in ("DATE", "DATETIME"):
            return self.date
        return self.value

    def value(self, row: int, column: int, value: Any) -> None:
        if isinstance(value, str):
            self.text(row, column, value)
        elif is_exact_number(value):
            self.sheet.write_number(row, column, value)
        elif isinstance(value, float):
            self.sheet.write_string(row, column, "Infinity" if value > 0 else "-Infinity")
        else:
            self.sheet.write_string(row, column, str(value))

    def boolean(self, row: int, column: int, value: Any) -> None:
        if isinstance(value, int) and value in (0, 1):
            self.sheet.write_boolean(row, column, bool(value))
        else:
            self.value(row, column, value)

    def date(self, row: int, column: int, value: Any) -> None:
        found = excel_date(value) if isinstance(value, str) else None
        if found is None:
            self.value(row, column, value)
        else:
            moment, key = found
            self.sheet.write_datetime(row, column, moment, self.formats[key])

    def text(self, row: int, column: int, value: str, style: Any = None) -> None:
        if style is None and self.prefix is not None and value[:1] in TRIGGERS:
            style = self.prefix
        if self.sheet.write_string(row, column, value, style) == -2:
            self.cut += 1

    def warnings(self) -> list[str]:
        if not self.cut:
            return []
        verb = "was" if self.cut == 1 else "were"
        return [
            f"{plural(self.cut, 'cell')} held more than Excel's {MAX_TEXT:,} characters"
            f" and {verb} cut to fit."
        ]


def sheet_name(table: str) -> str:
    """A name Excel accepts for the sheet of ``table``: at most 31 characters, none of
    []:*?/\\, not starting or ending with an apostrophe, not "History" (Excel's own)."""
    name = _SHEET_FORBIDDEN.sub("_", table)
    while len(name.encode("utf-16-le")) > 2 * SHEET_NAME_CHARS:  # Excel counts UTF-16 units
        name = name[:-1]
    name = name.strip("'") or "Sheet1"
    return name + "_" if name.lower() == "history" else name


def is_exact_number(value: object) -> bool:
    """True for a number an Excel cell holds exactly: a finite float, an int up to 2**53."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and abs(value) <= MAX_EXACT_INTEGER


def excel_date(text: str) -> tuple[datetime.datetime, str] | None:
    """``text`` as a datetime and the name of its format, if Excel can hold it exactly."""
    try:
        if _DATE.fullmatch(text):
            moment = datetime.datetime.fromisoformat(text)
            key = "date"
        elif _DATETIME.fullmatch(text):
            moment = datetime.datetime.fromisoformat(text)
            key = "datetime_ms" if moment.microsecond else "datetime"
        else:
            return None
    except ValueError:  # "2023-02-30" has the shape but is no date
        return None
    if moment < FIRST_EXCEL_DATE or moment.microsecond % 1000:
        return None
    return moment, key
