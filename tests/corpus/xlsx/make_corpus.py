"""Write the small .xlsx files of this corpus (run from the repository root).

    PYTHONPATH=pysrc .venv/bin/python -m tests.corpus.xlsx.make_corpus

The workbooks are committed; this script documents how each was made. The expected tables
beside them (``*.expected.json``) are written by hand, not by this script.
"""

from __future__ import annotations

import datetime
import io
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from tests.unit.test_xlsx import NS, build_xlsx, cell, header, num, row, text

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def with_openpyxl(fill: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def types(book: openpyxl.Workbook) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = "Types"
    sheet.append(["id", "price", "paid", "day", "moment", "name", "mixed"])
    sheet.append(
        [1, 9.5, True, datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 1, 9, 30), "Zoë", 7]
    )
    sheet.append(
        [2, 10, False, datetime.date(2024, 12, 31), datetime.datetime(2024, 3, 2), "O'Brien", "n/a"]
    )
    sheet.append([3, None, None, None, None, "007", 0.25])


def messy_header(book: openpyxl.Workbook) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = "Messy"
    sheet.append([])
    sheet.append(["name", None, "name", "Q1", None, "  "])
    sheet.merge_cells("D2:E2")
    sheet.append(["a", 1, 2, 3, 4, 5, "extra"])
    sheet.append(["b", 6, 7, 8, 9, 10])


def sheets(book: openpyxl.Workbook) -> None:
    first = book.active
    assert first is not None
    first.title = "Cities"
    first.append(["city", "people"])
    first.append(["Paris", 2_102_650])
    first.append(["Lyon", 522_250])
    book.create_sheet("Blank")
    hidden = book.create_sheet("<b>Notes<b>")
    hidden.append(["note"])
    hidden.append(["hidden sheet"])
    hidden.sheet_state = "hidden"


def date1904(book: openpyxl.Workbook) -> None:
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.title = "Mac"
    sheet.append(["when", "count"])
    sheet.append([datetime.datetime(2024, 3, 1), 1])
    sheet.append([datetime.datetime(1904, 1, 2, 12, 0), 2])


def errors_and_formulas() -> bytes:
    sheet = (
        header("a", "b", "c")
        + row(
            2, num("A2", 2), '<c r="B2"><f>A2*2</f><v>4</v></c>', cell("C2", "e", "<v>#DIV/0!</v>")
        )
        + row(
            3, num("A3", 3), '<c r="B3"><f>A3*2</f></c>', cell("C3", "e", "<f>X1</f><v>#REF!</v>")
        )
        + row(4, num("A4", 4), '<c r="B4" t="str"><f>"x"&amp;A4</f><v>x4</v></c>', num("C4", 1))
    )
    return build_xlsx([("Calc", sheet)])


def strings() -> bytes:
    shared = (
        f'<sst xmlns="{NS}" count="3" uniqueCount="3"><si><t>word</t></si>'
        '<si><r><t>bold</t></r><r><rPr><b/></rPr><t xml:space="preserve"> move</t></r>'
        '<rPh sb="0" eb="4"><t>ボールド</t></rPh></si>'
        "<si><t>line_x000D_break and _x005F_x0041_</t></si></sst>"
    )
    sheet = (
        f'<x:worksheet xmlns:x="{NS}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is>'
        "<x:t>inline</x:t></x:is></x:c></x:row>"
        '<x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" t="inlineStr"><x:is>'
        "<x:r><x:t>a</x:t></x:r><x:r><x:t>b</x:t></x:r></x:is></x:c></x:row>"
        '<x:row r="3"><x:c r="A3" t="s"><x:v>2</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    return build_xlsx([("Strings", sheet)], strings=shared)


def sparse() -> bytes:
    sheet = (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/><sheetData>'
        + row(None, text("B1", "x"), text("C1", "y"))
        + row(None, "<c r='B2'><v>1</v></c>", "<c><v>2</v></c>")
        + row(7, "<c r='C7'><v>3</v></c>")
        + "</sheetData></worksheet>"
    )
    return build_xlsx([("Sparse", sheet)])


def fixed_timestamps(data: bytes) -> bytes:
    """The same bytes on every run: fixed dates in the zip and in docProps/core.xml."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in sorted(source.infolist(), key=lambda item: item.filename):
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT[\d:]+Z", b"2024-01-01T00:00:00Z", content)
            target.writestr(
                zipfile.ZipInfo(entry.filename, FIXED_TIME), content, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


WORKBOOKS: dict[str, Callable[[], bytes]] = {
    "types.xlsx": lambda: with_openpyxl(types),
    "messy_header.xlsx": lambda: with_openpyxl(messy_header),
    "sheets.xlsx": lambda: with_openpyxl(sheets),
    "date1904.xlsx": lambda: with_openpyxl(date1904),
    "errors_and_formulas.xlsx": errors_and_formulas,
    "strings.xlsx": strings,
    "sparse.xlsx": sparse,
}


def main(argv: list[str] | None = None) -> int:
    """Write every workbook of the corpus into this folder."""
    del argv
    for name, make in WORKBOOKS.items():
        (HERE / name).write_bytes(fixed_timestamps(make()))
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
