"""Excel .xlsx import where Pyodide may differ from CPython: its expat, zipfile, SQLite 3.39
and float formatting. Meant to run inside Pyodide; host pytest collects these too.

Plain functions with bare asserts and only the standard library plus sift; the workbooks are
written part by part with zipfile.
"""

from __future__ import annotations

import io
import sqlite3
import struct
import time
import zipfile
from contextlib import closing
from xml.sax.saxutils import quoteattr

from sift.errors import LoadError
from sift.formats.xlsx import SAFE_XML, SheetReport, import_xlsx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
STYLES = (
    f'<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
    "</cellXfs></styleSheet>"
)


def workbook(sheets: list[tuple[str, str]], date1904: bool = False, strings: str = "") -> bytes:
    """A minimal workbook: each sheet is (title, the XML inside <sheetData>)."""
    entries, relations = [], []
    parts = {"xl/styles.xml": STYLES}
    for number, (title, rows) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            rows
            if rows.startswith("<?xml")
            else f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'
        )
        entries.append(f'<sheet name={quoteattr(title)} sheetId="{number}" r:id="rId{number}"/>')
        relations.append(
            f'<Relationship Id="rId{number}" Type="{RELS}/worksheet"'
            f' Target="worksheets/sheet{number}.xml"/>'
        )
    overrides = f'<Override PartName="/xl/workbook.xml" ContentType="{MAIN_TYPE}"/>'
    if strings:
        parts["xl/sharedStrings.xml"] = strings
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{NS}" xmlns:r="{RELS}">{pr}'
        f"<sheets>{''.join(entries)}</sheets></workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PKG}">{"".join(relations)}</Relationships>'
    )
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def load(data: bytes, conn: sqlite3.Connection) -> list[SheetReport]:
    names: list[str] = []

    def allocate(hint: str) -> str:
        names.append(f"t{len(names) + 1}")
        return names[-1]

    return import_xlsx(conn, allocate, io.BytesIO(data), source="book.xlsx")


def error_of(data: bytes) -> LoadError:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        try:
            load(data, conn)
        except LoadError as error:
            assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
            return error
    raise AssertionError("expected a LoadError")


def test_types_dates_and_the_1904_system() -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>n</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>day</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>mixed</t></is></c></row>'
        '<row r="2"><c r="A2"><v>3.0</v></c><c r="B2" s="1"><v>45352</v></c>'
        '<c r="C2"><v>0.1</v></c></row>'
        '<row r="3"><c r="A3"><v>4</v></c><c r="B3" s="1"><v>1</v></c>'
        '<c r="C3" t="b"><v>1</v></c></row>'
    )
    for date1904, days in (
        (False, ("2024-03-01", "1900-01-01")),
        (True, ("2028-03-02", "1904-01-02")),
    ):
        with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
            (report,) = load(workbook([("<img src=x onerror=alert(1)>", rows)], date1904), conn)
            got = conn.execute("SELECT * FROM t1 ORDER BY rowid").fetchall()
        assert report.sheet == "<img src=x onerror=alert(1)>"
        assert report.types == ["INTEGER", "DATE", "TEXT"]
        # 0.1 is Python's shortest text, whatever SQLite's version would print.
        assert got == [(3, days[0], "0.1"), (4, days[1], "TRUE")], got


def test_billion_laughs_is_refused_quickly() -> None:
    laughs = '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "lol">'
    laughs += "".join(
        f'<!ENTITY a{n} "{"&a;" * 10 if n == 1 else f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    laughs += f']><sst xmlns="{NS}"><si><t>&a9;</t></si></sst>'
    started = time.perf_counter()
    error = error_of(workbook([("S", '<row r="1"><c r="A1"><v>1</v></c></row>')], strings=laughs))
    assert time.perf_counter() - started < 10  # a hang guard, not a speed figure
    assert error.message == (
        "book.xlsx: workbook contains XML entity declarations; refused (in part"
        " xl/sharedStrings.xml)."
    ), error.message
    assert SAFE_XML


def test_a_lying_zip_header_is_corrupt() -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    rows += "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 500))
    data = bytearray(workbook([("S", rows)]))
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # shrink the declared size in the central directory
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, 100)
        at = data.find(b"PK\x01\x02", at + 4)
    error = error_of(bytes(data))
    assert error.message.startswith(
        "book.xlsx: archive is corrupt (part xl/worksheets/sheet1.xml): "
    ), error.message


def test_a_sheet_wider_than_sqlite_allows_and_growing_width() -> None:
    wide = '<row r="1"><c r="A1"><v>1</v></c><c r="BXY1"><v>2</v></c></row>'
    error = error_of(workbook([("Wide", wide)]))
    assert "2,001 columns wide; this version of SQLite allows at most 2,000" in error.message
    growing = '<row r="1"><c r="A1"><v>1</v></c></row>'
    growing += "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 30_000))
    growing += '<row r="30000"><c r="A30000"><v>0</v></c><c r="D30000"><v>4</v></c></row>'
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        (report,) = load(workbook([("S", growing)]), conn)
        assert report.columns == ["1", "column_4"], report.columns
        assert conn.execute("SELECT count(*), max(column_4) FROM t1").fetchone() == (29_999, 4)
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (1,)
